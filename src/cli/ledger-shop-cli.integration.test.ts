/** The example shop's path to production with its ledger on PostgreSQL. */
import { test } from 'node:test';
import { shopChain } from '../test-support/ledger-shop.ts';
import { startPostgres } from '../test-support/postgres.ts';

test('in examples/shop an artifact goes dev → staging → production on PostgreSQL', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') {
    t.skip(postgres);
    return;
  }
  await shopChain(t, { databaseUrl: postgres.url });
});
