/**
 * `loadWithSecrets` and `watch` for each backend read through an API, against the test servers on 127.0.0.1:
 * the value is loaded, a rotation in the server is seen through the refresh interval, leases are reused
 * across reloads, replaced ones revoked after their grace period, and the rest on close.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defineConfig, field, isSecret } from '../index.ts';
import { type AwsTestServer, startAwsServer } from '../test-support/aws-server.ts';
import { mountKubernetesSecret } from '../test-support/kubernetes-mount.ts';
import { startKubernetesSecretsApi } from '../test-support/kubernetes-secrets-api.ts';
import { manualClock } from '../test-support/manual-clock.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { startFakeVault } from '../test-support/vault-server.ts';
import type { Env } from './resolve.ts';
import type { ConfigWatcher } from './watch.ts';
import { watchPlan } from './with-secrets.ts';

const fresh = (): string => randomBytes(12).toString('base64url');

/** The value of a field, revealed if a secret. */
const plain = (value: unknown): unknown => (isSecret(value) ? value.reveal() : value);

/** Waits (briefly) until `check` holds; fails with `what` otherwise. */
async function until(check: () => boolean, what: string, ms = 800): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A one-field config read from `env` (which holds the reference), watched; changes and errors recorded. */
async function watchOne(
  t: { after(fn: () => Promise<void> | void): void },
  env: Env,
  options: { refreshIntervalMs?: number } = {},
) {
  const loader = defineConfig({ value: field.secret() }, { root: tempDir(t), workspace: false });
  const loaded = await loader.loadWithSecrets(env);
  const changes: unknown[] = [];
  const errors: string[] = [];
  const watcher = await loader.watch({
    env,
    refreshIntervalMs: options.refreshIntervalMs ?? 30,
    onChange: (config) => changes.push(plain(config.value)),
    onError: (error) => errors.push((error as Error).message),
  });
  t.after(() => watcher.close());
  return { loaded: plain(loaded.value), watcher, changes, errors };
}

test('Vault KV: loaded, a new version seen by the refresh, an unchanged one not reported', async (t) => {
  const vault = await startFakeVault(t);
  const [first, second] = [fresh(), fresh()];
  vault.put('secret/shop/api', { key: first });
  const env = {
    VALUE: 'ref+vault://secret/shop/api#/key',
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: vault.issueToken(),
    HOME: tempDir(t),
  };
  const { loaded, watcher, changes, errors } = await watchOne(t, env);
  assert.ok(loaded === first);
  const reads = () => vault.seen.filter((s) => s.path === 'secret/data/shop/api').length;
  const before = reads();
  await until(() => reads() >= before + 2, 'two refreshes read the secret again');
  assert.deepEqual(changes, [], 'an unchanged value is no change');
  vault.put('secret/shop/api', { key: second });
  await until(() => changes.length === 1, 'the rotation is seen');
  assert.ok(changes[0] === second && plain(watcher.config.value) === second);
  assert.deepEqual(errors, []);
});

test('a refresh that fails is reported and the last good config stays', async (t) => {
  const vault = await startFakeVault(t);
  const value = fresh();
  vault.put('secret/shop/api', { key: value });
  const token = vault.issueToken();
  const env = { VALUE: 'ref+vault://secret/shop/api#/key', VAULT_ADDR: vault.url, VAULT_TOKEN: token };
  const { watcher, changes, errors } = await watchOne(t, { ...env, HOME: tempDir(t) });
  vault.expire(token);
  await until(() => errors.length > 0, 'the failed refresh is reported');
  assert.match(errors[0] ?? '', /ref\+vault:\/\/secret\/shop\/api#\/key/);
  assert.ok(!errors.join('\n').includes(value));
  assert.deepEqual(changes, []);
  assert.ok(plain(watcher.config.value) === value);
});

test('a refresh interval of 0 turns refreshing off', async (t) => {
  const vault = await startFakeVault(t);
  vault.put('secret/shop/api', { key: fresh() });
  const env = {
    VALUE: 'ref+vault://secret/shop/api#/key',
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: vault.issueToken(),
    HOME: tempDir(t),
  };
  await watchOne(t, env, { refreshIntervalMs: 0 });
  const reads = vault.seen.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(vault.seen.length, reads, 'nothing read again');
});

test('only references read through an API are refreshed: mounted files are watched, variables never change', async (t) => {
  const vault = await startFakeVault(t);
  vault.put('secret/shop/api', { key: fresh() });
  const mount = tempDir(t);
  mountKubernetesSecret(mount, 'shop-db', { password: fresh() }, 1);
  const loader = defineConfig(
    { api: field.secret(), db: field.secret(), ci: field.secret() },
    { root: tempDir(t), workspace: false },
  );
  const env = {
    API: 'ref+vault://secret/shop/api#/key',
    DB: 'ref+k8s://shop-db/password',
    CI: 'ref+env://CI_KEY',
    CI_KEY: fresh(),
    STAGECRAFT_K8S_SECRETS_ROOT: mount,
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: vault.issueToken(),
    HOME: tempDir(t),
  };
  const plan = await watchPlan(await loader.inspectWithSecrets(env));
  assert.deepEqual(plan.polled, ['ref+vault://secret/shop/api#/key']);
  assert.deepEqual(plan.paths, [join(mount, 'shop-db')]);
});

describe('Vault dynamic database credentials', () => {
  async function setup(t: { after(fn: () => Promise<void> | void): void }) {
    const vault = await startFakeVault(t);
    const clock = manualClock();
    vault.now = clock.now;
    const mount = tempDir(t);
    const apiKey = fresh();
    mountKubernetesSecret(mount, 'shop-api', { key: apiKey }, 1);
    vault.put('secret/shop/config', { region: 'eu' });
    const env = {
      REGION: 'ref+vault://secret/shop/config#/region',
      DB_USER: 'ref+vault://database/creds/shop#/username',
      DB_PASSWORD: 'ref+vault://database/creds/shop#/password',
      API_KEY: 'ref+k8s://shop-api/key',
      STAGECRAFT_K8S_SECRETS_ROOT: mount,
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: vault.issueToken(),
      HOME: tempDir(t),
    };
    const loader = defineConfig(
      { dbUser: field.string(), dbPassword: field.secret(), apiKey: field.secret(), region: field.string() },
      { root: tempDir(t), workspace: false },
    );
    const changes: { dbUser: string; apiKey: unknown }[] = [];
    const errors: string[] = [];
    let watcher: ConfigWatcher<{ dbUser: string; apiKey: unknown }> | undefined;
    const watch = async () => {
      watcher = await loader.watch({
        env,
        debounceMs: 10,
        refreshIntervalMs: 30,
        leaseGraceMs: 5_000,
        leaseClock: clock,
        onChange: (config) => changes.push({ dbUser: config.dbUser, apiKey: plain(config.apiKey) }),
        onError: (error) => errors.push((error as Error).message),
      });
      t.after(() => watcher?.close());
      return watcher;
    };
    const creds = () => vault.seen.filter((s) => s.path === 'database/creds/shop').length;
    return { vault, clock, mount, env, loader, changes, errors, watch, creds };
  }

  test('loadWithSecrets: username and password from one read, under one lease', async (t) => {
    const { vault, loader, env, creds } = await setup(t);
    const config = await loader.loadWithSecrets(env);
    assert.equal(creds(), 1);
    const [lease] = [...vault.leases.values()];
    assert.equal(lease?.username, config.dbUser);
  });

  test('a mounted-file change and refreshes reuse the running lease; close revokes it', async (t) => {
    const { vault, mount, changes, errors, watch, creds } = await setup(t);
    const watcher = await watch();
    const user = watcher.config.dbUser;
    const next = fresh();
    mountKubernetesSecret(mount, 'shop-api', { key: next }, 2);
    await until(() => changes.length === 1, 'the file change is handed over');
    assert.equal(changes[0]?.dbUser, user, 'the same credential');
    assert.ok(changes[0]?.apiKey === next);
    const kv = () => vault.seen.filter((s) => s.path === 'secret/data/shop/config').length;
    const reads = kv();
    await until(() => kv() >= reads + 2, 'two refreshes ran');
    assert.equal(creds(), 1, 'one database/creds read for the load and every reload');
    assert.equal(vault.leases.size, 1);
    await watcher.close();
    assert.equal([...vault.leases.values()][0]?.revoked, true, 'revoked on close');
    assert.deepEqual(errors, []);
  });

  test('an expiring lease is read afresh; the replaced one is revoked after the grace period', async (t) => {
    const { vault, clock, changes, errors, watch, creds } = await setup(t);
    const watcher = await watch();
    const [oldId] = [...vault.leases.keys()];
    const user = watcher.config.dbUser;
    // Renewed at 40 s and 80 s; at 120 s granted only 30 s (the maximum is 150 s), so at 140 s it is read afresh.
    await clock.advance(140_000);
    await until(() => changes.length === 1, 'the fresh credential is handed over');
    assert.notEqual(changes[0]?.dbUser, user);
    assert.equal(creds(), 2);
    const newId = [...vault.leases.keys()].find((id) => id !== oldId) ?? '';
    assert.equal(vault.leases.get(newId)?.username, changes[0]?.dbUser);
    const old = vault.leases.get(oldId ?? '');
    assert.equal(old?.revoked, false, 'still valid while connections drain');
    const renewals = old?.renewals;
    await clock.advance(4_999);
    assert.equal(old?.revoked, false);
    assert.equal(old?.renewals, renewals, 'no longer renewed');
    await clock.advance(1);
    await until(() => old?.revoked === true, 'the replaced lease is revoked after 5 s');
    assert.equal(vault.leases.get(newId)?.revoked, false);
    await watcher.close();
    assert.equal(vault.leases.get(newId)?.revoked, true, 'close revokes the one in use');
    assert.deepEqual(errors, []);
  });

  test('a reload that fails validation revokes the credential it read; the one in use stays', async (t) => {
    const { vault, clock, mount, changes, errors, watch, creds } = await setup(t);
    const watcher = await watch();
    const [oldId] = [...vault.leases.keys()];
    mountKubernetesSecret(mount, 'shop-api', { other: fresh() }, 2); // the key disappears
    await until(() => errors.length >= 1, 'the failed reload is reported');
    assert.equal(creds(), 1, 'the failed reload reused the lease');
    const reported = errors.length;
    await clock.advance(140_000);
    await until(
      () => creds() >= 2 && errors.length > reported,
      'the expiring lease was read afresh, and failed',
    );
    await until(
      () => [...vault.leases.entries()].some(([id, lease]) => id !== oldId && lease.revoked),
      'the credential of the failed reload is revoked',
    );
    assert.equal(vault.leases.get(oldId ?? '')?.revoked, false, 'the config in use keeps its lease');
    assert.deepEqual(changes, []);
    await watcher.close();
    assert.ok([...vault.leases.values()].every((lease) => lease.revoked));
  });
});

describe('AWS Secrets Manager and SSM', () => {
  let aws: AwsTestServer;
  const saved: Record<string, string | undefined> = {};
  const variables = (server: AwsTestServer): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: server.region,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
    AWS_ENDPOINT_URL_SSM: server.url,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  before(async () => {
    aws = await startAwsServer();
    // The SDK reads its credentials and endpoints from the process itself.
    const set = variables(aws);
    for (const name of [...Object.keys(set), 'AWS_PROFILE', 'AWS_SESSION_TOKEN'])
      saved[name] = process.env[name];
    Object.assign(process.env, set);
    delete process.env['AWS_PROFILE'];
    delete process.env['AWS_SESSION_TOKEN'];
  });
  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await aws.close();
  });

  test('Secrets Manager: loaded, and a new AWSCURRENT version seen by the refresh', async (t) => {
    const [first, second] = [fresh(), fresh()];
    aws.putSecret('shop/watch', JSON.stringify({ password: first }));
    const { loaded, changes, errors } = await watchOne(t, {
      ...process.env,
      VALUE: 'ref+awssecrets://shop/watch#/password',
    });
    assert.ok(loaded === first);
    aws.putSecret('shop/watch', JSON.stringify({ password: second }));
    await until(() => changes.length === 1, 'the rotation is seen');
    assert.ok(changes[0] === second);
    assert.deepEqual(errors, []);
  });

  test('SSM: loaded, and an overwritten parameter seen by the refresh', async (t) => {
    const [first, second] = [fresh(), fresh()];
    aws.putParameter('/shop/watch/key', first, 'SecureString');
    const { loaded, changes, errors } = await watchOne(t, {
      ...process.env,
      VALUE: 'ref+awsssm:///shop/watch/key',
    });
    assert.ok(loaded === first);
    aws.putParameter('/shop/watch/key', second, 'SecureString');
    await until(() => changes.length === 1, 'the new value is seen');
    assert.ok(changes[0] === second);
    assert.deepEqual(errors, []);
  });
});

test('the Kubernetes API: loaded, and an updated Secret seen by the refresh', async (t) => {
  const api = await startKubernetesSecretsApi(t);
  const [first, second] = [fresh(), fresh()];
  api.secrets.set('shop/shop-db', { password: first });
  const token = fresh();
  api.tokens.set(token, 'alice');
  api.grants.set('alice', ['shop']);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'alice.token'), token);
  // A kubeconfig user with a token file, against the test API server over plain HTTP on 127.0.0.1.
  writeFileSync(
    join(dir, 'config'),
    `apiVersion: v1
kind: Config
clusters: [{ name: test, cluster: { server: "${api.url}" } }]
users: [{ name: alice, user: { tokenFile: alice.token } }]
contexts: [{ name: test, context: { cluster: test, user: alice } }]
current-context: test
`,
  );
  const { loaded, changes, errors } = await watchOne(t, {
    VALUE: 'ref+k8s://v1/Secret/shop/shop-db/password',
    KUBECONFIG: join(dir, 'config'),
    HOME: dir,
  });
  assert.ok(loaded === first);
  api.secrets.set('shop/shop-db', { password: second });
  await until(() => changes.length === 1, 'the update is seen');
  assert.ok(changes[0] === second);
  assert.deepEqual(errors, []);
  assert.ok(api.requests.every((request) => request.auth === 'token'));
});
