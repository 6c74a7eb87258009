import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBuilt, runCli } from '../test-support/cli.ts';
import { twoServersOnPostgres } from '../test-support/server.ts';
import { expectOk, promoteToStaging, readyForStaging } from '../test-support/server-shop.ts';

test('two servers on one PostgreSQL admit exactly one of 50 concurrent promotions, and audit all 50', async (t) => {
  assertBuilt();
  const servers = await twoServersOnPostgres(t);
  if (typeof servers === 'string') {
    t.skip(servers);
    return;
  }
  const { a, b, shop, env } = servers;

  // Tokens made on one server speak on the other: they live in the database, not in a process.
  const developer = await a.token('dev-alice', 'developer');
  const ci = await a.token('ci-main', 'ci');
  const ciOther = await b.token('ci-merge-queue', 'ci');
  assert.equal((await b.call('GET', '/v1/whoami', ci)).body.name, 'ci-main');
  assert.equal((await a.call('GET', '/v1/whoami', ciOther)).body.name, 'ci-merge-queue');

  // Read your write across servers: registered and deployed through A, seen at once through B.
  const ready = await readyForStaging(a.call, { developer, ci }, 'storefront');
  const seen = await expectOk(b.call, 'GET', '/v1/history?service=storefront', ci);
  assert.deepEqual(
    seen.deployments.map((row: { id: number; environment: string; status: string; digest: string }) => [
      row.id,
      row.environment,
      row.status,
      row.digest,
    ]),
    [[ready.dev, 'dev', 'succeeded', ready.digest]],
  );
  const next = (await expectOk(b.call, 'GET', '/v1/status', developer)).next;
  assert.ok(
    next.some(
      (row: { environment: string; service: string; digest: string; gates: string[] }) =>
        row.environment === 'staging' &&
        row.service === 'storefront' &&
        row.digest === ready.digest &&
        row.gates.length === 0,
    ),
    JSON.stringify(next),
  );

  // 50 promotions at once: servers alternate, and each server gets both CI tokens.
  const requests = Array.from({ length: 50 }, (_, i) => ({
    server: i % 2 === 0 ? a : b,
    token: i % 4 < 2 ? ci : ciOther,
  }));
  const answers = await Promise.all(
    requests.map(({ server, token }) => promoteToStaging(server.call, token, 'storefront')),
  );
  const admitted = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter(
    (answer) => answer.status === 409 && answer.body.error?.code === 'LEDGER_DEPLOYMENT_IN_PROGRESS',
  );
  assert.equal(admitted.length, 1, JSON.stringify(answers.filter((answer) => answer.status !== 409)));
  assert.equal(refused.length, 49, JSON.stringify(answers.filter((answer) => answer.status !== 200)));
  const [winner] = admitted[0]?.body ?? [];
  assert.equal(winner.artifact.digest, ready.digest);
  assert.equal(winner.environment, 'staging');
  for (const answer of refused) {
    assert.equal(
      answer.body.error.message,
      `deployment #${winner.id} of storefront to staging has not finished`,
    );
  }

  // The ledger, read through either server: one deployment to staging, pending.
  for (const server of [a, b]) {
    const staging = await expectOk(server.call, 'GET', '/v1/history?environment=staging', ci);
    assert.deepEqual(
      staging.deployments.map((row: { id: number; status: string }) => [row.id, row.status]),
      [[winner.id, 'pending']],
    );
  }

  // The audit log has all 50: one done, 49 refused, each with the identity that asked.
  const audit = await expectOk(a.call, 'GET', '/v1/audit?limit=1000', a.adminToken);
  const promotions = audit.audit.filter(
    (row: { action: string; subject: string }) =>
      row.action === 'promote' && row.subject === 'storefront → staging',
  );
  assert.equal(promotions.length, 50);
  const done = promotions.filter((row: { outcome: string }) => row.outcome === 'done');
  assert.deepEqual(
    done.map((row: { detail: string }) => row.detail),
    [`deployment #${winner.id}: ${ready.digest}`],
  );
  const actors = new Map<string, number>();
  for (const row of promotions) actors.set(row.actor, (actors.get(row.actor) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(actors), { 'ci-main': 26, 'ci-merge-queue': 24 });
  assert.ok(promotions.every((row: { role: string }) => row.role === 'ci'));

  // The hash chain holds under the race: verified against the database itself, not through a server.
  const verify = await runCli(['audit', 'verify', '--format', 'json'], {
    cwd: shop,
    env: { ...env, STAGECRAFT_URL: undefined, STAGECRAFT_TOKEN: undefined },
  });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const verdict = JSON.parse(verify.stdout);
  assert.equal(verdict.intact, true);
  assert.equal(verdict.rows, audit.audit.length);

  // And the winner's deployment ends through the other server than the one that may have admitted it.
  const confirmed = await expectOk(b.call, 'POST', '/v1/deployments/confirm', ciOther, {
    service: 'storefront',
    environment: 'staging',
    status: 'succeeded',
  });
  assert.equal(confirmed.id, winner.id);
  const after = await expectOk(a.call, 'GET', '/v1/status', ci);
  assert.ok(
    after.deployments.some(
      (row: { environment: string; service: string; status: string; digest: string }) =>
        row.environment === 'staging' &&
        row.service === 'storefront' &&
        row.status === 'succeeded' &&
        row.digest === ready.digest,
    ),
  );
  // Neither server logged a token, nor met an error it could not name.
  for (const log of [a.log(), b.log()]) {
    for (const token of [a.adminToken, developer, ci, ciOther]) assert.ok(!log.includes(token));
    assert.doesNotMatch(log, / 500 |SERVER_INTERNAL/);
  }
});
