/**
 * The audit log as a hash chain: each row carries the hash of the row before it and a hash of its own
 * content, and `audit_head` holds the newest hash. Triggers refuse edits (append-only.ts); the chain shows an
 * edit made anyway — with the triggers dropped, or in the database file itself — as the first broken link.
 *
 * Every writing transaction takes the head row first (an UPDATE, so the database's row lock), which also
 * serialises the ledger's writes: two racing actions never both pass the same rule.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditTable, Database } from './schema.ts';

/** The `prev_hash` of the first row. */
export const CHAIN_START: string = '0'.repeat(64);

/** What a row says, without its place in the chain: the columns its hash covers. */
export type AuditContent = Omit<Selectable<AuditTable>, 'id' | 'prev_hash' | 'hash'>;

export function auditHash(prev: string, row: AuditContent): string {
  const content = [
    prev,
    row.at,
    row.actor,
    row.role,
    row.action,
    row.subject,
    row.outcome,
    row.detail,
    Number(row.rehearsal),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** Takes the head's lock for this transaction; returns the newest hash, which the next row chains to. */
export async function takeAuditHead(trx: Transaction<Database>): Promise<string> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ count: eb('count', '+', 1) }))
    .where('id', '=', 1)
    .returning('hash')
    .executeTakeFirstOrThrow();
  return head.hash;
}

/** Appends a row chained to `prev` (from takeAuditHead in the same transaction) and moves the head. */
export async function appendAudit(
  trx: Transaction<Database>,
  prev: string,
  row: AuditContent,
): Promise<void> {
  const hash = auditHash(prev, row);
  await trx
    .insertInto('audit')
    .values({ ...row, prev_hash: prev, hash })
    .execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
}

export interface ChainVerdict {
  /** Rows checked. */
  rows: number;
  /** The first broken link, if any: the row where the chain stops holding, and why. */
  broken?: { id: number; reason: string };
}

/** Walks the chain oldest first, a page at a time, so memory stays flat however long the log is. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainVerdict> {
  let prev = CHAIN_START;
  let previousId = 0;
  let rows = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit')
      .selectAll()
      .where('id', '>', previousId)
      .orderBy('id')
      .limit(1000)
      .execute();
    for (const row of page) {
      rows++;
      if (row.prev_hash !== prev) {
        return {
          rows,
          broken: {
            id: row.id,
            reason:
              rows === 1
                ? `audit row #${row.id} is not the start of the chain: earlier rows were deleted`
                : `audit row #${row.id} does not follow row #${previousId}: rows between them were deleted or inserted, or #${previousId} was edited`,
          },
        };
      }
      if (auditHash(prev, row) !== row.hash) {
        return {
          rows,
          broken: { id: row.id, reason: `audit row #${row.id} was edited after it was written` },
        };
      }
      prev = row.hash;
      previousId = row.id;
    }
    if (page.length < 1000) break;
  }
  const head = await db.selectFrom('audit_head').select(['hash']).where('id', '=', 1).executeTakeFirst();
  if (head?.hash !== prev) {
    return {
      rows,
      broken: {
        id: previousId,
        reason:
          rows === 0
            ? 'the audit log is empty but its head records earlier rows: they were deleted'
            : `the newest rows after #${previousId} were deleted (the head records a later row)`,
      },
    };
  }
  return { rows };
}
