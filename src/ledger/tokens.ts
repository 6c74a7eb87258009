/**
 * The server's API tokens. A token is 32 random bytes, shown once when it is made; the ledger keeps only its
 * SHA-256 (a slow hash buys nothing against guessing 256 random bits, and every request checks one). A token
 * speaks for a name with one role, optionally only in some environments, until it expires or is revoked —
 * both read on every request, so either takes effect on the next one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import type { Kysely } from 'kysely';
import type { ActionScope } from './admission.ts';
import { LedgerCodes } from './errors.ts';
import { type Actor, environmentNamed } from './policy.ts';
import { Refusal } from './refusal.ts';
import type { Database, TokenRow } from './schema.ts';

/** Marks a stagecraft token wherever it ends up, so the secret scanner (and a reader) can tell it is one. */
export const ISSUED_MARK = 'stagecraft_';
const TOKEN_FORM = /^stagecraft_[A-Za-z0-9_-]{43}$/;
const NAME_FORM = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

export type TokenState = 'active' | 'expired' | 'revoked';

/** A token as `token list` shows it: everything but the hash. */
export interface TokenView {
  id: number;
  name: string;
  role: string;
  environments: string[] | null;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  state: TokenState;
}

export interface NewToken {
  name: string;
  role: string;
  environments?: readonly string[] | undefined;
  /** How long it is valid, in milliseconds; undefined: until revoked. */
  expiresInMs?: number | undefined;
  /** `serve --init-admin`: made only while no admin token is active, decided in the same transaction. */
  firstAdmin?: boolean | undefined;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Every role the workspace gives a meaning to, and admin: a token for any other role could do nothing. */
export function knownRoles(workspace: Workspace): Set<string> {
  const { ledger } = workspace;
  return new Set([
    'admin',
    ...workspace.environments.flatMap((environment) => environment.deployers),
    ...ledger.reporters,
    ...ledger.verifiers,
    ...ledger.rejecters,
    ...ledger.approvers,
  ]);
}

/** Records a new token (admins only) and returns it: the one time it is seen. */
export async function recordToken(
  scope: ActionScope,
  input: NewToken,
  actor: Actor,
): Promise<{ id: number; token: string; expiresAt: string | null }> {
  requireAdmin(actor, 'create tokens');
  if (!NAME_FORM.test(input.name)) {
    throw new Refusal(LedgerCodes.LEDGER_BAD_TOKEN_REQUEST, `"${input.name}" is not a token name`, {
      hint: 'a name is who the token speaks for in the audit log: letters, digits and . _ : @ / -, such as alice or ci:shop',
    });
  }
  const roles = knownRoles(scope.workspace);
  if (!roles.has(input.role)) {
    throw new Refusal(
      LedgerCodes.LEDGER_BAD_TOKEN_REQUEST,
      `no rule of stagecraft.yaml gives the role ${input.role} anything to do`,
      {
        hint: `use one of ${[...roles].sort().join(', ')}`,
      },
    );
  }
  const environments = input.environments?.length
    ? [...new Set(input.environments.map((name) => environmentNamed(scope.workspace, name).name))]
    : null;
  const taken = await activeTokens(scope).where('name', '=', input.name).select('id').executeTakeFirst();
  if (taken) {
    throw new Refusal(
      LedgerCodes.LEDGER_BAD_TOKEN_REQUEST,
      `an active token is already named ${input.name}`,
      {
        hint: `revoke it first (stagecraft token revoke ${input.name}), or choose another name`,
      },
    );
  }
  if (input.firstAdmin) {
    const admins = await activeTokens(scope).where('role', '=', 'admin').select('name').execute();
    if (admins.length) {
      throw new Refusal(
        LedgerCodes.LEDGER_BAD_TOKEN_REQUEST,
        `an admin token is already active (${admins.map((admin) => admin.name).join(', ')}); no first admin token is made`,
        { hint: 'an admin makes more tokens with stagecraft token create' },
      );
    }
  }
  const token = `${ISSUED_MARK}${randomBytes(32).toString('base64url')}`;
  const expiresAt =
    input.expiresInMs === undefined
      ? null
      : new Date(Date.parse(scope.now) + input.expiresInMs).toISOString();
  const row = await scope.trx
    .insertInto('tokens')
    .values({
      name: input.name,
      role: input.role,
      environments: environments ? JSON.stringify(environments) : null,
      hash: tokenHash(token),
      created_at: scope.now,
      created_by: actor.name,
      expires_at: expiresAt,
      revoked_at: null,
      revoked_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

/** Tokens neither revoked nor expired at the action's time. */
function activeTokens(scope: ActionScope) {
  return scope.trx
    .selectFrom('tokens')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', scope.now)]));
}

/** Revokes the active token with this name (or `#id`); it stops working on its next request. */
export async function revokeToken(scope: ActionScope, which: string, actor: Actor): Promise<TokenView> {
  requireAdmin(actor, 'revoke tokens');
  const byId = /^#?(\d+)$/.exec(which);
  let query = scope.trx.selectFrom('tokens').selectAll().where('revoked_at', 'is', null);
  query = byId ? query.where('id', '=', Number(byId[1])) : query.where('name', '=', which);
  const row = await query.orderBy('id', 'desc').executeTakeFirst();
  if (!row) {
    throw new StagecraftError(LedgerCodes.LEDGER_UNKNOWN_TOKEN, `no unrevoked token is named ${which}`, {
      hint: 'stagecraft token list shows the tokens and their ids',
    });
  }
  await scope.trx
    .updateTable('tokens')
    .set({ revoked_at: scope.now, revoked_by: actor.name })
    .where('id', '=', row.id)
    .execute();
  return view({ ...row, revoked_at: scope.now, revoked_by: actor.name }, scope.now);
}

export async function listTokens(db: Kysely<Database>, now: string): Promise<TokenView[]> {
  const rows = await db.selectFrom('tokens').selectAll().orderBy('id').execute();
  return rows.map((row) => view(row, now));
}

/** Whom a presented token speaks for, or why it does not. */
export type TokenCheck = { actor: Actor } | { refused: 'unknown' | 'expired' | 'revoked'; name?: string };

export async function checkToken(db: Kysely<Database>, token: string, now: string): Promise<TokenCheck> {
  // A malformed token cannot match: no query for it.
  if (!TOKEN_FORM.test(token)) return { refused: 'unknown' };
  const row = await db
    .selectFrom('tokens')
    .selectAll()
    .where('hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) return { refused: 'unknown' };
  const state = view(row, now).state;
  if (state !== 'active') return { refused: state, name: row.name };
  const environments = row.environments === null ? undefined : (JSON.parse(row.environments) as string[]);
  return { actor: { name: row.name, role: row.role, environments } };
}

function view(row: TokenRow, now: string): TokenView {
  const state: TokenState =
    row.revoked_at !== null
      ? 'revoked'
      : row.expires_at !== null && row.expires_at <= now
        ? 'expired'
        : 'active';
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    environments: row.environments === null ? null : (JSON.parse(row.environments) as string[]),
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    state,
  };
}

export function requireAdmin(actor: Actor, what: string): void {
  if (actor.role === 'admin') return;
  throw new Refusal(LedgerCodes.LEDGER_ROLE_REFUSED, `the role ${actor.role} may not ${what}`, {
    hint: `${what} is for the admin role; the first admin token comes from stagecraft serve --init-admin`,
  });
}
