/**
 * ref+vault:// through the built CLI, against the test Vault on 127.0.0.1: `secrets get`, `secrets check` and
 * `run`. Values are compared by hash; no output or failure message ever contains one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeVault } from '../../packages/config/src/test-support/vault-server.ts';
import { assertBuilt, builtConfigLibrary, CLI, spawnCli, tempDir } from '../test-support/cli.ts';

/** The test Vault's generated passwords are UUIDs. */
const PASSWORD_LENGTH = 36;
const secretValue = () => randomBytes(12).toString('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A child that reports whether it got the value it should, never the value. */
const CHECK = `const want = process.argv[1];
const got = require('crypto').createHash('sha256').update(process.env.DB__PASSWORD ?? '').digest('hex');
console.log(got === want ? 'got the password' : 'wrong or missing password');`;

/** A workspace whose production config reads db.user and db.password from one Vault path. */
function workspace(t: { after(fn: () => void): void }, path = 'secret/shop/db'): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ db: { user: field.string(), password: field.secret() } });\n`,
    'config/production.yaml': `db:\n  user: "ref+vault://${path}#/username"\n  password: "ref+vault://${path}#/password"\n`,
  });
}

/**
 * `stagecraft run --env production` of a child that prints "started" and stays `ms`; resolves once it started.
 * Killed at the end of the test if still running.
 */
async function startRun(
  t: { after(fn: () => void): void },
  dir: string,
  env: Record<string, string>,
  ms: number,
) {
  const stagecraft = spawn(
    process.execPath,
    [
      CLI,
      'run',
      '--env',
      'production',
      '--',
      process.execPath,
      '-e',
      `console.log('started'); setTimeout(() => {}, ${ms});`,
    ],
    { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => {
    if (stagecraft.exitCode === null && stagecraft.signalCode === null) stagecraft.kill('SIGKILL');
  });
  let stderr = '';
  stagecraft.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(stagecraft, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const [started] = (await once(stagecraft.stdout.setEncoding('utf8'), 'data')) as [string];
  assert.equal(started, 'started\n', stderr);
  return { stagecraft, exited, stderr: () => stderr };
}

test('secrets get, secrets check and run read ref+vault:// with a token, an AppRole or a wrapped secret id', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const password = secretValue();
  vault.put('secret/shop/db', { username: 'shop', password });
  const dir = workspace(t);
  const tokenEnv = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };

  const got = await spawnCli(['secrets', 'get', 'ref+vault://secret/shop/db#/password'], {
    cwd: dir,
    env: tokenEnv,
  });
  assert.equal(got.code, 0, got.stderr);
  assert.ok(got.stdout === `${password}\n`, 'secrets get prints the value and a newline');

  const checked = await spawnCli(['secrets', 'check', '--env', 'production'], { cwd: dir, env: tokenEnv });
  assert.equal(checked.code, 0, checked.stderr + checked.stdout);
  assert.ok(!checked.stdout.includes(password) && !checked.stderr.includes(password));

  const ran = await spawnCli(
    ['run', '--env', 'production', '--', process.execPath, '-e', CHECK, sha(password)],
    {
      cwd: dir,
      env: tokenEnv,
    },
  );
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.stdout, 'got the password\n');
  // One resolution reads the secret once for both pointers, after asking for the mount once.
  const reads = vault.seen.filter((s) => s.path === 'secret/data/shop/db').length;
  assert.equal(reads, 3, 'one read per command');

  // A wrapped AppRole secret id unwraps once: a second process given the same wrapping token is refused.
  const approleEnv = {
    VAULT_ADDR: vault.url,
    HOME: tempDir(t),
    VAULT_AUTH_METHOD: 'approle',
    VAULT_ROLE_ID: vault.approle.roleId,
    VAULT_WRAPPED_SECRET_ID: vault.wrapSecretId(),
  };
  const first = await spawnCli(
    ['run', '--env', 'production', '--', process.execPath, '-e', CHECK, sha(password)],
    {
      cwd: dir,
      env: approleEnv,
    },
  );
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'got the password\n');
  const second = await spawnCli(
    ['run', '--env', 'production', '--', process.execPath, '-e', CHECK, sha(password)],
    {
      cwd: dir,
      env: approleEnv,
    },
  );
  assert.notEqual(second.code, 0);
  assert.equal(second.stdout, '', 'the command never starts');
  assert.match(second.stderr, /SECRET_FORBIDDEN/);
  assert.match(second.stderr, /expired or was already unwrapped/);
});

test('secrets check names the reference and Vault’s own error for forbidden, missing and sealed', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const dir = workspace(t);
  const token = vault.issueToken({ paths: ['secret/data/other/'], policies: ['other-read'] });
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: token, HOME: tempDir(t) };
  const forbidden = await spawnCli(['secrets', 'check', '--env', 'production', '--format', 'json'], {
    cwd: dir,
    env,
  });
  assert.equal(forbidden.code, 2, 'refused: a problem found');
  const problems = (
    JSON.parse(forbidden.stdout) as { secrets: { problems?: { code: string; message: string }[] }[] }
  ).secrets.flatMap((secret) => secret.problems ?? []);
  assert.ok(problems.length > 0, forbidden.stdout);
  for (const problem of problems) {
    assert.equal(problem.code, 'SECRET_FORBIDDEN');
    assert.match(
      problem.message,
      /ref\+vault:\/\/secret\/shop\/db#\/(username|password).*403: permission denied/,
    );
  }
  assert.ok(
    !forbidden.stdout.includes(token) && !forbidden.stderr.includes(token),
    'the token is never shown',
  );

  const missing = await spawnCli(['secrets', 'get', 'ref+vault://secret/shop/db#/password'], {
    cwd: dir,
    env: { ...env, VAULT_TOKEN: vault.issueToken() },
  });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /SECRET_NOT_FOUND/);
  assert.match(missing.stderr, /no secret at secret\/data\/shop\/db \(KV v2/);

  vault.sealed = true;
  const sealed = await spawnCli(['secrets', 'get', 'ref+vault://secret/shop/db#/password'], {
    cwd: dir,
    env: { ...env, VAULT_TOKEN: vault.issueToken() },
  });
  assert.equal(sealed.code, 1);
  assert.match(sealed.stderr, /SECRET_UNAVAILABLE/);
  assert.match(sealed.stderr, /Vault is sealed \(503: Vault is sealed\)/);
  // A sealed store judged nothing: secrets check could not evaluate (1), it did not find a problem (2).
  const sealedCheck = await spawnCli(['secrets', 'check', '--env', 'production'], {
    cwd: dir,
    env: { ...env, VAULT_TOKEN: vault.issueToken() },
  });
  assert.equal(sealedCheck.code, 1, sealedCheck.stdout + sealedCheck.stderr);
  assert.match(sealedCheck.stdout, /✗ 2 of 2 secrets of production do not resolve here/);
});

test('run keeps a database credential’s lease while the command runs and revokes it after; --watch restarts with a fresh one', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const dir = workspace(t, 'database/creds/shop');
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };
  // The child says which user it got (a lease's username is not a secret) and the length of its password.
  const child = (ms: number) =>
    `console.log('user ' + process.env.DB__USER + ' ' + (process.env.DB__PASSWORD ?? '').length); setTimeout(() => {}, ${ms});`;

  const once = await spawnCli(['run', '--env', 'production', '--', process.execPath, '-e', child(100)], {
    cwd: dir,
    env,
  });
  assert.equal(once.code, 0, once.stderr);
  assert.equal(vault.leases.size, 1, 'username and password from one read, one lease');
  const [id, first] = [...vault.leases][0] ?? assert.fail('no lease');
  assert.equal(once.stdout, `user ${first.username} ${PASSWORD_LENGTH}\n`);
  assert.ok(first.revoked, `the lease ${id} is revoked when the command exits`);

  // TTL 3 s, at most 4 s: renewed at 2 s for 2 s only, so before it ends the config is read afresh and the
  // command restarted with the new credential; on exit the lease still running is revoked.
  vault.database.ttl = 3;
  vault.database.maxTtl = 4;
  // The first command waits to be restarted; the restarted one exits at once.
  const marker = join(dir, 'started-once');
  const firstWaits = `const fs = require('fs'); const again = fs.existsSync(${JSON.stringify(marker)}); fs.writeFileSync(${JSON.stringify(marker)}, ''); ${child(0).replace('setTimeout(() => {}, 0);', '')} setTimeout(() => {}, again ? 0 : 10000);`;
  const watched = await spawnCli(
    ['run', '--env', 'production', '--watch', '--', process.execPath, '-e', firstWaits],
    { cwd: dir, env, timeoutMs: 30_000 },
  );
  assert.equal(watched.code, 0, watched.stderr);
  const leases = [...vault.leases.values()].slice(1);
  assert.equal(leases.length, 2, watched.stderr);
  assert.equal(
    watched.stdout,
    leases.map((lease) => `user ${lease.username} ${PASSWORD_LENGTH}\n`).join(''),
    'started with the first credential, restarted with the second',
  );
  assert.match(watched.stderr, /secrets changed; restarting the command/);
  assert.equal(leases[0]?.renewals, 1);
  assert.ok(leases[1]?.revoked, 'the second lease is revoked on exit');
});

test('a SIGTERM to stagecraft run ends the command and revokes its lease before stagecraft exits', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const dir = workspace(t, 'database/creds/shop');
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };
  const run = await startRun(t, dir, env, 60_000);
  const [lease] = [...vault.leases.values()];
  assert.ok(lease && !lease.revoked, 'the lease is held while the command runs');
  run.stagecraft.kill('SIGTERM');
  const [code] = await run.exited;
  assert.equal(code, 128 + constants.signals.SIGTERM, run.stderr());
  assert.ok(lease.revoked, 'the lease is revoked before stagecraft exits');
});

test('run with an AppRole login whose token lives 2 s keeps the command’s credential alive past it, then revokes both', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  vault.loginTokens = { ttl: 2, maxTtl: 60, renewable: true };
  vault.database.ttl = 60;
  const dir = workspace(t, 'database/creds/shop');
  const env = {
    VAULT_ADDR: vault.url,
    HOME: tempDir(t),
    VAULT_AUTH_METHOD: 'approle',
    VAULT_ROLE_ID: vault.approle.roleId,
    VAULT_SECRET_ID: vault.approle.secretId,
  };
  const { exited, stderr: output } = await startRun(t, dir, env, 4500);
  let stderr = output();
  const token = vault.lastLogin ?? assert.fail('no login');
  const [lease] = [...vault.leases.values()];
  // Past the token's first TTL, twice over: renewed, so the credential it read still stands.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  vault.sweep();
  assert.ok(vault.tokens.has(token), `the token is alive past its TTL: ${output()}`);
  assert.ok(lease && !lease.revoked, 'and the credential with it');
  assert.ok(vault.renewedSelf.length >= 2, `renewed: ${vault.renewedSelf.length}`);
  const [code] = await exited;
  stderr = output();
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  assert.ok(lease.revoked, 'the lease is revoked when the command exits');
  assert.deepEqual(vault.revokedSelf, [token], 'then the token stagecraft logged in for');
  assert.equal(vault.logins, 1);
});

test('secrets get of a database credential leaves its lease running for whoever uses the value, and says so', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };
  const got = await spawnCli(['secrets', 'get', 'ref+vault://database/creds/shop#/password'], {
    cwd: workspace(t),
    env,
  });
  assert.equal(got.code, 0, got.stderr);
  const [id, lease] = [...vault.leases][0] ?? assert.fail('no lease');
  assert.equal(got.stdout.length, PASSWORD_LENGTH + 1, 'the password and a newline, nothing else');
  assert.ok(!lease.revoked, 'the printed credential still works after secrets get exits');
  assert.match(
    got.stderr,
    new RegExp(`lease ${id} \\(\\d+ s, renewable\\) is left running for the credential printed`),
  );
  assert.ok(!got.stderr.includes(got.stdout.trim()), 'the value is on stdout only');
});
