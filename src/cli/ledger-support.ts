/**
 * What the ledger commands share: the store (SQLite in .stagecraft/, or STAGECRAFT_DATABASE_URL), the actor,
 * the mode (rehearsal or not) and refusals.
 */

import { userInfo } from 'node:os';
import { join } from 'node:path';
import { isStagecraftError } from '../errors.ts';
import { ledgerMode } from '../ledger/clock.ts';
import { type Actor, Ledger, Refusal } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import type { CommandContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';

/** Locally the actor says who they are (STAGECRAFT_ACTOR, STAGECRAFT_ROLE); the server will be the authority. */
export function actorOf(ctx: CommandContext): Actor {
  return {
    name: ctx.env['STAGECRAFT_ACTOR'] ?? userInfo().username,
    role: ctx.env['STAGECRAFT_ROLE'] ?? 'developer',
  };
}

/** Opens the ledger, runs the command, closes it; a refusal is reported and exits 2. */
export async function withLedger(
  ctx: CommandContext,
  work: (ledger: Ledger, actor: Actor) => Promise<number>,
): Promise<number> {
  const workspace = ctx.workspace();
  let mode: ReturnType<typeof ledgerMode>;
  try {
    mode = ledgerMode(ctx.env);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    ctx.output.error(error);
    return ExitCode.Problems;
  }
  const store = ctx.ledgerStore
    ? await ctx.ledgerStore()
    : await openStore({
        databaseUrl: ctx.env['STAGECRAFT_DATABASE_URL'],
        file: join(workspace.root, '.stagecraft', 'state.db'),
      });
  try {
    if (mode.rehearsal) {
      ctx.output.note(
        `rehearsal: entries are marked rehearsed and count only in rehearsal${mode.now ? `; the time is ${mode.now}` : ''}`,
      );
    }
    return await work(new Ledger(store, workspace, mode), actorOf(ctx));
  } catch (error) {
    if (error instanceof Refusal || (isStagecraftError(error) && error.code.startsWith('LEDGER_REFUSED'))) {
      ctx.output.error(error as Refusal);
      return ExitCode.Problems;
    }
    throw error;
  } finally {
    await store.close();
  }
}
