/**
 * Starting a command the way `env` and `exec` do: no shell (arguments reach the program as given), its
 * standard streams inherited, signals sent to stagecraft passed on, and its exit status passed through —
 * a child killed by a signal ends stagecraft with 128 + the signal's number, as shells report it.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StagecraftError } from '@stagecraft/config/errors';
import { RunCodes } from './errors.ts';
import { Redactor } from './redact.ts';

const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

export interface ChildOptions {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** Values to mask in the child's stdout and stderr; none: the streams are inherited untouched. */
  redact?: readonly string[];
}

export interface RunningChild {
  /** The exit code stagecraft should end with once the command ends. */
  exited: Promise<number>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs the command to its end; resolves to the exit code stagecraft should end with. */
export function runChild(options: ChildOptions): Promise<number> {
  return startChild(options).exited;
}

export function startChild(options: ChildOptions): RunningChild {
  const redacting = options.redact !== undefined && options.redact.length > 0;
  let kill: (signal: NodeJS.Signals) => void = () => {};
  const exited = new Promise<number>((resolve, reject) => {
    // On a terminal, Ctrl-C and Ctrl-\ reach the whole foreground process group, the child included: sending
    // them again would make it see two (many programs quit hard on a second SIGINT).
    const fromTerminal = new Set<NodeJS.Signals>(
      process.stdin.isTTY ? ['SIGINT', 'SIGQUIT', 'SIGWINCH'] : [],
    );
    // The handlers are in place before the child exists: a signal sent as soon as the child shows life must
    // reach it, not end stagecraft by its default action. Handlers run from the event loop, after spawn.
    let child: ReturnType<typeof spawn> | undefined;
    const forward = (signal: NodeJS.Signals) => {
      if (!fromTerminal.has(signal)) child?.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const stop = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    try {
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        stdio: redacting ? ['inherit', 'pipe', 'pipe'] : 'inherit',
      });
    } catch (error) {
      stop();
      throw error;
    }
    const started = child;
    kill = (signal) => started.kill(signal);
    if (redacting && started.stdout && started.stderr) {
      started.stdout.pipe(new Redactor(options.redact ?? [])).pipe(process.stdout, { end: false });
      started.stderr.pipe(new Redactor(options.redact ?? [])).pipe(process.stderr, { end: false });
    }
    started.on('error', (error: NodeJS.ErrnoException) => {
      stop();
      const notFound = error.code === 'ENOENT';
      reject(
        new StagecraftError(
          notFound ? RunCodes.RUN_COMMAND_NOT_FOUND : RunCodes.RUN_COMMAND_FAILED,
          notFound
            ? `${options.command}: command not found`
            : `cannot start ${options.command}: ${error.message}`,
          {
            hint: notFound
              ? 'the command runs without a shell: give a program on PATH or a path to one (for shell syntax, run sh -c "…")'
              : 'check that the file is executable',
          },
        ),
      );
    });
    started.on('close', (code, signal) => {
      stop();
      resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
    });
  });
  return { exited, kill: (signal) => kill(signal) };
}
