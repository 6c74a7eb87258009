/**
 * Benchmark of stagecraft/config against envalid, @t3-oss/env-core (zod 4) and convict, in one run:
 *
 *   npm run build && node bench/config.mjs [--quick] [--json]
 *
 * 1. Every library loads the same 60-variable config (bench/config-libs/table.mjs) from the same env object,
 *    and must produce the same typed values.
 * 2. Correctness gate: each invalid input must be rejected by every library, with an error naming the bad
 *    variable; a library that accepts one fails the run (exit 1).
 * 3. Per load: the median, over rounds, of µs per load in a warm process (schemas built once).
 * 4. Cold start: wall time of a fresh `node` that imports one library and loads the env once, next to
 *    node's own start-up.
 *
 * `--quick` uses fewer iterations and samples (a smoke test); `--json` prints the results as JSON on stdout.
 * Progress goes to stderr so stdout holds only the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { formatTable } from './_table.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LIBS_DIR = new URL('./config-libs/', import.meta.url);
const TABLE_URL = new URL('table.mjs', LIBS_DIR).href;
const LIBRARIES = ['stagecraft', 'envalid', 't3-env', 'convict'];
const OURS = 'stagecraft';

const SETTINGS = {
  full: { loads: 20_000, warmup: 2_000, rounds: 7, freshLoads: 2_000, coldSamples: 15 },
  quick: { loads: 2_000, warmup: 500, rounds: 3, freshLoads: 200, coldSamples: 5 },
};

/** A failure the run reports and exits 1 for, after cleaning up. */
class BenchFailure extends Error {}

function parseArgs(argv) {
  const known = new Set(['--quick', '--json']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new BenchFailure(`unknown option ${unknown[0]}; use --quick and/or --json`);
  return { quick: argv.includes('--quick'), json: argv.includes('--json') };
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The order libraries run in on round `round`: rotated, so none always runs first (warmest or coldest). */
function rotated(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

// ---------------------------------------------------------------------------------------------------------
// Setup

/** The stagecraft adapter imports the built package; without dist/ there is nothing to measure. */
function requireBuild() {
  if (!existsSync(join(REPO, 'dist', 'config', 'index.js'))) {
    throw new BenchFailure('dist/config is missing: run npm run build first');
  }
}

async function importAdapter(library) {
  return import(new URL(`${library}.mjs`, LIBS_DIR).href);
}

/** Dynamic imports, so a missing build is reported before stagecraft/config fails to resolve. */
async function loadAdapters(root) {
  const adapters = [];
  for (const library of LIBRARIES) {
    const module = await importAdapter(library);
    adapters.push({ name: library, module, ...module.setup({ root }) });
  }
  return adapters;
}

// ---------------------------------------------------------------------------------------------------------
// Same result and correctness gate

/** Every library must load the valid env to the same typed values, or the timings compare different work. */
function checkValidLoad(adapters, table) {
  for (const adapter of adapters) {
    const plain = adapter.plain(adapter.load(table.VALID_ENV));
    const wrong = table.VARIABLES.filter((v) => !isDeepStrictEqual(plain[v.key], v.value));
    if (wrong.length > 0) {
      const detail = wrong.map((v) => `${v.key}=${JSON.stringify(plain[v.key])}`).join(', ');
      throw new BenchFailure(`${adapter.name} loads the valid env differently: ${detail}`);
    }
  }
}

/** `rejected`, `ACCEPTED`, or `other error` (threw, but not a validation error naming the variable). */
function outcome(adapter, table, invalidCase) {
  const { key, env } = table.variableOf(invalidCase.key);
  try {
    adapter.load(table.envFor(invalidCase));
    return 'ACCEPTED';
  } catch (error) {
    const names = adapter.rejected(error);
    return names?.includes(key) || names?.includes(env) ? 'rejected' : 'other error';
  }
}

function runGate(adapters, table) {
  return table.INVALID_CASES.map((invalidCase) => ({
    label: invalidCase.label,
    results: Object.fromEntries(adapters.map((a) => [a.name, outcome(a, table, invalidCase)])),
  }));
}

function gateFailures(gate) {
  return gate.flatMap((row) =>
    Object.entries(row.results)
      .filter(([, result]) => result !== 'rejected')
      .map(([library, result]) => `${library}: ${row.label} → ${result}`),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Per-load timing

/** µs per call of `load(env)` over `count` calls. The last result is checked, so it is used. */
function timeLoads(load, env, count) {
  let result;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) result = load(env);
  const elapsed = process.hrtime.bigint() - start;
  if (result === undefined || result === null) throw new BenchFailure('a load returned nothing');
  return Number(elapsed) / 1000 / count;
}

function measurePerLoad(adapters, env, settings) {
  for (const adapter of adapters) timeLoads(adapter.load, env, settings.warmup);
  const samples = Object.fromEntries(adapters.map((a) => [a.name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const adapter of rotated(adapters, round)) {
      samples[adapter.name].push(timeLoads(adapter.load, env, settings.loads));
    }
    progress(`  per-load round ${round + 1}/${settings.rounds}`);
  }
  return summarize(samples);
}

/**
 * stagecraft with a new loader every time (defineConfig + first load): what a process pays once, including
 * the one-time context work (file existence checks) that a reused loader caches.
 */
function measureFreshLoader(module, root, env, settings) {
  const load = (input) => module.setup({ root }).load(input);
  timeLoads(load, env, Math.ceil(settings.freshLoads / 4));
  const samples = [];
  for (let round = 0; round < settings.rounds; round++)
    samples.push(timeLoads(load, env, settings.freshLoads));
  return summarize({ fresh: samples }).fresh;
}

function summarize(samples) {
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: values },
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Cold start

/**
 * What each fresh process runs. `node -e ""` is node's own start-up; the harness row is the ESM eval plus
 * the shared table with no library, so (library − harness) is what importing, defining and loading cost.
 */
function coldStartTargets(root) {
  const harness = `import ${JSON.stringify(TABLE_URL)};`;
  const targets = [
    { name: 'node -e ""', args: ['-e', ''] },
    { name: 'harness (no library)', args: ['--input-type=module', '-e', harness] },
  ];
  for (const library of LIBRARIES) {
    const adapterUrl = new URL(`${library}.mjs`, LIBS_DIR).href;
    const script = [
      `import { setup } from ${JSON.stringify(adapterUrl)};`,
      `import { VALID_ENV } from ${JSON.stringify(TABLE_URL)};`,
      `setup({ root: ${JSON.stringify(root)} }).load(VALID_ENV);`,
    ].join('\n');
    targets.push({ name: library, args: ['--input-type=module', '-e', script] });
  }
  return targets;
}

/** Wall time from spawn to exit, in ms. A child that fails invalidates the run. */
function spawnOnce(target) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, target.args, {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const elapsed = process.hrtime.bigint() - start;
  if (child.status !== 0) {
    throw new BenchFailure(`cold start of ${target.name} failed (exit ${child.status}):\n${child.stderr}`);
  }
  return Number(elapsed) / 1e6;
}

function measureColdStart(root, settings) {
  const targets = coldStartTargets(root);
  // One unmeasured run each, so the first sample does not also pay for reading files into the OS cache.
  for (const target of targets) spawnOnce(target);
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < settings.coldSamples; round++) {
    for (const target of rotated(targets, round)) samples[target.name].push(spawnOnce(target));
  }
  progress(`  cold start: ${settings.coldSamples} samples × ${targets.length} targets`);
  return summarize(samples);
}

// ---------------------------------------------------------------------------------------------------------
// Report

function machine() {
  const all = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: all[0]?.model ?? 'unknown',
    cpuCount: all.length,
  };
}

function ratio(value, reference) {
  return `${(value / reference).toFixed(2)}×`;
}

function gateTable(gate) {
  const headers = ['invalid input', ...LIBRARIES];
  const rows = gate.map((row) => [row.label, ...LIBRARIES.map((library) => row.results[library])]);
  return formatTable(headers, rows, [false, ...LIBRARIES.map(() => false)]);
}

function resultsTable(perLoad, cold) {
  const ours = perLoad[OURS].median;
  const oursCold = cold[OURS].median;
  const headers = [
    'library',
    'µs/load',
    'vs stagecraft',
    'cold start ms',
    'vs stagecraft',
    'over harness ms',
  ];
  const harness = cold['harness (no library)'].median;
  const rows = LIBRARIES.map((library) => [
    library,
    perLoad[library].median.toFixed(2),
    ratio(perLoad[library].median, ours),
    cold[library].median.toFixed(1),
    ratio(cold[library].median, oursCold),
    (cold[library].median - harness).toFixed(1),
  ]);
  for (const name of ['harness (no library)', 'node -e ""']) {
    rows.push([name, '-', '-', cold[name].median.toFixed(1), '-', '-']);
  }
  return formatTable(headers, rows, [false, true, true, true, true, true]);
}

function printReport(report) {
  const { machine: m, settings } = report;
  console.log(`node ${m.node} on ${m.platform}, ${m.cpuCount} × ${m.cpu}`);
  console.log(
    `per load: median of ${settings.rounds} rounds × ${settings.loads} loads (after ${settings.warmup} warm-up);` +
      ` cold start: median of ${settings.coldSamples} fresh processes, round-robin`,
  );
  console.log(
    `config: ${report.variables} variables; ratios are peer / stagecraft, so > 1 means stagecraft is faster\n`,
  );
  console.log(gateTable(report.gate));
  console.log('');
  console.log(resultsTable(report.perLoad, report.coldStart));
  console.log(
    `\nstagecraft with a new loader per load (defineConfig + first load): ${report.freshLoader.median.toFixed(2)} µs`,
  );
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const settings = options.quick ? SETTINGS.quick : SETTINGS.full;
  requireBuild();
  // An empty folder as stagecraft's root: no workspace, config files or .env to find.
  const root = mkdtempSync(join(tmpdir(), 'stagecraft-bench-'));
  try {
    const table = await import(TABLE_URL);
    const adapters = await loadAdapters(root);
    progress('checking that every library loads the same values and rejects every invalid input');
    checkValidLoad(adapters, table);
    const gate = runGate(adapters, table);
    const failures = gateFailures(gate);
    if (failures.length > 0) {
      console.log(gateTable(gate));
      throw new BenchFailure(`correctness gate failed:\n  ${failures.join('\n  ')}`);
    }
    progress('timing loads in this process');
    const perLoad = measurePerLoad(adapters, table.VALID_ENV, settings);
    const ours = adapters.find((a) => a.name === OURS);
    const freshLoader = measureFreshLoader(ours.module, root, table.VALID_ENV, settings);
    progress('timing cold starts');
    const coldStart = measureColdStart(root, settings);
    const report = {
      machine: machine(),
      settings,
      variables: table.VARIABLES.length,
      gate,
      perLoad,
      freshLoader,
      coldStart,
    };
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof BenchFailure ? error.message : error);
  process.exitCode = 1;
});
