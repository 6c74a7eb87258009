import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import { tempDir } from '../test-support/cli.ts';
import { digest } from '../test-support/ledger.ts';
import { StatusCache } from './status-cache.ts';

test('the status answer is kept while the ledger is unchanged, for at most its age, and shared by readers', async (t) => {
  const workspace = loadWorkspace({
    cwd: tempDir(t, { 'stagecraft.yaml': 'services:\n  web:\n    image: registry.example.com/shop/web\n' }),
  });
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, workspace);
  let now = 0;
  const cache = new StatusCache(ledger, 1000, () => now);
  const [first, second] = await Promise.all([cache.get(), cache.get()]);
  assert.equal(first, second);
  assert.equal(await cache.get(), first);
  // A write anywhere in the ledger (here a refusal, which is audited too) is seen by the next read.
  const ci = { name: 'ci', role: 'ci' };
  await ledger.registerArtifact(
    { service: 'web', image: `registry.example.com/shop/web@${digest()}`, commit: 'f'.repeat(40) },
    ci,
  );
  const afterWrite = await cache.get();
  assert.notEqual(afterWrite, first);
  assert.equal(afterWrite.deployments.length, 0);
  await assert.rejects(ledger.approve('web', 'production', ci));
  const afterRefusal = await cache.get();
  assert.notEqual(afterRefusal, afterWrite);
  // The clock alone ages it.
  now += 999;
  assert.equal(await cache.get(), afterRefusal);
  now += 1;
  assert.notEqual(await cache.get(), afterRefusal);
});
