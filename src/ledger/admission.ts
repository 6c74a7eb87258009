/**
 * Admission: whether one service's artifact may be deployed to an environment now, decided inside the
 * action's transaction. The artifact is chosen (artifact-choice.ts), a pending deployment whose step is gone
 * is taken over, the gates are evaluated once — their failures refuse, or are recorded as bypassed by an
 * admin's break-glass — and the deployment is recorded pending. The pending row is what makes a racing
 * second request see "in progress".
 */
import { hostname } from 'node:os';
import type { Environment, Workspace } from '@stagecraft/config/workspace';
import type { Transaction } from 'kysely';
import { chooseArtifact, previousArtifact } from './artifact-choice.ts';
import { failingGates, type GateFailure } from './gates/index.ts';
import { type Actor, requireAdmissible, requireNotInProgress, requireNotRejected } from './policy.ts';
import { endPending, insertDeployment, latestDeployment, pendingDeployment } from './queries.ts';
import type { Database, DeploymentKind } from './schema.ts';
import { abandonment } from './stale.ts';
import { type Artifact, artifactOf } from './views.ts';

/** What one action's transaction knows: where it writes, its time, and which rows count. */
export interface ActionScope {
  trx: Transaction<Database>;
  workspace: Workspace;
  /** The ledger's time for this action (ISO 8601, UTC). */
  now: string;
  /** The highest rehearsal mark that counts: 1 while rehearsing, else 0. */
  visible: number;
  /** The rehearsal mark written: 1 while rehearsing, else 0. */
  mark: number;
}

export interface AdmissionRequest {
  service: string;
  digest?: string | undefined;
  kind: DeploymentKind;
  /** An admin's bypass of the gates, with the reason recorded and shown everywhere. */
  breakGlass?: string | undefined;
  release?: string | undefined;
  /** Where the deploy step will run, when that is not this process (a client of the server). */
  runner?: Runner | undefined;
}

/** Every service of a release, deployed or promoted to one environment as one unit. */
export interface ReleaseRequest {
  release: string;
  environment: string;
  kind: 'deploy' | 'promote';
  breakGlass?: string | undefined;
  runner?: Runner | undefined;
}

/** The process that carries out a deploy step: where it runs, so a later deploy can tell it is gone. */
export interface Runner {
  host: string;
  pid: number;
}

export interface Admitted {
  id: number;
  service: string;
  environment: Environment;
  artifact: Artifact;
  /** The gates an admin's break-glass bypassed. */
  bypassed: GateFailure[];
  /** The abandoned deployment this one took over, if any. */
  abandoned?: number;
}

/** Every rule for one service's deployment; records it pending when they all pass. */
export async function admit(
  scope: ActionScope,
  request: AdmissionRequest,
  environment: Environment,
  actor: Actor,
): Promise<Admitted> {
  const { trx, visible } = scope;
  const { service, kind } = request;
  const artifact =
    kind === 'rollback'
      ? await previousArtifact(trx, service, environment.name, visible)
      : await chooseArtifact(trx, request, environment, visible);
  requireNotRejected(artifact, service);
  const abandoned = await takeOverAbandoned(scope, service, environment.name, actor);
  const latest = await latestDeployment(trx, service, environment.name, visible);
  // Gates guard promotion; a rollback returns to what already ran here and is not gated.
  const failures =
    kind === 'rollback'
      ? []
      : await failingGates(environment.gates, {
          trx,
          artifact,
          service,
          environment: environment.name,
          from: environment.from,
          now: new Date(scope.now),
          visible,
        });
  requireAdmissible({ ...request, environment: environment.name, artifact, latest, failures });
  // A command step runs in this process, which records where it runs and beats a heartbeat (stale.ts).
  const runsHere = environment.deploy?.command !== undefined && !environment.deploy['gitops'];
  const id = await insertDeployment(trx, {
    service,
    environment: environment.name,
    artifact_id: artifact.id,
    kind,
    status: 'pending',
    actor: actor.name,
    role: actor.role,
    break_glass: request.breakGlass === undefined ? 0 : 1,
    reason: request.breakGlass ?? (request.release ? `release ${request.release}` : null),
    created_at: scope.now,
    finished_at: null,
    output: null,
    rehearsal: scope.mark,
    host: runsHere ? (request.runner?.host ?? hostname()) : null,
    pid: runsHere ? (request.runner?.pid ?? process.pid) : null,
    heartbeat_at: runsHere ? scope.now : null,
  });
  return {
    id,
    service,
    environment,
    artifact: artifactOf(artifact),
    bypassed: failures,
    ...(abandoned === undefined ? {} : { abandoned }),
  };
}

/**
 * A pending deployment of this service here blocks a new one, unless its deploy step's process is gone:
 * then it is recorded failed, and its id returned, so the new deployment takes over.
 */
async function takeOverAbandoned(
  scope: ActionScope,
  service: string,
  environment: string,
  actor: Actor,
): Promise<number | undefined> {
  const pending = await pendingDeployment(scope.trx, service, environment, scope.visible);
  if (!pending) return undefined;
  const why = abandonment(pending, new Date(scope.now), scope.workspace.ledger.staleAfterMs);
  requireNotInProgress(pending, why, service, environment);
  await endPending(scope.trx, pending.id, {
    status: 'failed',
    finished_at: scope.now,
    output: `abandoned: ${why}; taken over by ${actor.name}`,
  });
  return pending.id;
}
