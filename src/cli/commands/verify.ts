import type { CommandContext } from '../context.ts';
import { verify } from './gates.ts';

export const run = (
  ctx: CommandContext,
  options: { env: string; service?: string },
  args: string[],
): Promise<number> => verify(ctx, options, args);
