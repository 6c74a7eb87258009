import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { rewriteReferences } from './gitops.ts';

const repository = 'registry.example.com/shop/web';
const digest = () => `sha256:${randomBytes(32).toString('hex')}`;

test('plain manifests: image: lines with a tag or a digest point at the new digest; other images are left', () => {
  const d = digest();
  const text = `containers:\n  - name: app\n    image: ${repository}:1.4.2 # app\n  - name: proxy\n    image: envoyproxy/envoy:v1.31\n`;
  assert.equal(
    rewriteReferences(text, 'deploy/web.yaml', repository, d),
    `containers:\n  - name: app\n    image: ${repository}@${d} # app\n  - name: proxy\n    image: envoyproxy/envoy:v1.31\n`,
  );
  assert.equal(rewriteReferences('image: other/app:1\n', 'deploy/x.yaml', repository, d), undefined);
});

test('kustomization images: the entry gets the digest and loses newTag; comments stay', () => {
  const d = digest();
  const text = `# production overlay\nimages:\n  - name: ${repository}\n    newTag: "1.4.2" # pinned by CI\n`;
  const next = rewriteReferences(text, 'deploy/production/kustomization.yaml', repository, d) ?? '';
  assert.match(next, /^# production overlay\nimages:\n {2}- name: registry\.example\.com\/shop\/web\n/);
  assert.match(next, new RegExp(`digest: ${d}`));
  assert.ok(!next.includes('newTag'));
});

test('Helm values: repository (with registry when split) gets a digest beside its tag', () => {
  const d = digest();
  const text = `web:\n  image:\n    registry: registry.example.com\n    repository: shop/web # the app\n    tag: "1.4.2"\nredis:\n  image:\n    repository: bitnami/redis\n`;
  const next = rewriteReferences(text, 'charts/shop/values-production.yaml', repository, d) ?? '';
  assert.match(
    next,
    new RegExp(`repository: shop/web # the app\\n {4}tag: "1\\.4\\.2"\\n {4}digest: ${d}\\n`),
  );
  assert.ok(!next.split('redis:')[1]?.includes('digest'), 'other images untouched');
});

test('Helm values or a kustomization that is not valid YAML, or an alias bomb, is an error at its line', () => {
  const d = digest();
  assert.throws(
    () => rewriteReferences('images:\n  - name: [x\n', 'deploy/kustomization.yaml', repository, d),
    { code: 'YAML_SYNTAX', location: { file: 'deploy/kustomization.yaml', line: 3, column: 1 } },
  );
  const lines = [`l0: &l0 [${Array(10).fill('x').join(', ')}]`];
  for (let level = 1; level < 9; level++)
    lines.push(
      `l${level}: &l${level} [${Array(10)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  assert.throws(() => rewriteReferences(`${lines.join('\n')}\n`, 'charts/values.yaml', repository, d), {
    code: 'YAML_ALIAS_LIMIT',
    message: /^aliases expand this document by more than 100000 values/,
    location: { file: 'charts/values.yaml', line: 5, column: 45 },
  });
});
