/**
 * Where the ledger lives: SQLite by default (`.stagecraft/state.db`, WAL, nothing to set up), PostgreSQL when
 * DATABASE_URL is set. One query layer (Kysely) and one set of migrations serve both, so every rule runs the
 * same way on a laptop and for a team.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { StagecraftError } from '../errors.ts';
import { type Dialect, migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the store is, for messages (a URL without its password). */
  description: string;
  close(): Promise<void>;
}

export async function openStore(options: { databaseUrl?: string | undefined; file: string }): Promise<Store> {
  const require = createRequire(import.meta.url);
  let store: Store;
  if (options.databaseUrl) {
    const pg = require('pg') as typeof import('pg');
    const url = new URL(options.databaseUrl);
    const description = `${url.protocol}//${url.host}${url.pathname}`;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 10_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', description, close: () => db.destroy() };
  } else {
    mkdirSync(dirname(options.file), { recursive: true });
    const SQLite = require('better-sqlite3') as typeof import('better-sqlite3');
    let database: import('better-sqlite3').Database;
    try {
      database = new SQLite(options.file);
      // WAL: readers never block the writer, and a process killed mid-write leaves a store that reopens whole.
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 15000');
      database.pragma('foreign_keys = ON');
    } catch (error) {
      throw new StagecraftError(
        'LEDGER_UNAVAILABLE',
        `cannot open the ledger ${options.file}: ${(error as Error).message}`,
        {
          hint: 'check the folder’s permissions, or set DATABASE_URL to use PostgreSQL',
        },
      );
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    store = { db, dialect: 'sqlite', description: options.file, close: () => db.destroy() };
  }
  try {
    const { error } = await new Migrator({
      db: store.db,
      provider: migrationProvider(store.dialect),
    }).migrateToLatest();
    if (error) throw error;
  } catch (error) {
    await store.close().catch(() => {});
    throw new StagecraftError(
      'LEDGER_UNAVAILABLE',
      `cannot prepare the ledger at ${store.description}: ${(error as Error).message}`,
      {
        hint:
          store.dialect === 'postgres'
            ? 'check that DATABASE_URL points at a reachable PostgreSQL database you may create tables in'
            : 'check the file and its folder',
      },
    );
  }
  return store;
}
