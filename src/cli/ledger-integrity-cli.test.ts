/**
 * The ledger's history survives hands and interruptions: the database refuses edits to what was recorded, the
 * audit chain shows edits made anyway, and a deploy interrupted or killed never leaves an entry pending
 * forever. PostgreSQL and racing processes: ledger-integrity-cli.integration.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertBuilt, CLI } from '../test-support/cli.ts';
import { assertRefused, registerArgs } from '../test-support/ledger.ts';
import { appendOnly, historyWorkspace } from '../test-support/ledger-history.ts';

test('the history is append-only in SQLite itself, and audit verify finds an edit made around the triggers', (t) =>
  appendOnly(t));

/** Starts a deploy whose step hangs; resolves once the step runs, with the stagecraft process. */
async function hangingDeploy(dir: string, env: Record<string, string | undefined>) {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, 'deploy', 'web', '--env', 'dev'], {
    cwd: dir,
    env: { ...process.env, ...env, HANG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const log = join(dir, 'runs.log');
  // A signal sent before the step runs would stop stagecraft before it listens for it: wait for the step, for
  // as long as a loaded machine needs, and say so plainly if it never starts.
  const started = () => existsSync(log) && readFileSync(log, 'utf8').includes('run');
  for (const deadline = Date.now() + 60_000; !started() && Date.now() < deadline; ) await sleep(50);
  assert.ok(started(), `the deploy step did not start within 60 s: ${stderr}`);
  const stepPid = Number(/run (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, stepPid, exited, log };
}

test('a deploy interrupted by SIGTERM passes it to the step and records the deployment failed', async (t) => {
  const { dir, cli, json, env } = historyWorkspace(t);
  await cli(registerArgs());
  const { child, exited, log } = await hangingDeploy(dir, env('developer'));
  child.kill('SIGTERM');
  const { code, signal, stderr } = await exited;
  assert.equal(code, 143, `ended by ${signal}: ${stderr}`);
  assert.match(readFileSync(log, 'utf8'), /got TERM/);
  const [row] = (await json(['history'])).data.deployments;
  assert.equal(row.status, 'failed');
  const audit = (await json(['audit'])).data.audit as { action: string }[];
  assert.ok(audit.some((entry) => entry.action === 'deploy step failed'));
});

test('a deploy killed with SIGKILL leaves a stale entry that the next deploy takes over, never pending forever', async (t) => {
  const { dir, cli, json, env, sql } = historyWorkspace(t);
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
