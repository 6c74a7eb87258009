/**
 * `stagecraft deploy SERVICE --env ENV [--digest D]` and `stagecraft promote SERVICE --to ENV`: record a
 * deployment if the rules allow it, then run the environment's deploy step; its exit code decides whether the
 * deployment succeeded. Without a deploy step the deployment stays pending until `stagecraft deployed`
 * confirms it: nothing is marked succeeded that was not.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '../../errors.ts';
import { runDeployStep, signalExitCode } from '../../ledger/deploy-step.ts';
import { gitopsDeploy } from '../../ledger/gitops.ts';
import type { Actor, ArtifactRow, Ledger } from '../../ledger/ledger.ts';
import { redactValues } from '../../run/redact.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { resolvedConfig, secretValues } from '../secrets-support.ts';

interface Options {
  env?: string;
  to?: string;
  digest?: string;
  breakGlass?: boolean;
  reason?: string;
  /** Every service of this release, as one unit. */
  release?: string;
}

/** `stagecraft rollback SERVICE --env ENV`: the previous successful artifact of that environment, as a new entry. */
export function rollback(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  return deploy(ctx, options, args, 'rollback');
}

export function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  return deploy(ctx, options, args, options.to !== undefined ? 'promote' : 'deploy');
}

async function deploy(
  ctx: CommandContext,
  options: Options,
  args: string[],
  kind: 'deploy' | 'promote' | 'rollback',
): Promise<number> {
  const [service = ''] = args;
  const target = options.to ?? options.env ?? '';
  if (options.breakGlass && !options.reason) {
    throw new StagecraftError('LEDGER_REASON_REQUIRED', '--break-glass needs --reason', {
      hint: 'the reason is recorded and shown wherever this deployment appears',
    });
  }
  return withLedger(ctx, async (ledger, actor) => {
    if (options.release !== undefined) {
      if (kind === 'rollback')
        throw new StagecraftError('LEDGER_BAD_OPTION', 'rollback takes one service', {
          hint: 'roll back each service',
        });
      const admitted = await ledger.startRelease(
        {
          release: options.release,
          environment: target,
          kind,
          breakGlass: options.breakGlass ? options.reason : undefined,
        },
        actor,
      );
      let code: number = ExitCode.Clean;
      for (const item of admitted) {
        const result = await carryOut(ctx, ledger, actor, target, item.service, item.id, item.artifact);
        if (result !== ExitCode.Clean) code = result;
      }
      return code;
    }
    const { id, artifact, bypassed } = await ledger.startDeployment(
      {
        service,
        environment: target,
        digest: options.digest,
        kind,
        breakGlass: options.breakGlass ? options.reason : undefined,
      },
      actor,
    );
    if (options.breakGlass) {
      const gates = bypassed.map((f) => `${f.gate} (${f.message})`).join('; ');
      ctx.output.note(
        `BREAK-GLASS by ${actor.name}: ${options.reason}${gates ? ` — gates bypassed: ${gates}` : ''}`,
      );
    }
    return carryOut(ctx, ledger, actor, target, service, id, artifact);
  });
}

/** Runs the environment's deploy step for one recorded deployment (a command, a GitOps commit, or none). */
async function carryOut(
  ctx: CommandContext,
  ledger: Ledger,
  actor: Actor,
  target: string,
  service: string,
  id: number,
  artifact: ArtifactRow,
): Promise<number> {
  const environment = ledger.environment(target);
  const step = environment.deploy;
  if (step?.['gitops']) {
    // GitOps: the commit is the deployment; the cluster's controller applies it, then someone confirms.
    const gitops = step['gitops'] as { path?: string } | true;
    const dir =
      typeof gitops === 'object' && gitops.path
        ? resolve(ledger.workspace.root, gitops.path)
        : environment.manifests;
    if (!dir) {
      throw new StagecraftError(
        'LEDGER_GITOPS_NO_PATH',
        `${target} deploys by GitOps but declares no manifests`,
        {
          hint: `set environments.${target}.manifests, or deploy.gitops.path`,
        },
      );
    }
    const repository = artifact.image.slice(0, artifact.image.lastIndexOf('@'));
    let result: { files: string[]; commit: string };
    try {
      result = gitopsDeploy({
        dir,
        repository,
        digest: artifact.digest,
        message: `stagecraft: deploy ${service} ${artifact.digest} to ${target}\n\nLedger deployment #${id} (commit ${artifact.commit_sha}), recorded by ${actor.name}.`,
        env: ctx.env,
      });
    } catch (error) {
      await ledger.finishDeployment(id, 'failed', (error as Error).message, actor);
      throw error;
    }
    await ledger.recordOutput(id, `committed ${result.commit}: ${result.files.join(', ')}`);
    ctx.output.report({
      data: {
        id,
        service,
        environment: target,
        digest: artifact.digest,
        status: 'pending',
        commit: result.commit,
        files: result.files,
      },
      text: (s) =>
        `${s.yellow('…')} deployment #${id}: committed ${result.commit.slice(0, 12)} (${result.files.join(', ')}); pending until confirmed\n${s.dim(`  once it runs: stagecraft deployed ${service} --env ${target} --confirm`)}`,
      markdown: () =>
        `Deployment #${id} of \`${service}\` to ${target}: committed \`${result.commit}\`, pending.`,
    });
    return ExitCode.Clean;
  }
  if (!step?.command) {
    ctx.output.report({
      data: { id, service, environment: target, digest: artifact.digest, status: 'pending' },
      text: (s) =>
        `${s.yellow('…')} deployment #${id}: ${service} ${artifact.digest.slice(0, 19)}… to ${target} is pending\n${s.dim(`  ${target} has no deploy step: confirm it once it runs with stagecraft deployed ${service} --env ${target} --confirm`)}`,
      markdown: () => `Deployment #${id} of \`${service}\` to ${target} is pending.`,
    });
    return ExitCode.Clean;
  }
  const heartbeatMs = Math.min(30_000, Math.max(1_000, ledger.workspace.ledger.staleAfterMs / 4));
  const result = await runDeployStep(step, {
    variables: {
      STAGECRAFT_SERVICE: service,
      STAGECRAFT_IMAGE: artifact.image,
      STAGECRAFT_DIGEST: artifact.digest,
      STAGECRAFT_COMMIT: artifact.commit_sha,
      STAGECRAFT_ENVIRONMENT: target,
      STAGECRAFT_DEPLOYMENT_ID: String(id),
    },
    cwd: ledger.workspace.root,
    env: ctx.env,
    secrets: await environmentSecrets(ctx, ledger, target),
    mask: redactValues,
    heartbeat: () => ledger.heartbeat(id),
    heartbeatMs,
  });
  await ledger.finishDeployment(id, result.status, result.output, actor);
  ctx.output.report({
    data: {
      id,
      service,
      environment: target,
      digest: artifact.digest,
      status: result.status,
      output: result.output,
    },
    text: (s) =>
      result.status === 'succeeded'
        ? `${s.green('✓')} deployment #${id}: ${service} ${artifact.digest.slice(0, 19)}… to ${target} succeeded`
        : `${s.red('✗')} deployment #${id}: ${service} to ${target} failed\n${result.output
            .trimEnd()
            .split('\n')
            .slice(-10)
            .map((line) => `  ${line}`)
            .join('\n')}`,
    markdown: () => `Deployment #${id} of \`${service}\` to ${target}: ${result.status}.`,
  });
  if (result.interrupted) return signalExitCode(result.interrupted);
  return result.status === 'succeeded' ? ExitCode.Clean : ExitCode.Problems;
}

/**
 * Every secret value the environment's config resolves, so the deploy step's kept output can be masked of
 * them. A workspace without a config module has none; one whose config cannot be resolved here (a backend
 * this machine cannot reach) deploys anyway, its output masked of what the scanner recognises, and says so.
 */
async function environmentSecrets(
  ctx: CommandContext,
  ledger: Ledger,
  environment: string,
): Promise<string[]> {
  if (!existsSync(ledger.workspace.config.module)) return [];
  try {
    const { inspection } = await resolvedConfig(ctx, { env: environment });
    return secretValues(inspection);
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    ctx.output.note(
      `the deploy step's output is masked only of what the scanner recognises: ${environment}'s config could not be resolved here (${error.code})`,
    );
    return [];
  }
}
