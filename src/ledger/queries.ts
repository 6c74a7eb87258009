/**
 * The ledger's reads and writes for its actions, one function each and no rule in any: policy.ts decides,
 * these only fetch and record. `visible` is the highest rehearsal mark that counts (1 while rehearsing).
 */
import type { Kysely } from 'kysely';
import { normaliseDigest } from './artifact-choice.ts';
import type {
  ArtifactRow,
  Database,
  DeploymentRow,
  DeploymentStatus,
  NewApproval,
  NewArtifact,
  NewDeployment,
  NewGateReport,
  NewVerification,
} from './schema.ts';

/** A database or a transaction on it. */
type Db = Kysely<Database>;

/** Records a build and returns its row: one build is one row, however many CI jobs register it at once. */
export async function insertArtifact(db: Db, artifact: NewArtifact): Promise<ArtifactRow> {
  await db
    .insertInto('artifacts')
    .values(artifact)
    .onConflict((oc) => oc.columns(['service', 'digest']).doNothing())
    .execute();
  return db
    .selectFrom('artifacts')
    .selectAll()
    .where('service', '=', artifact.service)
    .where('digest', '=', artifact.digest)
    .executeTakeFirstOrThrow();
}

export function findArtifact(
  db: Db,
  service: string,
  digest: string,
  visible: number,
): Promise<ArtifactRow | undefined> {
  return db
    .selectFrom('artifacts')
    .selectAll()
    .where('service', '=', service)
    .where('digest', '=', normaliseDigest(digest))
    .where('rehearsal', '<=', visible)
    .executeTakeFirst();
}

/** Rejects every unrejected artifact with the digest; how many were. */
export async function rejectArtifacts(
  db: Db,
  digest: string,
  rejection: { rejected_at: string; rejected_by: string; reject_reason: string },
): Promise<number> {
  const result = await db
    .updateTable('artifacts')
    .set(rejection)
    .where('digest', '=', normaliseDigest(digest))
    .where('rejected_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The newest deployment of the service in the environment. */
export function latestDeployment(
  db: Db,
  service: string,
  environment: string,
  visible: number,
): Promise<Pick<DeploymentRow, 'id' | 'artifact_id' | 'status'> | undefined> {
  return db
    .selectFrom('deployments')
    .select(['id', 'artifact_id', 'status'])
    .where('service', '=', service)
    .where('environment', '=', environment)
    .where('rehearsal', '<=', visible)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The pending deployment of the service in the environment (at most one), with its artifact's image. */
export function pendingDeployment(
  db: Db,
  service: string,
  environment: string,
  visible: number,
): Promise<
  | (Pick<DeploymentRow, 'id' | 'host' | 'pid' | 'heartbeat_at' | 'break_glass'> & { image: string })
  | undefined
> {
  return db
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .select([
      'deployments.id',
      'deployments.break_glass',
      'deployments.host',
      'deployments.pid',
      'deployments.heartbeat_at',
      'artifacts.image',
    ])
    .where('deployments.service', '=', service)
    .where('deployments.environment', '=', environment)
    .where('deployments.status', '=', 'pending')
    .where('deployments.rehearsal', '<=', visible)
    .executeTakeFirst();
}

export async function insertDeployment(db: Db, deployment: NewDeployment): Promise<number> {
  const row = await db.insertInto('deployments').values(deployment).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Ends a pending deployment; false when it is no longer pending (taken over, or ended by someone else). */
export async function endPending(
  db: Db,
  id: number,
  end: { status: Exclude<DeploymentStatus, 'pending'>; finished_at: string; output: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('deployments')
    .set(end)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Keeps what a pending deployment's step did (a GitOps commit) without ending it. */
export async function recordOutput(db: Db, id: number, output: string): Promise<void> {
  await db.updateTable('deployments').set({ output }).where('id', '=', id).execute();
}

/** The deploy step's process is alive at `at`. */
/** The deploy step's heartbeat; only the identity that recorded the deployment beats it. */
/** Marks the actor's pending deployment alive; false when it is not pending, or not the actor's. */
export async function beat(db: Db, id: number, at: string, actor: string): Promise<boolean> {
  const result = await db
    .updateTable('deployments')
    .set({ heartbeat_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('actor', '=', actor)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Who recorded the deployment; undefined when there is none with this id. */
export async function deploymentActor(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('deployments').select(['actor']).where('id', '=', id).executeTakeFirst();
  return row?.actor;
}

/** The services and digests of a release, by service; empty when there is no such release. */
export function releaseItems(db: Db, name: string): Promise<{ service: string; digest: string }[]> {
  return db
    .selectFrom('release_items')
    .innerJoin('releases', 'releases.id', 'release_items.release_id')
    .innerJoin('artifacts', 'artifacts.id', 'release_items.artifact_id')
    .select(['release_items.service', 'artifacts.digest'])
    .where('releases.name', '=', name)
    .orderBy('release_items.service')
    .execute();
}

export async function releaseExists(db: Db, name: string): Promise<boolean> {
  const row = await db.selectFrom('releases').select(['id']).where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

export async function insertRelease(
  db: Db,
  release: { name: string; created_at: string; created_by: string },
  artifacts: readonly ArtifactRow[],
): Promise<number> {
  const row = await db.insertInto('releases').values(release).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('release_items')
    .values(artifacts.map((a) => ({ release_id: row.id, service: a.service, artifact_id: a.id })))
    .execute();
  return row.id;
}

export async function insertGateReport(db: Db, report: NewGateReport): Promise<void> {
  await db.insertInto('gate_reports').values(report).execute();
}

export async function insertVerification(db: Db, verification: NewVerification): Promise<void> {
  await db.insertInto('verifications').values(verification).execute();
}

export async function insertApproval(db: Db, approval: NewApproval): Promise<void> {
  await db.insertInto('approvals').values(approval).execute();
}
