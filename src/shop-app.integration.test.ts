/**
 * The example shop's app as a user starts it: a real process per environment, given the variables that
 * environment needs and, outside dev, the database login in (the test) Vault and the payment key's Kubernetes
 * Secret mounted as the kubelet mounts it. Also started as a deployment would: `stagecraft run --env
 * production -- node …`, which resolves the references and hands the app plain variables.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountKubernetesSecret } from '../packages/config/src/test-support/kubernetes-mount.ts';
import { startFakeVault } from '../packages/config/src/test-support/vault-server.ts';
import { assertBuilt, CLI, EXAMPLE_SHOP, tempDir } from './test-support/cli.ts';

const secretValue = () => `sv-${randomBytes(12).toString('hex')}`;

const SHOP_APP = ['--import', 'tsx', 'src/main.ts'];

/** The shop's app, or with `through` a command that starts it (stagecraft run). */
function startShop(
  env: Record<string, string>,
  through: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(DB_|API_KEY|ENVIRONMENT|STAGECRAFT_|VAULT_|BAO_)/.test(name),
    ),
  );
  const args = through.length ? [...through, process.execPath, ...SHOP_APP] : SHOP_APP;
  const child = spawn(process.execPath, args, {
    cwd: EXAMPLE_SHOP,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('the example shop starts in dev, staging and production with the variables each needs', async (t) => {
  assertBuilt();
  const dev = await startShop({ DB_PASSWORD: secretValue(), API_KEY: secretValue() });
  assert.equal(dev.code, 0, dev.stdout + dev.stderr);
  assert.match(dev.stdout, /^shop \(dev\) → shop@localhost:5432\/shop$/m);

  const mounts = tempDir(t, {});
  const apiKey = secretValue();
  mountKubernetesSecret(mounts, 'shop-payments', { 'api-key': apiKey }, 1);
  for (const environment of ['staging', 'production']) {
    // Each tier has its own Vault (deploy/ENV/config.yaml), holding its own login at secret/shop/db.
    const vault = await startFakeVault(t);
    const login = { username: `shop_${environment}`, password: secretValue() };
    vault.put('secret/shop/db', login);
    const run = await startShop({
      ENVIRONMENT: environment,
      DB_HOST: `db.${environment}`,
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: vault.issueToken({ paths: ['secret/data/shop/'] }),
      HOME: tempDir(t),
      STAGECRAFT_K8S_SECRETS_ROOT: mounts,
    });
    assert.equal(run.code, 0, `${environment}: ${run.stdout}${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(`^shop \\(${environment}\\) → shop_${environment}@db\\.${environment}:5432/shop$`, 'm'),
    );
    assert.ok(!run.stdout.includes(login.password) && !run.stdout.includes(apiKey), 'secrets stay redacted');
    // Username and password came from one read of the KV secret.
    assert.equal(vault.seen.filter((seen) => seen.path === 'secret/data/shop/db').length, 1);
  }

  // Without the mounted Secret and a Vault login, production says what to mount and how to sign in; exits 2.
  const unmounted = await startShop({
    ENVIRONMENT: 'production',
    DB_HOST: 'db.production',
    HOME: tempDir(t),
    STAGECRAFT_K8S_SECRETS_ROOT: join(mounts, 'nothing-here'),
  });
  assert.equal(unmounted.code, 2, unmounted.stdout + unmounted.stderr);
  assert.match(unmounted.stderr, /apiKey: ref\+k8s:\/\/shop-payments\/api-key: .* does not exist/);
  assert.match(unmounted.stderr, /mount the Kubernetes Secret shop-payments as a volume/);
  assert.match(unmounted.stderr, /db\.password: ref\+vault:\/\/secret\/shop\/db#\/password: no Vault token/);
});

test('stagecraft run --env production starts the shop with its Vault login; a sealed Vault never starts it', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const login = { username: `shop_${randomBytes(3).toString('hex')}`, password: secretValue() };
  vault.put('secret/shop/db', login);
  const mounts = tempDir(t, {});
  mountKubernetesSecret(mounts, 'shop-payments', { 'api-key': secretValue() }, 1);
  const env = {
    DB_HOST: 'db.production',
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: vault.issueToken(),
    HOME: tempDir(t),
    STAGECRAFT_K8S_SECRETS_ROOT: mounts,
  };
  const run = ['--no-warnings', CLI, 'run', '--env', 'production', '--'];
  const started = await startShop(env, run);
  assert.equal(started.code, 0, started.stdout + started.stderr);
  assert.match(
    started.stdout,
    new RegExp(`^shop \\(production\\) → ${login.username}@db\\.production:5432/shop$`, 'm'),
  );
  assert.ok(!started.stdout.includes(login.password) && !started.stderr.includes(login.password));
  // stagecraft read Vault once; the app was handed the values and read nothing itself.
  assert.equal(vault.seen.filter((seen) => seen.path === 'secret/data/shop/db').length, 1);

  vault.sealed = true;
  const sealed = await startShop(env, run);
  // Nothing was judged: could not evaluate (1), not an invalid config (2).
  assert.equal(sealed.code, 1, sealed.stdout + sealed.stderr);
  assert.match(sealed.stderr, /db\.password: ref\+vault:\/\/secret\/shop\/db#\/password: .*sealed/i);
  assert.doesNotMatch(sealed.stdout, /shop \(production\)/, 'the app never started');
});
