/** What the ledger shows: status (environment × service), the gates still ahead, history and the audit log. */

import type { Workspace } from '@stagecraft/config/workspace';
import type { Kysely } from 'kysely';
import { chooseArtifact } from './artifact-choice.ts';
import type { AuditContent } from './audit-chain.ts';
import { failingGates } from './gates/index.ts';
import type { ArtifactRow, Database, DeploymentRow, DeploymentStatus } from './schema.ts';
import { abandonment } from './stale.ts';

export interface ViewScope {
  db: Kysely<Database>;
  workspace: Workspace;
  /** The highest rehearsal mark that counts: 1 when rehearsing, else 0. */
  visible: number;
  now: Date;
}

export interface StatusRow {
  environment: string;
  service: string;
  status: DeploymentStatus;
  /** A pending deploy step whose process is gone: why, so a later deploy may take it over. */
  stale: string | null;
  digest: string;
  commit: string;
  at: string;
  id: number;
  rehearsal: boolean;
}

/** The newest deployment of every service in every environment, with its artifact. */
export async function statusRows(scope: ViewScope): Promise<StatusRow[]> {
  const rows = await scope.db
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .select([
      'deployments.id',
      'deployments.environment',
      'deployments.service',
      'deployments.status',
      'deployments.created_at',
      'deployments.rehearsal',
      'deployments.host',
      'deployments.pid',
      'deployments.heartbeat_at',
      'artifacts.digest',
      'artifacts.commit_sha',
    ])
    .where('deployments.id', 'in', (eb) =>
      eb
        .selectFrom('deployments')
        .select((e) => e.fn.max('id').as('id'))
        .where('rehearsal', '<=', scope.visible)
        .groupBy(['environment', 'service']),
    )
    .execute();
  return rows.map((row) => ({
    environment: row.environment,
    service: row.service,
    status: row.status,
    stale:
      row.status === 'pending'
        ? (abandonment(row, scope.now, scope.workspace.ledger.staleAfterMs) ?? null)
        : null,
    digest: row.digest,
    commit: row.commit_sha,
    at: row.created_at,
    id: row.id,
    rehearsal: row.rehearsal === 1,
  }));
}

export interface NextPromotion {
  environment: string;
  service: string;
  digest: string;
  gates: string[];
}

/**
 * For each environment beyond the start and each service: the gates that still stand between what
 * succeeded in the source environment and this one (empty when it could be promoted now).
 */
export async function pendingGates(scope: ViewScope): Promise<NextPromotion[]> {
  const result: NextPromotion[] = [];
  await scope.db.transaction().execute(async (trx) => {
    for (const environment of scope.workspace.environments) {
      if (environment.from === undefined) continue;
      for (const service of scope.workspace.services) {
        let artifact: ArtifactRow;
        try {
          artifact = await chooseArtifact(trx, { service: service.name }, environment, scope.visible);
        } catch {
          continue; // nothing to promote yet
        }
        const current = await trx
          .selectFrom('deployments')
          .select(['artifact_id'])
          .where('service', '=', service.name)
          .where('environment', '=', environment.name)
          .where('rehearsal', '<=', scope.visible)
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (current?.artifact_id === artifact.id) continue; // already there
        if (artifact.rejected_at) continue; // blocked everywhere: never offered as what comes next
        const failures = await failingGates(environment.gates, {
          trx,
          artifact,
          service: service.name,
          environment: environment.name,
          from: environment.from,
          now: scope.now,
          visible: scope.visible,
        });
        const gates = failures.map((failure) => `${failure.gate}: ${failure.message}`);
        result.push({
          environment: environment.name,
          service: service.name,
          digest: artifact.digest,
          gates,
        });
      }
    }
  });
  return result;
}

export type AuditRow = AuditContent & { id: number };

/** The audit log, newest first: every action, done or refused, with who, which role, when and why. */
export function auditLog(db: Kysely<Database>, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit')
    .select(['id', 'at', 'actor', 'role', 'action', 'subject', 'outcome', 'detail', 'rehearsal'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type HistoryRow = Pick<
  DeploymentRow,
  | 'id'
  | 'break_glass'
  | 'reason'
  | 'environment'
  | 'service'
  | 'kind'
  | 'status'
  | 'actor'
  | 'role'
  | 'created_at'
  | 'finished_at'
  | 'rehearsal'
> &
  Pick<ArtifactRow, 'digest' | 'commit_sha'>;

/** Every deployment, newest first; rehearsed ones too, marked as such. */
export function deploymentHistory(
  db: Kysely<Database>,
  filter: { environment?: string | undefined; service?: string | undefined },
): Promise<HistoryRow[]> {
  let query = db
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .select([
      'deployments.id',
      'deployments.break_glass',
      'deployments.reason',
      'deployments.environment',
      'deployments.service',
      'deployments.kind',
      'deployments.status',
      'deployments.actor',
      'deployments.role',
      'deployments.created_at',
      'deployments.finished_at',
      'deployments.rehearsal',
      'artifacts.digest',
      'artifacts.commit_sha',
    ]);
  if (filter.environment) query = query.where('deployments.environment', '=', filter.environment);
  if (filter.service) query = query.where('deployments.service', '=', filter.service);
  return query.orderBy('deployments.id', 'desc').execute();
}

export interface RejectedArtifact {
  service: string;
  digest: string;
  reason: string;
  at: string;
  by: string;
}

/** Every rejected artifact, newest rejection first: no environment may take them again. */
export async function rejectedArtifacts(db: Kysely<Database>, visible: number): Promise<RejectedArtifact[]> {
  const rows = await db
    .selectFrom('artifacts')
    .select(['service', 'digest', 'reject_reason', 'rejected_at', 'rejected_by'])
    .where('rejected_at', 'is not', null)
    .where('rehearsal', '<=', visible)
    .orderBy('rejected_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    service: row.service,
    digest: row.digest,
    reason: row.reject_reason ?? '',
    at: row.rejected_at ?? '',
    by: row.rejected_by ?? '',
  }));
}

/**
 * How many audit rows the ledger holds: every write appends one, so a change of this number is a change of
 * what the ledger shows. One row read, cheap enough to poll.
 */
export async function auditCount(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_head').select(['count']).where('id', '=', 1).executeTakeFirst();
  return Number(row?.count ?? 0);
}
