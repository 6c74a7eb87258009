/**
 * The ledger's time comes from the database, never from the client: a soak or a deploy window cannot be
 * passed by changing a variable or the laptop's clock. The one exception is rehearsal mode
 * (STAGECRAFT_REHEARSAL=1), where STAGECRAFT_NOW may set the time — and every entry written is marked
 * rehearsed, which no rule outside rehearsal counts.
 */

import { StagecraftError } from '@stagecraft/config/errors';
import { type Kysely, sql } from 'kysely';
import { LedgerCodes } from './errors.ts';
import { Refusal } from './refusal.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

export interface LedgerMode {
  rehearsal: boolean;
  /** Rehearsal only: the fixed time every entry is written at, as ISO 8601 in UTC. */
  now?: string | undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The mode the environment asks for; STAGECRAFT_NOW outside rehearsal is refused, not ignored. */
export function ledgerMode(env: Readonly<Record<string, string | undefined>>): LedgerMode {
  const flag = env['STAGECRAFT_REHEARSAL'];
  const rehearsal = flag !== undefined && flag !== '' && flag !== '0' && flag.toLowerCase() !== 'false';
  const now = env['STAGECRAFT_NOW'];
  if (now === undefined || now === '') return { rehearsal };
  if (!ISO_INSTANT.test(now) || Number.isNaN(Date.parse(now))) {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_CLOCK,
      `STAGECRAFT_NOW="${now}" is not a date and time`,
      {
        hint: 'use ISO 8601 with a zone, e.g. STAGECRAFT_NOW=2026-12-04T09:30:00Z',
      },
    );
  }
  if (!rehearsal) {
    throw new Refusal(
      LedgerCodes.LEDGER_CLOCK_REFUSED,
      'STAGECRAFT_NOW sets the time only in rehearsal mode; the ledger keeps the database’s time',
      {
        hint: 'rehearse with STAGECRAFT_REHEARSAL=1 (entries are marked rehearsed and count only in rehearsal), or unset STAGECRAFT_NOW',
      },
    );
  }
  return { rehearsal, now: new Date(now).toISOString() };
}

/** The database's current time as ISO 8601 in UTC, the same text form on SQLite and PostgreSQL. */
export async function databaseNow(db: Kysely<Database>, dialect: Store['dialect']): Promise<string> {
  const query =
    dialect === 'sqlite'
      ? sql<{ now: string }>`select strftime('%Y-%m-%dT%H:%M:%fZ', 'now') as now`
      : sql<{
          now: string;
        }>`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`;
  const result = await query.execute(db);
  return result.rows[0]?.now ?? new Date().toISOString();
}
