/**
 * What the ledger commands share: the store (SQLite in .stagecraft/, or STAGECRAFT_DATABASE_URL), the actor,
 * and the mode (rehearsal or not).
 */

import { userInfo } from 'node:os';
import { join } from 'node:path';

import { ledgerMode } from '../ledger/clock.ts';
import { type Actor, Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import type { CommandContext } from './context.ts';

/** Locally the actor says who they are (STAGECRAFT_ACTOR, STAGECRAFT_ROLE); the server will be the authority. */
export function actorOf(ctx: CommandContext): Actor {
  return {
    name: ctx.env['STAGECRAFT_ACTOR'] ?? userInfo().username,
    role: ctx.env['STAGECRAFT_ROLE'] ?? 'developer',
  };
}

/** Opens the ledger, runs the command, closes it. A refusal is thrown on: its outcome makes it exit 2. */
export async function withLedger(
  ctx: CommandContext,
  work: (ledger: Ledger, actor: Actor) => Promise<number>,
): Promise<number> {
  const workspace = ctx.workspace();
  const mode = ledgerMode(ctx.env);
  const store = await openStore({
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
  } finally {
    await store.close();
  }
}
