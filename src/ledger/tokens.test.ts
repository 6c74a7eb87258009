import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { tempDir } from '../test-support/cli.ts';
import { Ledger } from './ledger.ts';
import { openStore } from './store.ts';

async function ledger(t: { after(fn: () => unknown): void }) {
  const workspace = loadWorkspace({ cwd: tempDir(t, { 'stagecraft.yaml': 'version: 1\n' }) });
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  return new Ledger(store, workspace);
}

const admin = { name: 'root', role: 'admin' };

test('tokens: shown once, kept as a hash, one active per name, for known roles and environments', async (t) => {
  const l = await ledger(t);
  const made = await l.createToken({ name: 'alice', role: 'approver', environments: ['production'] }, admin);
  assert.match(made.token, /^stagecraft_[A-Za-z0-9_-]{43}$/);
  const rows = await l.store.db.selectFrom('tokens').selectAll().execute();
  assert.ok(!JSON.stringify(rows).includes(made.token), 'only the hash is stored');
  assert.deepEqual(await l.checkToken(made.token), {
    actor: { name: 'alice', role: 'approver', environments: ['production'] },
  });
  const refused = async (input: Parameters<Ledger['createToken']>[0], pattern: RegExp, actor = admin) =>
    assert.rejects(l.createToken(input, actor), pattern);
  await refused({ name: 'alice', role: 'ci' }, /already named alice/);
  await refused({ name: 'bob', role: 'superuser' }, /gives the role superuser anything/);
  await refused({ name: 'bob', role: 'ci', environments: ['prod'] }, /no environment "prod"/);
  await refused({ name: 'bad name!', role: 'ci' }, /not a token name/);
  await refused({ name: 'bob', role: 'ci' }, /the role developer may not create tokens/, {
    name: 'dana',
    role: 'developer',
  });
  // Revoked: refused from the next check, and the name is free again.
  await l.revokeToken('alice', admin);
  assert.deepEqual(await l.checkToken(made.token), { refused: 'revoked', name: 'alice' });
  await l.createToken({ name: 'alice', role: 'approver' }, admin);
  assert.deepEqual(await l.checkToken('stagecraft_not-a-token'), { refused: 'unknown' });
});

test('tokens: expiry counts on the ledger’s clock, and the first admin token is made once', async (t) => {
  const l = await ledger(t);
  const brief = await l.createToken({ name: 'brief', role: 'ci', expiresInMs: 1 }, admin);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await l.checkToken(brief.token), { refused: 'expired', name: 'brief' });
  const system = { name: 'stagecraft serve --init-admin', role: 'admin' };
  await l.createToken({ name: 'admin', role: 'admin', firstAdmin: true }, system);
  await assert.rejects(
    l.createToken({ name: 'other', role: 'admin', firstAdmin: true }, system),
    /already active \(admin\)/,
  );
  const [first, second] = await Promise.allSettled([
    l
      .revokeToken('admin', admin)
      .then(() => l.createToken({ name: 'a1', role: 'admin', firstAdmin: true }, system)),
    l.createToken({ name: 'a2', role: 'admin', firstAdmin: true }, system),
  ]);
  assert.equal(
    [first, second].filter((r) => r.status === 'fulfilled').length,
    1,
    'one first admin, however they race',
  );
});
