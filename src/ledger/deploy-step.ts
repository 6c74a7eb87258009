/**
 * Running an environment's deploy step for a recorded deployment: `deploy.command` in stagecraft.yaml, with
 * the service, image (repository@digest), environment, commit and deployment id in its environment. A string
 * runs through sh (so it may use $STAGECRAFT_IMAGE); a list runs without a shell. The exit code decides
 * succeeded or failed; the output is kept in the ledger with any secret the scanner recognises redacted.
 */
import { spawn } from 'node:child_process';
import { ScanEngine } from '../scan/engine.ts';
import { redact, revealSecret } from '../scan/finding.ts';
import { buildRuleSet } from '../scan/rule-set.ts';
import type { DeployStep } from '../workspace/model.ts';

const MAX_OUTPUT = 64 * 1024;

export interface StepResult {
  status: 'succeeded' | 'failed';
  output: string;
}

export function runDeployStep(
  step: DeployStep,
  variables: Record<string, string>,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StepResult> {
  const command = step.command;
  const [file, args] =
    typeof command === 'string'
      ? ['sh', ['-c', command]]
      : [String(command?.[0]), (command ?? []).slice(1).map(String)];
  return new Promise((resolve) => {
    const childEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...env, ...variables }))
      if (value !== undefined) childEnv[key] = value;
    const child = spawn(file, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) =>
      resolve({ status: 'failed', output: `cannot start the deploy step: ${error.message}` }),
    );
    child.on('close', (code, signal) => {
      const kept =
        output.length > MAX_OUTPUT ? `${output.slice(0, MAX_OUTPUT)}\n[output cut at 64 KiB]` : output;
      const ending = signal ? `\n[ended by ${signal}]` : code === 0 ? '' : `\n[exit code ${code}]`;
      resolve({ status: code === 0 ? 'succeeded' : 'failed', output: redactSecrets(kept) + ending });
    });
  });
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
