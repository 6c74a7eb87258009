/** Running the user's kubectl (their kubeconfig, their context) for JSON output, with clear failures. */
import { spawnSync } from 'node:child_process';
import { StagecraftError } from '@stagecraft/config/errors';
import { KubernetesCodes } from './errors.ts';

export interface KubectlOptions {
  context?: string | undefined;
  kubeconfig?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs kubectl with `-o json` output and returns it parsed. `kubectl version` prints the client version and
 * exits non-zero when the server cannot be reached, so success is judged by `needed` being in the output.
 */
export function kubectlJson(
  options: KubectlOptions,
  args: readonly string[],
  needed: string,
): Record<string, unknown> {
  const flags = [
    ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : []),
    ...(options.context ? ['--context', options.context] : []),
    '--request-timeout=20s',
  ];
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const result = spawnSync('kubectl', [...flags, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error) {
    throw new StagecraftError(
      KubernetesCodes.KUBECTL_UNAVAILABLE,
      `cannot run kubectl: ${result.error.message}`,
      {
        hint: 'install kubectl and make sure it is on PATH',
      },
    );
  }
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  if (parsed?.[needed] === undefined) {
    const reason = result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`;
    throw new StagecraftError(KubernetesCodes.KUBECTL_FAILED, `kubectl ${args.join(' ')} failed: ${reason}`, {
      hint: `check the context${options.context ? ` ${options.context}` : ''} (kubectl config get-contexts), your credentials and permissions`,
    });
  }
  return parsed;
}
