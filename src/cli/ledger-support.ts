/** What the ledger commands share: the store (SQLite in .stagecraft/, or DATABASE_URL), the actor, refusals. */

import { userInfo } from 'node:os';
import { join } from 'node:path';
import { isStagecraftError } from '../errors.ts';
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
  const store = await openStore({
    databaseUrl: ctx.env['DATABASE_URL'],
    file: join(workspace.root, '.stagecraft', 'state.db'),
  });
  try {
    // STAGECRAFT_NOW sets the clock of the local store (for rehearsing soaks and windows); the server of the
    // next release keeps its own.
    const now = ctx.env['STAGECRAFT_NOW'];
    const clock = now === undefined ? undefined : () => new Date(now);
    return await work(new Ledger(store, workspace, clock), actorOf(ctx));
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
