/** `stagecraft reject DIGEST --reason TEXT`: blocks an artifact's promotion everywhere, recorded with who and why. */
import { StagecraftError } from '@stagecraft/config/errors';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

export async function run(
  ctx: CommandContext,
  options: { reason?: string },
  args: string[],
): Promise<number> {
  const [digest = ''] = args;
  if (!options.reason)
    throw new StagecraftError(LedgerCodes.LEDGER_REASON_REQUIRED, 'say why with --reason', {
      hint: 'the reason is shown wherever the artifact is refused',
    });
  return withLedger(ctx, async (ledger, actor) => {
    await ledger.reject(digest, options.reason as string, actor);
    ctx.output.report({
      data: { digest, rejected: true, reason: options.reason },
      text: (s) => `${s.green('✓')} rejected ${digest}: it will not be deployed or promoted anywhere`,
      markdown: () => `Rejected \`${digest}\`.`,
    });
    return ExitCode.Clean;
  });
}
