/**
 * Recorded checks through a real `stagecraft serve`: `--record` with STAGECRAFT_URL lands on the server as
 * the token's identity, GET /v1/checks/latest shows the newest of each in the shape the dashboard reads, a
 * report too large for one request is cut before it is sent; and on PostgreSQL the database refuses to edit a
 * recorded check.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPORT_LIMIT } from '../ledger/check-report.ts';
import { assertBuilt, EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { startPostgres } from '../test-support/postgres.ts';
import { startServer } from '../test-support/server.ts';
import { emptyPlan } from '../test-support/terraform.ts';

const require = createRequire(import.meta.url);

/** Two folders whose one ConfigMap differs in every one of `keys` values: a parity report of about 1 MB. */
function largeDifference(dir: string, keys: number): void {
  for (const side of ['a', 'b']) {
    mkdirSync(join(dir, 'big', side), { recursive: true });
    const data = Object.fromEntries(
      // Unrelated values, so no one renaming explains them all.
      Array.from({ length: keys }, (_, i) => [`SETTING_${i}`, randomBytes(12).toString('hex')]),
    );
    writeFileSync(
      join(dir, 'big', side, 'config.yaml'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data }),
    );
  }
}

test('parity and drift --record with STAGECRAFT_URL land on the server, and GET /v1/checks/latest shows the newest of each', async (t) => {
  assertBuilt();
  const dir = tempDir(t);
  // The server's checkout and the caller's: nothing of the caller's is written to a local ledger.
  cpSync(EXAMPLE_SHOP, join(dir, 'server'), { recursive: true });
  cpSync(EXAMPLE_SHOP, join(dir, 'laptop'), { recursive: true });
  const server = await startServer(t, { cwd: join(dir, 'server') });
  const laptop = join(dir, 'laptop');
  const env = { STAGECRAFT_URL: server.url, STAGECRAFT_TOKEN: await server.token('dana', 'developer') };
  const cli = (args: string[]) => runCli(args, { cwd: laptop, env });

  const parity = await cli(['parity', 'staging', 'production', '--record']);
  assert.equal(parity.code, 0, parity.stderr);
  assert.match(parity.stderr, /recorded: parity staging↔production, clean/);
  largeDifference(laptop, 4_000);
  const large = await cli(['parity', 'big/a', 'big/b', '--record', '--format', 'json']);
  assert.equal(large.code, 2, large.stderr);
  assert.ok(large.stdout.length > 4 * REPORT_LIMIT, 'a report larger than one request may be');
  assert.match(large.stderr, /recorded: parity big\/a↔big\/b, problems/);
  writeFileSync(join(laptop, 'plan.json'), emptyPlan({ complete: true, errored: false }));
  const drift = await cli(['drift', 'terraform', 'plan.json', '--env', 'production', '--record']);
  assert.equal(drift.code, 0, drift.stderr);
  assert.ok(!existsSync(join(laptop, '.stagecraft')), 'no local ledger');

  const latest = await server.call('GET', '/v1/checks/latest', server.adminToken);
  assert.equal(latest.status, 200);
  assert.deepEqual(Object.keys(latest.body), ['checks']);
  for (const check of latest.body.checks)
    assert.deepEqual(Object.keys(check), [
      'id',
      'kind',
      'name',
      'environments',
      'status',
      'summary',
      'findings',
      'at',
      'actor',
    ]);
  assert.deepEqual(
    latest.body.checks.map((c: Record<string, unknown>) => [
      c.name,
      c.environments,
      c.status,
      c.findings,
      c.actor,
    ]),
    [
      ['terraform production', ['production'], 'clean', 0, 'dana'],
      ['big/a↔big/b', [], 'problems', 4_000, 'dana'],
      ['staging↔production', ['staging', 'production'], 'clean', 0, 'dana'],
    ],
  );
  assert.ok(latest.body.checks.every((c: { at: string }) => !Number.isNaN(Date.parse(c.at))));

  // The server kept the large report's head only, masked and cut, as JSON.
  const SQLite = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new SQLite(join(dir, 'server/.stagecraft/state.db'), { readonly: true });
  const row = db.prepare(`select report from checks where name = 'big/a↔big/b'`).get() as { report: string };
  db.close();
  assert.ok(Buffer.byteLength(row.report, 'utf8') <= REPORT_LIMIT);
  const kept = JSON.parse(row.report) as { truncated: boolean; bytes: number; head: string };
  assert.equal(kept.truncated, true);
  assert.equal(kept.bytes, Buffer.byteLength(JSON.stringify(JSON.parse(large.stdout)), 'utf8'));

  const audit = await server.call('GET', '/v1/audit?limit=10', server.adminToken);
  assert.ok(
    audit.body.audit.some(
      (a: Record<string, unknown>) =>
        a.action === 'check record' && a.actor === 'dana' && a.subject === 'parity staging↔production',
    ),
  );
  const refused = await server.call('POST', '/v1/checks', server.adminToken, {
    kind: 'parity',
    name: 'x',
    environments: [],
    status: 'fine',
    summary: '',
    findings: 0,
    report: null,
  });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'SERVER_BAD_REQUEST');
  assert.equal((await server.call('GET', '/v1/checks/latest', undefined)).status, 401);
  const unknown = await server.call('POST', '/v1/checks', server.adminToken, {
    kind: 'drift',
    name: 'kubernetes qa',
    environments: ['qa'],
    status: 'clean',
    summary: 'no drift',
    findings: 0,
    report: null,
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'LEDGER_UNKNOWN_ENVIRONMENT');
});

test('on PostgreSQL a recorded check is append-only too: no update, delete or truncate', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') return t.skip(postgres);
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const env = { STAGECRAFT_DATABASE_URL: postgres.url, STAGECRAFT_URL: undefined };
  const recorded = await runCli(['parity', 'staging', 'production', '--record'], { cwd: dir, env });
  assert.equal(recorded.code, 0, recorded.stderr);
  const pg = require('pg') as typeof import('pg');
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const rows = await client.query('select name, status from checks');
    assert.deepEqual(rows.rows, [{ name: 'staging↔production', status: 'clean' }]);
    for (const statement of [
      `update checks set status = 'problems'`,
      'delete from checks',
      'truncate checks',
    ])
      await assert.rejects(client.query(statement), /stagecraft: checks is append-only/, statement);
  } finally {
    await client.end();
  }
  const verified = await runCli(['audit', 'verify'], { cwd: dir, env });
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});
