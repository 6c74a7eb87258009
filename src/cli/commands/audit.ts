import type { CommandContext } from '../context.ts';
import { audit } from './ledger-view.ts';

export const run = (ctx: CommandContext, options: { limit?: string }): Promise<number> => audit(ctx, options);
