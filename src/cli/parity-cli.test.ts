import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

const secretValue = () => randomBytes(12).toString('base64url');
const digest = () => `sha256:${randomBytes(32).toString('hex')}`;

interface Violation {
  type: string;
  resource?: { apiVersion: string; kind: string; namespace: string; name: string };
  path: string;
  left: unknown;
  right: unknown;
  message: string;
}

/** What the shop's manifests lack for these tests: a database StatefulSet, a Secret, a disruption budget. */
function extra(env: 'staging' | 'production', secrets: Record<string, string>, postgres: string): string {
  const big = env === 'production';
  const values = Object.entries(secrets);
  const secretData = big
    ? `stringData:\n${values.map(([k, v]) => `  ${k}: "${v}"`).join('\n')}`
    : `data:\n${values.map(([k, v]) => `  ${k}: ${Buffer.from(v).toString('base64')}`).join('\n')}`;
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: shop-db, namespace: shop-${env} }
spec:
  replicas: ${big ? 3 : 1}
  serviceName: shop-db
  selector: { matchLabels: { app: shop-db } }
  template:
    metadata: { labels: { app: shop-db, environment: ${env} } }
    spec:
      containers:
        - name: postgres
          image: ${postgres}
          ports: [{ name: pg, containerPort: 5432 }]
          resources: { requests: { memory: ${big ? '1024Mi' : '1Gi'}, cpu: ${big ? '"1"' : '1000m'} } }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: ${big ? '100Gi' : '20Gi'} } } }
---
apiVersion: v1
kind: Secret
metadata: { name: shop-db, namespace: shop-${env} }
type: Opaque
${secretData}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: storefront, namespace: shop-${env} }
spec: { minAvailable: ${big ? 2 : 1}, selector: { matchLabels: { app.kubernetes.io/name: storefront } } }
`;
}

const POLICY = `equivalents:
  - { staging: api.staging.example.com, production: api.example.com }
  - { staging: shop.staging.example.com, production: shop.example.com }
  - { staging: vault.staging.example.com, production: vault.example.com }
allow:
  - { kind: ConfigMap, path: data.LOG_LEVEL }
`;

/** staging/ and production/ folders: the shop's rendered manifests plus the extra objects, and a policy. */
function environments(t: { after(fn: () => void): void }) {
  const dir = tempDir(t, { 'policy.yaml': POLICY });
  const postgres = `postgres:16.4@${digest()}`;
  const secrets = {
    staging: { username: 'shop', password: secretValue() },
    production: { username: 'shop', password: secretValue() },
  };
  for (const env of ['staging', 'production'] as const) {
    cpSync(join(EXAMPLE_SHOP, 'deploy', env), join(dir, env), { recursive: true });
    writeFileSync(join(dir, env, 'database.yaml'), extra(env, secrets[env], postgres));
  }
  const edit = (env: string, file: string, from: string | RegExp, to: string) => {
    const path = join(dir, env, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(from, to);
    assert.notEqual(next, text, `the edit of ${file} must change it`);
    writeFileSync(path, next);
  };
  const parity = async (...extraArgs: string[]) => {
    const result = await runCli(
      ['parity', 'staging', 'production', '--policy', 'policy.yaml', '--format', 'json', ...extraArgs],
      { cwd: dir },
    );
    const data = JSON.parse(result.stdout) as {
      verdict: string;
      violations: Violation[];
      allowed: { path: string; rule: string }[];
    };
    return { code: result.code, data, stdout: result.stdout, stderr: result.stderr };
  };
  return { dir, edit, parity, secrets };
}

test('staging mirrors production when only size and traffic differ; those stay silent', async (t) => {
  const { parity, secrets } = environments(t);
  const { code, data, stdout } = await parity();
  assert.equal(code, 0, stdout);
  assert.equal(data.verdict, 'parity');
  assert.deepEqual(data.violations, []);
  const allowed = data.allowed.map((a) => a.path);
  for (const path of ['spec.replicas', 'spec.minAvailable', 'spec.maxReplicas', 'nodes'])
    assert.ok(allowed.includes(path), path);
  assert.ok(allowed.includes('spec.volumeClaimTemplates[data].spec.resources.requests.storage'));
  assert.ok(allowed.includes('spec.template.spec.containers[app].resources.requests.cpu'));
  // 1Gi and 1024Mi, 1000m and 1: the same quantity, so not even an allowed difference.
  assert.ok(!allowed.some((path) => path.startsWith('spec.template.spec.containers[postgres]')));
  for (const value of [secrets.staging.password, secrets.production.password]) {
    assert.ok(
      !stdout.includes(value) && !stdout.includes(Buffer.from(value).toString('base64')),
      'no secret value, in any encoding',
    );
  }
});

test('every kind of violation is caught, with its type, object, path and both sides', async (t) => {
  const { edit, parity, dir } = environments(t);
  edit('production', 'orders.yaml', /orders@sha256:[0-9a-f]{64}/, `orders@${digest()}`); // same tag, other digest
  edit(
    'production',
    'facts.json',
    '"server_version": "16.4"',
    '"server_version": "17.2 (Debian 17.2-1.pgdg120+1)"',
  );
  edit('production', 'facts.json', '"minor": "31+"', '"minor": "32+"');
  edit(
    'production',
    'config.yaml',
    'FEATURE_FLAGS: "recommendations"',
    'FEATURE_FLAGS: "recommendations,new-checkout"',
  );
  edit(
    'production',
    'catalog.yaml',
    '            - name: PORT',
    '            - name: DEBUG_SQL\n              value: "true"\n            - name: PORT',
  );
  edit(
    'production',
    'storefront.yaml',
    /( {8}- name: app\n)/,
    '        - name: log-shipper\n          image: fluent/fluent-bit@sha256:' + 'b'.repeat(64) + '\n$1',
  );
  edit(
    'production',
    'database.yaml',
    '  username: "shop"',
    '  username: "shop"\n  replication-password: "x"',
  );
  edit('production', 'storefront.yaml', 'path: /livez', 'path: /health/live');
  rmSync(join(dir, 'production', 'namespace.yaml'));
  const { code, data } = await parity();
  assert.equal(code, 2);
  assert.equal(data.verdict, 'violations');
  const found = data.violations.map((v) => `${v.type} ${v.resource?.kind ?? '-'} ${v.path}`).sort();
  assert.deepEqual(found, [
    'config-value-mismatch ConfigMap data.FEATURE_FLAGS',
    'container-set-mismatch Deployment spec.template.spec.containers[log-shipper]',
    'database-version-mismatch - databases[shop-db]',
    'env-var-set-mismatch Deployment spec.template.spec.containers[app].env[DEBUG_SQL]',
    'field-mismatch Deployment spec.template.spec.containers[app].livenessProbe.httpGet.path',
    'image-mismatch Deployment spec.template.spec.containers[app].image',
    'kubernetes-version-mismatch - kubernetes',
    'object-missing Namespace ',
    'secret-keys-mismatch Secret data.replication-password',
  ]);
  const image = data.violations.find((v) => v.type === 'image-mismatch');
  assert.match(image?.message ?? '', /under the same tag/);
  assert.deepEqual(image?.resource, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop-staging',
    name: 'orders',
  });
  const secret = data.violations.find((v) => v.type === 'secret-keys-mismatch');
  assert.deepEqual([secret?.left, secret?.right], [null, 'replication-password'], 'only the key name');
  const database = data.violations.find((v) => v.type === 'database-version-mismatch');
  assert.deepEqual([database?.left, database?.right], ['16.4', '17.2 (Debian 17.2-1.pgdg120+1)']);

  const text = await runCli(['parity', 'staging', 'production', '--policy', 'policy.yaml'], { cwd: dir });
  assert.match(
    text.stdout,
    /Deployment shop-staging\/orders\n {2}image-mismatch {2}spec\.template\.spec\.containers\[app\]\.image/,
  );
  assert.match(text.stdout, /✗ 9 parity violations between staging and production/);
  const markdown = await runCli(
    ['parity', 'staging', 'production', '--policy', 'policy.yaml', '--format', 'markdown'],
    { cwd: dir },
  );
  assert.match(markdown.stdout, /^### Parity: 9 violations between staging and production/);
});

test('minor database and Kubernetes differences are not violations; vendor suffixes are ignored', async (t) => {
  const { edit, parity } = environments(t);
  edit(
    'production',
    'facts.json',
    '"server_version": "16.4"',
    '"server_version": "16.6 (Ubuntu 16.6-1.pgdg22.04+1)"',
  );
  edit(
    'production',
    'facts.json',
    '"gitVersion": "v1.31.4-eks-2d5f260"',
    '"gitVersion": "v1.31.6-eks-aeac579"',
  );
  const { code, data } = await parity();
  assert.equal(code, 0, JSON.stringify(data.violations));
});

test('Terraform: different attributes are infrastructure violations, sizes are allowed, sensitive values never shown', async (t) => {
  const password = secretValue();
  const plan = (env: string, instanceClass: string, engineVersion: string) =>
    JSON.stringify({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_db_instance.shop',
              mode: 'managed',
              type: 'aws_db_instance',
              values: {
                engine: 'postgres',
                engine_version: engineVersion,
                instance_class: instanceClass,
                identifier: `shop-${env}`,
                password,
              },
              sensitive_values: { password: true },
            },
          ],
          child_modules: [
            {
              resources: [
                {
                  address: 'module.cache.aws_elasticache_cluster.this',
                  mode: 'managed',
                  type: 'aws_elasticache_cluster',
                  values: {
                    engine: 'redis',
                    node_type: env === 'production' ? 'cache.r6g.large' : 'cache.t4g.small',
                  },
                },
              ],
            },
          ],
        },
      },
    });
  const dir = tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  staging: { terraform: { plan: tf/staging.json } }\n  production: { from: staging, terraform: { plan: tf/production.json } }\n',
    'tf/staging.json': plan('staging', 'db.t4g.medium', '16.4'),
    'tf/production.json': plan('production', 'db.r6g.xlarge', '16.4'),
  });
  const clean = await runCli(['parity', 'staging', 'production', '--format', 'json'], { cwd: dir });
  assert.equal(clean.code, 0, clean.stdout);
  const allowed = JSON.parse(clean.stdout).allowed.map((a: { path: string }) => a.path);
  assert.deepEqual(allowed.sort(), [
    'aws_db_instance.shop.instance_class',
    'module.cache.aws_elasticache_cluster.this.node_type',
  ]);

  writeFileSync(join(dir, 'tf/production.json'), plan('production', 'db.r6g.xlarge', '15.8'));
  const drifted = await runCli(['parity', 'staging', 'production', '--format', 'json'], { cwd: dir });
  assert.equal(drifted.code, 2);
  const violations = JSON.parse(drifted.stdout).violations as Violation[];
  assert.deepEqual(
    violations.map((v) => [v.type, v.path, v.left, v.right]),
    [['infrastructure-mismatch', 'aws_db_instance.shop.engine_version', '16.4', '15.8']],
  );
  assert.ok(!drifted.stdout.includes(password) && !clean.stdout.includes(password));
});

test('the shop in examples/ passes; an unknown side is exit 1 and an invalid policy exit 2, with a clear error', async (t) => {
  const shop = await runCli(['-C', EXAMPLE_SHOP, 'parity', 'staging', 'production']);
  assert.equal(shop.code, 0, shop.stdout + shop.stderr);
  assert.match(shop.stdout, /✓ production mirrors staging: 10 objects, 1 database/);

  const unknown = await runCli(['-C', EXAMPLE_SHOP, 'parity', 'staging', 'prod']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /"prod" is neither an environment of stagecraft.yaml nor a folder/);
  const dir = tempDir(t, { 'policy.yaml': 'allow:\n  - { kind: ConfigMap }\nequivalnts: []\n' });
  const policy = await runCli([
    '-C',
    EXAMPLE_SHOP,
    'parity',
    'staging',
    'production',
    '--policy',
    join(dir, 'policy.yaml'),
  ]);
  assert.equal(policy.code, 2);
  assert.match(policy.stderr, /error \[PARITY_POLICY_INVALID\]/);
  assert.match(policy.stderr, /policy\.yaml:2:5: error parity\.allow\[0\] needs a kind and a path/);
  assert.match(policy.stderr, /policy\.yaml:3:\d+: error unknown key "equivalnts" in parity/);
});

test('a list that differs is shown as the list it is, never in the keyed form used to compare it', async () => {
  const text = await runCli(['-C', EXAMPLE_SHOP, 'parity', 'dev', 'production']);
  assert.equal(text.code, 2, text.stderr);
  assert.doesNotMatch(text.stdout, /\{"\[/);
  const json = await runCli(['-C', EXAMPLE_SHOP, 'parity', 'dev', 'production', '--format', 'json']);
  const mounts = (
    JSON.parse(json.stdout) as { violations: { path: string; left: unknown; right: unknown }[] }
  ).violations.find((v) => v.path.endsWith('containers[app].volumeMounts'));
  assert.equal(mounts?.left, null);
  assert.ok(Array.isArray(mounts?.right), JSON.stringify(mounts));
});
