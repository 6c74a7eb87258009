/**
 * A working-tree scan: walk, read, detect. Small inputs (a pre-commit hook's few files) are scanned on the
 * main thread, since starting workers would cost more than the scan; large ones are spread over worker
 * threads, one per core.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../package-info.ts';
import { classifyFindings } from './classify/classify.ts';
import { ScanEngine } from './engine.ts';
import { attachSecret, type Finding, revealSecret } from './finding.ts';
import { applyInlineAllows } from './inline-allow.ts';
import { buildRuleSet, type CustomRuleDefinition } from './rule-set.ts';
import { emptySkipped, mergeSkipped, recordSkip, type Skipped, undecodedFile } from './skipped-files.ts';
import type { Suppressed } from './suppression.ts';
import { DEFAULT_MAX_FILE_BYTES, readTextFile, type WalkedFile, walkFiles } from './walk.ts';

/** Below this, workers cost more to start than they save. */
const PARALLEL_THRESHOLD_BYTES = 8 * 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;

export interface ScanSummary {
  findings: Finding[];
  /** Findings not reported, each with what suppressed it (an inline comment, an allowlist, a baseline). */
  suppressed: Suppressed[];
  scanned: { files: number; bytes: number };
  skipped: Skipped;
}

export interface ScanTreeOptions {
  root: string;
  paths: readonly string[];
  /** Rules from the workspace's `scan:` section and .gitleaks.toml, as data: workers compile them too. */
  customRules: readonly CustomRuleDefinition[];
  maxFileBytes?: number;
  /** Whether .gitignore files exclude what they list (default true; `--no-ignore` sets false). */
  honourIgnore?: boolean;
  /** Worker count; 0 scans on the main thread. Default: one per core above the size threshold. */
  workers?: number;
  /** `total` is what the walk has found so far: on a large tree it grows while the first files are scanned. */
  onProgress?: (done: { files: number; bytes: number }, total: { files: number; bytes: number }) => void;
}

export async function scanTree(options: ScanTreeOptions): Promise<ScanSummary> {
  const summary: ScanSummary = {
    findings: [],
    suppressed: [],
    scanned: { files: 0, bytes: 0 },
    skipped: emptySkipped(),
  };
  const walk = walkFiles(
    options.root,
    options.paths,
    summary.skipped,
    options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    options.honourIgnore ?? true,
  );
  // The walk runs ahead until it has seen enough to be worth workers (or the whole tree); then the workers
  // start on that while the walk goes on, so neither waits for the other.
  const walked = { files: 0, bytes: 0 };
  const first: WalkedFile[] = [];
  const threshold = options.workers === undefined ? PARALLEL_THRESHOLD_BYTES : 0;
  let next = walk.next();
  for (; !next.done && walked.bytes < threshold; next = walk.next()) {
    first.push(next.value);
    walked.files++;
    walked.bytes += next.value.size;
  }
  const workers = options.workers ?? (walked.bytes >= PARALLEL_THRESHOLD_BYTES ? availableParallelism() : 0);
  const rest = next.done ? undefined : next.value;
  if (workers === 0) {
    const engine = new ScanEngine(buildRuleSet(options.customRules));
    const all = rest === undefined ? first : [...first, rest, ...walk];
    walked.files = all.length;
    walked.bytes = all.reduce((sum, file) => sum + file.size, 0);
    for (const file of all) {
      scanOne(engine, file, summary);
      options.onProgress?.(summary.scanned, walked);
    }
  } else {
    const files = function* (): Generator<WalkedFile, void, undefined> {
      yield* first;
      if (rest === undefined) return;
      walked.files++;
      walked.bytes += rest.size;
      yield rest;
      for (const file of walk) {
        walked.files++;
        walked.bytes += file.size;
        yield file;
      }
    };
    await scanInWorkers(files(), workers, options.customRules, summary, (done) =>
      options.onProgress?.(done, walked),
    );
  }
  summary.findings.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
  );
  // Workers report in the order they finish.
  summary.skipped.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return summary;
}

export function scanOne(engine: ScanEngine, file: WalkedFile, summary: ScanSummary): void {
  let decoded: ReturnType<typeof readTextFile>;
  try {
    decoded = readTextFile(file.path);
  } catch (error) {
    summary.skipped.unreadable.push(`${file.display}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    return;
  }
  if ('skip' in decoded) {
    recordSkip(summary.skipped, undecodedFile(file.display, decoded));
    return;
  }
  scanText(engine, decoded.text, file.display, file.size, summary);
}

/**
 * Scans one file's text into a summary, applying `stagecraft:allow` comments. Every mode goes through here:
 * working tree, workers, standard input and staged changes (whose `keep` narrows findings to added lines).
 */
export function scanText(
  engine: ScanEngine,
  text: string,
  display: string,
  bytes: number,
  summary: ScanSummary,
  keep?: (finding: Finding) => boolean,
): void {
  summary.scanned.files++;
  summary.scanned.bytes += bytes;
  const scanned = engine.scan(text, display);
  // Context and confidence for each finding; values that are no secret (words, examples, regexes) go.
  const found = classifyFindings(keep ? scanned.filter(keep) : scanned, text, display, engine.rules).kept;
  const { kept, suppressed } = applyInlineAllows(text, found);
  // One by one: spreading a file's findings into push() as arguments overflows the stack past ~100,000.
  for (const finding of kept) summary.findings.push(finding);
  for (const entry of suppressed) summary.suppressed.push(entry);
}

export function emptySummary(): ScanSummary {
  return {
    findings: [],
    suppressed: [],
    scanned: { files: 0, bytes: 0 },
    skipped: emptySkipped(),
  };
}

/**
 * What a worker sends back: findings lose their attached secret crossing threads, so it travels beside them
 * (suppressed findings are only ever shown redacted, so theirs stays behind).
 */
export interface WorkerReply {
  findings: { finding: Finding; secret: string }[];
  suppressed: Suppressed[];
  scanned: { files: number; bytes: number };
  skipped: Skipped;
}

/**
 * Spreads files over workers in batches of about BATCH_BYTES. The batches are cut from the walk as it goes;
 * the main thread yields after each one so workers' replies are taken (and new batches sent) while it walks.
 * Each worker has up to two batches at a time, so it never waits for a round trip to the main thread.
 */
async function scanInWorkers(
  files: Iterator<WalkedFile, void, undefined>,
  count: number,
  customRules: readonly CustomRuleDefinition[],
  summary: ScanSummary,
  onProgress: (done: { files: number; bytes: number }) => void,
): Promise<void> {
  // From source (tests) the worker is the .ts beside this module; installed, it is tsc's dist/scan/worker.js,
  // wherever this code was bundled to.
  const workerUrl = import.meta.url.endsWith('.ts')
    ? new URL('./worker.ts', import.meta.url)
    : pathToFileURL(join(packageRoot(), 'dist/scan/worker.js'));
  const queue: WalkedFile[][] = [];
  let walking = true;
  const workers = Array.from(
    { length: Math.max(1, count) },
    () => new Worker(workerUrl, { workerData: { customRules } }),
  );
  const inFlight = new Map<Worker, number>(workers.map((worker) => [worker, 0]));
  let failed: unknown;
  let settle: (() => void) | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = () => {
      if (failed !== undefined) reject(failed);
      else if (!walking && queue.length === 0 && [...inFlight.values()].every((n) => n === 0)) resolve();
    };
  });
  // Awaited only once the walk is done: a worker failing before then must not count as an unhandled rejection.
  finished.catch(() => undefined);
  const feed = (worker: Worker) => {
    while ((inFlight.get(worker) as number) < 2 && queue.length > 0) {
      worker.postMessage(queue.shift());
      inFlight.set(worker, (inFlight.get(worker) as number) + 1);
    }
  };
  for (const worker of workers) {
    worker.on('message', (reply: WorkerReply) => {
      for (const { finding, secret } of reply.findings) summary.findings.push(attachSecret(finding, secret));
      for (const entry of reply.suppressed) summary.suppressed.push(entry);
      summary.scanned.files += reply.scanned.files;
      summary.scanned.bytes += reply.scanned.bytes;
      mergeSkipped(summary.skipped, reply.skipped);
      onProgress(summary.scanned);
      inFlight.set(worker, (inFlight.get(worker) as number) - 1);
      feed(worker);
      settle?.();
    });
    worker.on('error', (error) => {
      failed ??= error;
      settle?.();
    });
  }
  try {
    for (let batch = nextBatch(files); batch.length > 0; batch = nextBatch(files)) {
      if (failed !== undefined) break;
      queue.push(batch);
      for (const worker of workers) feed(worker);
      // Let replies in: they free a worker's slot for the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    walking = false;
    settle?.();
    await finished;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The next files from the walk adding up to about BATCH_BYTES; empty when the walk is done. */
function nextBatch(files: Iterator<WalkedFile, void, undefined>): WalkedFile[] {
  const batch: WalkedFile[] = [];
  let bytes = 0;
  while (bytes < BATCH_BYTES) {
    const next = files.next();
    if (next.done) break;
    batch.push(next.value);
    bytes += next.value.size;
  }
  return batch;
}

export function toWorkerReply(summary: ScanSummary): WorkerReply {
  return {
    findings: summary.findings.map((finding) => ({
      finding: { ...finding },
      secret: revealSecret(finding) ?? '',
    })),
    suppressed: summary.suppressed.map((entry) => ({ ...entry, finding: { ...entry.finding } })),
    scanned: summary.scanned,
    skipped: summary.skipped,
  };
}
