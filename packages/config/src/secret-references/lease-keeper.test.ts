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

/** A lease that records what was done to it, on the manual clock. */
function recordedLease(id: string, ttlSeconds: number, log: string[]): SecretLease {
  return {
    id,
    ttlSeconds,
    renewable: true,
    renew: async (increment) => {
      log.push(`renew ${id}`);
      return { ttlSeconds: increment };
    },
    revoke: async () => {
      log.push(`revoke ${id}`);
    },
  };
}

test('a retired lease is no longer renewed and is revoked after its grace period, or left to end if that is sooner', async () => {
  const clock = manualClock();
  const log: string[] = [];
  const keeper = new LeaseKeeper({ clock, onExpiring: (l) => log.push(`expiring ${l.id}`) });
  keeper.keep(recordedLease('long', 60, log));
  keeper.keep(recordedLease('short', 3, log));
  keeper.retire('long', 5_000);
  keeper.retire('short', 5_000);
  await clock.advance(4_999);
  assert.deepEqual(log, [], 'neither renewed nor revoked within the grace period');
  await clock.advance(1);
  assert.deepEqual(log, ['revoke long']);
  assert.deepEqual(keeper.ids, [], 'the short one ended by itself at 3 s and was dropped unrevoked');
  await keeper.close();
  assert.deepEqual(log, ['revoke long']);
});

test('close revokes a lease still in its grace period; isExpiring tells which leases to read afresh', async () => {
  const clock = manualClock();
  const log: string[] = [];
  const keeper = new LeaseKeeper({ clock, onExpiring: (l) => log.push(`expiring ${l.id}`) });
  const fixed = { ...recordedLease('fixed', 30, log), renewable: false };
  keeper.keep(fixed);
  keeper.keep(recordedLease('old', 60, log));
  keeper.retire('old', 30_000);
  assert.equal(keeper.isExpiring('fixed'), false);
  await clock.advance(20_000);
  assert.deepEqual(log, ['expiring fixed']);
  assert.equal(keeper.isExpiring('fixed'), true);
  assert.equal(keeper.isExpiring('old'), false);
  await keeper.close();
  assert.deepEqual(log.slice(1).sort(), ['revoke fixed', 'revoke old']);
});

test('a resolver given the leased reads of an earlier one reuses them: no new credential is read', async (t) => {
  const vault = await startFakeVault(t);
  const context = {
    root: '/nonexistent',
    environment: 'production',
    dotenvAllowed: false,
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) },
  };
  const first = new SecretResolver(context);
  const user = await first.resolveString('ref+vault://database/creds/shop#/username');
  assert.equal(first.leasedReads.size, 1);
  const second = new SecretResolver(context, first.leasedReads);
  assert.equal(await second.resolveString('ref+vault://database/creds/shop#/username'), user);
  assert.equal(typeof (await second.resolveString('ref+vault://database/creds/shop#/password')), 'string');
  assert.deepEqual(
    second.leases.map((l) => l.id),
    first.leases.map((l) => l.id),
  );
  // Another role is another read, with its own lease.
  await second.resolveString('ref+vault://database/creds/reports#/username');
  assert.deepEqual(
    vault.seen.filter((s) => s.path.startsWith('database/creds/')).map((s) => s.path),
    ['database/creds/shop', 'database/creds/reports'],
  );
  assert.equal(second.leases.length, 2);
});
