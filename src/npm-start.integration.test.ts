/**
 * `npm start`'s script as a user runs it: a real process that checks the example shop, serves its seeded
 * ledger and prints the link to open; SIGINT (Ctrl-C) stops it at once, even with a dashboard's event stream
 * open, and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, REPO_ROOT } from './test-support/cli.ts';

const LINK = /^ {2}(http:\/\/127\.0\.0\.1:\d+)\/#token=(stagecraft_[A-Za-z0-9_-]{43})$/m;

test('npm start serves the seeded example shop, prints the link to open, and stops cleanly on SIGINT', async (t) => {
  assertBuilt();
  const script = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start;
  assert.equal(script, 'node scripts/start.mjs');
  const leftover = join(REPO_ROOT, 'examples/shop/.stagecraft');
  const hadLeftover = existsSync(leftover);

  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const deadline = Date.now() + 90_000;
  while (!LINK.test(stdout)) {
    assert.ok(child.exitCode === null, `npm start ended (${child.exitCode}):\n${stdout}\n${stderr}`);
    assert.ok(Date.now() < deadline, `no link within 90 s:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [, url, token] = LINK.exec(stdout) ?? [];
  // The checks npm start always ran come first.
  assert.match(stdout, /every required field is provided or declared in every environment/);
  const copy = /throw-away copy: (\S+)\)/.exec(stdout)?.[1] ?? '';
  assert.ok(existsSync(join(copy, '.stagecraft', 'state.db')), `the ledger is in the copy (${copy})`);

  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { ok: boolean }).ok, true);
  const page = await fetch(`${url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<script type="module" src="\/assets\/main\.js"><\/script>/);
  const read = async (path: string) => {
    const answer = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200, path);
    // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked field by field below.
    return (await answer.json()) as any;
  };
  // The seed: promotions through the chain, one waiting for an approval, one rejected artifact.
  const overview = await read('/v1/overview');
  assert.deepEqual(
    overview.rejected.map((r: { service: string }) => r.service),
    ['orders'],
  );
  const status = await read('/v1/status');
  const where = (service: string, environment: string) =>
    status.deployments.find(
      (row: { service: string; environment: string }) =>
        row.service === service && row.environment === environment,
    )?.status;
  assert.equal(where('storefront', 'production'), 'succeeded');
  assert.equal(where('catalog', 'staging'), 'pending');
  const waitingForApproval = status.next.filter((next: { gates: { gate: string }[] }) =>
    next.gates.some((gate) => gate.gate === 'approvals'),
  );
  assert.deepEqual(
    waitingForApproval.map(
      (next: { service: string; environment: string }) => `${next.service} → ${next.environment}`,
    ),
    ['storefront → production'],
  );

  // A dashboard's event stream is open when Ctrl-C comes: it must not hold the server up.
  const events = await fetch(`${url}/v1/events`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(events.status, 200);
  const reader = events.body?.getReader();
  assert.ok(reader);
  await reader.read();
  const stream = (async () => {
    try {
      while (!(await reader.read()).done);
      return 'ended';
    } catch {
      return 'cut';
    }
  })();

  const started = performance.now();
  child.kill('SIGINT');
  const [code, signal] = await exited;
  const took = performance.now() - started;
  assert.equal(code, 0, `exit ${code ?? signal}:\n${stderr}`);
  // Well inside the 5 s the server gives requests in flight: nothing waited for the open stream.
  assert.ok(took < 3000, `stopped in ${Math.round(took)} ms`);
  assert.equal(await stream, 'ended', 'the event stream ended cleanly');
  assert.equal(existsSync(copy), false, 'the throw-away copy is removed');
  assert.equal(existsSync(leftover), hadLeftover, 'nothing is written under examples/shop');
  await assert.rejects(fetch(`${url}/healthz`), 'the server is gone');
});
