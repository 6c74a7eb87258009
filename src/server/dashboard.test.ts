import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import { EXAMPLE_SHOP } from '../test-support/cli.ts';
import { commit, digest } from '../test-support/ledger.ts';
import { type AppOptions, createApp } from './app.ts';
import { dashboardFolder } from './routes/dashboard.ts';
import type { ErrorBodyType, OverviewBody } from './schemas.ts';

const admin = { name: 'setup', role: 'admin' };

/** The app in this process, on an in-memory ledger of the example shop, with a developer's token. */
async function shopApp(
  t: { after(fn: () => Promise<void>): void },
  options: Partial<AppOptions> = {},
): Promise<{ app: ReturnType<typeof createApp>; ledger: Ledger; auth: { authorization: string } }> {
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, loadWorkspace({ cwd: EXAMPLE_SHOP }));
  const { token } = await ledger.createToken({ name: 'viewer', role: 'developer' }, admin);
  return { app: createApp({ ledger, ...options }), ledger, auth: { authorization: `Bearer ${token}` } };
}

const register = (ledger: Ledger, service = 'storefront') =>
  ledger.registerArtifact(
    { service, image: `registry.example.com/shop/${service}@${digest()}`, commit: commit(), author: 'alice' },
    { name: 'ci-bot', role: 'ci' },
  );

test('the dashboard page is served with a strict Content-Security-Policy and needs nothing from elsewhere', async (t) => {
  const { app } = await shopApp(t);
  const page = await app.request('/');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = page.headers.get('content-security-policy') ?? '';
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ]) {
    assert.ok(csp.split('; ').includes(directive), `${directive} in ${csp}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(page.headers.get('x-frame-options'), 'DENY');

  const html = await page.text();
  // No inline script, style or handler: the policy would refuse them, and a ledger value must never run.
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
  // Offline: every file the page and its modules load comes from this server.
  const folder = dashboardFolder();
  assert.ok(folder, 'the dashboard folder is found beside the server');
  const modules = ['main.js'];
  const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
  assert.deepEqual(
    references.filter(
      (reference) =>
        !reference.startsWith('/assets/') && reference !== 'data:,' && !reference.startsWith('#'),
    ),
    [],
  );
  for (let i = 0; i < modules.length; i++) {
    const source = readFileSync(join(folder, modules[i] ?? ''), 'utf8');
    // Comments may cite a specification; code fetches nothing from another origin and parses no HTML.
    const code = source.replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(code, /https?:\/\/|innerHTML|outerHTML|insertAdjacentHTML|eval\(/, modules[i]);
    for (const [, imported] of source.matchAll(/from '\.\/([a-z-]+\.js)'/g)) {
      if (imported && !modules.includes(imported)) modules.push(imported);
    }
  }
  for (const asset of [
    ...references.filter((r) => r.startsWith('/assets/')),
    ...modules.map((m) => `/assets/${m}`),
  ]) {
    const answer = await app.request(asset);
    assert.equal(answer.status, 200, asset);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    if (asset.endsWith('.js'))
      assert.equal(answer.headers.get('content-type'), 'text/javascript; charset=utf-8');
  }
  assert.ok(modules.length >= 6, `main.js and the modules it imports: ${modules.join(', ')}`);

  // Revalidated by its ETag, not fetched again.
  const again = await app.request('/', { headers: { 'if-none-match': page.headers.get('etag') ?? '' } });
  assert.equal(again.status, 304);
});

test('only the dashboard folder’s own files are served', async (t) => {
  const { app } = await shopApp(t);
  for (const path of [
    '/assets/sse.d.ts',
    '/assets/sse.test.ts',
    '/assets/..%2Froutes%2Fdashboard.ts',
    '/assets/%2e%2e%2fapp.ts',
    '/assets/nothing.js',
  ]) {
    const answer = await app.request(path);
    assert.equal(answer.status, 404, path);
    assert.equal(((await answer.json()) as ErrorBodyType).error.code, 'SERVER_NOT_FOUND');
  }
});

test('GET /v1/overview gives the environments in promotion order, the services and the rejected artifacts', async (t) => {
  const { app, ledger, auth } = await shopApp(t);
  assert.equal((await app.request('/v1/overview')).status, 401);
  const bad = await register(ledger, 'orders');
  await ledger.reject(bad.digest, 'charges twice', admin);
  const answer = await app.request('/v1/overview', { headers: auth });
  assert.equal(answer.status, 200);
  const body = (await answer.json()) as OverviewBody;
  assert.equal(body.name, 'shop');
  assert.deepEqual(
    body.environments.map((e) => [e.name, e.from]),
    [
      ['dev', null],
      ['staging', 'dev'],
      ['production', 'staging'],
    ],
  );
  assert.deepEqual(body.environments[2]?.gates, [
    'tests',
    'soak (duration: 1h)',
    'approvals (count: 1)',
    'window (days: mon/tue/wed/thu, hours: 09:00-16:00, timezone: Europe/Berlin)',
  ]);
  assert.deepEqual(body.services, ['storefront', 'catalog', 'orders']);
  assert.deepEqual(body.approvers, ['developer', 'approver', 'admin']);
  assert.equal(body.rejected.length, 1);
  assert.deepEqual(
    { ...body.rejected[0], at: typeof body.rejected[0]?.at },
    { service: 'orders', digest: bad.digest, reason: 'charges twice', at: 'string', by: 'setup' },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document, read as JSON.
  const doc: any = await (await app.request('/openapi.json')).json();
  assert.ok(doc.components.schemas.Overview);
  assert.ok(doc.paths['/v1/overview'].get);
  assert.ok(doc.paths['/v1/events'].get.responses['200'].content['text/event-stream']);
});

/** Reads an event stream's text until `until` matches what was read, or fails after `ms`. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  seen: { text: string },
  until: RegExp,
  ms = 5000,
): Promise<void> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (!until.test(seen.text)) {
    const left = deadline - Date.now();
    assert.ok(left > 0, `no ${until} in ${JSON.stringify(seen.text)}`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      reader.read(),
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), left);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next === 'late') continue;
    if (next.done) assert.fail(`the stream ended before ${until}: ${JSON.stringify(seen.text)}`);
    seen.text += decoder.decode(next.value, { stream: true });
  }
}

test('GET /v1/events sends the change count, an event when the ledger changes and pings, and ends when the server stops', async (t) => {
  const stopping = new AbortController();
  const { app, ledger, auth } = await shopApp(t, {
    stopping: stopping.signal,
    eventTiming: { pollMs: 20, pingMs: 150 },
  });
  const anonymous = await app.request('/v1/events');
  assert.equal(anonymous.status, 401);

  const answer = await app.request('/v1/events', { headers: auth });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), 'text/event-stream');
  const reader = answer.body?.getReader();
  assert.ok(reader);
  // Should the stream outlive a failed assertion, it must not keep the test process alive.
  t.after(() => reader.cancel().catch(() => {}));
  const seen = { text: '' };
  const count = await ledger.changeCount();
  await readUntil(reader, seen, /\n\n/);
  assert.match(seen.text, new RegExp(`^event: ledger\ndata: \\{"count":${count}\\}\n`));

  await register(ledger);
  await readUntil(reader, seen, new RegExp(`data: \\{"count":${count + 1}\\}\n\n`));
  // Nothing changes: a comment line keeps the stream alive, and no event is sent.
  await readUntil(reader, seen, /\n: ping\n\n$/);
  assert.equal(seen.text.match(/^event: ledger$/gm)?.length, 2);

  stopping.abort();
  const ended = await Promise.race([
    (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })(),
    new Promise((resolve) => setTimeout(() => resolve('still open'), 2000)),
  ]);
  assert.equal(ended, 'ended');
});
