/**
 * The ledger's history is append-only in the database itself, not only in our code: triggers refuse to edit
 * or delete what was recorded, so neither a bug nor someone with a SQL shell rewrites who deployed what.
 * The one edit allowed is how a pending deployment ends (pending → succeeded | failed), with its output and
 * heartbeat while it runs; and an artifact may be rejected once. Someone who can drop the triggers can still
 * edit rows: the audit log's hash chain (audit-chain.ts) shows that afterwards.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from './schema.ts';

/** Tables whose rows, once written, never change: frozen by migration 0004. */
const FROZEN = ['audit', 'gate_reports', 'verifications', 'approvals', 'releases', 'release_items'] as const;
/** Tables made later and frozen by the migration that makes them (freezeTables). */
const FROZEN_LATER = ['checks'] as const;

/** Columns of a deployment that never change, whatever its status. */
const DEPLOYMENT_IDENTITY = [
  'id',
  'service',
  'environment',
  'artifact_id',
  'kind',
  'actor',
  'role',
  'break_glass',
  'reason',
  'created_at',
  'rehearsal',
  'host',
  'pid',
];

/** Columns of an artifact that never change; the rejected_* columns are set once. */
const ARTIFACT_IDENTITY = [
  'id',
  'service',
  'image',
  'digest',
  'commit_sha',
  'author',
  'build',
  'registered_at',
  'registered_by',
  'rehearsal',
];

/** The names `audit verify` checks are still in place. */
export const TRIGGER_NAMES: readonly string[] = [
  ...[...FROZEN, ...FROZEN_LATER].flatMap((table) => [`${table}_no_update`, `${table}_no_delete`]),
  'deployments_no_delete',
  'deployments_transition',
  'artifacts_no_delete',
  'artifacts_reject_once',
];

export async function createAppendOnlyTriggers(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
}

/**
 * The one edit allowed to a deployment and to an artifact, as a condition on OLD and NEW; `same` says
 * "unchanged" in the dialect's null-safe way. Every other edit of those tables is refused.
 */
function allowedEdits(same: (columns: readonly string[]) => string) {
  return [
    {
      trigger: 'deployments_transition',
      table: 'deployments',
      message: 'a deployment only moves from pending to succeeded or failed',
      allowed: `old.status = 'pending' and new.status in ('pending', 'succeeded', 'failed')
        and ${same(DEPLOYMENT_IDENTITY)} and ((new.status = 'pending') = (new.finished_at is null))`,
    },
    {
      trigger: 'artifacts_reject_once',
      table: 'artifacts',
      message: 'an artifact is only ever rejected, once',
      allowed: `old.rejected_at is null and new.rejected_at is not null and ${same(ARTIFACT_IDENTITY)}`,
    },
  ];
}

/**
 * Freezes tables made after 0004 (FROZEN_LATER), in the migration that makes each: no update, no delete
 * (no truncate on PostgreSQL), as for the tables 0004 froze.
 */
export async function freezeTables(
  db: Kysely<unknown>,
  dialect: Dialect,
  tables: readonly (typeof FROZEN_LATER)[number][],
): Promise<void> {
  for (const table of tables) {
    if (dialect === 'sqlite') await sqliteFrozen(db, table);
    else await postgresFrozen(db, table);
  }
}

/** A SQLite trigger that aborts the statement, when `condition` holds (always, without one). */
function sqliteRefusing(
  db: Kysely<unknown>,
  name: string,
  event: string,
  table: string,
  message: string,
  condition?: string,
) {
  return sql
    .raw(
      `create trigger ${name} before ${event} on ${table}${condition ? ` when ${condition}` : ''}
         begin select raise(abort, 'stagecraft: ${message}'); end`,
    )
    .execute(db);
}

async function sqliteFrozen(db: Kysely<unknown>, table: string): Promise<void> {
  await sqliteRefusing(db, `${table}_no_update`, 'update', table, `${table} is append-only`);
  await sqliteRefusing(db, `${table}_no_delete`, 'delete', table, `${table} is append-only`);
}

/** A PostgreSQL trigger running `fn` before `when` on `table`. */
function postgresTrigger(
  db: Kysely<unknown>,
  name: string,
  when: string,
  table: string,
  fn: string,
  level = 'row',
) {
  return sql
    .raw(`create trigger ${name} before ${when} on ${table} for each ${level} execute function ${fn}()`)
    .execute(db);
}

/** Every statement that would change `table` refused, with the function 0004 made. */
async function postgresFrozen(db: Kysely<unknown>, table: string): Promise<void> {
  await postgresTrigger(db, `${table}_no_update`, 'update', table, 'stagecraft_append_only');
  await postgresTrigger(db, `${table}_no_delete`, 'delete', table, 'stagecraft_append_only');
  // TRUNCATE skips row triggers: refuse it per statement.
  await postgresTrigger(db, `${table}_no_truncate`, 'truncate', table, 'stagecraft_append_only', 'statement');
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const refusing = (name: string, event: string, table: string, message: string, condition?: string) =>
    sqliteRefusing(db, name, event, table, message, condition);
  for (const table of FROZEN) await sqliteFrozen(db, table);
  await refusing('deployments_no_delete', 'delete', 'deployments', 'deployments are never deleted');
  await refusing('artifacts_no_delete', 'delete', 'artifacts', 'artifacts are never deleted');
  const same = (columns: readonly string[]) => columns.map((c) => `new.${c} is old.${c}`).join(' and ');
  for (const edit of allowedEdits(same)) {
    await refusing(edit.trigger, 'update', edit.table, edit.message, `not (${edit.allowed})`);
  }
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const trigger = (name: string, when: string, table: string, fn: string, level = 'row') =>
    postgresTrigger(db, name, when, table, fn, level);
  await sql
    .raw(
      `create function stagecraft_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'stagecraft: % is append-only (% refused)', tg_table_name, tg_op;
      end $$`,
    )
    .execute(db);
  for (const table of [...FROZEN, 'deployments', 'artifacts']) {
    if ((FROZEN as readonly string[]).includes(table)) {
      await trigger(`${table}_no_update`, 'update', table, 'stagecraft_append_only');
    }
    await trigger(`${table}_no_delete`, 'delete', table, 'stagecraft_append_only');
    // TRUNCATE skips row triggers: refuse it per statement.
    await trigger(`${table}_no_truncate`, 'truncate', table, 'stagecraft_append_only', 'statement');
  }
  const same = (columns: readonly string[]) =>
    columns.map((c) => `new.${c} is not distinct from old.${c}`).join(' and ');
  for (const edit of allowedEdits(same)) {
    await sql
      .raw(
        `create function stagecraft_${edit.trigger}() returns trigger language plpgsql as $$
        begin
          if not (${edit.allowed}) then
            raise exception 'stagecraft: ${edit.message}';
          end if;
          return new;
        end $$`,
      )
      .execute(db);
    await trigger(edit.trigger, 'update', edit.table, `stagecraft_${edit.trigger}`);
  }
}

/** The triggers of TRIGGER_NAMES that are missing from the database (dropped by hand). */
export async function missingTriggers(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'`.execute(db)
      : await sql<{ name: string }>`select tgname as name from pg_trigger where not tgisinternal`.execute(db);
  const present = new Set(rows.rows.map((row) => row.name));
  return TRIGGER_NAMES.filter((name) => !present.has(name));
}
