import type { CommandContext } from '../context.ts';
import { rollback } from './deploy.ts';

export function run(ctx: CommandContext, options: { env: string }, args: string[]): Promise<number> {
  return rollback(ctx, options, args);
}
