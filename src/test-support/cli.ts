/** Runs the built CLI as a real child process, the way users and CI run it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));
export const CLI: string = join(REPO_ROOT, 'dist/cli/main.js');
export const EXAMPLE_SHOP: string = join(REPO_ROOT, 'examples/shop');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did (a timeout kills with SIGKILL). */
  signal?: NodeJS.Signals | null;
  /** Whether `timeoutMs` passed before the process ended. */
  timedOut?: boolean;
}

export interface RunCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to standard input, which is then closed; without it standard input stays open and empty. */
  input?: string | Buffer;
  /** Kill the process (SIGKILL) after this long: a test of input that once hung must end either way. */
  timeoutMs?: number;
  /** Extra node options before the CLI, e.g. `--max-old-space-size=128`. */
  nodeArgs?: readonly string[];
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
  };
  Object.assign(env, options.env);
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
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

/** Throw-away folders: one helper for both packages' tests. */
export { tempDir, writeTree } from '../../packages/config/src/test-support/temp-dir.ts';
