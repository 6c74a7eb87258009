import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { isStagecraftError } from '../../errors.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import { makeTestPki, OPENSSL_MISSING } from '../../test-support/test-pki.ts';
import { startFakeVault } from '../../test-support/vault-server.ts';
import type { Env } from '../backend.ts';
import { SecretResolver } from '../resolver.ts';

/** A value made now, so no credential-like literal is committed. */
const secret = (): string => randomBytes(12).toString('base64url');

function resolver(env: Env): SecretResolver {
  return new SecretResolver({ root: '/nonexistent', environment: 'production', dotenvAllowed: false, env });
}

/** Compares without ever printing either value. */
function assertSecret(actual: unknown, expected: string): void {
  assert.ok(actual === expected, `resolved value differs from the expected one`);
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStagecraftError(error), String(error));
    return { code: error.code, message: error.message, hint: error.hint ?? '' };
  }
  assert.fail('expected the read to fail');
}

test('KV v2 and KV v1: the mount version is asked once per mount, the pointer selects a key', async (t) => {
  const vault = await startFakeVault(t);
  const [user, password, old, v1] = [secret(), secret(), secret(), secret()];
  vault.put('secret/shop/db', { username: user, password: old });
  vault.put('secret/shop/db', { username: user, password });
  vault.put('kv/shop/api', { key: v1 });
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) };
  const r = resolver(env);
  assertSecret(await r.resolveString('ref+vault://secret/shop/db#/password'), password);
  assertSecret(await r.resolveString('ref+vault://secret/shop/db#/username'), user);
  assertSecret(await r.resolveString('ref+vault://secret/shop/db?version=1#/password'), old);
  assertSecret(await r.resolveString('ref+vault://kv/shop/api#/key'), v1);
  assert.deepEqual(
    vault.seen.map((s) => `${s.method} ${s.path}`),
    [
      'GET sys/internal/ui/mounts/secret/shop/db/',
      'GET secret/data/shop/db',
      'GET secret/data/shop/db',
      'GET sys/internal/ui/mounts/kv/shop/api/',
      'GET kv/shop/api',
    ],
  );
  // A second resolution (a reload) reads again but does not ask for the mount again.
  assertSecret(await resolver(env).resolveString('ref+vault://secret/shop/db#/password'), password);
  assert.equal(vault.seen.filter((s) => s.path.startsWith('sys/internal/ui/mounts/secret')).length, 1);
  const v1Version = await failure(r.resolveString('ref+vault://kv/shop/api?version=2#/key'));
  assert.equal(v1Version.code, 'SECRET_REFERENCE_INVALID');
  assert.match(v1Version.message, /not a KV v2 mount/);
});

test('the token file, the namespace header and OpenBao variables before Vault ones', async (t) => {
  const vault = await startFakeVault(t);
  vault.mount('secret', 2, 'team');
  const value = secret();
  vault.put('secret/app', { value }, 'team');
  const home = tempDir(t, { '.vault-token': `${vault.issueToken({ namespace: 'team' })}\n` });
  assertSecret(
    await resolver({ VAULT_ADDR: vault.url, VAULT_NAMESPACE: 'team', HOME: home }).resolveString(
      'ref+vault://secret/app#/value',
    ),
    value,
  );
  assert.ok(vault.seen.every((s) => s.namespace === 'team' && s.hadToken));
  const bao = resolver({
    BAO_ADDR: vault.url,
    VAULT_ADDR: 'http://127.0.0.1:1',
    BAO_TOKEN: vault.issueToken({ namespace: 'team' }),
    BAO_NAMESPACE: 'team',
    HOME: tempDir(t),
  });
  assertSecret(await bao.resolveString('ref+openbao://secret/app#/value'), value);
  const none = await failure(
    resolver({ VAULT_ADDR: vault.url, HOME: tempDir(t) }).resolveString('ref+vault://secret/app'),
  );
  assert.equal(none.code, 'SECRET_BACKEND_NOT_CONFIGURED');
  assert.match(none.message, /VAULT_TOKEN is not set and ~\/\.vault-token is absent/);
});

test('AppRole, Kubernetes and JWT logins happen once per process', async (t) => {
  const vault = await startFakeVault(t);
  const value = secret();
  vault.put('secret/shop/db', { password: value });
  const home = tempDir(t, { 'sa-token': vault.kubernetes.jwt });
  const base = { VAULT_ADDR: vault.url, HOME: home };
  const approle = {
    ...base,
    VAULT_AUTH_METHOD: 'approle',
    VAULT_ROLE_ID: vault.approle.roleId,
    VAULT_SECRET_ID: vault.approle.secretId,
  };
  assertSecret(await resolver(approle).resolveString('ref+vault://secret/shop/db#/password'), value);
  assertSecret(await resolver(approle).resolveString('ref+vault://secret/shop/db#/password'), value);
  assert.equal(vault.logins, 1);
  const k8s = {
    ...base,
    VAULT_AUTH_METHOD: 'kubernetes',
    VAULT_ROLE: 'shop',
    VAULT_JWT_FILE: `${home}/sa-token`,
  };
  assertSecret(await resolver(k8s).resolveString('ref+vault://secret/shop/db#/password'), value);
  const jwt = { ...base, VAULT_AUTH_METHOD: 'jwt', VAULT_ROLE: 'ci', VAULT_JWT: vault.jwt.jwt };
  assertSecret(await resolver(jwt).resolveString('ref+vault://secret/shop/db#/password'), value);
  assert.equal(vault.logins, 3);
  const wrong = await failure(
    resolver({ ...approle, VAULT_SECRET_ID: secret() }).resolveString('ref+vault://secret/shop/db'),
  );
  assert.equal(wrong.code, 'SECRET_UNAUTHENTICATED');
  assert.match(
    wrong.message,
    /approle login at auth\/approle\/login was refused \(400: invalid role or secret ID\)/,
  );
  const mount = await failure(
    resolver({ ...jwt, VAULT_AUTH_MOUNT: 'gitlab' }).resolveString('ref+vault://secret/shop/db'),
  );
  assert.equal(mount.code, 'SECRET_BACKEND_NOT_CONFIGURED');
  assert.match(mount.hint, /VAULT_AUTH_MOUNT/);
});

test('a wrapped AppRole secret id: looked up, its creation path checked, unwrapped once', async (t) => {
  const vault = await startFakeVault(t);
  const value = secret();
  vault.put('secret/shop/db', { password: value });
  const env = {
    VAULT_ADDR: vault.url,
    HOME: tempDir(t),
    VAULT_AUTH_METHOD: 'approle',
    VAULT_ROLE_ID: vault.approle.roleId,
    VAULT_ROLE: 'shop',
  };
  const wrapped = vault.wrapSecretId();
  assertSecret(
    await resolver({ ...env, VAULT_WRAPPED_SECRET_ID: wrapped }).resolveString(
      'ref+vault://secret/shop/db#/password',
    ),
    value,
  );
  assert.deepEqual(
    vault.seen.slice(0, 3).map((s) => s.path),
    ['sys/wrapping/lookup', 'sys/wrapping/unwrap', 'auth/approle/login'],
  );
  // Intercepted: someone unwrapped it first, so the login is refused with the advice to treat it as leaked.
  const intercepted = vault.wrapSecretId();
  const stolen = await fetch(`${vault.url}/v1/sys/wrapping/unwrap`, {
    method: 'POST',
    headers: { 'x-vault-token': intercepted },
  });
  assert.equal(stolen.status, 200);
  const again = await failure(
    resolver({ ...env, VAULT_WRAPPED_SECRET_ID: intercepted }).resolveString('ref+vault://secret/shop/db'),
  );
  assert.equal(again.code, 'SECRET_FORBIDDEN');
  assert.match(again.message, /already unwrapped/);
  assert.match(again.hint, /leaked/);
  const substituted = vault.wrapSecretId('sys/wrapping/wrap');
  const refused = await failure(
    resolver({ ...env, VAULT_WRAPPED_SECRET_ID: substituted }).resolveString('ref+vault://secret/shop/db'),
  );
  assert.match(
    refused.message,
    /created by sys\/wrapping\/wrap, not by auth\/approle\/role\/shop\/secret-id/,
  );
  assert.equal(
    vault.seen.filter((s) => s.path === 'sys/wrapping/unwrap').length,
    2,
    'the substitute is never unwrapped',
  );
});

test('errors tell not found, forbidden, expired, sealed, throttled and unreachable apart', async (t) => {
  const vault = await startFakeVault(t);
  const value = secret();
  vault.put('secret/shop/db', { password: value });
  vault.put('secret/other/db', { password: value });
  const token = vault.issueToken({ paths: ['secret/data/shop/'], policies: ['shop-read'] });
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: token, HOME: tempDir(t) };
  const check = (text: string) => {
    assert.ok(!text.includes(value) && !text.includes(token), 'an error never holds a value or the token');
    return text;
  };
  const missing = await failure(resolver(env).resolveString('ref+vault://secret/shop/nope#/password'));
  assert.equal(missing.code, 'SECRET_NOT_FOUND');
  assert.match(
    check(missing.message),
    /no secret at secret\/data\/shop\/nope \(KV v2: the data of secret\/shop\/nope is read under secret\/data\/\) \(404\)/,
  );
  const forbidden = await failure(resolver(env).resolveString('ref+vault://secret/other/db#/password'));
  assert.equal(forbidden.code, 'SECRET_FORBIDDEN');
  assert.match(
    check(forbidden.message),
    /does not let the token from VAULT_TOKEN read secret\/data\/other\/db \(403: permission denied\)/,
  );
  assert.match(forbidden.hint, /its policies are shop-read/);
  vault.deleteLatest('secret/shop/db');
  const deleted = await failure(resolver(env).resolveString('ref+vault://secret/shop/db#/password'));
  assert.equal(deleted.code, 'SECRET_NOT_FOUND');
  vault.expire(token);
  const expired = await failure(resolver(env).resolveString('ref+vault://secret/shop/db#/password'));
  assert.equal(expired.code, 'SECRET_UNAUTHENTICATED');
  assert.match(check(expired.message), /the token is expired, revoked or unknown/);

  const live = { ...env, VAULT_TOKEN: vault.issueToken() };
  const before = vault.seen.length;
  vault.sealed = true;
  const sealed = await failure(resolver(live).resolveString('ref+vault://secret/other/db#/password'));
  assert.equal(sealed.code, 'SECRET_UNAVAILABLE');
  assert.match(sealed.message, /Vault is sealed \(503: Vault is sealed\), still after retries/);
  assert.equal(vault.seen.length - before, 4, 'the first attempt and three retries');
  vault.sealed = false;
  vault.throttle(1, '1');
  assertSecret(await resolver(live).resolveString('ref+vault://secret/other/db#/password'), value);
  vault.throttle(10, '3600');
  const throttled = await failure(resolver(live).resolveString('ref+vault://secret/other/db#/password'));
  assert.equal(throttled.code, 'SECRET_UNAVAILABLE');
  assert.match(throttled.message, /throttling requests \(429: request path .*rate limit quota exceeded\)/);

  const port = await freePort();
  const unreachable = await failure(
    resolver({ ...live, VAULT_ADDR: `http://127.0.0.1:${port}` }).resolveString('ref+vault://secret/x#/y'),
  );
  assert.equal(unreachable.code, 'SECRET_UNAVAILABLE');
  assert.match(unreachable.message, /did not answer \(ECONNREFUSED\)/);
  assert.equal(unreachable.hint, 'check VAULT_ADDR and that Vault is reachable from here');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('https: VAULT_CACERT names the CA to trust; an untrusted certificate says to set it', async (t) => {
  if (OPENSSL_MISSING) return t.skip(OPENSSL_MISSING);
  const dir = tempDir(t);
  const pki = makeTestPki(dir);
  const vault = await startFakeVault(t, {
    tls: { key: pki.serverKey.toString('utf8'), cert: pki.serverCert.toString('utf8') },
  });
  const value = secret();
  vault.put('secret/app', { value });
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: dir };
  assertSecret(
    await resolver({ ...env, VAULT_CACERT: pki.caFile }).resolveString('ref+vault://secret/app#/value'),
    value,
  );
  assertSecret(
    await resolver({ ...env, VAULT_SKIP_VERIFY: 'true' }).resolveString('ref+vault://secret/app#/value'),
    value,
  );
  const untrusted = await failure(resolver(env).resolveString('ref+vault://secret/app#/value'));
  assert.equal(untrusted.code, 'SECRET_UNAVAILABLE');
  assert.match(untrusted.hint, /set VAULT_CACERT to the PEM file/);
  const unreadable = await failure(
    resolver({ ...env, VAULT_CACERT: join(dir, 'none.pem') }).resolveString('ref+vault://secret/app#/value'),
  );
  assert.equal(unreadable.code, 'SECRET_BACKEND_NOT_CONFIGURED');
  assert.match(unreadable.message, /VAULT_CACERT names .*none\.pem, which cannot be read \(ENOENT\)/);
});
