/** `stagecraft deployed SERVICE --env ENV --confirm|--failed`: how a pending deployment ended. */
import { StagecraftError } from '../../errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

export async function run(
  ctx: CommandContext,
  options: { env: string; confirm?: boolean; failed?: boolean },
  args: string[],
): Promise<number> {
  const [service = ''] = args;
  if (options.confirm === options.failed) {
    throw new StagecraftError('LEDGER_BAD_OPTION', 'give --confirm (it runs) or --failed (it did not)', {
      hint: 'stagecraft deployed web --env production --confirm',
    });
  }
  const status = options.confirm ? 'succeeded' : 'failed';
  return withLedger(ctx, async (ledger, actor) => {
    const id = await ledger.confirm({ service, environment: options.env, status }, actor);
    ctx.output.report({
      data: { id, service, environment: options.env, status },
      text: (s) =>
        `${status === 'succeeded' ? s.green('✓') : s.red('✗')} deployment #${id} of ${service} to ${options.env}: ${status}`,
      markdown: () => `Deployment #${id} of \`${service}\` to ${options.env}: ${status}.`,
    });
    return ExitCode.Clean;
  });
}
