import assert from 'node:assert/strict';
import { once } from 'node:events';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertBuilt, EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { startPostgres } from '../test-support/postgres.ts';
import { type RunningServer, startServer } from '../test-support/server.ts';
import {
  type ApiCall,
  confirmStaging,
  expectOk,
  promoteToStaging,
  readyForStaging,
  SHOP_SERVICES,
} from '../test-support/server-shop.ts';

interface HistoryRow {
  id: number;
  environment: string;
  service: string;
  kind: string;
  status: string;
}
interface AuditRow {
  action: string;
  subject: string;
  outcome: string;
  detail: string | null;
}

/** Promotions the server admitted before it was killed, as its clients saw them. */
const ADMITTED_BEFORE_KILL = 24;
/** On a loaded machine the two clients of a service may take turns for a while: wait this long for a race. */
const MAX_ADMITTED_WITHOUT_RACE = 600;

/**
 * Clients promote each shop service to staging and confirm each admitted promotion failed (so the same
 * artifact may be promoted again), two clients per service so refusals race admissions, until the server
 * dies under them. Returns how many promotions the clients saw admitted.
 */
async function promoteUntilKilled(server: RunningServer, ci: string): Promise<number> {
  let admitted = 0;
  let refused = 0;
  let killed = false;
  const loop = async (service: string) => {
    for (;;) {
      let promoted: Awaited<ReturnType<ApiCall>>;
      try {
        promoted = await promoteToStaging(server.call, ci, service);
        if (promoted.status === 200) {
          admitted++;
          const confirmed = await confirmStaging(server.call, ci, service, 'failed');
          assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        } else {
          assert.equal(promoted.body.error?.code, 'LEDGER_DEPLOYMENT_IN_PROGRESS', JSON.stringify(promoted));
          refused++;
        }
      } catch (error) {
        if (!killed) throw error;
        return; // the server is gone: the connection was refused or reset
      }
    }
  };
  const clients = Promise.all([...SHOP_SERVICES, ...SHOP_SERVICES].map(loop));
  let over = false;
  clients.then(
    () => (over = true),
    () => (over = true),
  );
  // Killed once enough promotions were admitted and at least one was refused, racing another.
  while (
    !over &&
    (admitted < ADMITTED_BEFORE_KILL || (refused === 0 && admitted < MAX_ADMITTED_WITHOUT_RACE))
  ) {
    await sleep(5);
  }
  if (over) {
    await clients;
    assert.fail('the clients stopped before the server was killed');
  }
  // Requests of the six clients are in flight: the kill lands inside a transaction or between two.
  killed = true;
  server.process.kill('SIGKILL');
  await once(server.process, 'exit');
  await clients;
  return admitted;
}

async function killedMidPromotions(t: TestContext, env: Record<string, string | undefined>): Promise<void> {
  const shop = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, shop, { recursive: true });
  const first = await startServer(t, { cwd: shop, env });
  const developer = await first.token('dev-alice', 'developer');
  const ci = await first.token('ci-main', 'ci');
  for (const service of SHOP_SERVICES) await readyForStaging(first.call, { developer, ci }, service);

  const seen = await promoteUntilKilled(first, ci);
  assert.equal(first.process.signalCode, 'SIGKILL');

  // Restarted on the same database: ready, and the tokens made before the crash still speak.
  const server = await startServer(t, { cwd: shop, env, initAdmin: false, adminToken: first.adminToken });
  const ready = await server.call('GET', '/readyz', undefined);
  assert.equal(ready.status, 200, JSON.stringify(ready.body));

  const verify = await runCli(['audit', 'verify', '--format', 'json'], {
    cwd: shop,
    env: { ...env, STAGECRAFT_URL: undefined, STAGECRAFT_TOKEN: undefined },
  });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.equal(JSON.parse(verify.stdout).intact, true);

  // No half-written deployment: each promotion row has its one 'done' audit row and each 'done' audit row its
  // deployment; each ended promotion its confirmation's audit row; at most one pending per service.
  const staging: HistoryRow[] = (await expectOk(server.call, 'GET', '/v1/history?environment=staging', ci))
    .deployments;
  const audit: AuditRow[] = (await expectOk(server.call, 'GET', '/v1/audit?limit=10000', server.adminToken))
    .audit;
  assert.ok(staging.length >= seen, `${staging.length} deployments recorded, ${seen} seen admitted`);
  const promoted = audit.filter((row) => row.action === 'promote' && row.outcome === 'done');
  assert.equal(promoted.length, staging.length);
  const promotedIds = promoted.map((row) => Number(/^deployment #(\d+):/.exec(row.detail ?? '')?.[1]));
  assert.deepEqual(
    [...promotedIds].sort((x, y) => x - y),
    staging.map((row) => row.id).sort((x, y) => x - y),
  );
  const confirmations = audit.filter((row) => row.action === 'deployed failed' && row.outcome === 'done');
  const ended = staging.filter((row) => row.status !== 'pending');
  assert.ok(ended.every((row) => row.status === 'failed' && row.kind === 'promote'));
  assert.deepEqual(
    confirmations.map((row) => row.detail).sort(),
    ended.map((row) => `deployment #${row.id}`).sort(),
  );
  const pending = staging.filter((row) => row.status === 'pending');
  assert.equal(new Set(pending.map((row) => row.service)).size, pending.length, JSON.stringify(pending));
  const refusals = audit.filter((row) => row.action === 'promote' && row.outcome === 'refused');
  assert.ok(refusals.length > 0, 'promotions raced each other before the crash');

  // And promotions work again: what the crash left pending is confirmed, then each service is promoted anew.
  for (const service of SHOP_SERVICES) {
    if (pending.some((row) => row.service === service)) {
      await expectOk(server.call, 'POST', '/v1/deployments/confirm', ci, {
        service,
        environment: 'staging',
        status: 'failed',
      });
    }
    const again = await promoteToStaging(server.call, ci, service);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  }
  const status = await expectOk(server.call, 'GET', '/v1/status', ci);
  assert.deepEqual(
    status.deployments
      .filter((row: { environment: string }) => row.environment === 'staging')
      .map((row: { service: string; status: string }) => `${row.service} ${row.status}`)
      .sort(),
    SHOP_SERVICES.map((service) => `${service} pending`).sort(),
  );
  assert.doesNotMatch(server.log(), / 500 |SERVER_INTERNAL/);
}

test('a server killed with SIGKILL mid-promotions restarts on its SQLite file with a consistent ledger', async (t) => {
  assertBuilt();
  await killedMidPromotions(t, { STAGECRAFT_DATABASE_URL: undefined });
});

test('a server killed with SIGKILL mid-promotions restarts on PostgreSQL with a consistent ledger', async (t) => {
  assertBuilt();
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') {
    t.skip(postgres);
    return;
  }
  await killedMidPromotions(t, { STAGECRAFT_DATABASE_URL: postgres.url });
});
