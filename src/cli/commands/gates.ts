/**
 * What gates are made of: `gate report tests pass|fail --commit SHA` (CI), `verify pass|fail --env ENV`
 * (checks of a running environment, which a soak needs clean), `approve SERVICE --env ENV` (someone other
 * than the commit's author). Each is recorded with who and when.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

function result(value: string | undefined): 'pass' | 'fail' {
  if (value === 'pass' || value === 'fail') return value;
  throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `expected pass or fail, found "${value ?? ''}"`, {
    hint: 'e.g. stagecraft verify fail --env staging',
  });
}

export function report(ctx: CommandContext, options: { commit: string }, args: string[]): Promise<number> {
  const [kind, value] = args;
  if (kind !== 'tests')
    throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `there is no gate report "${kind ?? ''}"`, {
      hint: 'CI reports tests: stagecraft gate report tests pass --commit SHA',
    });
  const outcome = result(value);
  return withLedger(ctx, async (ledger, actor) => {
    const commit = await ledger.reportGate('tests', options.commit, outcome, actor);
    ctx.output.report({
      data: { gate: 'tests', commit, result: outcome },
      text: (s) =>
        `${outcome === 'pass' ? s.green('✓') : s.red('✗')} tests ${outcome} recorded for ${commit.slice(0, 12)}`,
      markdown: () => `Tests ${outcome} for \`${commit}\`.`,
    });
    return ExitCode.Clean;
  });
}

export function verify(
  ctx: CommandContext,
  options: { env: string; service?: string },
  args: string[],
): Promise<number> {
  const outcome = result(args[0]);
  return withLedger(ctx, async (ledger, actor) => {
    await ledger.verify(options.env, options.service, outcome, actor);
    ctx.output.report({
      data: { environment: options.env, service: options.service ?? null, result: outcome },
      text: (s) =>
        `${outcome === 'pass' ? s.green('✓') : s.red('✗')} verification ${outcome} recorded for ${options.env}`,
      markdown: () => `Verification ${outcome} for ${options.env}.`,
    });
    return ExitCode.Clean;
  });
}

export function approve(
  ctx: CommandContext,
  options: { env: string; release?: string },
  args: string[],
): Promise<number> {
  const [service] = args;
  const { release } = options;
  if ((service === undefined) === (release === undefined)) {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_OPTION,
      service === undefined
        ? 'approve needs a service or --release'
        : 'approve takes a service or --release, not both',
      {
        hint: 'e.g. stagecraft approve api --env production, or stagecraft approve --release 2026-12 --env production',
      },
    );
  }
  return withLedger(ctx, async (ledger, actor) => {
    if (release !== undefined) {
      const artifacts = await ledger.approveRelease(release, options.env, actor);
      const approved = artifacts.map((a) => ({ service: a.service, digest: a.digest }));
      ctx.output.report({
        data: { release, environment: options.env, approver: actor.name, approved },
        text: (s) =>
          [
            `${s.green('✓')} ${actor.name} approved release ${release} for ${options.env}:`,
            ...approved.map((a) => `  ${a.service} ${a.digest.slice(0, 19)}…`),
          ].join('\n'),
        markdown: () =>
          `${actor.name} approved release \`${release}\` for ${options.env}: ${approved.map((a) => `\`${a.service}\``).join(', ')}.`,
      });
      return ExitCode.Clean;
    }
    const artifact = await ledger.approve(service ?? '', options.env, actor);
    ctx.output.report({
      data: { service, environment: options.env, digest: artifact.digest, approver: actor.name },
      text: (s) =>
        `${s.green('✓')} ${actor.name} approved ${service} ${artifact.digest.slice(0, 19)}… for ${options.env}`,
      markdown: () => `${actor.name} approved \`${service}\` for ${options.env}.`,
    });
    return ExitCode.Clean;
  });
}
