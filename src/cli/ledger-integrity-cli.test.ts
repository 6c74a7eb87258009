/**
 * The ledger's history survives hands and races: the database refuses edits to what was recorded, the audit
 * chain shows edits made anyway, racing promotions with a deploy step run it once, and a deploy interrupted
 * or killed never leaves an entry pending forever. SQLite and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, runCli, tempDir } from '../test-support/cli.ts';
import { assertRefused, commit, digest, registerArgs } from '../test-support/ledger.ts';
import { startPostgres } from '../test-support/postgres.ts';

const require = createRequire(import.meta.url);

/** dev runs a step that logs each run; HANG=1 makes it run until stopped, writing what it was sent. */
const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy:
      command: |
        echo "run $$" >> runs.log
        if [ -n "$HANG" ]; then
          trap 'echo "got TERM" >> runs.log; exit 143' TERM
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

type Sql = (text: string) => Promise<unknown>;

function ledger(t: { after(fn: () => void): void }, databaseUrl?: string) {
  const dir = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const env = (role: string, extra: Record<string, string> = {}) => ({
    STAGECRAFT_ROLE: role,
    STAGECRAFT_ACTOR: role === 'ci' ? 'ci-bot' : 'dana',
    STAGECRAFT_DATABASE_URL: databaseUrl,
    ...extra,
  });
  const cli = (args: string[], role = 'developer', extra?: Record<string, string>) =>
    runCli(args, { cwd: dir, env: env(role, extra) });
  const json = async (args: string[], role?: string) => {
    const result = await cli([...args, '--format', 'json'], role);
    return { ...result, data: JSON.parse(result.stdout || '{}') };
  };
  /** Runs SQL on the ledger's database by hand, as someone with a SQL shell would. */
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

async function appendOnly(t: { after(fn: () => void): void }, databaseUrl?: string): Promise<void> {
  const { cli, json, sql } = ledger(t, databaseUrl);
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

test('the history is append-only in SQLite itself, and audit verify finds an edit made around the triggers', (t) =>
  appendOnly(t));

test('the same on PostgreSQL', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') return t.skip(postgres);
  await appendOnly(t, postgres.url);
  await racingPromotions(t, postgres.url);
});

async function racingPromotions(t: { after(fn: () => void): void }, databaseUrl?: string): Promise<void> {
  const { dir, cli, json } = ledger(t, databaseUrl);
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

test('racing promotions of one environment with a deploy step on SQLite: one is recorded and carried out', (t) =>
  racingPromotions(t));

/** Starts a deploy whose step hangs; resolves once the step runs, with the stagecraft process. */
async function hangingDeploy(dir: string, env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [CLI, 'deploy', 'web', '--env', 'dev'], {
    cwd: dir,
    env: { ...process.env, ...env, HANG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const log = join(dir, 'runs.log');
  for (let i = 0; i < 200 && !(existsSync(log) && readFileSync(log, 'utf8').includes('run')); i++)
    await sleep(50);
  const stepPid = Number(/run (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, stepPid, exited, log };
}

test('a deploy interrupted by SIGTERM passes it to the step and records the deployment failed', async (t) => {
  const { dir, cli, json, env } = ledger(t);
  await cli(registerArgs());
  const { child, exited, log } = await hangingDeploy(dir, env('developer'));
  child.kill('SIGTERM');
  const { code } = await exited;
  assert.equal(code, 143);
  assert.match(readFileSync(log, 'utf8'), /got TERM/);
  const [row] = (await json(['history'])).data.deployments;
  assert.equal(row.status, 'failed');
  const audit = (await json(['audit'])).data.audit as { action: string }[];
  assert.ok(audit.some((entry) => entry.action === 'deploy step failed'));
});

test('a deploy killed with SIGKILL leaves a stale entry that the next deploy takes over, never pending forever', async (t) => {
  const { dir, cli, json, env, sql } = ledger(t);
  await cli(registerArgs());
  const { child, stepPid, exited } = await hangingDeploy(dir, env('developer'));
  t.after(() => {
    try {
      process.kill(stepPid, 'SIGKILL');
    } catch {}
  });
  child.kill('SIGKILL');
  await exited;
  const status = await json(['status']);
  const [pending] = status.data.deployments;
  assert.equal(pending.status, 'pending');
  assert.match(pending.stale, /process \(pid \d+ on .+\) is gone/);
  assert.match((await cli(['status'])).stdout, /stale/);
  const next = await json(['deploy', 'web', '--env', 'dev']);
  assert.equal(next.code, 0, next.stderr);
  const history = (await json(['history'])).data.deployments as { id: number; status: string }[];
  assert.deepEqual(
    history.map((r) => r.status),
    ['succeeded', 'failed'],
  );
  const audit = (await json(['audit'])).data.audit as { action: string; detail: string }[];
  assert.match(
    audit.find((entry) => entry.action === 'deploy')?.detail ?? '',
    /took over abandoned deployment #1/,
  );
  // On another host only the heartbeat tells: a fresh one blocks, an old one may be taken over.
  const insert = (heartbeat: string) =>
    sql(`insert into deployments (service, environment, artifact_id, kind, status, actor, role, created_at, host, pid, heartbeat_at)
         values ('web', 'dev', 1, 'deploy', 'pending', 'ci-bot', 'developer', '${heartbeat}', 'build-7', 4242, '${heartbeat}')`);
  await cli(registerArgs());
  await insert(new Date().toISOString());
  const blocked = await cli(['deploy', 'web', '--env', 'dev']);
  assertRefused(blocked, 'LEDGER_DEPLOYMENT_IN_PROGRESS');
  assert.match(blocked.stderr, /pid 4242 on build-7/);
  await sql(
    `update deployments set status = 'failed', finished_at = '${new Date().toISOString()}' where host = 'build-7'`,
  );
  await insert(new Date(Date.now() - 10 * 60_000).toISOString());
  const takeover = await cli(['deploy', 'web', '--env', 'dev']);
  assert.equal(takeover.code, 0, takeover.stderr);
});
