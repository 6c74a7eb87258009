import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { podWithKubernetesApi } from '../../packages/config/src/test-support/kubernetes-pod.ts';
import { OPENSSL_MISSING } from '../../packages/config/src/test-support/test-pki.ts';
import { builtConfigLibrary, spawnCli, tempDir } from '../test-support/cli.ts';

/** Values and tokens made now, compared by hash: no output or failure message ever contains one. */
const _fresh = () => randomBytes(12).toString('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const REFERENCE = 'ref+k8s://v1/Secret/shop/shop-payments/api-key';

/** A workspace whose production config reads a Secret through the API, and a pod's service account for it. */
async function podWithApi(t: Parameters<typeof tempDir>[0]) {
  const { api, apiKey, env } = await podWithKubernetesApi(t);
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  production: {}\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ apiKey: field.secret() });\n`,
    'config/base.yaml': `apiKey: "${REFERENCE}"\n`,
  });
  return { api, apiKey, dir, env };
}

test('secrets get, secrets check and run read a Secret through the Kubernetes API', {
  skip: OPENSSL_MISSING,
}, async (t) => {
  const { apiKey, dir, env } = await podWithApi(t);
  const got = await spawnCli(['secrets', 'get', REFERENCE], { cwd: dir, env });
  assert.equal(got.code, 0, got.stderr);
  assert.ok(got.stdout.trimEnd() === apiKey, 'secrets get prints the value');

  const check = await spawnCli(['secrets', 'check', '--env', 'production'], { cwd: dir, env });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /✓ all 1 secrets? of production resolve here/);
  assert.ok(!check.stdout.includes(apiKey));

  const script = `console.log(require('crypto').createHash('sha256').update(process.env.API_KEY ?? '').digest('hex'))`;
  const run = await spawnCli(['run', '--env', 'production', '--', process.execPath, '-e', script], {
    cwd: dir,
    env,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), sha(apiKey));
});

test('the CLI tells forbidden from unavailable, and run never starts the command', {
  skip: OPENSSL_MISSING,
}, async (t) => {
  const { api, apiKey, dir, env } = await podWithApi(t);
  api.grants.set('system:serviceaccount:shop:web', []);
  const forbidden = await spawnCli(['secrets', 'get', REFERENCE], { cwd: dir, env });
  assert.equal(forbidden.code, 2);
  assert.match(
    forbidden.stderr,
    /"system:serviceaccount:shop:web" may not get the Secret shop-payments in namespace shop \(Kubernetes Forbidden, 403\)/,
  );
  assert.match(forbidden.stderr, /SECRET_FORBIDDEN/);

  const check = await spawnCli(['secrets', 'check', '--env', 'production'], { cwd: dir, env });
  assert.equal(check.code, 2, check.stdout + check.stderr);

  const marker = join(dir, 'started');
  const run = await spawnCli(
    [
      'run',
      '--env',
      'production',
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
    ],
    { cwd: dir, env },
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /may not get the Secret shop-payments/);
  assert.ok(!existsSync(marker), 'the command did not start');

  api.grants.set('system:serviceaccount:shop:web', ['shop']);
  api.faults.push(...Array.from({ length: 4 }, () => ({ status: 503 as const, retryAfter: '0' })));
  const down = await spawnCli(['secrets', 'get', REFERENCE], { cwd: dir, env });
  assert.equal(down.code, 1, down.stderr);
  assert.match(down.stderr, /\(Kubernetes ServiceUnavailable, 503\), after retries/);
  for (const output of [forbidden, check, run, down])
    assert.ok(!(output.stdout + output.stderr).includes(apiKey));
});
