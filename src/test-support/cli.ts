/**
 * Runs the CLI for tests. `runCli` drives the real command tree in this process through injected streams,
 * environment and working directory, so many runs proceed at once; given a time or heap bound it runs in a
 * worker thread that is stopped when the bound is passed. `spawnCli` runs the built package as a child
 * process, the way users and CI run it, for what only a process has: signals, exit by SIGKILL, process
 * groups, hooks git runs, inherited standard streams and node's own options.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runCli as runCommandLine } from '../cli/program.ts';
import type { Store } from '../ledger/store.ts';

export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));
export const CLI: string = join(REPO_ROOT, 'dist/cli/main.js');
export const EXAMPLE_SHOP: string = join(REPO_ROOT, 'examples/shop');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did (a timeout kills with SIGKILL). */
  signal?: NodeJS.Signals | null;
  /** Whether `timeoutMs` passed before the command ended. */
  timedOut?: boolean;
  /** Whether the command ran out of the heap `maxHeapMb` allows. */
  outOfMemory?: boolean;
}

export interface RunCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Standard input; without it, a command that reads standard input fails the test. */
  input?: string | Buffer;
  /**
   * Stop the command after this long (the result says `timedOut`): a test of input that once hung must end
   * either way. In process, the command then runs in a worker thread, which can be stopped mid-loop.
   */
  timeoutMs?: number;
  /** Cap the heap (in process: the worker thread's) at this many MiB; running out is `outOfMemory`. */
  maxHeapMb?: number;
  /** The ledger's store for this run, e.g. a test's in-memory one (`memoryLedger`); not for bounded runs. */
  ledgerStore?: () => Promise<Store>;
}

export interface SpawnCliOptions extends Omit<RunCliOptions, 'maxHeapMb' | 'ledgerStore'> {
  /** Extra node options before the CLI, e.g. `--max-old-space-size=128`. */
  nodeArgs?: readonly string[];
  /** Without input, standard input stays open and empty (as for a command started from a terminal). */
  input?: string | Buffer;
}

/** The environment a run sees: this process's, without colour settings, with the test's on top. */
function environment(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
  };
  Object.assign(env, overrides);
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) defined[key] = value;
  return defined;
}

/** Runs the CLI in this process (or, bounded, in a worker thread of it). */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const request: RunRequest = {
    args: [...args],
    cwd: options.cwd ?? REPO_ROOT,
    env: environment(options.env),
    ...(options.input !== undefined ? { input: options.input } : {}),
  };
  if (options.timeoutMs !== undefined || options.maxHeapMb !== undefined) {
    if (options.ledgerStore)
      throw new Error('a bounded run (timeoutMs, maxHeapMb) cannot share a ledger store');
    return runBounded(request, options.timeoutMs, options.maxHeapMb);
  }
  return runHere(request, options.ledgerStore);
}

export interface RunRequest {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  input?: string | Buffer;
}

/** One run of the real command tree with collected output; what the bounded worker calls too. */
export async function runHere(request: RunRequest, ledgerStore?: () => Promise<Store>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin: AsyncIterable<Buffer | string> =
    request.input === undefined
      ? {
          [Symbol.asyncIterator]() {
            throw new Error('the command read standard input, but the test gave it none (pass `input`)');
          },
        }
      : Readable.from([Buffer.from(request.input)]);
  const code = await runCommandLine(request.args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin,
    env: request.env,
    cwd: request.cwd,
    ...(ledgerStore ? { ledgerStore } : {}),
  });
  return { code, stdout, stderr };
}

// Bounded runs: a pool of worker threads per heap size, each kept for the next run unless it was stopped.
const idle = new Map<number | undefined, Worker[]>();

function startWorker(maxHeapMb: number | undefined): Worker {
  // A worker does not inherit the tsx loader in Node 20: it registers it before loading the runner.
  const steps = [
    import.meta.resolve('tsx/esm/api'),
    new URL('../../scripts/fail-on-console.mjs', import.meta.url).href,
    new URL('./cli-worker.ts', import.meta.url).href,
  ];
  const boot = `import(${JSON.stringify(steps[0])})
    .then(({ register }) => { register(); return import(${JSON.stringify(steps[1])}); })
    .then(() => import(${JSON.stringify(steps[2])}));`;
  return new Worker(boot, {
    eval: true,
    ...(maxHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } }),
  });
}

function runBounded(
  request: RunRequest,
  timeoutMs: number | undefined,
  maxHeapMb: number | undefined,
): Promise<CliResult> {
  const pool = idle.get(maxHeapMb) ?? [];
  idle.set(maxHeapMb, pool);
  const worker = pool.pop() ?? startWorker(maxHeapMb);
  worker.ref();
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: CliResult, reusable: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reusable) {
        worker.unref();
        pool.push(worker);
      } else {
        void worker.terminate();
      }
      resolve(result);
    };
    const onMessage = (result: CliResult) => finish(result, true);
    const onError = (error: Error & { code?: string }) =>
      finish(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { code: -1, stdout: '', stderr: `heap out of memory (${maxHeapMb} MiB)`, outOfMemory: true }
          : { code: -1, stdout: '', stderr: `the runner failed: ${error.stack ?? error.message}` },
        false,
      );
    const onExit = (code: number) =>
      finish({ code: -1, stdout: '', stderr: `the runner exited with ${code}` }, false);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    if (timeoutMs !== undefined)
      timer = setTimeout(
        () => finish({ code: -1, stdout: '', stderr: '', signal: 'SIGKILL', timedOut: true }, false),
        timeoutMs,
      );
    worker.postMessage(request);
  });
}

/** Runs the built CLI as a child process (after checking that the build is not older than the source). */
export function spawnCli(args: readonly string[], options: SpawnCliOptions = {}): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: environment(options.env),
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (options.input !== undefined) {
      // A command that stops reading early (input over its cap) closes the pipe: not a test failure.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, signal, timedOut });
    });
  });
}

/** The folders the build compiles into each package's dist/. */
const SOURCES = [join(REPO_ROOT, 'src'), join(REPO_ROOT, 'packages/config/src')];
/** What the tests load from dist/: the CLI's entry and the config library an installed app imports. */
const BUILT = [
  CLI,
  join(REPO_ROOT, 'dist/config/index.js'),
  join(REPO_ROOT, 'packages/config/dist/index.js'),
];
let builtChecked = false;

/**
 * Fails, saying what to run, when dist/ is missing or older than a source file: a test of the built package
 * must never pass or fail on a stale build. `npm test` and `npm run test:unit` build first.
 */
export function assertBuilt(): void {
  if (builtChecked) return;
  const builtAt = Math.min(...BUILT.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  if (builtAt === 0) throw new Error('dist/ is not built: run `npm run build` before these tests');
  const newer = SOURCES.flatMap((dir) => newerSources(dir, builtAt));
  if (newer.length) {
    throw new Error(
      `dist/ is older than ${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ` and ${newer.length - 3} more` : ''}: run \`npm run build\` first`,
    );
  }
  builtChecked = true;
}

function newerSources(dir: string, than: number): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'test-support' || entry.name === 'fixtures' ? [] : newerSources(path, than);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
    return statSync(path).mtimeMs > than ? [relative(REPO_ROOT, path)] : [];
  });
}

/** The built config library, for an app's config module in a test to import as an installed app does. */
export function builtConfigLibrary(): string {
  assertBuilt();
  return join(REPO_ROOT, 'dist/config/index.js');
}

/** Throw-away folders: one helper for both packages' tests. */
export { tempDir, writeTree } from '../../packages/config/src/test-support/temp-dir.ts';
