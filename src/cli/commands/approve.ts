import type { CommandContext } from '../context.ts';
import { approve } from './gates.ts';

export const run = (
  ctx: CommandContext,
  options: { env: string; release?: string },
  args: string[],
): Promise<number> => approve(ctx, options, args);
