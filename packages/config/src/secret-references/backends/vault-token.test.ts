/**
 * The Vault token's own lifetime under kept leases, by the test Vault's clock and the keeper's, moved by
 * hand: a lease is a child of the token that read it and ends with it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStagecraftError } from '../../errors.ts';
import { manualClock } from '../../test-support/manual-clock.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import { type FakeVault, startFakeVault } from '../../test-support/vault-server.ts';
import type { Env, SecretLease } from '../backend.ts';
import { LeaseKeeper } from '../lease-keeper.ts';
import { SecretResolver } from '../resolver.ts';

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const vault = await startFakeVault(t);
  const clock = manualClock();
  vault.now = clock.now;
  const resolver = (env: Env) =>
    new SecretResolver({
      root: '/nonexistent',
      environment: 'production',
      dotenvAllowed: false,
      env,
      now: clock.now,
    });
  const expiring: string[] = [];
  const errors: unknown[] = [];
  const keeper = new LeaseKeeper({
    clock,
    onExpiring: (lease) => expiring.push(lease.id),
    onError: (_lease, error) => errors.push(error),
  });
  return { vault, clock, resolver, keeper, expiring, errors };
}

/** Reads a database credential; returns its lease and the username (a lease's username is not a secret). */
async function readCreds(resolver: SecretResolver): Promise<{ lease: SecretLease; username: unknown }> {
  const username = await resolver.resolveString('ref+vault://database/creds/shop#/username');
  await resolver.resolveString('ref+vault://database/creds/shop#/password');
  const lease = resolver.leases.at(-1) ?? assert.fail('no lease');
  return { lease, username };
}

function approle(vault: FakeVault, home: string): Env {
  return {
    VAULT_ADDR: vault.url,
    HOME: home,
    VAULT_AUTH_METHOD: 'approle',
    VAULT_ROLE_ID: vault.approle.roleId,
    VAULT_SECRET_ID: vault.approle.secretId,
  };
}

test('an AppRole token shorter than its database lease is renewed with it; at its maximum the owner reads afresh under a new login', async (t) => {
  const { vault, clock, resolver, keeper, expiring, errors } = await setup(t);
  vault.loginTokens = { ttl: 30, maxTtl: 90, renewable: true };
  vault.database.ttl = 60;
  vault.database.maxTtl = 600;
  const env = approle(vault, tempDir(t));
  const { lease } = await readCreds(resolver(env));
  const first = vault.lastLogin ?? assert.fail('no login');
  assert.equal(lease.ttlSeconds, 30, 'the keeper sees the token’s TTL, the shorter of the two');
  assert.equal(vault.seen.filter((s) => s.path === 'auth/token/lookup-self').length, 0, 'the login said it');
  keeper.keep(lease);

  await clock.advance(45_000); // past the token's first TTL (30 s): renewed at 20 s and 40 s
  assert.deepEqual(vault.renewedSelf, [first, first]);
  assert.ok(vault.tokens.has(first), 'the token is alive past its first TTL');
  assert.equal(vault.leases.get(lease.id)?.revoked, false, 'and so is the credential');
  assert.equal(vault.leases.get(lease.id)?.renewals, 1, 'the lease renewed once, when it would end first');

  // At 80 s the token can be extended by 10 s only (its maximum is 90 s): the owner is told before it ends.
  await clock.advance(35_000);
  assert.deepEqual(expiring, []);
  await clock.advance(7_000);
  assert.deepEqual(expiring, [lease.id]);
  assert.deepEqual(errors, []);
  assert.ok(clock.now() - 1_000_000 < 90_000, 'told before the token ends');

  // Reading afresh logs in again: the new credential hangs under a fresh token.
  const fresh = await readCreds(resolver(env));
  assert.equal(vault.logins, 2);
  const second = vault.lastLogin ?? assert.fail('no login');
  assert.notEqual(second, first);
  assert.equal(vault.leases.get(fresh.lease.id)?.token, second);
  assert.equal(fresh.lease.ttlSeconds, 30);
  keeper.keep(fresh.lease);

  await clock.advance(10_000); // 92 s: the first token ended, and Vault revoked its lease with it
  vault.sweep();
  assert.ok(!vault.tokens.has(first));
  assert.equal(vault.leases.get(lease.id)?.revoked, true);
  assert.equal(vault.leases.get(fresh.lease.id)?.revoked, false, 'the new credential lives on');

  // Closing revokes the kept lease still running, then the token stagecraft logged in for; the first
  // lease ended with its token and is not revoked again.
  const before = vault.seen.length;
  await keeper.close();
  assert.deepEqual(
    vault.seen.slice(before).map((s) => `${s.method} ${s.path}`),
    ['PUT sys/leases/revoke', 'POST auth/token/revoke-self'],
  );
  assert.deepEqual(vault.revokedSelf, [second]);
  assert.equal(vault.leases.get(fresh.lease.id)?.revoked, true);
  assert.deepEqual(errors, []);
});

test('a login token that expired under a read: logged in once more and read again', async (t) => {
  const { vault, resolver } = await setup(t);
  const value = `v-${process.pid}-${Date.now()}`;
  vault.put('secret/shop/db', { password: value });
  const env = approle(vault, tempDir(t));
  assert.equal(await resolver(env).resolveString('ref+vault://secret/shop/db#/password'), value);
  vault.expire(vault.lastLogin ?? assert.fail('no login'));
  assert.equal(await resolver(env).resolveString('ref+vault://secret/shop/db#/password'), value);
  assert.equal(vault.logins, 2);
});

test('a token the user gave is looked up only for a lease, renewed, never replaced, and its end said clearly', async (t) => {
  const { vault, clock, resolver, keeper, expiring, errors } = await setup(t);
  vault.database.ttl = 60;
  vault.database.maxTtl = 600;
  const token = vault.issueToken({ ttl: 30, maxTtl: 45, renewable: true });
  const env = { VAULT_ADDR: vault.url, VAULT_TOKEN: token, HOME: tempDir(t) };
  vault.put('secret/shop/db', { password: 'p' });
  await resolver(env).resolveString('ref+vault://secret/shop/db#/password');
  const lookups = () => vault.seen.filter((s) => s.path === 'auth/token/lookup-self').length;
  assert.equal(lookups(), 0, 'a read without a lease asks nothing about the token');
  const { lease } = await readCreds(resolver(env));
  assert.equal(lookups(), 1);
  assert.equal(lease.ttlSeconds, 30);
  keeper.keep(lease);

  // At 20 s the token is renewed, but only up to its maximum (45 s): said once, and the owner told.
  await clock.advance(20_000);
  assert.deepEqual(vault.renewedSelf, [token]);
  assert.deepEqual(expiring, [lease.id]);
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.ok(isStagecraftError(error));
  assert.equal(error.code, 'SECRET_TOKEN_EXPIRING');
  assert.match(
    error.message,
    /the Vault token from VAULT_TOKEN cannot be renewed further and expires in 25 s/,
  );
  assert.match(error.hint ?? '', /`vault login`/);
  assert.ok(!error.message.includes(token) && !(error.hint ?? '').includes(token));

  // Read afresh, it is the same token (never replaced); once it has ended, reads say to log in again.
  await readCreds(resolver(env));
  assert.equal(vault.leases.get(lease.id)?.token, token);
  await clock.advance(26_000);
  const ended = await resolver(env)
    .resolveString('ref+vault://secret/shop/db#/password')
    .then(() => assert.fail('read with an expired token'))
    .catch((e: unknown) => e);
  assert.ok(isStagecraftError(ended));
  assert.equal(ended.code, 'SECRET_UNAUTHENTICATED');
  assert.match(ended.message, /refused the token from VAULT_TOKEN .*expired, revoked or unknown/);
  assert.match(ended.hint ?? '', /`vault login`/);
  assert.equal(vault.logins, 0);
  assert.equal(vault.leases.get(lease.id)?.revoked, true, 'its leases ended with it');
  await keeper.close();
  assert.deepEqual(vault.revokedSelf, [], 'a token the user gave is never revoked');
});

test('a token revoked under a kept lease: the renewal error names the token’s source and never a value', async (t) => {
  const { vault, clock, resolver, keeper, expiring, errors } = await setup(t);
  vault.loginTokens = { ttl: 30, maxTtl: 600, renewable: true };
  const env = approle(vault, tempDir(t));
  const r = resolver(env);
  const { lease } = await readCreds(r);
  const password = await r.resolveString('ref+vault://database/creds/shop#/password');
  const token = vault.lastLogin ?? assert.fail('no login');
  keeper.keep(lease);
  vault.expire(token);
  await clock.advance(20_000);
  assert.deepEqual(expiring, [lease.id]);
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.ok(isStagecraftError(error));
  assert.equal(error.code, 'SECRET_UNAUTHENTICATED');
  assert.match(error.message, /refused to renew the token from the approle login \(403: permission denied\)/);
  const text = `${error.message} ${error.hint ?? ''}`;
  for (const value of [token, String(password), vault.approle.secretId, vault.approle.roleId])
    assert.ok(!text.includes(value), 'no token, password or AppRole credential in the error');
  // The owner reads afresh: a new login, since the old token is known dead.
  await readCreds(resolver(env));
  assert.equal(vault.logins, 2);
  await keeper.close();
});
