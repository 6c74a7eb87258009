/**
 * Opt-in tests against the real thing: a Vault or OpenBao, an AWS account, a Kubernetes cluster. `npm run
 * test:live` runs this file (`npm test` never does); each part runs only when its variables are set, and
 * otherwise is skipped saying which ones. Each part writes a secret under a random name, reads it through
 * the built CLI (`secrets get`, `secrets render`) and through the library (`loadWithSecrets`), checks one
 * error path, and deletes what it wrote. Values are made here, compared, and never printed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { defineConfig, field, isSecret } from '@stagecraft/config';
import { parse } from 'yaml';
import { spawnCli, tempDir } from '../test-support/cli.ts';

type Env = Record<string, string | undefined>;
const live = process.env;
const fresh = () => randomBytes(12).toString('base64url');
/** A name no one else uses, so parallel runs and leftovers never collide. */
const unique = () => `stagecraft-live-${randomBytes(6).toString('hex')}`;

/** What each part needs; a reason to skip when it is missing. */
const GIVEN_VAULT = Boolean(live['STAGECRAFT_LIVE_VAULT_ADDR'] && live['STAGECRAFT_LIVE_VAULT_TOKEN']);
/** Without a Vault given, a `vault` or `bao` binary on the PATH runs a throw-away dev-mode server. */
const DEV_BINARY = GIVEN_VAULT
  ? undefined
  : ['vault', 'bao'].find((name) => spawnSync(name, ['version'], { stdio: 'ignore' }).status === 0);
const VAULT =
  GIVEN_VAULT || DEV_BINARY
    ? false
    : 'set STAGECRAFT_LIVE_VAULT_ADDR and STAGECRAFT_LIVE_VAULT_TOKEN (or put vault or bao on the PATH) to test against a real Vault or OpenBao';
const VAULT_DB = GIVEN_VAULT
  ? live['STAGECRAFT_LIVE_VAULT_DB_ROLE']
    ? false
    : 'set STAGECRAFT_LIVE_VAULT_DB_ROLE to test a database role'
  : 'set STAGECRAFT_LIVE_VAULT_ADDR, STAGECRAFT_LIVE_VAULT_TOKEN and STAGECRAFT_LIVE_VAULT_DB_ROLE to test a database role';
const AWS =
  live['STAGECRAFT_LIVE_AWS'] === '1'
    ? false
    : 'set STAGECRAFT_LIVE_AWS=1 to test against a real AWS account';
const KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const K8S =
  live['STAGECRAFT_LIVE_KUBECONFIG'] && live['STAGECRAFT_LIVE_K8S_NAMESPACE']
    ? KUBECTL
      ? false
      : 'kubectl is not on PATH (it creates and deletes the test Secret)'
    : 'set STAGECRAFT_LIVE_KUBECONFIG and STAGECRAFT_LIVE_K8S_NAMESPACE to test against a real cluster';

/** Reads `reference` as `secrets get`, `secrets render` and the library do, and checks each got `value`. */
async function readEveryWay(t: Parameters<typeof tempDir>[0], reference: string, value: string, env: Env) {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  production: {}\n',
    'values.yaml': `# kept\nsecret: ${reference}\n`,
  });
  const got = await spawnCli(['secrets', 'get', reference], { cwd: dir, env, timeoutMs: 60_000 });
  assert.equal(got.code, 0, got.stderr);
  assert.ok(got.stdout === `${value}\n`, 'secrets get prints the value');

  const rendered = await spawnCli(['secrets', 'render', 'values.yaml'], { cwd: dir, env, timeoutMs: 60_000 });
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.ok(rendered.stdout === `# kept\nsecret: ${value}\n`, 'secrets render resolves it, comments kept');
  assert.ok(!rendered.stderr.includes(value));

  const loader = defineConfig({ secret: field.secret() }, { root: tempDir(t), workspace: false });
  const config = await loader.loadWithSecrets({ ...process.env, ...env, SECRET: reference });
  assert.ok(isSecret(config.secret) && config.secret.reveal() === value, 'the library resolves it');
}

/** A reference that does not exist: exit 2 and the backend's word for it, as the other commands do. */
async function assertNotFound(reference: string, env: Env, backendCode: RegExp): Promise<void> {
  const missing = await spawnCli(['secrets', 'get', reference], { env, timeoutMs: 60_000 });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /SECRET_NOT_FOUND/);
  assert.match(missing.stderr, backendCode);
}

test('live Vault or OpenBao: a KV v2 secret written, read by the CLI and the library, deleted', {
  skip: VAULT,
}, async (t) => {
  const { default: NodeVault } = await import('node-vault');
  const { address, token } = await vaultUnderTest(t);
  const mount = live['STAGECRAFT_LIVE_VAULT_KV_MOUNT'] ?? 'secret';
  const client = NodeVault({ endpoint: address, token });
  const path = `${unique()}/db`;
  const password = fresh();
  await client.write(`${mount}/data/${path}`, { data: { password } });
  const env = { VAULT_ADDR: address, VAULT_TOKEN: token, HOME: tempDir(t) };
  // Deleted here rather than in t.after: hooks run in the order added, so a dev server would be gone by then.
  try {
    await readEveryWay(t, `ref+vault://${mount}/${path}#/password`, password, env);
    await assertNotFound(`ref+vault://${mount}/${path}-none#/password`, env, /\(404\)/);
  } finally {
    await client.delete(`${mount}/metadata/${path}`);
  }
});

test('live Vault database role: username and password of one lease, left running by render', {
  skip: VAULT_DB,
}, async (t) => {
  const { default: NodeVault } = await import('node-vault');
  const address = live['STAGECRAFT_LIVE_VAULT_ADDR'] ?? '';
  const client = NodeVault({ endpoint: address, token: live['STAGECRAFT_LIVE_VAULT_TOKEN'] });
  const role = live['STAGECRAFT_LIVE_VAULT_DB_ROLE'] ?? '';
  const creds = role.includes('/') ? role : `database/creds/${role}`;
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  production: {}\n',
    'values.yaml': `user: ref+vault://${creds}#/username\npassword: ref+vault://${creds}#/password\n`,
  });
  const env = { VAULT_ADDR: address, VAULT_TOKEN: live['STAGECRAFT_LIVE_VAULT_TOKEN'], HOME: tempDir(t) };
  const rendered = await spawnCli(['secrets', 'render', 'values.yaml', '-o', 'out.yaml'], {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  assert.equal(rendered.code, 0, rendered.stderr);
  const leases = [...rendered.stderr.matchAll(/lease (\S+) \(\d+ s/g)].map((match) => match[1] ?? '');
  assert.equal(leases.length, 1, `username and password from one lease: ${rendered.stderr}`);
  const [lease = ''] = leases;
  t.after(() => client.write('sys/leases/revoke', { lease_id: lease }));
  const out = parse(readFileSync(join(dir, 'out.yaml'), 'utf8'));
  assert.ok(typeof out.user === 'string' && out.user !== '' && typeof out.password === 'string');
  // The lease outlives render: Vault still knows it, with time left.
  const looked = await client.write('sys/leases/lookup', { lease_id: lease });
  assert.equal(looked.data.id, lease);
  assert.ok(looked.data.ttl > 0, 'the credential is still valid after render exited');
});

test('live AWS: a Secrets Manager secret and an SSM SecureString created, read, deleted', {
  skip: AWS,
}, async (t) => {
  // The SDK's own variables and credential chain; the Node 20 notice off, as everywhere in the tests.
  const sdkEnv = {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: live['AWS_EC2_METADATA_DISABLED'] ?? 'true',
  };
  // The library and the SDK clients below run in this process: the same variables here, restored after.
  for (const [key, value] of Object.entries(sdkEnv)) {
    const before = process.env[key];
    process.env[key] = value;
    t.after(() => {
      if (before === undefined) delete process.env[key];
      else process.env[key] = before;
    });
  }
  const sm = await import('@aws-sdk/client-secrets-manager');
  const ssm = await import('@aws-sdk/client-ssm');
  const secrets = new sm.SecretsManagerClient({});
  const parameters = new ssm.SSMClient({});
  t.after(() => {
    secrets.destroy();
    parameters.destroy();
  });

  const name = `${unique()}/payments`;
  const apiKey = fresh();
  const parameter = `/${unique()}/db_password`;
  const dbPassword = fresh();
  // Deleted in finally, not t.after: hooks run in the order added, after the variables above are restored
  // and the clients destroyed.
  await secrets.send(
    new sm.CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ api_key: apiKey }) }),
  );
  try {
    await parameters.send(
      new ssm.PutParameterCommand({ Name: parameter, Value: dbPassword, Type: 'SecureString' }),
    );
    try {
      await readEveryWay(t, `ref+awssecrets://${name}#/api_key`, apiKey, sdkEnv);
      await readEveryWay(t, `ref+awsssm:/${parameter}`, dbPassword, sdkEnv);
      await assertNotFound(`ref+awssecrets://${name}-none`, sdkEnv, /ResourceNotFoundException/);
      await assertNotFound(`ref+awsssm:/${parameter}-none`, sdkEnv, /ParameterNotFound/);
    } finally {
      await parameters.send(new ssm.DeleteParameterCommand({ Name: parameter }));
    }
  } finally {
    await secrets.send(new sm.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
  }
});

test('live Kubernetes: a Secret created, read through the API by the CLI and the library, deleted', {
  skip: K8S,
}, async (t) => {
  const kubeconfig = live['STAGECRAFT_LIVE_KUBECONFIG'] ?? '';
  const namespace = live['STAGECRAFT_LIVE_K8S_NAMESPACE'] ?? '';
  const kubectl = (args: string[], input?: string) => {
    // The manifest goes through stdin, so the value is never on a command line.
    const result = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '-n', namespace, ...args], {
      input,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, `kubectl ${args[0]}: ${result.stderr}`);
  };
  const name = unique();
  const apiKey = fresh();
  const manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    stringData: { 'api-key': apiKey },
  };
  kubectl(['create', '-f', '-', '-o', 'name'], JSON.stringify(manifest));
  t.after(() => kubectl(['delete', 'secret', name, '--ignore-not-found']));
  // The kubeconfig, not a pod's service account, even when this runs inside a cluster.
  const env = {
    KUBECONFIG: kubeconfig,
    KUBERNETES_SERVICE_HOST: undefined,
    KUBERNETES_SERVICE_PORT: undefined,
  };

  await readEveryWay(t, `ref+k8s://v1/Secret/${namespace}/${name}/api-key`, apiKey, env);
  await assertNotFound(`ref+k8s://v1/Secret/${namespace}/${name}-none/api-key`, env, /NotFound, 404/);
});

/**
 * The Vault to test: the one given, else a dev-mode server of the binary found (in memory, unsealed, KV v2 at
 * secret/, listening on 127.0.0.1 only), with a root token made now, stopped when the test ends.
 */
async function vaultUnderTest(t: Parameters<typeof tempDir>[0]): Promise<{ address: string; token: string }> {
  if (GIVEN_VAULT || DEV_BINARY === undefined) {
    return {
      address: live['STAGECRAFT_LIVE_VAULT_ADDR'] ?? '',
      token: live['STAGECRAFT_LIVE_VAULT_TOKEN'] ?? '',
    };
  }
  const port = await freePort();
  const token = randomUUID();
  const server = spawn(
    DEV_BINARY,
    ['server', '-dev', `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore', env: { ...process.env, HOME: tempDir(t) } },
  );
  const exited = once(server, 'exit');
  t.after(async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
  });
  const address = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    if (server.exitCode !== null) break;
    // api-docs/system/health: 200 once initialized, unsealed and active.
    const health = await fetch(`${address}/v1/sys/health`).catch(() => undefined);
    await health?.body?.cancel();
    if (health?.status === 200) return { address, token };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${DEV_BINARY} server -dev did not become ready on ${address}`);
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
