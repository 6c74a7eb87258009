/**
 * The ledger's schema, in migrations that run the same on SQLite and PostgreSQL. A migration once shipped is
 * never edited: a change is a new migration.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { createAppendOnlyTriggers, freezeTables } from './append-only.ts';
import { type AuditContent, auditHash, CHAIN_START } from './audit-chain.ts';
import type { Dialect } from './schema.ts';

const migrations = (dialect: Dialect): Record<string, Migration> => {
  // SERIAL on PostgreSQL, INTEGER PRIMARY KEY (a rowid alias) on SQLite.
  const id = () =>
    dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  return {
    '0001_ledger': {
      async up(db: Kysely<unknown>) {
        await sql`create table artifacts (
        id ${id()},
        service text not null,
        image text not null,
        digest text not null,
        commit_sha text not null,
        author text,
        build text,
        registered_at text not null,
        registered_by text not null,
        rejected_at text,
        rejected_by text,
        reject_reason text,
        unique (service, digest)
      )`.execute(db);
        await sql`create table deployments (
        id ${id()},
        service text not null,
        environment text not null,
        artifact_id integer not null references artifacts (id),
        kind text not null,
        status text not null,
        actor text not null,
        role text not null,
        break_glass integer not null default 0,
        reason text,
        created_at text not null,
        finished_at text,
        output text
      )`.execute(db);
        await sql`create index deployments_by_place on deployments (environment, service, id)`.execute(db);
        await sql`create table audit (
        id ${id()},
        at text not null,
        actor text not null,
        role text not null,
        action text not null,
        subject text not null,
        outcome text not null,
        detail text
      )`.execute(db);
        await sql`create table environment_locks (environment text primary key, version integer not null)`.execute(
          db,
        );
      },
    },
    '0002_gates': {
      async up(db: Kysely<unknown>) {
        await sql`create table gate_reports (
        id ${id()},
        kind text not null,
        commit_sha text not null,
        result text not null,
        actor text not null,
        role text not null,
        at text not null
      )`.execute(db);
        await sql`create index gate_reports_by_commit on gate_reports (commit_sha, kind, id)`.execute(db);
        await sql`create table verifications (
        id ${id()},
        environment text not null,
        service text,
        result text not null,
        actor text not null,
        at text not null
      )`.execute(db);
        await sql`create table approvals (
        id ${id()},
        service text not null,
        environment text not null,
        artifact_id integer not null references artifacts (id),
        approver text not null,
        at text not null
      )`.execute(db);
      },
    },
    '0003_releases': {
      async up(db: Kysely<unknown>) {
        await sql`create table releases (
          id ${id()},
          name text not null unique,
          created_at text not null,
          created_by text not null
        )`.execute(db);
        await sql`create table release_items (
          release_id integer not null references releases (id),
          service text not null,
          artifact_id integer not null references artifacts (id),
          primary key (release_id, service)
        )`.execute(db);
      },
    },
    '0004_append_only': {
      // Rehearsal marks, the deploy step's heartbeat, the audit hash chain (existing rows chained in order)
      // and the triggers that keep the history append-only.
      async up(db: Kysely<unknown>) {
        for (const table of [
          'artifacts',
          'deployments',
          'audit',
          'gate_reports',
          'verifications',
          'approvals',
        ]) {
          await sql.raw(`alter table ${table} add column rehearsal integer not null default 0`).execute(db);
        }
        await sql`alter table deployments add column host text`.execute(db);
        await sql`alter table deployments add column pid integer`.execute(db);
        await sql`alter table deployments add column heartbeat_at text`.execute(db);
        await sql`alter table audit add column prev_hash text`.execute(db);
        await sql`alter table audit add column hash text`.execute(db);
        await sql`create table audit_head (id integer primary key, hash text not null, count integer not null)`.execute(
          db,
        );
        const existing = await sql<AuditContent & { id: number }>`select * from audit order by id`.execute(
          db,
        );
        let prev = CHAIN_START;
        for (const row of existing.rows) {
          const hash = auditHash(prev, row);
          await sql`update audit set prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(db);
          prev = hash;
        }
        await sql`insert into audit_head (id, hash, count) values (1, ${prev}, ${existing.rows.length})`.execute(
          db,
        );
        await createAppendOnlyTriggers(db, dialect);
      },
    },
    '0005_tokens': {
      // The server's API tokens: only a hash of each is kept. Not append-only (a revocation updates its row);
      // every creation and revocation is in the audit log.
      async up(db: Kysely<unknown>) {
        await sql`create table tokens (
          id ${id()},
          name text not null,
          role text not null,
          environments text,
          hash text not null unique,
          created_at text not null,
          created_by text not null,
          expires_at text,
          revoked_at text,
          revoked_by text
        )`.execute(db);
      },
    },
    '0006_checks': {
      // Recorded parity and drift results (`--record`): evidence the dashboard shows, append-only like the
      // history, newest per kind and name read through the index.
      async up(db: Kysely<unknown>) {
        await sql`create table checks (
          id ${id()},
          kind text not null,
          name text not null,
          environments text not null,
          status text not null,
          summary text not null,
          findings integer not null,
          report text,
          at text not null,
          actor text not null,
          role text not null,
          rehearsal integer not null default 0
        )`.execute(db);
        await sql`create index checks_by_name on checks (kind, name, id)`.execute(db);
        await freezeTables(db, dialect, ['checks']);
      },
    },
  };
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}
