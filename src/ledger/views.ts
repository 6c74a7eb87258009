/** What the ledger shows: status (environment × service), the gates still ahead, history and the audit log. */

import type { Workspace } from '@stagecraft/config/workspace';
import type { Kysely } from 'kysely';
import { chooseArtifact } from './artifact-choice.ts';
import type { AuditContent } from './audit-chain.ts';
import { failingGates } from './gates/index.ts';
import type { ArtifactRow, Database, DeploymentKind, DeploymentRow, DeploymentStatus } from './schema.ts';
import { abandonment } from './stale.ts';

export interface ViewScope {
  db: Kysely<Database>;
  workspace: Workspace;
  /** The highest rehearsal mark that counts: 1 when rehearsing, else 0. */
  visible: number;
  now: Date;
}

/**
 * A deployment as every reader sees it — `status`, `history`, `audit`, `deployment show` and the API — in one
 * shape, mapped from its row in one place (`deploymentOf`). Timestamps are ISO 8601 in UTC.
 */
export interface Deployment {
  id: number;
  environment: string;
  service: string;
  kind: DeploymentKind;
  status: DeploymentStatus;
  /** A pending deploy step whose process is gone: why, so a later deploy may take it over. */
  stale: string | null;
  digest: string;
  image: string;
  commit: string;
  actor: string;
  role: string;
  /** Whether an admin bypassed the gates; `reason` says why. */
  breakGlass: boolean;
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
  rehearsal: boolean;
}

/** A deployment with everything the ledger keeps of it: its step's (redacted) output and where it ran. */
export interface DeploymentDetail extends Deployment {
  author: string | null;
  output: string | null;
  host: string | null;
  pid: number | null;
  heartbeatAt: string | null;
}

/** An artifact as every reader sees it: registered by digest, with its commit, perhaps rejected. */
export interface Artifact {
  id: number;
  service: string;
  image: string;
  digest: string;
  commit: string;
  author: string | null;
  /** Build metadata kept with it (`--build URL` keeps `{url}`). */
  build: Record<string, unknown> | null;
  registeredAt: string;
  registeredBy: string;
  rehearsal: boolean;
  rejected: { at: string; by: string; reason: string } | null;
}

/** The one mapping of an artifact's row to what readers see. */
export function artifactOf(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    service: row.service,
    image: row.image,
    digest: row.digest,
    commit: row.commit_sha,
    author: row.author,
    build: parseBuild(row.build),
    registeredAt: row.registered_at,
    registeredBy: row.registered_by,
    rehearsal: row.rehearsal === 1,
    rejected:
      row.rejected_at === null
        ? null
        : { at: row.rejected_at, by: row.rejected_by ?? '', reason: row.reject_reason ?? '' },
  };
}

function parseBuild(build: string | null): Record<string, unknown> | null {
  if (build === null) return null;
  try {
    const parsed: unknown = JSON.parse(build);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    return { value: build };
  }
}

type JoinedDeployment = Omit<DeploymentRow, 'artifact_id'> &
  Pick<ArtifactRow, 'digest' | 'image' | 'commit_sha' | 'author'>;

/** The one mapping of a deployment's row (joined with its artifact) to what readers see. */
export function deploymentOf(row: JoinedDeployment, scope: Pick<ViewScope, 'now' | 'workspace'>): Deployment {
  return {
    id: row.id,
    environment: row.environment,
    service: row.service,
    kind: row.kind,
    status: row.status,
    stale:
      row.status === 'pending'
        ? (abandonment(row, scope.now, scope.workspace.ledger.staleAfterMs) ?? null)
        : null,
    digest: row.digest,
    image: row.image,
    commit: row.commit_sha,
    actor: row.actor,
    role: row.role,
    breakGlass: row.break_glass === 1,
    reason: row.reason,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    rehearsal: row.rehearsal === 1,
  };
}

function deploymentDetailOf(
  row: JoinedDeployment,
  scope: Pick<ViewScope, 'now' | 'workspace'>,
): DeploymentDetail {
  return {
    ...deploymentOf(row, scope),
    author: row.author,
    output: row.output,
    host: row.host,
    pid: row.pid,
    heartbeatAt: row.heartbeat_at,
  };
}

function selectDeployments(db: Kysely<Database>) {
  return db
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .select([
      'deployments.id',
      'deployments.environment',
      'deployments.service',
      'deployments.kind',
      'deployments.status',
      'deployments.actor',
      'deployments.role',
      'deployments.break_glass',
      'deployments.reason',
      'deployments.created_at',
      'deployments.finished_at',
      'deployments.output',
      'deployments.rehearsal',
      'deployments.host',
      'deployments.pid',
      'deployments.heartbeat_at',
      'artifacts.digest',
      'artifacts.image',
      'artifacts.commit_sha',
      'artifacts.author',
    ]);
}

/** The newest deployment of every service in every environment. */
export async function statusRows(scope: ViewScope): Promise<Deployment[]> {
  const rows = await selectDeployments(scope.db)
    .where('deployments.id', 'in', (eb) =>
      eb
        .selectFrom('deployments')
        .select((e) => e.fn.max('id').as('id'))
        .where('rehearsal', '<=', scope.visible)
        .groupBy(['environment', 'service']),
    )
    .orderBy('deployments.id', 'asc')
    .execute();
  return rows.map((row) => deploymentOf(row, scope));
}

/** One deployment with everything kept of it, or undefined when there is none with that id. */
export async function deploymentDetail(scope: ViewScope, id: number): Promise<DeploymentDetail | undefined> {
  const row = await selectDeployments(scope.db)
    .where('deployments.id', '=', id)
    .where('deployments.rehearsal', '<=', scope.visible)
    .executeTakeFirst();
  return row === undefined ? undefined : deploymentDetailOf(row, scope);
}

/** A gate that does not pass yet for a promotion: why, what would make it pass, and whether it ever can. */
export interface GateState {
  gate: string;
  message: string;
  hint: string;
  /** True when it can never pass for this artifact; `reset` then says what would start over. */
  blocked: boolean;
  reset: string | null;
}

export interface NextPromotion {
  environment: string;
  service: string;
  digest: string;
  /** The gates that do not pass now, in declared order; empty when it could be promoted now. */
  gates: GateState[];
  /** True when a gate can never pass for this artifact. */
  blocked: boolean;
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
        const gates = failures.map((failure) => ({
          gate: failure.gate,
          message: failure.message,
          hint: failure.hint,
          blocked: failure.blocked !== undefined,
          reset: failure.blocked?.reset ?? null,
        }));
        result.push({
          environment: environment.name,
          service: service.name,
          digest: artifact.digest,
          gates,
          blocked: gates.some((gate) => gate.blocked),
        });
      }
    }
  });
  return result;
}

/** One entry of the audit log; `deployment` is the deployment it refers to, when it refers to one. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  outcome: AuditContent['outcome'];
  detail: string | null;
  rehearsal: boolean;
  deployment: Deployment | null;
}

const DEPLOYMENT_REFERENCE = /deployment #(\d+)/;

/** The audit log, newest first: every action, done or refused, with who, which role, when and why. */
export async function auditLog(scope: ViewScope, limit: number): Promise<AuditEntry[]> {
  const rows = await scope.db
    .selectFrom('audit')
    .select(['id', 'at', 'actor', 'role', 'action', 'subject', 'outcome', 'detail', 'rehearsal'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const referenced = new Map<number, number>();
  for (const row of rows) {
    const id = DEPLOYMENT_REFERENCE.exec(`${row.subject} ${row.detail ?? ''}`)?.[1];
    if (id !== undefined) referenced.set(row.id, Number(id));
  }
  const ids = [...new Set(referenced.values())];
  const deployments = new Map<number, Deployment>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await selectDeployments(scope.db)
      .where('deployments.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of found) deployments.set(row.id, deploymentOf(row, scope));
  }
  return rows.map((row) => {
    const id = referenced.get(row.id);
    return {
      id: row.id,
      at: row.at,
      actor: row.actor,
      role: row.role,
      action: row.action,
      subject: row.subject,
      outcome: row.outcome,
      detail: row.detail,
      rehearsal: row.rehearsal === 1,
      deployment: id === undefined ? null : (deployments.get(id) ?? null),
    };
  });
}

export interface HistoryFilter {
  environment?: string | undefined;
  service?: string | undefined;
  /** At most this many, newest first. */
  limit: number;
}

export interface HistoryPage {
  deployments: Deployment[];
  /** How many more match beyond `limit`. */
  more: number;
}

/** The deployments matching a filter, newest first, at most `limit`; rehearsed ones too, marked as such. */
export async function deploymentHistory(scope: ViewScope, filter: HistoryFilter): Promise<HistoryPage> {
  let query = selectDeployments(scope.db);
  let count = scope.db.selectFrom('deployments').select((e) => e.fn.countAll<number>().as('count'));
  if (filter.environment) {
    query = query.where('deployments.environment', '=', filter.environment);
    count = count.where('environment', '=', filter.environment);
  }
  if (filter.service) {
    query = query.where('deployments.service', '=', filter.service);
    count = count.where('service', '=', filter.service);
  }
  const rows = await query.orderBy('deployments.id', 'desc').limit(filter.limit).execute();
  const total = Number((await count.executeTakeFirst())?.count ?? 0);
  return {
    deployments: rows.map((row) => deploymentOf(row, scope)),
    more: Math.max(0, total - rows.length),
  };
}

/** Every registered artifact, newest first, optionally of one service. */
export async function artifactList(scope: ViewScope, service: string | undefined): Promise<Artifact[]> {
  let query = scope.db.selectFrom('artifacts').selectAll().where('rehearsal', '<=', scope.visible);
  if (service) query = query.where('service', '=', service);
  const rows = await query.orderBy('id', 'desc').execute();
  return rows.map(artifactOf);
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
