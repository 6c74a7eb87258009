import type { CommandContext } from '../context.ts';
import { status } from './ledger-view.ts';

export function run(ctx: CommandContext): Promise<number> {
  return status(ctx);
}
