import type { CommandContext } from '../context.ts';
import { history } from './ledger-view.ts';

export function run(
  ctx: CommandContext,
  options: { env?: string; service?: string; limit?: string },
): Promise<number> {
  return history(ctx, options);
}
