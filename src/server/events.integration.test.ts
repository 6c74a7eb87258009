/**
 * The event stream keeps no state in the server: a write through one server reaches a dashboard following
 * another, when both serve one PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { lastInFirstOut } from '../test-support/cleanup.ts';
import { assertBuilt } from '../test-support/cli.ts';
import { twoServersOnPostgres } from '../test-support/server.ts';

test('a write through one server reaches the event stream of another on the same PostgreSQL', async (t) => {
  assertBuilt();
  // The stream is cancelled first, then the servers stop, then PostgreSQL.
  const cleanup = lastInFirstOut(t);
  const servers = await twoServersOnPostgres(cleanup);
  if (typeof servers === 'string') {
    t.skip(servers);
    return;
  }
  const { a: first, b: second } = servers;

  const events = await fetch(`${first.url}/v1/events`, {
    headers: { authorization: `Bearer ${first.adminToken}` },
  });
  assert.equal(events.status, 200);
  const reader = events.body?.getReader();
  assert.ok(reader);
  cleanup.after(() => reader.cancel());
  const decoder = new TextDecoder();
  let seen = '';
  const next = async (until: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!until.test(seen)) {
      assert.ok(Date.now() < deadline, `no ${until} in ${JSON.stringify(seen)}`);
      const chunk = await reader.read();
      assert.ok(!chunk.done, `the stream ended: ${JSON.stringify(seen)}`);
      seen += decoder.decode(chunk.value, { stream: true });
    }
  };
  await next(/data: \{"count":(\d+)\}\n/);
  const count = Number(/"count":(\d+)/.exec(seen)?.[1]);

  const registered = await second.call('POST', '/v1/artifacts', second.adminToken, {
    service: 'catalog',
    image: `registry.example.com/shop/catalog@sha256:${randomBytes(32).toString('hex')}`,
    commit: randomBytes(20).toString('hex'),
    author: 'carol',
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  await next(new RegExp(`event: ledger\\ndata: \\{"count":${count + 1}\\}\\n\\n`));
});
