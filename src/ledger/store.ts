/**
 * Where the ledger lives: SQLite by default (`.stagecraft/state.db`, WAL, nothing to set up), PostgreSQL when
 * STAGECRAFT_DATABASE_URL is set — never the generic DATABASE_URL, which in CI is the app's own database. One query layer (Kysely) and one set of migrations serve both, so every rule runs the
 * same way on a laptop and for a team.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { LedgerCodes } from './errors.ts';
import { migrationProvider } from './migrations.ts';
import type { Database, Dialect } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the store is, for messages (a URL without its password). */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the ledger and brings its tables up to date. `file: ':memory:'` is a database that lives as long as
 * the store (for tests).
 */
export async function openStore(options: { databaseUrl?: string | undefined; file: string }): Promise<Store> {
  const require = createRequire(import.meta.url);
  let store: Store;
  /** SQLite: the raw connection Kysely uses, so migrations can hold its write lock. */
  let sqlite: import('better-sqlite3').Database | undefined;
  if (options.databaseUrl) {
    const pg = require('pg') as typeof import('pg');
    const url = postgresUrl(options.databaseUrl);
    const description = `${url.protocol}//${url.host}${url.pathname}`;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 10_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', description, close: () => db.destroy() };
  } else {
    const SQLite = require('better-sqlite3') as typeof import('better-sqlite3');
    let database: import('better-sqlite3').Database;
    try {
      if (options.file !== ':memory:') createPrivately(options.file);
      // The busy timeout is set as the file opens, so switching to WAL below waits for a writer in another
      // process rather than failing at once with "database is locked".
      database = new SQLite(options.file, { timeout: 15_000 });
      // WAL: readers never block the writer, and a process killed mid-write leaves a store that reopens whole.
      database.pragma('journal_mode = WAL');
      database.pragma('foreign_keys = ON');
    } catch (error) {
      throw new StagecraftError(
        LedgerCodes.LEDGER_UNAVAILABLE,
        `cannot open the ledger ${options.file}: ${(error as Error).message}`,
        {
          hint: 'check the folder’s permissions, or set STAGECRAFT_DATABASE_URL to use PostgreSQL',
        },
      );
    }
    sqlite = database;
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    store = { db, dialect: 'sqlite', description: options.file, close: () => db.destroy() };
  }
  try {
    // Kysely locks migrations on PostgreSQL only. On SQLite, processes opening a new ledger at once would each
    // run them: all of them run inside one IMMEDIATE transaction on Kysely's own connection instead, which
    // holds the file's write lock (waiting out busy_timeout) and leaves nothing half-migrated.
    sqlite?.exec('BEGIN IMMEDIATE');
    const { error } = await new Migrator({
      db: store.db,
      provider: migrationProvider(store.dialect),
    }).migrateToLatest();
    if (error) throw error;
    sqlite?.exec('COMMIT');
  } catch (error) {
    if (sqlite?.inTransaction) sqlite.exec('ROLLBACK');
    await store.close().catch(() => {});
    throw new StagecraftError(
      LedgerCodes.LEDGER_UNAVAILABLE,
      `cannot prepare the ledger at ${store.description}: ${(error as Error).message}`,
      {
        hint:
          store.dialect === 'postgres'
            ? 'check that STAGECRAFT_DATABASE_URL points at a reachable PostgreSQL database you may create tables in'
            : 'check the file and its folder',
      },
    );
  }
  return store;
}

/**
 * The ledger file and its folder readable by their owner only: the ledger holds deploy output and who did
 * what. SQLite gives its -wal and -shm files the database file's mode, so they follow.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** A PostgreSQL URL, or a clear error that never repeats the password. */
function postgresUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StagecraftError(LedgerCodes.LEDGER_BAD_DATABASE_URL, 'STAGECRAFT_DATABASE_URL is not a URL', {
      hint: 'use postgres://USER:PASSWORD@HOST:5432/DATABASE, or unset it to keep the ledger in .stagecraft/state.db',
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_DATABASE_URL,
      `STAGECRAFT_DATABASE_URL uses ${url.protocol}//, but the ledger runs on PostgreSQL or SQLite`,
      {
        hint: 'use a postgres:// URL, or unset STAGECRAFT_DATABASE_URL to keep the ledger in .stagecraft/state.db',
      },
    );
  }
  return url;
}
