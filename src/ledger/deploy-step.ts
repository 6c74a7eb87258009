/**
 * Running an environment's deploy step for a recorded deployment: `deploy.command` in stagecraft.yaml, with
 * the service, image (repository@digest), environment, commit and deployment id in its environment. A string
 * runs through sh (so it may use $STAGECRAFT_IMAGE); a list runs without a shell. The exit code decides
 * succeeded or failed.
 *
 * - The step does not inherit stagecraft's own credentials (the ledger's database URL, tokens): a deploy
 *   script is the user's code, and the ledger's rules would mean nothing if it could write the ledger.
 * - Its output is kept in the ledger with every secret value of the environment's config masked (also
 *   encoded), and anything else the scanner recognises as a secret.
 * - It runs in a process group of its own; a SIGINT, SIGTERM or SIGHUP that stops stagecraft is passed to
 *   the whole group, and the deployment recorded failed. A second signal kills the group.
 * - While it runs, `heartbeat` is called so a later deploy can tell a running step from an abandoned one.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { DeployStep } from '@stagecraft/config/workspace';
import { ScanEngine } from '../scan/engine.ts';
import { redact, revealSecret } from '../scan/finding.ts';
import { buildRuleSet } from '../scan/rule-set.ts';

const MAX_OUTPUT = 64 * 1024;
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Variables of stagecraft's own that grant access to the ledger: never passed to a deploy step. */
const OWN_CREDENTIAL = /^STAGECRAFT_(?:DATABASE_URL|TOKEN|.*(?:TOKEN|PASSWORD|SECRET|CREDENTIALS?))$/;

export interface StepResult {
  status: 'succeeded' | 'failed';
  output: string;
  /** The signal that interrupted stagecraft while the step ran, if one did. */
  interrupted?: NodeJS.Signals;
}

export interface StepOptions {
  variables: Record<string, string>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Secret values to mask in the kept output. */
  secrets: readonly string[];
  /** Masks `secrets` (verbatim and encoded) in a text. */
  mask: (text: string, secrets: readonly string[]) => string;
  heartbeat: () => Promise<void>;
  heartbeatMs: number;
}

/** The step's environment: the caller's, without stagecraft's credentials, plus the deployment's variables. */
export function stepEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  variables: Record<string, string>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !OWN_CREDENTIAL.test(key)) result[key] = value;
  }
  return { ...result, ...variables };
}

export function runDeployStep(step: DeployStep, options: StepOptions): Promise<StepResult> {
  const command = step.command;
  const [file, args] =
    typeof command === 'string'
      ? ['sh', ['-c', command]]
      : [String(command?.[0]), (command ?? []).slice(1).map(String)];
  return new Promise((resolve) => {
    let interrupted: NodeJS.Signals | undefined;
    let child: ReturnType<typeof spawn> | undefined;
    const group = (signal: NodeJS.Signals) => {
      try {
        if (child?.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const forward = (signal: NodeJS.Signals) => {
      group(interrupted === undefined ? signal : 'SIGKILL');
      interrupted ??= signal;
    };
    // Listening before the step starts: a signal that came while it was starting would otherwise stop
    // stagecraft by default, with the step running and its deployment never ended.
    for (const signal of FORWARDED) process.on(signal, forward);
    child = spawn(file, args, {
      cwd: options.cwd,
      env: stepEnvironment(options.env, options.variables),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // A signal that came before the step had a pid reaches it now.
    if (interrupted !== undefined) group(interrupted);
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const beat = setInterval(() => void options.heartbeat().catch(() => {}), options.heartbeatMs);
    const stop = () => {
      clearInterval(beat);
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on('error', (error) => {
      stop();
      resolve({ status: 'failed', output: `cannot start the deploy step: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      stop();
      const kept =
        output.length > MAX_OUTPUT ? `${output.slice(0, MAX_OUTPUT)}\n[output cut at 64 KiB]` : output;
      const ending = interrupted
        ? `\n[interrupted: stagecraft received ${interrupted} and passed it to the deploy step]`
        : signal
          ? `\n[ended by ${signal}]`
          : code === 0
            ? ''
            : `\n[exit code ${code}]`;
      const clean = redactSecrets(options.mask(kept, options.secrets));
      resolve({
        status: code === 0 && !interrupted ? 'succeeded' : 'failed',
        output: clean + ending,
        ...(interrupted ? { interrupted } : {}),
      });
    });
  });
}

/** The exit code a process stopped by `signal` reports, as shells do. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/** The output as the ledger keeps it: every secret the scanner finds replaced by its redacted form. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const finding of new ScanEngine(buildRuleSet([])).scan(text, 'deploy-output.log')) {
    const secret = revealSecret(finding);
    if (secret) result = result.split(secret).join(redact(secret));
  }
  return result;
}
