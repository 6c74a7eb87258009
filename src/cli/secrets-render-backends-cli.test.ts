/**
 * `secrets render` against each remote backend's test server on 127.0.0.1, through the built CLI: Vault's KV v2
 * and a dynamic database credential, Secrets Manager, SSM and a Secret read through the Kubernetes API. Values
 * are made at test time and never appear in stderr; what was rendered is compared, never printed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { awsTestEnv, startAwsServer } from '../../packages/config/src/test-support/aws-server.ts';
import {
  POD_SERVICE_ACCOUNT,
  podWithKubernetesApi,
} from '../../packages/config/src/test-support/kubernetes-pod.ts';
import { OPENSSL_MISSING } from '../../packages/config/src/test-support/test-pki.ts';
import { startFakeVault } from '../../packages/config/src/test-support/vault-server.ts';
import { type CliResult, spawnCli, tempDir } from '../test-support/cli.ts';

const fresh = () => randomBytes(12).toString('base64url');
type T = Parameters<typeof tempDir>[0];

/** A workspace holding a values file to render. */
function workspace(t: T, values: string): string {
  return tempDir(t, { 'stagecraft.yaml': 'environments:\n  production: {}\n', 'values.yaml': values });
}

/** Exit code, code name and message as the other secrets commands give them, and no value in the output. */
function assertFails(result: CliResult, exit: number, pattern: RegExp, values: string[]): void {
  assert.equal(result.code, exit, result.stderr);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout, '', 'nothing rendered');
  for (const value of values)
    assert.ok(!(result.stdout + result.stderr).includes(value), 'no value in the output');
}

const VAULT_VALUES = [
  '# Helm values',
  'db:',
  '  user: ref+vault://database/creds/shop#/username',
  '  password: ref+vault://database/creds/shop#/password # one lease',
  'payments:',
  '  apiKey: ref+vault://secret/shop/payments#/api_key',
  '',
].join('\n');

test('secrets render: a KV v2 key and a database credential’s pair from one lease, left running for the file', async (t) => {
  const vault = await startFakeVault(t);
  const apiKey = fresh();
  vault.put('secret/shop/payments', { api_key: apiKey });
  const dir = workspace(t, VAULT_VALUES);
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };

  const rendered = await spawnCli(
    ['secrets', 'render', 'values.yaml', '--env', 'production', '-o', 'out.yaml'],
    {
      cwd: dir,
      env,
    },
  );
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.equal(vault.leases.size, 1, 'username and password from one read, one lease');
  const [id, lease] = [...vault.leases][0] ?? assert.fail('no lease');
  const text = readFileSync(join(dir, 'out.yaml'), 'utf8');
  const out = parse(text) as { db: { user: string; password: string }; payments: { apiKey: string } };
  assert.equal(out.db.user, lease.username);
  assert.equal(out.db.password.length, 36, 'the lease’s password');
  assert.ok(out.payments.apiKey === apiKey, 'the KV v2 value');
  assert.match(text, /^# Helm values\n/);
  assert.match(text, / # one lease\n/);
  assert.equal(statSync(join(dir, 'out.yaml')).mode & 0o777, 0o600);
  // The file is read after render exits (helm install -f out.yaml): its credential must still work.
  assert.equal(lease.revoked, false, 'the lease outlives render');
  assert.equal(lease.renewals, 0);
  assert.match(rendered.stderr, new RegExp(`lease ${id} \\(60 s, renewable\\) is left running`));
  assert.match(rendered.stderr, new RegExp(`vault lease revoke ${id}`));
  for (const value of [apiKey, out.db.password]) assert.ok(!rendered.stderr.includes(value));
  assert.equal(rendered.stdout, '');

  // To standard output the same: one new lease, left running, named on stderr only.
  const piped = await spawnCli(['secrets', 'render', 'values.yaml', '--env', 'production'], {
    cwd: dir,
    env,
  });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(vault.leases.size, 2);
  const [, second] = [...vault.leases][1] ?? assert.fail('no second lease');
  assert.equal((parse(piped.stdout) as typeof out).db.user, second.username);
  assert.equal(second.revoked, false);
  assert.doesNotMatch(piped.stdout, /lease database/);
});

test('secrets render revokes the leases it took when nothing is written: a missing key, an unwritable target', async (t) => {
  const vault = await startFakeVault(t);
  const dir = workspace(t, VAULT_VALUES);
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };

  const missing = await spawnCli(['secrets', 'render', 'values.yaml', '-o', 'out.yaml'], { cwd: dir, env });
  assertFails(
    missing,
    2,
    /values\.yaml:6:11: error ref\+vault:\/\/secret\/shop\/payments#\/api_key: Vault has no secret at secret\/data\/shop\/payments.*\[SECRET_NOT_FOUND\]/,
    [],
  );
  assert.match(missing.stderr, /values\.yaml:6/);
  assert.ok(!existsSync(join(dir, 'out.yaml')));
  const [lease] = [...vault.leases.values()];
  assert.ok(lease?.revoked, 'the credential nobody will receive is revoked');
  assert.ok(!missing.stderr.includes(lease.username), 'the lease is named by id, never by what it holds');

  vault.put('secret/shop/payments', { api_key: fresh() });
  const folder = await spawnCli(['secrets', 'render', 'values.yaml', '-o', '.'], { cwd: dir, env });
  assert.equal(folder.code, 2, folder.stderr);
  assert.match(folder.stderr, /is a folder; nothing was written/);
  assert.equal(vault.leases.size, 2);
  assert.ok([...vault.leases.values()].every((l) => l.revoked));
});

test('secrets render from Vault: forbidden and not found exit 2, unreachable exits 1, naming Vault’s error', async (t) => {
  const vault = await startFakeVault(t);
  const apiKey = fresh();
  vault.put('secret/shop/payments', { api_key: apiKey });
  const dir = workspace(t, 'apiKey: ref+vault://secret/shop/payments#/api_key\n');
  const env = (over: Record<string, string>) => ({ VAULT_ADDR: vault.url, HOME: tempDir(t), ...over });

  const token = vault.issueToken({ paths: ['secret/data/other/'], policies: ['other-read'] });
  const forbidden = await spawnCli(['secrets', 'render', 'values.yaml'], {
    cwd: dir,
    env: env({ VAULT_TOKEN: token }),
  });
  assertFails(
    forbidden,
    2,
    /ref\+vault:\/\/secret\/shop\/payments#\/api_key.*403: permission denied.*\[SECRET_FORBIDDEN\]/,
    [apiKey, token],
  );

  writeFileSync(join(dir, 'other.yaml'), 'apiKey: ref+vault://secret/shop/none#/api_key\n');
  const missing = await spawnCli(['secrets', 'render', 'other.yaml'], {
    cwd: dir,
    env: env({ VAULT_TOKEN: vault.issueToken() }),
  });
  assertFails(missing, 2, /no secret at secret\/data\/shop\/none.*\[SECRET_NOT_FOUND\]/, [apiKey]);

  const closed = `http://127.0.0.1:${await closedPort()}`;
  const unreachable = await spawnCli(['secrets', 'render', 'values.yaml'], {
    cwd: dir,
    env: env({ VAULT_ADDR: closed, VAULT_TOKEN: vault.issueToken() }),
  });
  assertFails(unreachable, 1, /RENDER_UNAVAILABLE[\s\S]*ECONNREFUSED.*\[SECRET_UNAVAILABLE\]/, [apiKey]);

  // JSON takes the same path: every problem listed, the exit code by the worst of them.
  writeFileSync(
    join(dir, 'values.json'),
    JSON.stringify({ a: 'ref+vault://secret/shop/none#/x', b: 'ref+vault://secret/shop/payments#/nokey' }),
  );
  const json = await spawnCli(['secrets', 'render', 'values.json'], {
    cwd: dir,
    env: env({ VAULT_TOKEN: vault.issueToken() }),
  });
  assertFails(json, 2, /RENDER_UNRESOLVED.*2 references in values\.json/, [apiKey]);
  assert.match(
    json.stderr,
    /\(values\.json #\/a\) error ref\+vault:\/\/secret\/shop\/none#\/x: .*\[SECRET_NOT_FOUND\]/,
  );
  assert.match(
    json.stderr,
    /\(values\.json #\/b\) error .*has no key "nokey" \[SECRET_KEY_NOT_FOUND\]\n.*its keys are api_key/,
  );
});

test('secrets render from Secrets Manager and SSM, and their errors with AWS’s codes', async (t) => {
  const aws = await startAwsServer('us-east-2');
  t.after(() => aws.close());
  const apiKey = fresh();
  const dbPassword = fresh();
  aws.putSecret('shop/payments', JSON.stringify({ api_key: apiKey }));
  aws.putParameter('/shop/production/db_password', dbPassword, 'SecureString');
  const dir = workspace(
    t,
    'api_key: ref+awssecrets://shop/payments#/api_key\ndb:\n  password: ref+awsssm://shop/production/db_password\n',
  );
  const env = (over: Record<string, string | undefined> = {}) => awsTestEnv(aws, over);

  const values = [apiKey, dbPassword];

  const rendered = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env: env() });
  assert.equal(rendered.code, 0, rendered.stderr);
  const out = parse(rendered.stdout) as { api_key: string; db: { password: string } };
  assert.ok(out.api_key === apiKey && out.db.password === dbPassword, 'both values rendered');
  assert.equal(rendered.stderr, '', 'nothing leased, nothing to say');

  aws.denied.add('shop/payments');
  const forbidden = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env: env() });
  assertFails(
    forbidden,
    2,
    /ref\+awssecrets:\/\/shop\/payments#\/api_key: .*AccessDeniedException \[SECRET_FORBIDDEN\]/,
    values,
  );
  assert.match(forbidden.stderr, /values\.yaml:1/);
  aws.denied.delete('shop/payments');

  writeFileSync(join(dir, 'none.yaml'), 'a: ref+awssecrets://shop/none\nb: ref+awsssm://shop/none\n');
  const missing = await spawnCli(['secrets', 'render', 'none.yaml'], { cwd: dir, env: env() });
  assertFails(missing, 2, /RENDER_UNRESOLVED.*2 references/, values);
  assert.match(missing.stderr, /ResourceNotFoundException.*\[SECRET_NOT_FOUND\]/);
  assert.match(missing.stderr, /ParameterNotFound.*\[SECRET_NOT_FOUND\]/);

  // One backend down and one answering: render could not be done, so 1, and the answer is listed too.
  const unreachable = await spawnCli(['secrets', 'render', 'values.yaml'], {
    cwd: dir,
    env: env({ AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${await closedPort()}` }),
  });
  assertFails(
    unreachable,
    1,
    /RENDER_UNAVAILABLE[\s\S]*ref\+awsssm:\/\/shop\/production\/db_password: .*ECONNREFUSED.*\[SECRET_UNAVAILABLE\]/,
    values,
  );
});

test('secrets render from a Secret read through the Kubernetes API; forbidden exits 2, unavailable 1', {
  skip: OPENSSL_MISSING,
}, async (t) => {
  const { api, apiKey, token, env } = await podWithKubernetesApi(t);
  const dir = workspace(t, 'payments:\n  apiKey: ref+k8s://v1/Secret/shop/shop-payments/api-key\n');

  const rendered = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env });
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.ok((parse(rendered.stdout) as { payments: { apiKey: string } }).payments.apiKey === apiKey);

  writeFileSync(join(dir, 'none.yaml'), 'apiKey: ref+k8s://v1/Secret/shop/none/api-key\n');
  const missing = await spawnCli(['secrets', 'render', 'none.yaml'], { cwd: dir, env });
  assertFails(missing, 2, /does not exist \(Kubernetes NotFound, 404\) \[SECRET_NOT_FOUND\]/, [
    apiKey,
    token,
  ]);

  api.grants.set(POD_SERVICE_ACCOUNT, []);
  const forbidden = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env });
  assertFails(forbidden, 2, /may not get the Secret shop-payments in namespace shop.*\[SECRET_FORBIDDEN\]/, [
    apiKey,
    token,
  ]);

  api.grants.set('system:serviceaccount:shop:web', ['shop']);
  api.faults.push(...Array.from({ length: 4 }, () => ({ status: 503 as const, retryAfter: '0' })));
  const down = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env });
  assertFails(
    down,
    1,
    /RENDER_UNAVAILABLE[\s\S]*\(Kubernetes ServiceUnavailable, 503\), after retries.*\[SECRET_UNAVAILABLE\]/,
    [apiKey, token],
  );
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
