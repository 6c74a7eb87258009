import type { CommandContext } from './context.ts';

/**
 * `--record` on checks (parity, drift) before the ledger keeps their results: say so and store nothing. Its
 * own module, so these commands do not load the ledger's database drivers to print one line.
 */
export function noteRecordNotYetStored(ctx: CommandContext): void {
  ctx.output.note('--record: results are kept once the ledger exists (a later release); nothing was stored');
}
