/**
 * The ledger's history on PostgreSQL, and promotions racing as separate processes with a deploy step: one is
 * recorded and carried out.
 */
import { test } from 'node:test';
import { spawnCli } from '../test-support/cli.ts';
import { appendOnly, racingPromotions } from '../test-support/ledger-history.ts';
import { startPostgres } from '../test-support/postgres.ts';

test('the history is append-only on PostgreSQL too, and racing promotions there run the deploy step once', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') return t.skip(postgres);
  await appendOnly(t, postgres.url);
  await racingPromotions(t, postgres.url);
});

test('racing promotions of one environment with a deploy step on SQLite, each its own process: one is recorded and carried out', (t) =>
  racingPromotions(t, undefined, spawnCli));
