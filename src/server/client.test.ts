/**
 * The CLI with STAGECRAFT_URL when the other end is not a working stagecraft server: nothing listening,
 * another service answering, a token missing, or a command that works only on a local ledger. Each is exit 1
 * with what to fix, and none falls back to a local ledger.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

/** A copy of the shop, so that a fall-back to a local ledger would show as .stagecraft/ there. */
function shopCopy(t: { after(fn: () => void): void }): string {
  const dir = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  return dir;
}

/** An HTTP server on 127.0.0.1 answering every request with `status`, `type` and `body`; counts requests. */
async function answering(
  t: { after(fn: () => Promise<void>): void },
  status: number,
  type: string,
  body: string,
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(status, { 'content-type': type }).end(body);
  });
  const url = await listening(server);
  t.after(() => new Promise((resolve) => server.close(() => resolve())));
  return { url, requests: () => requests };
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const remote = (url: string, extra: Record<string, string | undefined> = {}) => ({
  STAGECRAFT_URL: url,
  STAGECRAFT_TOKEN: 'stagecraft_not-checked-before-the-server-answers',
  STAGECRAFT_ROLE: undefined,
  STAGECRAFT_ACTOR: undefined,
  STAGECRAFT_REHEARSAL: undefined,
  STAGECRAFT_NOW: undefined,
  STAGECRAFT_DATABASE_URL: undefined,
  ...extra,
});

test('a server that cannot be reached is exit 1, naming the URL and the cause, with no local ledger made instead', async (t) => {
  const dir = shopCopy(t);
  // A port that was free a moment ago: nothing listens there now.
  const closed = createServer();
  const url = await listening(closed);
  await new Promise((resolve) => closed.close(resolve));
  for (const args of [['status'], ['deploy', 'storefront', '--env', 'dev']]) {
    const result = await runCli(args, { cwd: dir, env: remote(url) });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`\\[SERVER_UNREACHABLE\\] cannot reach the stagecraft server at ${url}: ECONNREFUSED`),
    );
    assert.match(result.stderr, /hint: check STAGECRAFT_URL/);
    assert.doesNotMatch(result.stderr, /not authenticated here|\n\s+at /);
  }
  const json = await runCli(['history', '--format', 'json'], { cwd: dir, env: remote(url) });
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).error.code, 'SERVER_UNREACHABLE');
  assert.equal(existsSync(join(dir, '.stagecraft')), false);
});

test('STAGECRAFT_URL without STAGECRAFT_TOKEN is exit 1, saying which is missing, before anything is sent', async (t) => {
  const dir = shopCopy(t);
  const server = await answering(t, 200, 'application/json', '{}');
  for (const token of [undefined, '', '  ']) {
    const result = await runCli(['status'], {
      cwd: dir,
      env: remote(server.url, { STAGECRAFT_TOKEN: token }),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\[SERVER_BAD_URL\] STAGECRAFT_URL is set but STAGECRAFT_TOKEN is not/);
    assert.match(result.stderr, /hint: set STAGECRAFT_TOKEN to a token from `stagecraft token create`/);
  }
  assert.equal(server.requests(), 0);
  assert.equal(existsSync(join(dir, '.stagecraft')), false);
});

test('an endpoint that is not stagecraft’s API is exit 1 SERVER_BAD_RESPONSE, whatever it answers', async (t) => {
  const dir = shopCopy(t);
  const page = '<!doctype html><html><body><h1>Welcome</h1></body></html>';
  const others = [
    await answering(t, 200, 'text/html', page),
    await answering(t, 502, 'text/html', '<html><body>502 Bad Gateway</body></html>'),
    await answering(t, 404, 'application/json', '{"message":"not here"}'),
  ];
  for (const other of others) {
    const result = await runCli(['status'], { cwd: dir, env: remote(other.url) });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`\\[SERVER_BAD_RESPONSE\\] ${other.url} answered`));
    assert.match(result.stderr, /STAGECRAFT_URL points at `stagecraft serve` itself/);
    // Nothing of what the other service sent is echoed.
    assert.doesNotMatch(result.stderr, /Welcome|Bad Gateway|not here/);
    assert.equal(other.requests(), 1);
  }
});

test('rehearsal mode and audit verify are refused with STAGECRAFT_URL: they work on a local ledger only', async (t) => {
  const dir = shopCopy(t);
  const server = await answering(t, 200, 'application/json', '{}');
  const rehearsal = await runCli(['deploy', 'storefront', '--env', 'dev'], {
    cwd: dir,
    env: remote(server.url, { STAGECRAFT_REHEARSAL: '1' }),
  });
  assert.equal(rehearsal.code, 1);
  assert.match(rehearsal.stderr, /\[SERVER_LOCAL_ONLY\] rehearsal mode works on a local ledger only/);
  const verify = await runCli(['audit', 'verify'], { cwd: dir, env: remote(server.url) });
  assert.equal(verify.code, 1);
  assert.match(verify.stderr, /\[SERVER_LOCAL_ONLY\] audit verify reads the ledger’s database itself/);
  assert.equal(server.requests(), 0);
  assert.equal(existsSync(join(dir, '.stagecraft')), false);
});

test('an answer larger than 64 MiB is refused as it streams, with no Content-Length to go by', async (t) => {
  const dir = shopCopy(t);
  let sent = 0;
  const server = createServer((_req, res) => {
    // Chunked, and endless: the client must stop reading, not the server stop sending.
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const more = () => {
      while (!res.destroyed && sent < 200 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  const url = await listening(server);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const result = await runCli(['status'], { cwd: dir, env: remote(url) });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /\[SERVER_BAD_RESPONSE\] .* sent an answer larger than 64 MiB/);
  assert.ok(sent < 200 * 1024 * 1024, 'the client stopped reading');
});
