import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock } from '../test-support/manual-clock.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { startFakeVault } from '../test-support/vault-server.ts';
import type { SecretLease } from './backend.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { SecretResolver } from './resolver.ts';

test('a database credential: one read, one lease, renewed at two thirds of its TTL, replaced before its maximum, revoked on close', async (t) => {
  const vault = await startFakeVault(t);
  const clock = manualClock();
  vault.now = clock.now;
  vault.database.ttl = 60;
  vault.database.maxTtl = 150;
  const resolver = new SecretResolver({
    root: '/nonexistent',
    environment: 'production',
    dotenvAllowed: false,
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) },
  });
  const user = await resolver.resolveString('ref+vault://database/creds/shop#/username');
  const password = await resolver.resolveString('ref+vault://database/creds/shop#/password');
  assert.equal(typeof password, 'string');
  assert.equal(vault.seen.filter((s) => s.path === 'database/creds/shop').length, 1, 'both from one read');
  assert.equal(resolver.leases.length, 1);
  const [lease] = resolver.leases as [SecretLease];
  assert.equal(vault.leases.get(lease.id)?.username, user, 'the username belongs to the lease kept');

  const expiring: string[] = [];
  const errors: string[] = [];
  const keeper = new LeaseKeeper({
    clock,
    onExpiring: (l) => expiring.push(l.id),
    onError: (_l, error) => errors.push(String(error)),
  });
  keeper.keep(lease);
  await clock.advance(39_000);
  assert.equal(vault.leases.get(lease.id)?.renewals, 0);
  await clock.advance(1_000); // 40 s: two thirds of 60
  assert.equal(vault.leases.get(lease.id)?.renewals, 1);
  await clock.advance(80_000); // 80 s and 120 s: renewed again, then granted 30 s (the maximum is 150 s)
  assert.equal(vault.leases.get(lease.id)?.renewals, 3);
  assert.deepEqual(expiring, []);
  await clock.advance(20_000); // two thirds of the last 30 s: read afresh before the maximum
  assert.deepEqual(expiring, [lease.id]);
  assert.deepEqual(errors, []);
  await keeper.close();
  assert.equal(vault.leases.get(lease.id)?.revoked, true, 'revoked on close');
});

test('a renewal Vault refuses is reported by lease id and the credential is read afresh', async (t) => {
  const vault = await startFakeVault(t);
  const clock = manualClock();
  vault.now = clock.now;
  const resolver = new SecretResolver({
    root: '/nonexistent',
    environment: 'production',
    dotenvAllowed: false,
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) },
  });
  await resolver.resolveString('ref+vault://database/creds/shop#/password');
  const [lease] = resolver.leases as [SecretLease];
  const expiring: string[] = [];
  const errors: string[] = [];
  const keeper = new LeaseKeeper({
    clock,
    onExpiring: (l) => expiring.push(l.id),
    onError: (_l, error) => errors.push(String((error as Error).message)),
  });
  keeper.keep(lease);
  const state = vault.leases.get(lease.id);
  assert.ok(state);
  state.revoked = true; // an operator revoked it
  await clock.advance(40_000);
  assert.deepEqual(expiring, [lease.id]);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0] ?? '',
    new RegExp(`refused to renew the lease ${lease.id} \\(400: lease not found\\)`),
  );
  await keeper.close();
});

test('a lease whose renewals grant almost nothing is replaced, not renewed in a loop', async () => {
  const clock = manualClock();
  let renewals = 0;
  let expiring = 0;
  const keeper = new LeaseKeeper({ clock, onExpiring: () => expiring++ });
  keeper.keep({
    id: 'database/creds/shop/short',
    ttlSeconds: 30,
    renewable: true,
    renew: async () => {
      renewals++;
      return { ttlSeconds: 0.2, final: false };
    },
    revoke: async () => {},
  });
  await clock.advance(60_000);
  assert.equal(renewals, 1, 'one renewal, then the lease counts as ending');
  assert.equal(expiring, 1);
  await keeper.close();
});
