/**
 * Load on `stagecraft serve`: requests per second and p99 latency, measured with autocannon over 127.0.0.1,
 * for status reads and for promotions, on the embedded SQLite and on PostgreSQL, beside a bare Hono endpoint on
 * @hono/node-server (the same framework and adapter, no ledger) as the ceiling.
 *
 *   npm run build && node bench/server.mjs [--rounds 3] [--duration 4] [--connections 10]
 *     [--ledgers sqlite,postgres]
 *
 * Each server is the built CLI's `stagecraft serve` in its own process, as a team runs it (access log on),
 * on a copy of examples/shop with nine more services, so every connection can promote a service of its own.
 * Its history is seeded through the API first: per service, three artifacts registered, deployed to dev,
 * tested and promoted to staging (two confirmed there), with a production approval for one. Then, per round,
 * for `--duration` seconds each (after a one-second warm-up round that is not counted):
 *
 * - `GET /v1/status` with a CI token: what runs where and the gates ahead of every production promotion.
 * - promote, refused: `POST /v1/deployments` to production, every one refused by its gates (soak, approvals):
 *   the whole admission transaction runs, is rolled back, and the refusal is audited in a transaction of its
 *   own — what a CI retry loop or a flood of early promotions costs.
 * - promote + confirm, admitted: each connection takes a service nobody is promoting, promotes it to staging
 *   (admitted: a pending deployment and its audit row) and confirms it failed (`POST /v1/deployments/confirm`,
 *   so the same artifact may be promoted again), alternating; both are counted as requests, and every answer
 *   must be a 200.
 *
 * Rows report the median of the rounds' requests/s and p99, the answers seen (status and error code) so each
 * row shows it measured what it says, and the ratio to the ceiling (status reads to the bare GET, promotions
 * to the bare POST that parses its JSON body). PostgreSQL is a throw-away server started the way the tests
 * start one (src/test-support/postgres.ts, loaded through tsx, as is the tests' server starter); without
 * PostgreSQL installed its rows are skipped. autocannon runs in this process, so on a small machine the load
 * generator, the server and the database share the cores. Not part of CI.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { tsImport } from 'tsx/esm/api';
import { formatTable } from './_table.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    connections: { type: 'string', default: '10' },
    ledgers: { type: 'string', default: 'sqlite,postgres' },
  },
});
const ROUNDS = Number(values.rounds);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const LEDGERS = values.ledgers.split(',');
/** Artifacts per service taken through dev and staging before measuring. */
const HISTORY_PER_SERVICE = 3;
/** The shop's services and the bench's own: at least one per connection, so admitted promotions never collide. */
const SERVICES = [
  'storefront',
  'catalog',
  'orders',
  ...Array.from({ length: Math.max(9, CONNECTIONS - 3) }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`),
];

if (!existsSync(join(REPO, 'dist/cli/main.js'))) {
  console.error('bench/server.mjs runs the built CLI: npm run build first (npm run bench:server does)');
  process.exit(1);
}

const load = (path) => tsImport(path, import.meta.url);
const { startPostgres } = await load('../src/test-support/postgres.ts');
const { startServer } = await load('../src/test-support/server.ts');
const { confirmStaging, expectOk, promoteToStaging, readyForStaging } = await load(
  '../src/test-support/server-shop.ts',
);

/** What the tests' `t.after` would run: servers stopped, databases removed, folders deleted, newest first. */
const cleanups = [];
const owner = { after: (fn) => cleanups.push(fn) };
async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}
process.once('SIGINT', () => cleanUp().then(() => process.exit(130)));

/** autocannon keeps latencies in whole milliseconds: 0 is under one. */
const milliseconds = (ms) => (ms < 1 ? '<1' : ms.toFixed(0));
const progress = (line) => process.stderr.write(`${line}\n`);
const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A copy of the shop with the bench's extra services, in a temporary folder removed at the end. */
function shopCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-bench-server-'));
  owner.after(() => rmSync(dir, { recursive: true, force: true }));
  const shop = join(dir, 'shop');
  cpSync(join(REPO, 'examples/shop'), shop, { recursive: true });
  const file = join(shop, 'stagecraft.yaml');
  const yaml = readFileSync(file, 'utf8');
  const extra = SERVICES.slice(3)
    .map((name) => `  ${name}:\n    image: registry.example.com/shop/${name}\n`)
    .join('');
  if (!yaml.includes('\nservices:\n'))
    throw new Error('examples/shop/stagecraft.yaml has no services: block');
  writeFileSync(file, yaml.replace('\nservices:\n', `\nservices:\n${extra}`));
  return shop;
}

/** The shop's history, made through the API; the tokens the measurements use. */
async function seed(server) {
  const developer = await server.token('dev-alice', 'developer');
  const ci = await server.token('ci-main', 'ci');
  const approver = await server.token('bob', 'approver');
  for (const service of SERVICES) {
    for (let i = 0; i < HISTORY_PER_SERVICE - 1; i++) {
      await readyForStaging(server.call, { developer, ci }, service);
      for (const answer of [
        await promoteToStaging(server.call, ci, service),
        await confirmStaging(server.call, ci, service, 'succeeded'),
      ]) {
        if (answer.status !== 200) throw new Error(`seeding ${service}: ${JSON.stringify(answer.body)}`);
      }
    }
    // The newest artifact waits in dev: the next promotion to staging is admitted.
    await readyForStaging(server.call, { developer, ci }, service);
  }
  await expectOk(server.call, 'POST', '/v1/approvals', approver, {
    service: 'storefront',
    environment: 'production',
  });
  return { ci };
}

/** Ends what an admitted round left pending, so the next round's first promotions are admitted too. */
async function releasePending(server, ci) {
  for (const service of SERVICES) {
    const answer = await confirmStaging(server.call, ci, service, 'failed');
    if (answer.status !== 200 && answer.body.error?.code !== 'LEDGER_NOTHING_PENDING') {
      throw new Error(`confirm ${service}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
}

const json = (token) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** Counts answers by request, status and error code, so a row shows what it measured. */
function tally(answers, label) {
  return (status, body) => {
    const code = status === 200 ? '' : ` ${/"code":"([A-Z_]+)"/.exec(body)?.[1] ?? '?'}`;
    const key = `${label}${status}${code}`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
  };
}

/** The scenarios against one running server: autocannon options, and what to do after each run. */
function ledgerTargets(name, server, ci) {
  let next = 0;
  const statusRead = {
    endpoint: 'GET /v1/status',
    ledger: name,
    ceiling: 'GET',
    options: (answers) => ({
      url: server.url,
      requests: [{ method: 'GET', path: '/v1/status', headers: json(ci), onResponse: tally(answers, '') }],
    }),
    expect: (answers) => answers.size === 1 && answers.has('200'),
  };
  const refused = {
    endpoint: 'promote → production (refused by gates)',
    ledger: name,
    ceiling: 'POST',
    options: (answers) => ({
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/v1/deployments',
          headers: json(ci),
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              environment: 'production',
              kind: 'promote',
              service: SERVICES[next++ % SERVICES.length],
            }),
          }),
          onResponse: tally(answers, ''),
        },
      ],
    }),
    expect: (answers) => answers.size === 1 && answers.has('409 LEDGER_GATE_FAILED'),
  };
  // Services nobody is promoting: a connection takes one for a promote → confirm cycle and gives it back.
  const free = [...SERVICES];
  const admitted = {
    endpoint: 'promote → staging + confirm (admitted)',
    ledger: name,
    ceiling: 'POST',
    options: (answers) => ({
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/v1/deployments',
          headers: json(ci),
          setupRequest: (request, context) => {
            context.service = free.shift();
            if (context.service === undefined) throw new Error('more connections than services');
            const body = { environment: 'staging', kind: 'promote', service: context.service };
            return { ...request, body: JSON.stringify(body) };
          },
          onResponse: tally(answers, 'promote '),
        },
        {
          method: 'POST',
          path: '/v1/deployments/confirm',
          headers: json(ci),
          setupRequest: (request, context) => {
            const body = { service: context.service, environment: 'staging', status: 'failed' };
            return { ...request, body: JSON.stringify(body) };
          },
          onResponse: (status, body, context) => {
            free.push(context.service);
            tally(answers, 'confirm ')(status, body);
          },
        },
      ],
    }),
    after: async () => {
      await releasePending(server, ci);
      free.splice(0, free.length, ...SERVICES);
    },
    expect: (answers) => [...answers.keys()].every((key) => key.endsWith(' 200')),
  };
  return [statusRead, refused, admitted].map((target) => ({ ...target, server }));
}

async function startCeiling() {
  const child = spawn(process.execPath, [join(REPO, 'bench/_hono-ceiling.mjs')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  owner.after(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  });
  const [line] = await once(child.stdout.setEncoding('utf8'), 'data');
  const url = line.trim();
  const body = JSON.stringify({ environment: 'production', kind: 'promote', service: 'storefront' });
  return [
    {
      endpoint: 'GET (bare Hono)',
      ledger: '-',
      ceilingOf: 'GET',
      options: (answers) => ({
        url,
        requests: [{ method: 'GET', path: '/ceiling', onResponse: tally(answers, '') }],
      }),
      expect: (answers) => answers.size === 1 && answers.has('200'),
    },
    {
      endpoint: 'POST JSON (bare Hono)',
      ledger: '-',
      ceilingOf: 'POST',
      options: (answers) => ({
        url,
        requests: [
          {
            method: 'POST',
            path: '/ceiling',
            headers: { 'content-type': 'application/json' },
            body,
            onResponse: tally(answers, ''),
          },
        ],
      }),
      expect: (answers) => answers.size === 1 && answers.has('200'),
    },
  ];
}

async function startLedger(name) {
  let env = { STAGECRAFT_DATABASE_URL: undefined };
  if (name === 'postgres') {
    const postgres = await startPostgres(owner);
    if (typeof postgres === 'string') {
      progress(`PostgreSQL skipped: ${postgres}`);
      return [];
    }
    env = { STAGECRAFT_DATABASE_URL: postgres.url };
  }
  const server = await startServer(owner, { cwd: shopCopy(), env });
  progress(`${name}: ${server.url}, seeding the shop's history`);
  const { ci } = await seed(server);
  return ledgerTargets(name === 'postgres' ? 'PostgreSQL' : 'SQLite', server, ci);
}

async function measure(target, duration) {
  const answers = new Map();
  const result = await autocannon({
    ...target.options(answers),
    connections: CONNECTIONS,
    duration,
  });
  await target.after?.();
  if (result.errors || result.timeouts) {
    const exited = target.server?.process.exitCode ?? target.server?.process.signalCode;
    throw new Error(
      `${target.endpoint} (${target.ledger}): ${result.errors} errors, ${result.timeouts} timeouts` +
        (target.server
          ? `; the server ${exited === null ? 'runs' : `ended (${exited})`}, its log ends:\n${target.server.log().slice(-2000)}`
          : ''),
    );
  }
  if (!target.expect(answers)) {
    throw new Error(
      `${target.endpoint} (${target.ledger}) answered ${JSON.stringify(Object.fromEntries(answers))}`,
    );
  }
  return { rps: result.requests.average, p99: result.latency.p99, answers };
}

try {
  const targets = [...(await startCeiling())];
  for (const name of LEDGERS) targets.push(...(await startLedger(name)));
  for (const target of targets) target.runs = [];
  for (let round = 0; round <= ROUNDS; round++) {
    progress(round === 0 ? 'warm-up round (1 s each, not counted)' : `round ${round} of ${ROUNDS}`);
    for (const target of targets) {
      const run = await measure(target, round === 0 ? 1 : DURATION);
      if (round > 0) target.runs.push(run);
    }
  }
  const ceilings = new Map(
    targets.filter((t) => t.ceilingOf).map((t) => [t.ceilingOf, median(t.runs.map((r) => r.rps))]),
  );
  const rows = targets.map((target) => {
    const rps = median(target.runs.map((r) => r.rps));
    const answers = new Map();
    for (const run of target.runs)
      for (const [key, count] of run.answers) answers.set(key, (answers.get(key) ?? 0) + count);
    const ceiling = ceilings.get(target.ceiling ?? target.ceilingOf);
    return [
      target.endpoint,
      target.ledger,
      rps.toFixed(0),
      milliseconds(median(target.runs.map((r) => r.p99))),
      target.ceilingOf ? 'ceiling' : `${(rps / ceiling).toFixed(3)}×`,
      [...answers].map(([key, count]) => `${key} ×${count}`).join(', '),
    ];
  });
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `stagecraft serve under load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per row (medians), ` +
      `${SERVICES.length} services × 3 environments; Node ${process.version}, ${availableParallelism()} × ${cpu}, ` +
      `load average ${loadavg()[0].toFixed(1)} at the end\n`,
  );
  console.log(
    formatTable(['endpoint', 'ledger', 'req/s', 'p99 ms', 'of ceiling', 'answers (all rounds)'], rows, [
      false,
      false,
      true,
      true,
      true,
      false,
    ]),
  );
} finally {
  await cleanUp();
}
