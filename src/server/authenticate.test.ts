/**
 * Failed authentication is limited per client address: the app over real HTTP on 127.0.0.1, with a limiter
 * on a clock the test moves, so the window's end is tested without waiting a minute. Requests come from two
 * loopback addresses (127.0.0.1 and 127.0.0.2) to tell one client from another.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import { EXAMPLE_SHOP } from '../test-support/cli.ts';
import { createApp } from './app.ts';
import { FailureLimiter } from './rate-limit.ts';
import { listen } from './serve.ts';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** GET path with a bearer token, sent from `from` (a loopback address). */
function get(url: string, path: string, token: string, from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { localAddress: from, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const header = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(header) ? header[0] : header,
            code: (JSON.parse(text) as { error?: { code: string } }).error?.code,
          });
        });
      },
    );
    req.on('error', reject).end();
  });
}

test('after 10 failed authentications in a minute a client is refused 429, a valid token included, until the window passes', async (t) => {
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, loadWorkspace({ cwd: EXAMPLE_SHOP }));
  const clock = { now: Date.now() };
  const limiter = new FailureLimiter(
    { maxFailures: 10, windowMs: 60_000, maxClients: 1000 },
    () => clock.now,
  );
  const server = await listen(createApp({ ledger, limiter }), '127.0.0.1', 0);
  t.after(() => server.close());
  const admin = { name: 'admin', role: 'admin' };
  const { token } = await ledger.createToken({ name: 'ci-bot', role: 'ci' }, admin);
  const { token: wrong } = await ledger.createToken({ name: 'gone', role: 'ci' }, admin);
  await ledger.revokeToken('gone', admin);
  const audited = async () =>
    (await ledger.auditLog(1000)).filter((row) => row.action.startsWith('authenticate'));
  const [here, elsewhere] = ['127.0.0.1', '127.0.0.2'];

  assert.equal((await get(server.url, '/v1/status', token, here)).status, 200);
  for (let failure = 1; failure <= 10; failure++) {
    const answer = await get(server.url, '/v1/status', wrong, here);
    assert.deepEqual([answer.status, answer.code], [401, 'SERVER_UNAUTHENTICATED'], `failure ${failure}`);
  }
  // Each failure is audited; the tenth says the client is now limited.
  const failures = await audited();
  assert.equal(failures.length, 10);
  assert.equal(failures[0]?.action, 'authenticate (client now rate limited)');
  assert.equal(failures[0]?.subject, `GET /v1/status from ${here}`);

  const limited = await get(server.url, '/v1/status', wrong, here);
  assert.deepEqual(limited, { status: 429, retryAfter: '60', code: 'SERVER_RATE_LIMITED' });
  // A valid token from the limited client is refused as well: were it let through, 200 against 429 would
  // tell a guesser which guess was right, and the limit would bound nothing.
  assert.deepEqual(await get(server.url, '/v1/status', token, here), limited);
  // Answers to a limited client are neither audited nor counted: the window does not grow with them.
  assert.equal((await audited()).length, 10);

  // Another client is not limited by this one's failures, and has its own count.
  assert.equal((await get(server.url, '/v1/status', token, elsewhere)).status, 200);
  assert.equal((await get(server.url, '/v1/status', wrong, elsewhere)).status, 401);

  clock.now += 45_000;
  assert.equal((await get(server.url, '/v1/status', token, here)).retryAfter, '15');
  clock.now += 15_000;
  assert.equal((await get(server.url, '/v1/status', token, here)).status, 200);
  // A new window: one failure is far from the limit again.
  assert.equal((await get(server.url, '/v1/status', wrong, here)).status, 401);
  assert.equal((await get(server.url, '/v1/status', token, here)).status, 200);
});

test('behind trusted proxies the client is the hop the outermost proxy appended; otherwise X-Forwarded-For is not believed', async (t) => {
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, loadWorkspace({ cwd: EXAMPLE_SHOP }));
  const audited = async () => (await ledger.auditLog(1))[0]?.subject;
  const call = async (trustedProxies: number, forwarded: string) => {
    const limiter = new FailureLimiter({ maxFailures: 2, windowMs: 60_000, maxClients: 100 });
    const app = createApp({ ledger, limiter, trustedProxies });
    const send = () =>
      app.request('/v1/status', { headers: { authorization: 'Bearer wrong', 'x-forwarded-for': forwarded } });
    return { first: (await send()).status, subject: await audited(), send, limiter };
  };
  // One load balancer: "spoofed" is what the client wrote, 203.0.113.9 what the balancer saw.
  const behind = await call(1, 'spoofed, 203.0.113.9');
  assert.equal(behind.first, 401);
  assert.match(behind.subject ?? '', /from 203\.0\.113\.9$/);
  assert.equal((await behind.send()).status, 401);
  assert.equal((await behind.send()).status, 429, 'the real client is limited, whatever it writes first');
  assert.equal(behind.limiter.retryAfter('spoofed'), undefined);
  // No proxy trusted: the header is the client's own words, and changing it does not dodge the limit.
  const direct = await call(0, '198.51.100.1');
  assert.doesNotMatch(direct.subject ?? '', /198\.51\.100\.1/);
});
