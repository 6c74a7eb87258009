/**
 * What the ledger commands share: the store (SQLite in .stagecraft/, or STAGECRAFT_DATABASE_URL), the actor,
 * and the mode (rehearsal or not).
 */

import { userInfo } from 'node:os';
import { join } from 'node:path';

import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { ledgerMode } from '../ledger/clock.ts';
import { LedgerCodes } from '../ledger/errors.ts';
import { type Actor, Ledger, type LedgerApi, type Refusal } from '../ledger/ledger.ts';
import { openStore, type Store } from '../ledger/store.ts';
import { RemoteLedger, remoteSettings } from '../server/client.ts';
import { ServerCodes } from '../server/errors.ts';
import type { CommandContext } from './context.ts';
import { exitCodeFor } from './exit-codes.ts';

/** Locally the actor says who they are (STAGECRAFT_ACTOR, STAGECRAFT_ROLE); a server believes only tokens. */
export function actorOf(ctx: CommandContext): Actor {
  return {
    name: ctx.env['STAGECRAFT_ACTOR'] ?? userInfo().username,
    role: ctx.env['STAGECRAFT_ROLE'] ?? 'developer',
  };
}

/**
 * Opens the ledger, runs the command, closes it. A refusal is thrown on: its outcome makes it exit 2.
 * STAGECRAFT_NOW outside rehearsal is refused before the command runs, and audited like every refusal when
 * the ledger opens.
 */
export async function withLedger(
  ctx: CommandContext,
  work: (ledger: LedgerApi, actor: Actor) => Promise<number>,
): Promise<number> {
  const remote = remoteSettings(ctx.env);
  if (remote === undefined) {
    return withLocalLedger(ctx, work, { actsLocally: true });
  }
  if (ledgerMode(ctx.env).rehearsal) {
    throw new StagecraftError(ServerCodes.SERVER_LOCAL_ONLY, 'rehearsal mode works on a local ledger only', {
      hint: 'unset STAGECRAFT_URL to rehearse on .stagecraft/state.db; a server keeps the database’s time',
    });
  }
  const ledger = new RemoteLedger({ ...remote, workspace: ctx.workspace(), gitEnv: ctx.env });
  return work(ledger, await ledger.whoami());
}

/** The ledger's own database, never a server's: for what reads the database itself (`audit verify`). */
export async function withLocalLedger(
  ctx: CommandContext,
  work: (ledger: Ledger, actor: Actor) => Promise<number>,
  options: { actsLocally?: boolean } = {},
): Promise<number> {
  const workspace = ctx.workspace();
  let mode: ReturnType<typeof ledgerMode>;
  let clock: Refusal | undefined;
  try {
    mode = ledgerMode(ctx.env);
  } catch (error) {
    if (!isStagecraftError(error, LedgerCodes.LEDGER_CLOCK_REFUSED)) throw error;
    // Thrown only as a refusal (ledger/clock.ts), so the ledger can audit it.
    clock = error as Refusal;
    mode = { rehearsal: false };
  }
  let store: Store;
  try {
    store = ctx.ledgerStore
      ? await ctx.ledgerStore()
      : await openStore({
          databaseUrl: ctx.env['STAGECRAFT_DATABASE_URL'],
          file: join(workspace.root, '.stagecraft', 'state.db'),
        });
  } catch (error) {
    if (clock === undefined) throw error;
    // No ledger to audit it in: the refusal is still what the user needs to hear.
    ctx.output.error(clock);
    return exitCodeFor(clock.outcome);
  }
  try {
    const ledger = new Ledger(store, workspace, mode, ctx.env);
    if (clock)
      await ledger.refuse(actorOf(ctx), 'set clock', `STAGECRAFT_NOW=${ctx.env['STAGECRAFT_NOW']}`, clock);
    const actor = actorOf(ctx);
    const note = localNote(mode, options.actsLocally ? actor : undefined);
    if (note) ctx.output.note(note);
    return await work(ledger, actor);
  } finally {
    await store.close();
  }
}

/**
 * One line on stderr saying what a local ledger means: who you act as, unauthenticated, and whether this is
 * a rehearsal (its clock, and that its entries count only in rehearsal). A team's server needs none of it.
 */
function localNote(mode: ReturnType<typeof ledgerMode>, actor: Actor | undefined): string | undefined {
  const who = actor && `you act as ${actor.name}, role ${actor.role} (not authenticated here)`;
  if (mode.rehearsal) {
    const at = mode.now ? ` at ${mode.now}` : '';
    return `rehearsal${at}: ${who ? `${who}; ` : ''}entries are marked rehearsed and count only in rehearsal`;
  }
  return who && `local ledger: ${who}; a team points STAGECRAFT_URL at its stagecraft server`;
}
