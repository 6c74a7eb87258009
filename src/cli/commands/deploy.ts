/**
 * `stagecraft deploy SERVICE --env ENV [--digest D]` and `stagecraft promote SERVICE --to ENV`: record a
 * deployment if the rules allow it, then run the environment's deploy step; its exit code decides whether the
 * deployment succeeded. Without a deploy step the deployment stays pending until `stagecraft deployed`
 * confirms it: nothing is marked succeeded that was not. The ledger does both (carry-out.ts); this prints.
 */

import { existsSync } from 'node:fs';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { signalExitCode } from '../../ledger/deploy-step.ts';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { Deployed, LedgerApi } from '../../ledger/ledger.ts';
import { shortDigest } from '../../terminal/digest.ts';
import type { Style } from '../../terminal/style.ts';
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
  // Which services is a question of usage, answered before the ledger is asked (and audits a refusal).
  if ((service === '') === (options.release === undefined)) {
    const verb = kind === 'promote' ? 'promote SERVICE --to ENV' : `${kind} SERVICE --env ENV`;
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_OPTION,
      service === ''
        ? `${kind} needs a service, or --release NAME`
        : `give a service or --release ${options.release}, not both`,
      {
        hint: `stagecraft ${verb}${kind === 'rollback' ? '' : ', or every service of a release with --release NAME'}`,
      },
    );
  }
  if (options.breakGlass && !options.reason) {
    throw new StagecraftError(LedgerCodes.LEDGER_REASON_REQUIRED, '--break-glass needs --reason', {
      hint: 'the reason is recorded and shown wherever this deployment appears',
    });
  }
  return withLedger(ctx, async (ledger, actor) => {
    if (options.release !== undefined && kind === 'rollback') {
      throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, 'rollback takes one service', {
        hint: 'roll back each service',
      });
    }
    const request = {
      environment: options.to ?? options.env ?? '',
      kind,
      ...(options.release === undefined ? { service, digest: options.digest } : { release: options.release }),
      breakGlass: options.breakGlass ? options.reason : undefined,
    };
    let code: number = ExitCode.Clean;
    const carried: Deployed[] = [];
    await ledger.deploy(request, actor, {
      env: ctx.env,
      secrets: (environment) => environmentSecrets(ctx, ledger, environment),
      admitted: ([first]) => {
        if (!options.breakGlass || options.release !== undefined || !first) return;
        const gates = first.bypassed.map((f) => `${f.gate} (${f.message})`).join('; ');
        ctx.output.note(
          `BREAK-GLASS by ${actor.name}: ${options.reason}${gates ? ` — gates bypassed: ${gates}` : ''}`,
        );
      },
      carried: (deployed) => {
        carried.push(deployed);
        // Text and Markdown say how each step ended as it ends; JSON is one document, below.
        if (ctx.output.format !== 'json') ctx.output.report({ data: null, ...rendered(deployed) });
        const { outcome } = deployed;
        if (outcome.step !== 'command') return;
        if (outcome.interrupted) code = signalExitCode(outcome.interrupted);
        else if (outcome.status === 'failed') code = ExitCode.Problems;
      },
    });
    if (ctx.output.format === 'json') {
      // Each deployment as every other reader sees it (deployment show), with how its step went.
      const deployments = await Promise.all(
        carried.map(async ({ id, outcome }) => ({
          ...(await ledger.deployment(id)),
          step: outcome.step,
          gitops: outcome.step === 'gitops' ? { commit: outcome.commit, files: outcome.files } : null,
        })),
      );
      const data = options.release === undefined ? deployments[0] : { release: options.release, deployments };
      ctx.output.report({ data, text: () => '', markdown: () => '' });
    }
    return code;
  });
}

/** One deployment as its step left it: pending (no step, or a GitOps commit), succeeded or failed. */
function rendered({ id, service, environment, artifact, outcome }: Deployed): {
  text: (s: Style) => string;
  markdown: () => string;
} {
  const target = environment.name;
  const confirm = `stagecraft deployed ${service} --env ${target} --confirm`;
  const digest = shortDigest(artifact.digest);
  let text: (s: Style) => string;
  let markdown: string;
  if (outcome.step === 'gitops') {
    const { commit, files } = outcome;
    text = (s) =>
      `${s.yellow('…')} deployment #${id}: committed ${commit.slice(0, 12)} (${files.join(', ')}); pending until confirmed\n${s.dim(`  once it runs: ${confirm}`)}`;
    markdown = `Deployment #${id} of \`${service}\` to ${target}: committed \`${commit}\`, pending.`;
  } else if (outcome.step === 'rehearsed') {
    text = (s) =>
      `${s.green('✓')} deployment #${id}: ${service} ${digest} to ${target} succeeded (rehearsed)\n${s.dim(
        outcome.output
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      )}`;
    markdown = `Deployment #${id} of \`${service}\` to ${target}: succeeded (rehearsed, the deploy step was not run).`;
  } else if (outcome.step === 'none') {
    text = (s) =>
      `${s.yellow('…')} deployment #${id}: ${service} ${digest} to ${target} is pending\n${s.dim(`  ${target} has no deploy step: confirm it once it runs with ${confirm}`)}`;
    markdown = `Deployment #${id} of \`${service}\` to ${target} is pending.`;
  } else {
    const { status, output } = outcome;
    text = (s) =>
      status === 'succeeded'
        ? `${s.green('✓')} deployment #${id}: ${service} ${digest} to ${target} succeeded`
        : `${s.red('✗')} deployment #${id}: ${service} to ${target} failed\n${output
            .trimEnd()
            .split('\n')
            .slice(-10)
            .map((line) => `  ${line}`)
            .join('\n')}`;
    markdown = `Deployment #${id} of \`${service}\` to ${target}: ${status}.`;
  }
  return { text, markdown: () => markdown };
}

/**
 * Every secret value the environment's config resolves, so the deploy step's kept output can be masked of
 * them. A workspace without a config module has none; one whose config cannot be resolved here (a backend
 * this machine cannot reach) deploys anyway, its output masked of what the scanner recognises, and says so.
 */
async function environmentSecrets(
  ctx: CommandContext,
  ledger: LedgerApi,
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
