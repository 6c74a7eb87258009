/**
 * Benchmark of secret scanners — stagecraft's `scan` and its peers, in one run — for quality and speed:
 *
 *   npm run build && node bench/scan.mjs --seed N [--quick] [--size-mb 200] [--history-commits 5000]
 *     [--runs 3] [--only quality,speed,history,precommit] [--json]
 *
 * 1. Quality: a generated repository-like corpus (bench/scan-corpus/generate.mjs) with several hundred
 *    secrets of 60+ kinds made from vendors' published formats, as many hard negatives, and ordinary files.
 *    Each scanner scans it once; findings are scored against the ground truth (bench/scan-tools/score.mjs):
 *    recall per kind, overall recall, precision and F1, false positives per negative kind.
 * 2. Speed: a larger tree (`--size-mb`, default 200; 20 with --quick) of ordinary files with a sprinkling of
 *    secrets. Wall time of each scanner's process (median of 3 runs, 1 with --quick; scanners rotate so none
 *    always runs first), MiB/s, and peak RSS, with ratios against stagecraft.
 * 3. History: a long generated git history (`--history-commits`, default 5,000; 1,000 with --quick) built
 *    with git fast-import from the same corpus (bench/scan-history/generate.mjs): edits, new and deleted
 *    files, planted secrets (some deleted since), --no-ff merges of feature branches and an unmerged branch.
 *    Every commit of every branch is scanned by `stagecraft scan --history --branches all` and `gitleaks
 *    detect --log-opts=--all`, beside `git log -p --all -U0` alone as the floor: commits/s, MiB/s of that
 *    log output, peak RSS, and recall of the planted secrets (bench/scan-history/measure.mjs).
 *
 * 4. Pre-commit latency: `stagecraft scan --staged` and the installed hook's command on a 20-file staged change,
 *    beside `gitleaks protect --staged` (bench/scan-precommit/latency.mjs); the target is under 300 ms.
 *
 * `--only` runs some parts (a comma-separated list: quality, speed, history, precommit); `--runs` sets the timed runs
 * of the speed and history parts.
 *
 * Peers are installed on first use into a cache outside the repository (bench/scan-tools/install.mjs):
 * gitleaks (Debian trixie's package), secretlint with its recommended preset (npm), git-secrets (Debian)
 * and detect-secrets when already installed. A peer that cannot be had is skipped with a note; so is
 * stagecraft while dist/cli/main.js has no `scan` command.
 *
 * Progress goes to stderr, the report to stdout (`--json` for machine output). Generated trees are removed
 * at the end; tool caches are kept. Not part of CI.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './scan-corpus/generate.mjs';
import { measureHistory } from './scan-history/measure.mjs';
import { measurePrecommit } from './scan-precommit/latency.mjs';
import { cacheDir } from './scan-tools/install.mjs';
import { ensureGnuTime, runMeasured } from './scan-tools/measure.mjs';
import { printReport } from './scan-tools/report.mjs';
import { loadScanners } from './scan-tools/scanners.mjs';
import { scoreFindings } from './scan-tools/score.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SETTINGS = {
  full: { qualityScale: 1, speedScale: 0.25, sizeMb: 200, runs: 3, historyCommits: 5000, historyScale: 1 },
  quick: { qualityScale: 0.5, speedScale: 0.1, sizeMb: 20, runs: 1, historyCommits: 1000, historyScale: 0.5 },
};
const PARTS = ['quality', 'speed', 'history', 'precommit'];
/** The scanners that can scan git history. */
const HISTORY_SCANNERS = ['stagecraft', 'gitleaks'];
/** A scan of the quality corpus (a few MiB) may take this long before it is ended as failed. */
const QUALITY_TIMEOUT_MS = 10 * 60 * 1000;
/**
 * A scan of the speed corpus is ended after this long and reported as a bound (slower than …), so one very
 * slow peer cannot push the full run past its ~15-minute budget.
 */
const SPEED_TIMEOUT_MS = 5 * 60 * 1000;
/** A scanner whose first timed run takes longer than this is not run again (the run must fit ~15 min). */
const SLOW_RUN_MS = 120 * 1000;

/** A failure the run reports and exits 1 for, after cleaning up. */
class BenchFailure extends Error {}

function parseArgs(argv) {
  const options = { quick: false, json: false, seed: 1, sizeMb: null, historyCommits: null, runs: null };
  options.parts = PARTS;
  const counts = {
    '--seed': ['seed', 0],
    '--size-mb': ['sizeMb', 1],
    '--history-commits': ['historyCommits', 2],
  };
  counts['--runs'] = ['runs', 1];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--json') options.json = true;
    else if (counts[arg]) {
      const [key, min] = counts[arg];
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < min) {
        throw new BenchFailure(`${arg} needs a whole number of at least ${min}, got ${argv[i] ?? 'nothing'}`);
      }
      options[key] = value;
    } else if (arg === '--only') {
      const parts = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = parts.filter((p) => !PARTS.includes(p));
      if (parts.length === 0 || unknown.length > 0) {
        throw new BenchFailure(
          `--only takes a comma-separated list of ${PARTS.join(', ')}; got ${argv[i] ?? 'nothing'}`,
        );
      }
      options.parts = parts;
    } else {
      throw new BenchFailure(
        `unknown option ${arg}; use --seed N, --quick, --size-mb N, --history-commits N, --runs N, ` +
          '--only quality,speed,history,precommit and --json',
      );
    }
  }
  return options;
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function rotated(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function machine() {
  const all = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: all[0]?.model ?? 'unknown',
    cpuCount: all.length,
  };
}

async function corpus(dir, options) {
  const tree = join(dir, 'tree');
  mkdirSync(tree, { recursive: true });
  const truth = await generateCorpus(tree, options);
  return { dir, tree, truth };
}

function countKinds(entries) {
  const counts = {};
  for (const entry of entries) counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
  return counts;
}

function describe(truth) {
  const secretKinds = countKinds(truth.secrets);
  return {
    files: truth.files,
    bytes: truth.bytes,
    secrets: truth.secrets.length,
    kinds: Object.keys(secretKinds).length,
    negatives: truth.negatives.length,
    secretKinds,
    negativeKinds: countKinds(truth.negatives),
  };
}

/** One measured scan; a time-out is returned (`timedOut`), any other failure throws in the scanner's words. */
async function scanOnce(scanner, target, dir, label, gnuTime, timeoutMs) {
  const report = join(dir, `${label}.report`);
  const run = await runMeasured(scanner.command(target, report), { dir, label, timeoutMs, gnuTime });
  if (run.timedOut) return { ...run, report };
  if (!scanner.okStatus(run.status)) {
    const said = readFileSync(run.stderr, 'utf8').trim().split('\n').slice(-3).join(' / ');
    throw new Error(`exit ${run.status}: ${said.slice(0, 300) || '(no output)'}`);
  }
  return { ...run, report };
}

async function measureQuality(scanners, quality, gnuTime) {
  const results = {};
  for (const scanner of scanners) {
    progress(`quality: ${scanner.name}`);
    try {
      const target = scanner.prepare(quality.tree, quality.dir);
      const run = await scanOnce(
        scanner,
        target,
        quality.dir,
        `quality-${scanner.name}`,
        gnuTime,
        QUALITY_TIMEOUT_MS,
      );
      if (run.timedOut) throw new Error(`timed out after ${QUALITY_TIMEOUT_MS / 60000} min`);
      const findings = scanner.parse(target, run);
      results[scanner.name] = { ...scoreFindings(quality.truth, findings), wallMs: run.wallMs };
    } catch (error) {
      results[scanner.name] = { error: error.message };
    }
  }
  return results;
}

async function measureSpeed(scanners, speed, settings, gnuTime, notes) {
  const targets = new Map();
  const results = {};
  for (const scanner of scanners) {
    try {
      targets.set(scanner.name, scanner.prepare(speed.tree, speed.dir));
      results[scanner.name] = { runs: [], peaks: [] };
    } catch (error) {
      results[scanner.name] = { error: `prepare: ${error.message}` };
    }
  }
  for (let round = 0; round < settings.runs; round++) {
    for (const scanner of rotated(scanners, round)) {
      const result = results[scanner.name];
      if (result.error || result.timedOut || (round > 0 && result.runs[0] > SLOW_RUN_MS)) continue;
      progress(`speed: ${scanner.name}, run ${round + 1}/${settings.runs}`);
      try {
        const label = `speed-${scanner.name}-${round}`;
        const target = targets.get(scanner.name);
        const run = await scanOnce(scanner, target, speed.dir, label, gnuTime, SPEED_TIMEOUT_MS);
        result.runs.push(run.wallMs);
        result.peaks.push(run.peakKb);
        if (run.timedOut) {
          result.timedOut = true;
          notes.push(
            `${scanner.name} was stopped after ${SPEED_TIMEOUT_MS / 1000} s on the speed corpus: its rate is a bound`,
          );
        } else if (round === 0 && run.wallMs > SLOW_RUN_MS && settings.runs > 1) {
          notes.push(`${scanner.name} took over ${SLOW_RUN_MS / 1000} s on the speed corpus: timed once`);
        }
      } catch (error) {
        results[scanner.name] = { error: error.message };
      }
    }
  }
  for (const result of Object.values(results)) {
    if (result.error) continue;
    result.medianMs = median(result.runs);
    result.peakKb = Math.max(...result.peaks);
  }
  return results;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const settings = { ...(options.quick ? SETTINGS.quick : SETTINGS.full) };
  if (options.sizeMb) settings.sizeMb = options.sizeMb;
  if (options.historyCommits) settings.historyCommits = options.historyCommits;
  if (options.runs) settings.runs = options.runs;
  const parts = new Set(options.parts);
  const notes = [];
  const gnuTime = ensureGnuTime(notes);
  const only = parts.has('quality') || parts.has('speed') ? null : HISTORY_SCANNERS;
  // The pre-commit part only needs gitleaks' binary, which loading the history scanners installs.
  const { scanners, skipped } = loadScanners({ repo: REPO, cache: cacheDir(), progress, only });
  if (scanners.length === 0) throw new BenchFailure('no scanner could be set up; see the notes above');
  const work = mkdtempSync(join(tmpdir(), 'stagecraft-scan-bench-'));
  try {
    const report = {
      seed: options.seed,
      machine: machine(),
      settings: { ...settings, quick: options.quick, gnuTime, parts: [...parts] },
      scanners: scanners.map((s) => ({ name: s.name, version: s.version })),
      skipped,
      notes,
      corpus: {},
    };
    if (parts.has('quality')) {
      progress(`generating the quality corpus (seed ${options.seed}, scale ${settings.qualityScale})`);
      const quality = await corpus(join(work, 'quality'), {
        seed: options.seed,
        scale: settings.qualityScale,
      });
      notes.push(...quality.truth.notes);
      report.corpus.quality = describe(quality.truth);
      report.quality = await measureQuality(scanners, quality, gnuTime);
      rmSync(quality.dir, { recursive: true, force: true });
    }
    if (parts.has('speed')) {
      progress(`generating the speed corpus (${settings.sizeMb} MiB)`);
      const speed = await corpus(join(work, 'speed'), {
        seed: options.seed + 1,
        scale: settings.speedScale,
        fillerMb: settings.sizeMb,
      });
      report.corpus.speed = describe(speed.truth);
      report.speed = await measureSpeed(scanners, speed, settings, gnuTime, notes);
      rmSync(speed.dir, { recursive: true, force: true });
    }
    if (parts.has('history')) {
      progress(`generating a history of ${settings.historyCommits} commits (seed ${options.seed + 2})`);
      report.history = await measureHistory({
        scanners: scanners.filter((s) => HISTORY_SCANNERS.includes(s.name)),
        dir: join(work, 'history'),
        seed: options.seed + 2,
        commits: settings.historyCommits,
        runs: settings.runs,
        scale: settings.historyScale,
        gnuTime,
        notes,
        progress,
      });
    }
    if (parts.has('precommit')) {
      progress('measuring pre-commit latency on a 20-file staged change');
      const gitleaks = scanners.find((s) => s.name === 'gitleaks');
      report.precommit = measurePrecommit({
        repo: REPO,
        gitleaksBin: gitleaks?.bin,
        runs: Math.max(settings.runs * 3, 5),
      });
    }
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof BenchFailure ? error.message : error);
  process.exitCode = 1;
});
