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
import { DEFAULT_MAX_FILE_BYTES, readTextFile, type WalkedFile, walkPaths } from './walk.ts';

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
  onProgress?: (done: { files: number; bytes: number }, total: { files: number; bytes: number }) => void;
}

export async function scanTree(options: ScanTreeOptions): Promise<ScanSummary> {
  const walked = walkPaths(
    options.root,
    options.paths,
    options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    options.honourIgnore ?? true,
  );
  const totalBytes = walked.files.reduce((sum, file) => sum + file.size, 0);
  const workers = options.workers ?? (totalBytes >= PARALLEL_THRESHOLD_BYTES ? availableParallelism() : 0);
  const summary: ScanSummary = {
    findings: [],
    suppressed: [],
    scanned: { files: 0, bytes: 0 },
    skipped: walked.skipped,
  };
  const total = { files: walked.files.length, bytes: totalBytes };
  if (workers === 0) {
    const engine = new ScanEngine(buildRuleSet(options.customRules));
    for (const file of walked.files) {
      scanOne(engine, file, summary);
      options.onProgress?.(summary.scanned, total);
    }
  } else {
    await scanInWorkers(walked.files, workers, options.customRules, summary, (done) =>
      options.onProgress?.(done, total),
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

async function scanInWorkers(
  files: readonly WalkedFile[],
  count: number,
  customRules: readonly CustomRuleDefinition[],
  summary: ScanSummary,
  onProgress: (done: { files: number; bytes: number }) => void,
): Promise<void> {
  const batches = batch(files);
  let next = 0;
  // From source (tests) the worker is the .ts beside this module; installed, it is tsc's dist/scan/worker.js,
  // wherever this code was bundled to.
  const workerUrl = import.meta.url.endsWith('.ts')
    ? new URL('./worker.ts', import.meta.url)
    : pathToFileURL(join(packageRoot(), 'dist/scan/worker.js'));
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= batches.length) {
          resolve();
          return;
        }
        worker.postMessage(batches[next++]);
      };
      worker.on('message', (reply: WorkerReply) => {
        for (const { finding, secret } of reply.findings)
          summary.findings.push(attachSecret(finding, secret));
        for (const entry of reply.suppressed) summary.suppressed.push(entry);
        summary.scanned.files += reply.scanned.files;
        summary.scanned.bytes += reply.scanned.bytes;
        mergeSkipped(summary.skipped, reply.skipped);
        onProgress(summary.scanned);
        send();
      });
      worker.on('error', reject);
      send();
    });
  const workers = Array.from(
    { length: Math.min(count, batches.length) },
    () => new Worker(workerUrl, { workerData: { customRules } }),
  );
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function batch(files: readonly WalkedFile[]): WalkedFile[][] {
  const batches: WalkedFile[][] = [];
  let current: WalkedFile[] = [];
  let bytes = 0;
  for (const file of files) {
    current.push(file);
    bytes += file.size;
    if (bytes >= BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
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
