/**
 * The ceiling for bench/server.mjs: a bare Hono app on @hono/node-server — the framework and adapter
 * `stagecraft serve` is built on — with no ledger, no authentication and no logging, in its own process like
 * the server it is compared with. GET answers a small JSON object; POST parses the JSON body and answers it.
 * Prints its URL on stdout.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/ceiling', (c) => c.json({ ok: true }));
app.post('/ceiling', async (c) => c.json(await c.req.json()));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`http://127.0.0.1:${info.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
