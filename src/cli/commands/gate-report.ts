import type { CommandContext } from '../context.ts';
import { report } from './gates.ts';

export const run = (ctx: CommandContext, options: { commit: string }, args: string[]): Promise<number> =>
  report(ctx, options, args);
