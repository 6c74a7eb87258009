import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HttpUnavailable, retryAfterMs, send, sendWithRetries } from './http.ts';

async function serve(
  t: { after(fn: () => Promise<void> | void): void },
  handle: (req: IncomingMessage, res: ServerResponse, count: number) => void,
): Promise<string> {
  let count = 0;
  const server = createServer((req, res) => handle(req, res, ++count));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a throttled answer is retried after the Retry-After the server gave', async (t) => {
  const url = await serve(t, (_req, res, count) => {
    if (count < 3) res.writeHead(429, { 'retry-after': '2' }).end('{"errors":["rate limited"]}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const waits: number[] = [];
  const response = await sendWithRetries(
    { method: 'GET', url },
    { sleep: async (ms) => void waits.push(ms) },
  );
  assert.equal(response.status, 200);
  assert.deepEqual(waits, [2000, 2000]);
});

test('retries are bounded: the last answer comes back for the backend to explain', async (t) => {
  const url = await serve(t, (_req, res) => res.writeHead(503).end('{"errors":["Vault is sealed"]}'));
  const waits: number[] = [];
  const response = await sendWithRetries(
    { method: 'GET', url },
    { retries: 2, sleep: async (ms) => void waits.push(ms) },
  );
  assert.equal(response.status, 503);
  assert.equal(waits.length, 2);
  assert.ok(
    waits.every((ms) => ms >= 0 && ms <= 800),
    String(waits),
  );
});

test('a Retry-After longer than the policy waits for is not waited out', async (t) => {
  const url = await serve(t, (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
  const waits: number[] = [];
  const response = await sendWithRetries(
    { method: 'GET', url },
    { sleep: async (ms) => void waits.push(ms) },
  );
  assert.equal(response.status, 429);
  assert.deepEqual(waits, []);
});

test('a 404 or 403 is an answer, not retried', async (t) => {
  const seen: number[] = [];
  const url = await serve(t, (_req, res, count) => {
    seen.push(count);
    res.writeHead(403).end();
  });
  assert.equal((await sendWithRetries({ method: 'GET', url }, { sleep: async () => {} })).status, 403);
  assert.deepEqual(seen, [1]);
});

test('no answer within the timeout, a refused connection and an oversized body are HttpUnavailable', async (t) => {
  const slow = await serve(t, () => {}); // never answers
  await assert.rejects(send({ method: 'GET', url: slow, timeoutMs: 100 }), (error: unknown) => {
    assert.ok(error instanceof HttpUnavailable);
    assert.equal(error.code, 'ETIMEDOUT');
    return true;
  });
  const big = await serve(t, (_req, res) => res.end('x'.repeat(10_000)));
  await assert.rejects(send({ method: 'GET', url: big, maxBytes: 1000 }), { code: 'ETOOLARGE' });
  // A port nobody listens on: refused, retried, then thrown.
  const closed = await serve(t, () => {});
  const port = new URL(closed).port;
  const tries: number[] = [];
  await assert.rejects(
    sendWithRetries(
      { method: 'GET', url: `http://127.0.0.1:${Number(port) === 1 ? 2 : 1}/` },
      { retries: 2, sleep: async (ms) => void tries.push(ms) },
    ),
    (error: unknown) => error instanceof HttpUnavailable && error.code === 'ECONNREFUSED',
  );
  assert.equal(tries.length, 2);
});

test('the request carries its method, headers and body', async (t) => {
  let seen: { method?: string; token?: string; body: string } = { body: '' };
  const url = await serve(t, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      seen = { method: req.method, token: req.headers['x-vault-token'] as string, body };
      res.end('{}');
    });
  });
  await send({
    method: 'PUT',
    url: `${url}/v1/sys/leases/renew`,
    headers: { 'x-vault-token': 't' },
    body: '{"a":1}',
  });
  assert.deepEqual(seen, { method: 'PUT', token: 't', body: '{"a":1}' });
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('120'), 120_000);
  const now = Date.parse('2026-12-04T10:00:00Z');
  assert.equal(retryAfterMs('Fri, 04 Dec 2026 10:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(undefined), undefined);
});
