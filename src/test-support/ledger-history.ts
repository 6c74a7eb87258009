/**
 * A workspace whose deploy steps log each run, for the ledger's history tests: edits the database refuses,
 * races, and deploys interrupted or killed. Shared by the SQLite tests and the integration tests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type CliResult, type RunCliOptions, runCli, tempDir } from './cli.ts';
import { assertRefused, commit, digest, registerArgs } from './ledger.ts';

const require = createRequire(import.meta.url);

export /** dev runs a step that logs each run; HANG=1 makes it run until stopped, writing what it was sent. */
const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy:
      command: |
        [ -n "$HANG" ] && trap 'echo "got TERM" >> runs.log; exit 143' TERM
        echo "run $$" >> runs.log
        if [ -n "$HANG" ]; then
          while true; do sleep 0.1; done
        fi
        sleep 0.2
  staging:
    from: dev
    deployers: [ci]
    deploy:
      command: echo "run $$ \${STAGECRAFT_DATABASE_URL:-no-ledger-url}" >> staging.log; sleep 0.3
services:
  web:
    image: registry.example.com/shop/web
ledger:
  staleAfter: 5m
`;

export type Sql = (text: string) => Promise<unknown>;

export interface HistoryWorkspace {
  dir: string;
  cli(args: string[], role?: string, extra?: Record<string, string>): Promise<CliResult>;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of the command it ran.
  json(args: string[], role?: string): Promise<CliResult & { data: any }>;
  /** Runs SQL on the ledger's database by hand, as someone with a SQL shell would. */
  sql: Sql;
  /** The environment the CLI runs with as `role`. */
  env(role: string, extra?: Record<string, string>): Record<string, string | undefined>;
}

/** The workspace above, its ledger on SQLite or the PostgreSQL at `databaseUrl`, its CLI run by `run`. */
export function historyWorkspace(
  t: { after(fn: () => void): void },
  databaseUrl?: string,
  run: (args: readonly string[], options: RunCliOptions) => Promise<CliResult> = runCli,
): HistoryWorkspace {
  const dir = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const env = (role: string, extra: Record<string, string> = {}) => ({
    STAGECRAFT_ROLE: role,
    STAGECRAFT_ACTOR: role === 'ci' ? 'ci-bot' : 'dana',
    STAGECRAFT_DATABASE_URL: databaseUrl,
    ...extra,
  });
  const cli = (args: string[], role = 'developer', extra?: Record<string, string>) =>
    run(args, { cwd: dir, env: env(role, extra) });
  const json = async (args: string[], role?: string) => {
    const result = await cli([...args, '--format', 'json'], role);
    return { ...result, data: JSON.parse(result.stdout || '{}') };
  };
  const sql: Sql = async (text) => {
    if (databaseUrl) {
      const pg = require('pg') as typeof import('pg');
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    }
    const SQLite = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new SQLite(join(dir, '.stagecraft/state.db'));
    try {
      return db.exec(text);
    } finally {
      db.close();
    }
  };
  return { dir, cli, json, sql, env };
}

/** The database refuses edits to what was recorded; audit verify finds an edit made around the triggers. */
export async function appendOnly(t: { after(fn: () => void): void }, databaseUrl?: string): Promise<void> {
  const { cli, json, sql } = historyWorkspace(t, databaseUrl);
  const d = digest();
  await cli(registerArgs('web', d));
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  assertRefused(await cli(['deploy', 'web', '--env', 'staging']), 'LEDGER_ROLE_REFUSED');
  await cli(['gate', 'report', 'tests', 'pass', '--commit', commit()], 'ci');
  const intact = await json(['audit', 'verify']);
  assert.equal(intact.code, 0, intact.stdout + intact.stderr);
  assert.equal(intact.data.rows, 5);
  // The database itself refuses to rewrite history.
  for (const statement of [
    `update audit set detail = 'nothing happened' where id = 2`,
    'delete from audit where id = 3',
    `update deployments set status = 'pending', finished_at = null`,
    `update deployments set artifact_id = artifact_id + 1`,
    'delete from deployments',
    `update artifacts set digest = 'sha256:${'0'.repeat(64)}'`,
    'delete from gate_reports',
  ]) {
    await assert.rejects(
      sql(statement),
      /stagecraft: .*(append-only|only moves|never deleted|rejected, once)/,
      statement,
    );
  }
  // Someone drops the triggers and edits anyway: the chain shows where.
  const drop = databaseUrl ? 'drop trigger audit_no_update on audit' : 'drop trigger audit_no_update';
  await sql(drop);
  await sql(`update audit set actor = 'mallory' where id = 2`);
  const edited = await json(['audit', 'verify']);
  assert.equal(edited.code, 2, edited.stdout);
  assert.equal(edited.data.brokenAt, 2);
  assert.match(edited.data.problems.join('\n'), /audit row #2 was edited after it was written/);
  assert.match(edited.data.problems.join('\n'), /append-only triggers missing: audit_no_update/);
  const text = await cli(['audit', 'verify']);
  assert.equal(text.code, 2);
  assert.match(text.stdout, /the audit log is broken/);
}

/** Twenty registrations, then twenty promotions, at once: one row, one winner, the deploy step run once. */
export async function racingPromotions(
  t: { after(fn: () => void): void },
  databaseUrl?: string,
  run?: (args: readonly string[], options: RunCliOptions) => Promise<CliResult>,
): Promise<void> {
  const { dir, cli, json } = historyWorkspace(t, databaseUrl, run);
  const d = digest();
  const image = `registry.example.com/shop/web@${d}`;
  const sha = commit();
  // Twenty CI jobs register the same build at once: one row, no constraint error.
  const registered = await Promise.all(
    Array.from({ length: 20 }, () => cli(['artifact', 'register', 'web', image, '--commit', sha], 'ci')),
  );
  assert.deepEqual(
    registered.filter((r) => r.code !== 0).map((r) => r.stderr),
    [],
  );
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  const results = await Promise.all(
    Array.from({ length: 20 }, () => cli(['promote', 'web', '--to', 'staging'], 'ci')),
  );
  const won = results.filter((r) => r.code === 0);
  assert.equal(won.length, 1, results.map((r) => r.stderr).join('\n'));
  for (const lost of results.filter((r) => r.code !== 0)) {
    assertRefused(lost, ['LEDGER_DEPLOYMENT_IN_PROGRESS', 'LEDGER_ALREADY_DEPLOYED']);
  }
  const runs = readFileSync(join(dir, 'staging.log'), 'utf8').trim().split('\n');
  assert.equal(runs.length, 1, 'the deploy step ran once');
  assert.match(runs[0] ?? '', / no-ledger-url$/, 'the step does not see the ledger’s database URL');
  const history = await json(['history', '--env', 'staging']);
  assert.deepEqual(
    history.data.deployments.map((r: { status: string }) => r.status),
    ['succeeded'],
  );
}
