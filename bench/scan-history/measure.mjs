/**
 * History-scan throughput: a long generated history (./generate.mjs), scanned whole — every commit of every
 * branch — by each scanner that can scan git history, beside `git log -p --all -U0` alone (the floor: what
 * reading the history costs before any scanning). Wall time is the median of `runs` runs (scanners rotate
 * so none always runs first); rates are per commit and per byte of that `git log -p` output; peak memory is
 * GNU time's; recall is of the planted secrets (./score.mjs), from the first run's report.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured } from '../scan-tools/measure.mjs';
import { generateHistory } from './generate.mjs';
import { scoreHistory } from './score.mjs';

/** The floor's name in the results: not a scanner. */
export const FLOOR = 'git log -p (floor)';
const FLOOR_COMMAND = 'exec git log -p --all -U0 --no-color > /dev/null';
/** A history scan is ended after this long and reported as a bound. */
const TIMEOUT_MS = 5 * 60 * 1000;
/** A tool whose first run takes longer than this is not run again. */
const SLOW_RUN_MS = 60 * 1000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function rotated(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Bytes of `git log -p --all -U0` output, counted once (written to a file, then measured). */
function logBytes(repo, dir) {
  const file = join(dir, 'git-log-p.txt');
  const result = spawnSync('sh', ['-c', `git log -p --all -U0 --no-color > '${file}'`], { cwd: repo });
  if (result.status !== 0) throw new Error(`git log -p failed: ${String(result.stderr).trim()}`);
  return statSync(file).size;
}

export async function measureHistory({
  scanners,
  dir,
  seed,
  commits,
  runs,
  scale,
  gnuTime,
  notes,
  progress,
}) {
  mkdirSync(dir, { recursive: true });
  const start = Date.now();
  const truth = await generateHistory(dir, { seed, commits, scale, progress });
  const repo = join(dir, 'repo');
  const generateMs = Date.now() - start;
  notes.push(...truth.notes.filter((note) => !notes.includes(note)));
  const bytes = logBytes(repo, dir);
  const count = Number(
    spawnSync('git', ['rev-list', '--all', '--count'], { cwd: repo, encoding: 'utf8' }).stdout,
  );

  const tools = [
    ...scanners
      .filter((s) => s.historyCommand)
      .map((s) => ({ name: s.name, command: (report) => s.historyCommand(repo, report), scanner: s })),
    {
      name: FLOOR,
      command: () => ({ command: 'sh', args: ['-c', FLOOR_COMMAND], cwd: repo }),
      scanner: null,
    },
  ];
  const results = Object.fromEntries(tools.map((t) => [t.name, { runs: [], peaks: [] }]));
  for (let round = 0; round < runs; round++) {
    for (const tool of rotated(tools, round)) {
      const result = results[tool.name];
      if (result.error || result.timedOut || (round > 0 && result.runs[0] > SLOW_RUN_MS)) continue;
      progress(`history: ${tool.name}, run ${round + 1}/${runs}`);
      const label = `history-${tool.name.replace(/\W+/g, '-')}-${round}`;
      const report = join(dir, `${label}.report`);
      try {
        const run = await runMeasured(tool.command(report), { dir, label, timeoutMs: TIMEOUT_MS, gnuTime });
        if (!run.timedOut && !(tool.scanner ? tool.scanner.okStatus(run.status) : run.status === 0)) {
          const said = readFileSync(run.stderr, 'utf8').trim().split('\n').slice(-3).join(' / ');
          throw new Error(`exit ${run.status}: ${said.slice(0, 300) || '(no output)'}`);
        }
        result.runs.push(run.wallMs);
        result.peaks.push(run.peakKb);
        if (run.timedOut) {
          result.timedOut = true;
          notes.push(
            `${tool.name} was stopped after ${TIMEOUT_MS / 1000} s on the history: its rate is a bound`,
          );
        } else if (round === 0 && tool.scanner) {
          result.score = scoreHistory(truth, tool.scanner.parseHistory({ ...run, report }));
        }
      } catch (error) {
        results[tool.name] = { error: error.message };
      }
    }
  }
  for (const result of Object.values(results)) {
    if (result.error) continue;
    result.medianMs = median(result.runs);
    result.peakKb = Math.max(...result.peaks);
  }
  return {
    repo: {
      seed,
      commits: count,
      merges: truth.merges,
      branches: truth.branches,
      logBytes: bytes,
      secrets: truth.secrets.length,
      secretsGone: truth.secrets.filter((s) => !s.atHead).length,
      negatives: truth.negatives.length,
      generateMs,
    },
    runs,
    results,
  };
}
