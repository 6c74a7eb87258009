/**
 * The ledger's chain on PostgreSQL, and promotions racing as separate processes, as CI jobs do: one wins and
 * nothing is lost.
 */
import { test } from 'node:test';
import { spawnCli } from '../test-support/cli.ts';
import { concurrentPromotions, throughTheChain } from '../test-support/ledger-chain.ts';
import { startPostgres } from '../test-support/postgres.ts';

test('an artifact goes through the chain on PostgreSQL, and of 50 concurrent promotions exactly one wins', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') {
    t.skip(postgres);
    return;
  }
  await throughTheChain(t, { databaseUrl: postgres.url });
  await concurrentPromotions(t, { databaseUrl: postgres.url });
});

test('50 concurrent promotions on SQLite, each its own process: exactly one wins, nothing is lost', async (t) => {
  await concurrentPromotions(t, { run: spawnCli });
});
