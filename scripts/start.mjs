#!/usr/bin/env node
// `npm start`: checks examples/shop as before, then serves its dashboard — `stagecraft serve` on the embedded
// SQLite, in a throw-away copy of the shop in the system's temporary folder, its history seeded through the
// API (seed-shop.mjs) — and prints the link to open, with the admin token after `#` so the page opens signed
// in (the page removes it from the address bar). Ctrl-C stops the server, lets requests in flight finish, and
// removes the copy. Nothing is written under examples/.
//
//   node scripts/start.mjs [--port 8080] [--host 127.0.0.1]     (npm start -- --port 0: any free port)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedShop } from './seed-shop.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const shop = join(root, 'examples/shop');
const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const say = (line = '') => process.stdout.write(`${line}\n`);

// The checks `npm start` always ran: the workspace file, and every environment's config.
for (const args of [
  ['workspace', 'check'],
  ['config', 'check', '--all'],
]) {
  const check = spawnSync(process.execPath, [cli, '-C', shop, ...args], { stdio: 'inherit' });
  if (check.status !== 0) process.exit(check.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'stagecraft-shop-'));
cpSync(shop, dir, { recursive: true, filter: (source) => basename(source) !== '.stagecraft' });

// Its own process group: Ctrl-C reaches this script alone, which stops the server once and waits for it.
const server = spawn(
  process.execPath,
  [cli, 'serve', '--host', options.host, '--port', options.port, '--init-admin', '--quiet'],
  { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], detached: true },
);

let stopping = false;
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));

async function stop(exitCode) {
  if (!stopping) {
    stopping = true;
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
  }
  const { code } = await exited;
  rmSync(dir, { recursive: true, force: true });
  process.exit(exitCode ?? code ?? 1);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop());

let output = '';
const listening = new Promise((resolve) => {
  server.stdout.on('data', (chunk) => {
    output += chunk.toString('utf8');
    const url = /stagecraft serve: (http:\/\/\S+)/.exec(output)?.[1];
    const token = /(stagecraft_[A-Za-z0-9_-]{43})/.exec(output)?.[1];
    if (url && token) resolve({ url, token });
  });
});
const started = await Promise.race([listening, exited.then(() => undefined)]);
if (!started) {
  process.stderr.write(`stagecraft serve did not start (see above)\n`);
  await stop(1);
}
// Another listener takes the server's output from here: the admin token is printed once, below.
server.stdout.removeAllListeners('data');
server.stdout.resume();

try {
  const seeded = await seedShop(started.url, started.token);
  say();
  say(`The example shop's ledger is served at ${started.url} (SQLite in a throw-away copy: ${dir}).`);
  say(`Seeded as ${seeded.identities.join(', ')}: ${seeded.pendingApproval} waits for an approval,`);
  say(`${seeded.rejected} is rejected. Open the dashboard, signed in as admin:`);
  say();
  say(`  ${started.url}/#token=${started.token}`);
  say();
  say('Ctrl-C stops the server and removes the copy.');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}

const { code, signal } = await exited;
if (!stopping) {
  process.stderr.write(`stagecraft serve ended by itself (${code ?? signal})\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code || 1);
}
