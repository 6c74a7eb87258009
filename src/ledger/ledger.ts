/**
 * The environment model's rules over the ledger: an artifact is a service's image by digest; it reaches an
 * environment only through a deployer role that environment lists, and beyond the start of the chain only
 * after succeeding in the environment it is promoted from — unchanged, the same digest.
 *
 * Every action runs in one transaction that first takes the audit log's head (audit-chain.ts): the rules are
 * checked, the change written and its audit row appended together, and racing actions are serialised by the
 * database. A refusal is audited in a transaction of its own after the action's is rolled back. Time is the
 * database's (clock.ts); the history is append-only in the database itself (append-only.ts).
 */
import { hostname } from 'node:os';
import type { Environment, Workspace } from '@stagecraft/config/workspace';
import type { Transaction } from 'kysely';
import { type ArtifactRow, chooseArtifact, normaliseDigest, previousArtifact } from './artifact-choice.ts';
import { appendAudit, takeAuditHead } from './audit-chain.ts';
import { databaseNow, type LedgerMode } from './clock.ts';
import { commitAuthor, fullCommit, isAuthor } from './commits.ts';
import { failingGates, type GateFailure } from './gates.ts';
import { Refusal } from './refusal.ts';
import type { Database } from './schema.ts';
import { abandonment } from './stale.ts';
import type { Store } from './store.ts';
import * as views from './views.ts';

export type { ArtifactRow } from './artifact-choice.ts';
export { Refusal } from './refusal.ts';
export type { HistoryRow } from './views.ts';

export interface Actor {
  name: string;
  role: string;
}

const DIGEST_IMAGE = /^(?<repository>[a-z0-9][a-z0-9._\-/:]*?)@(?<digest>sha256:[0-9a-f]{64})$/;

type Kind = 'deploy' | 'promote' | 'rollback';

export interface Admitted {
  id: number;
  artifact: ArtifactRow;
  bypassed: GateFailure[];
}

export class Ledger {
  private readonly mode: LedgerMode;
  /** The highest rehearsal mark that counts: rehearsed rows count only while rehearsing. */
  private readonly visible: number;

  constructor(
    readonly store: Store,
    readonly workspace: Workspace,
    mode: LedgerMode = { rehearsal: false },
  ) {
    this.mode = mode;
    this.visible = mode.rehearsal ? 1 : 0;
  }

  get rehearsal(): boolean {
    return this.mode.rehearsal;
  }

  /** The ledger's time: the database's, or the rehearsal's fixed time. */
  private time(db: Transaction<Database> | Store['db'] = this.store.db): Promise<string> {
    return this.mode.now !== undefined ? Promise.resolve(this.mode.now) : databaseNow(db, this.store.dialect);
  }

  async now(): Promise<Date> {
    return new Date(await this.time());
  }

  private get mark(): number {
    return this.mode.rehearsal ? 1 : 0;
  }

  /**
   * Runs `work` in a transaction with its audit row; a refusal rolls the work back and is audited in a
   * transaction of its own before it reaches the caller.
   */
  private async guarded<T>(
    actor: Actor,
    action: string,
    subject: string,
    work: (trx: Transaction<Database>) => Promise<T>,
    describe?: (result: T) => string | undefined,
  ): Promise<T> {
    const entry = async (trx: Transaction<Database>, outcome: string, detail: string | null) => ({
      at: await this.time(trx),
      actor: actor.name,
      role: actor.role,
      action,
      subject,
      outcome,
      detail,
      rehearsal: this.mark,
    });
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        // The head first: it serialises this transaction against every other ledger write.
        const prev = await takeAuditHead(trx);
        const result = await work(trx);
        await appendAudit(trx, prev, await entry(trx, 'done', describe?.(result) ?? null));
        return result;
      });
    } catch (error) {
      if (error instanceof Refusal) {
        await this.store.db.transaction().execute(async (trx) => {
          const prev = await takeAuditHead(trx);
          await appendAudit(trx, prev, await entry(trx, 'refused', error.message));
        });
      }
      throw error;
    }
  }

  service(name: string): { name: string; image: string } {
    const service = this.workspace.services.find((candidate) => candidate.name === name);
    if (!service) {
      throw new Refusal('LEDGER_UNKNOWN_SERVICE', `there is no service "${name}" in stagecraft.yaml`, {
        hint: `use one of ${this.workspace.services.map((s) => s.name).join(', ') || '(none declared: add services: to stagecraft.yaml)'}`,
      });
    }
    return service;
  }

  environment(name: string): Environment {
    const environment = this.workspace.environments.find((candidate) => candidate.name === name);
    if (!environment) {
      throw new Refusal(
        'LEDGER_UNKNOWN_ENVIRONMENT',
        `there is no environment "${name}" in stagecraft.yaml`,
        { hint: `use one of ${this.workspace.environments.map((e) => e.name).join(', ')}` },
      );
    }
    return environment;
  }

  /** Refuses an action reserved to `roles` (a `ledger.*` list of stagecraft.yaml). */
  private requireRole(actor: Actor, roles: readonly string[], what: string, key: string): void {
    if (roles.includes(actor.role)) return;
    throw new Refusal('LEDGER_ROLE_REFUSED', `the role ${actor.role} may not ${what}`, {
      hint: `${what} is for: ${roles.join(', ')} (stagecraft.yaml ledger.${key})`,
    });
  }

  /**
   * The environment, if the actor's role may deploy there (or confirm a deployment there). An admin's
   * break-glass may deploy where the admin role is no deployer: that is what it is for.
   */
  private mayDeploy(name: string, actor: Actor, breakGlass: string | undefined): Environment {
    if (breakGlass !== undefined && actor.role !== 'admin') {
      throw new Refusal(
        'LEDGER_BREAK_GLASS_REFUSED',
        `--break-glass is for the admin role, not ${actor.role}`,
        { hint: 'ask an admin; the bypass is recorded and shown everywhere' },
      );
    }
    const environment = this.environment(name);
    if (!environment.deployers.includes(actor.role) && breakGlass === undefined) {
      throw new Refusal(
        'LEDGER_ROLE_REFUSED',
        `the role ${actor.role} may not deploy to ${environment.name}`,
        {
          hint: `${environment.name} is deployed by: ${environment.deployers.join(', ') || 'nobody (deployers is empty)'} (stagecraft.yaml environments.${environment.name}.deployers)`,
        },
      );
    }
    return environment;
  }

  registerArtifact(
    input: {
      service: string;
      image: string;
      commit: string;
      author?: string;
      build?: Record<string, unknown>;
    },
    actor: Actor,
  ): Promise<ArtifactRow> {
    // git runs before the transaction, which holds the ledger's write lock; a refusal surfaces inside it.
    const commit = beforehand(() => fullCommit(input.commit, this.workspace.root));
    const author = beforehand(() => input.author ?? commitAuthor(commit(), this.workspace.root) ?? null);
    return this.guarded(actor, 'artifact register', `${input.service} ${input.image}`, async (trx) => {
      const service = this.service(input.service);
      const match = DIGEST_IMAGE.exec(input.image);
      if (!match?.groups) {
        throw new Refusal(
          'LEDGER_NOT_A_DIGEST',
          `${input.image} is not an image by digest (repository@sha256:…)`,
          {
            hint: `a tag can move; register the digest it points at: docker buildx imagetools inspect ${input.image} --format '{{.Manifest.Digest}}' (or crane digest ${input.image})`,
          },
        );
      }
      const repository = match.groups['repository'] ?? '';
      if (service.image && repository.replace(/:[^/]*$/, '') !== service.image) {
        throw new Refusal(
          'LEDGER_WRONG_REPOSITORY',
          `${input.service} is built to ${service.image}, not ${repository}`,
          { hint: 'register the image the service is built to (services.<name>.image in stagecraft.yaml)' },
        );
      }
      const digest = match.groups['digest'] ?? '';
      // One build is one row, however many CI jobs register it at once.
      await trx
        .insertInto('artifacts')
        .values({
          service: input.service,
          image: input.image,
          digest,
          commit_sha: commit(),
          author: author(),
          build: input.build ? JSON.stringify(input.build) : null,
          registered_at: await this.time(trx),
          registered_by: actor.name,
          rehearsal: this.mark,
          rejected_at: null,
          rejected_by: null,
          reject_reason: null,
        })
        .onConflict((oc) => oc.columns(['service', 'digest']).doNothing())
        .execute();
      const row = await trx
        .selectFrom('artifacts')
        .selectAll()
        .where('service', '=', input.service)
        .where('digest', '=', digest)
        .executeTakeFirstOrThrow();
      if (row.commit_sha !== commit()) {
        throw new Refusal(
          'LEDGER_DIGEST_CONFLICT',
          `${digest} is already registered for ${input.service} from commit ${row.commit_sha}`,
          { hint: 'one digest is one build: check which commit really built it' },
        );
      }
      return row;
    });
  }

  /** Records a deployment of an artifact to an environment, pending, if every rule allows it. */
  startDeployment(
    input: {
      service: string;
      environment: string;
      digest?: string | undefined;
      kind: Kind;
      /** An admin's bypass of the gates, with the reason recorded and shown everywhere. */
      breakGlass?: string | undefined;
    },
    actor: Actor,
  ): Promise<Admitted> {
    return this.guarded(
      actor,
      input.breakGlass ? `${input.kind} (BREAK-GLASS)` : input.kind,
      `${input.service} → ${input.environment}`,
      async (trx) => {
        this.service(input.service);
        const environment = this.mayDeploy(input.environment, actor, input.breakGlass);
        return this.admit(trx, input, environment, actor);
      },
      (admitted) => `deployment #${admitted.id}: ${admitted.artifact.digest}${tookOver(admitted)}`,
    );
  }

  /**
   * Every rule for one service's deployment, inside the action's transaction; records the deployment pending
   * when they all pass. The pending row is what makes a racing second request see "in progress".
   */
  private async admit(
    trx: Transaction<Database>,
    input: {
      service: string;
      digest?: string | undefined;
      kind: Kind;
      breakGlass?: string | undefined;
      release?: string;
    },
    environment: Environment,
    actor: Actor,
  ): Promise<Admitted & { abandoned?: number }> {
    const artifact =
      input.kind === 'rollback'
        ? await previousArtifact(trx, input.service, environment.name, this.visible)
        : await chooseArtifact(trx, input, environment, this.visible);
    if (artifact.rejected_at) {
      throw new Refusal(
        'LEDGER_ARTIFACT_REJECTED',
        `${artifact.digest} of ${input.service} was rejected: ${artifact.reject_reason ?? ''}`,
        { hint: 'build and register a new artifact; a rejected one is blocked everywhere' },
      );
    }
    const now = await this.time(trx);
    const abandoned = await this.takeOverAbandoned(trx, input.service, environment.name, now, actor);
    const latest = await trx
      .selectFrom('deployments')
      .select(['id', 'artifact_id', 'status'])
      .where('service', '=', input.service)
      .where('environment', '=', environment.name)
      .where('rehearsal', '<=', this.visible)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (input.kind !== 'rollback' && latest?.artifact_id === artifact.id && latest.status === 'succeeded') {
      throw new Refusal(
        'LEDGER_ALREADY_DEPLOYED',
        `${input.service} ${artifact.digest.slice(0, 19)}… already runs in ${environment.name} (deployment #${latest.id})`,
        { hint: 'nothing to do; stagecraft status shows what runs where' },
      );
    }
    // Gates guard promotion; a rollback returns to what already ran here and is not gated.
    const failures =
      input.kind === 'rollback'
        ? []
        : await failingGates(environment.gates, {
            trx,
            artifact,
            service: input.service,
            environment: environment.name,
            from: environment.from,
            now: new Date(now),
            visible: this.visible,
          });
    if (failures.length && input.breakGlass === undefined) {
      throw new Refusal(
        'LEDGER_GATE_FAILED',
        `${input.service} may not go to ${environment.name} yet: ${failures.map((f) => `${f.gate}: ${f.message}`).join('; ')}`,
        { hint: failures.map((f) => f.hint).join('; ') },
      );
    }
    // A command step runs in this process, which records where it runs and beats a heartbeat (stale.ts).
    const runsHere = environment.deploy?.command !== undefined && !environment.deploy['gitops'];
    const row = await trx
      .insertInto('deployments')
      .values({
        service: input.service,
        environment: environment.name,
        artifact_id: artifact.id,
        kind: input.kind,
        status: 'pending',
        actor: actor.name,
        role: actor.role,
        break_glass: input.breakGlass === undefined ? 0 : 1,
        reason: input.breakGlass ?? (input.release ? `release ${input.release}` : null),
        created_at: now,
        finished_at: null,
        output: null,
        rehearsal: this.mark,
        host: runsHere ? hostname() : null,
        pid: runsHere ? process.pid : null,
        heartbeat_at: runsHere ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, artifact, bypassed: failures, ...(abandoned ? { abandoned } : {}) };
  }

  /**
   * A pending deployment of this service here blocks a new one, unless its deploy step's process is gone:
   * then it is recorded failed, and its id returned, so the new deployment takes over.
   */
  private async takeOverAbandoned(
    trx: Transaction<Database>,
    service: string,
    environment: string,
    now: string,
    actor: Actor,
  ): Promise<number | undefined> {
    const pending = await trx
      .selectFrom('deployments')
      .select(['id', 'host', 'pid', 'heartbeat_at'])
      .where('service', '=', service)
      .where('environment', '=', environment)
      .where('status', '=', 'pending')
      .where('rehearsal', '<=', this.visible)
      .executeTakeFirst();
    if (!pending) return undefined;
    const why = abandonment(pending, new Date(now), this.workspace.ledger.staleAfterMs);
    if (why === undefined) {
      throw new Refusal(
        'LEDGER_DEPLOYMENT_IN_PROGRESS',
        `deployment #${pending.id} of ${service} to ${environment} has not finished`,
        {
          hint:
            pending.host === null
              ? 'wait for it, or confirm it with stagecraft deployed --confirm (or --failed)'
              : `its deploy step is running (pid ${pending.pid} on ${pending.host}); wait for it`,
        },
      );
    }
    await trx
      .updateTable('deployments')
      .set({ status: 'failed', finished_at: now, output: `abandoned: ${why}; taken over by ${actor.name}` })
      .where('id', '=', pending.id)
      .where('status', '=', 'pending')
      .execute();
    return pending.id;
  }

  /** A release: several services' registered artifacts, promoted together as one unit. */
  createRelease(
    name: string,
    items: readonly { service: string; digest: string }[],
    actor: Actor,
  ): Promise<number> {
    return this.guarded(actor, 'release create', name, async (trx) => {
      if (items.length === 0) {
        throw new Refusal('LEDGER_EMPTY_RELEASE', `release ${name} names no artifacts`, {
          hint: 'give SERVICE=DIGEST for each service in it',
        });
      }
      const artifacts = [];
      for (const item of items) {
        this.service(item.service);
        const artifact = await trx
          .selectFrom('artifacts')
          .selectAll()
          .where('service', '=', item.service)
          .where('digest', '=', normaliseDigest(item.digest))
          .where('rehearsal', '<=', this.visible)
          .executeTakeFirst();
        if (!artifact) {
          throw new Refusal(
            'LEDGER_NO_ARTIFACT',
            `${item.digest} is not a registered artifact of ${item.service}`,
            {
              hint: 'register it first: stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA',
            },
          );
        }
        artifacts.push(artifact);
      }
      const existing = await trx
        .selectFrom('releases')
        .select(['id'])
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) {
        throw new Refusal('LEDGER_RELEASE_EXISTS', `release ${name} already exists`, {
          hint: 'a release is immutable: name a new one',
        });
      }
      const release = await trx
        .insertInto('releases')
        .values({ name, created_at: await this.time(trx), created_by: actor.name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('release_items')
        .values(artifacts.map((a) => ({ release_id: release.id, service: a.service, artifact_id: a.id })))
        .execute();
      return release.id;
    });
  }

  /**
   * Deploys or promotes every artifact of a release to an environment in one transaction: each must pass
   * every rule, or none is recorded.
   */
  startRelease(
    input: {
      release: string;
      environment: string;
      kind: 'deploy' | 'promote';
      breakGlass?: string | undefined;
    },
    actor: Actor,
  ): Promise<(Admitted & { service: string })[]> {
    return this.guarded(
      actor,
      `${input.kind} release`,
      `${input.release} → ${input.environment}`,
      async (trx) => {
        const environment = this.mayDeploy(input.environment, actor, input.breakGlass);
        const items = await trx
          .selectFrom('release_items')
          .innerJoin('releases', 'releases.id', 'release_items.release_id')
          .innerJoin('artifacts', 'artifacts.id', 'release_items.artifact_id')
          .select(['release_items.service', 'artifacts.digest'])
          .where('releases.name', '=', input.release)
          .orderBy('release_items.service')
          .execute();
        if (items.length === 0) {
          throw new Refusal('LEDGER_NO_RELEASE', `there is no release ${input.release}`, {
            hint: 'create it: stagecraft release create NAME SERVICE=DIGEST…',
          });
        }
        const admitted = [];
        for (const item of items) {
          const result = await this.admit(
            trx,
            {
              service: item.service,
              digest: item.digest,
              kind: input.kind,
              breakGlass: input.breakGlass,
              release: input.release,
            },
            environment,
            actor,
          );
          admitted.push({ service: item.service, ...result });
        }
        return admitted;
      },
      (admitted) => admitted.map((a) => `${a.service}: deployment #${a.id}${tookOver(a)}`).join('; '),
    );
  }

  reportGate(kind: 'tests', commit: string, result: 'pass' | 'fail', actor: Actor): Promise<string> {
    const resolved = beforehand(() => fullCommit(commit, this.workspace.root));
    return this.guarded(actor, `gate report ${kind} ${result}`, commit, async (trx) => {
      this.requireRole(actor, this.workspace.ledger.reporters, 'report test results', 'reporters');
      const full = resolved();
      await trx
        .insertInto('gate_reports')
        .values({
          kind,
          commit_sha: full,
          result,
          actor: actor.name,
          role: actor.role,
          at: await this.time(trx),
          rehearsal: this.mark,
        })
        .execute();
      return full;
    });
  }

  verify(
    environment: string,
    service: string | undefined,
    result: 'pass' | 'fail',
    actor: Actor,
  ): Promise<void> {
    return this.guarded(
      actor,
      `verify ${result}`,
      `${environment}${service ? ` ${service}` : ''}`,
      async (trx) => {
        this.requireRole(actor, this.workspace.ledger.verifiers, 'record verifications', 'verifiers');
        this.environment(environment);
        if (service) this.service(service);
        await trx
          .insertInto('verifications')
          .values({
            environment,
            service: service ?? null,
            result,
            actor: actor.name,
            at: await this.time(trx),
            rehearsal: this.mark,
          })
          .execute();
      },
    );
  }

  /** Approves the artifact that would be promoted to the environment now; never by its own commit's author. */
  approve(service: string, environmentName: string, actor: Actor): Promise<ArtifactRow> {
    return this.guarded(actor, 'approve', `${service} → ${environmentName}`, async (trx) => {
      this.service(service);
      const environment = this.environment(environmentName);
      const artifact = await chooseArtifact(trx, { service }, environment, this.visible);
      if (artifact.author === null) {
        throw new Refusal(
          'LEDGER_AUTHOR_UNKNOWN',
          `the author of commit ${artifact.commit_sha.slice(0, 12)} is unknown, so an approval cannot be told from self-approval`,
          {
            hint: 'register the artifact where git knows the commit, or with --author (stagecraft artifact register … --author NAME)',
          },
        );
      }
      if (isAuthor(actor.name, artifact.author)) {
        throw new Refusal(
          'LEDGER_SELF_APPROVAL',
          `${actor.name} wrote commit ${artifact.commit_sha.slice(0, 12)} and cannot approve it`,
          { hint: 'someone other than the author approves' },
        );
      }
      await trx
        .insertInto('approvals')
        .values({
          service,
          environment: environment.name,
          artifact_id: artifact.id,
          approver: actor.name,
          at: await this.time(trx),
          rehearsal: this.mark,
        })
        .execute();
      return artifact;
    });
  }

  /** The pending deployment of a service in an environment, with its artifact, if there is one. */
  async pendingDeployment(
    service: string,
    environment: string,
  ): Promise<{ id: number; image: string } | undefined> {
    return this.store.db
      .selectFrom('deployments')
      .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
      .select(['deployments.id', 'artifacts.image'])
      .where('deployments.service', '=', service)
      .where('deployments.environment', '=', environment)
      .where('deployments.status', '=', 'pending')
      .where('deployments.rehearsal', '<=', this.visible)
      .executeTakeFirst();
  }

  /** `stagecraft deployed`: how a deployment without a deploy step (or a GitOps one) ended, as seen by someone. */
  confirm(
    input: { service: string; environment: string; status: 'succeeded' | 'failed' },
    actor: Actor,
  ): Promise<number> {
    return this.guarded(
      actor,
      `deployed ${input.status}`,
      `${input.service} → ${input.environment}`,
      async (trx) => {
        const environment = this.mayDeploy(input.environment, actor, undefined);
        const pending = await trx
          .selectFrom('deployments')
          .select(['id'])
          .where('service', '=', input.service)
          .where('environment', '=', environment.name)
          .where('status', '=', 'pending')
          .where('rehearsal', '<=', this.visible)
          .executeTakeFirst();
        if (!pending) {
          throw new Refusal(
            'LEDGER_NOTHING_PENDING',
            `no deployment of ${input.service} to ${environment.name} is pending`,
            {
              hint: 'stagecraft history shows what was recorded',
            },
          );
        }
        const how = `${input.status === 'succeeded' ? 'confirmed' : 'reported failed'} by ${actor.name}`;
        await this.finish(trx, pending.id, input.status, how);
        return pending.id;
      },
      (id) => `deployment #${id}`,
    );
  }

  /** Keeps what a pending deployment's step did (a GitOps commit) without ending it. */
  async recordOutput(id: number, output: string): Promise<void> {
    await this.store.db.updateTable('deployments').set({ output }).where('id', '=', id).execute();
  }

  /** The deploy step's process is alive: pushes back the moment its entry may be taken over. */
  async heartbeat(id: number): Promise<void> {
    await this.store.db
      .updateTable('deployments')
      .set({ heartbeat_at: await this.time() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** How a deploy step ended, with its (redacted) output, audited as the actor's. */
  finishDeployment(
    id: number,
    status: 'succeeded' | 'failed',
    output: string | null,
    actor: Actor,
  ): Promise<void> {
    return this.guarded(actor, `deploy step ${status}`, `deployment #${id}`, (trx) =>
      this.finish(trx, id, status, output),
    );
  }

  private async finish(
    trx: Transaction<Database>,
    id: number,
    status: 'succeeded' | 'failed',
    output: string | null,
  ): Promise<void> {
    const result = await trx
      .updateTable('deployments')
      .set({ status, finished_at: await this.time(trx), output })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new Refusal('LEDGER_NOTHING_PENDING', `deployment #${id} is no longer pending`, {
        hint: 'it was taken over as abandoned, or confirmed by someone else: stagecraft history shows how it ended',
      });
    }
  }

  reject(digest: string, reason: string, actor: Actor): Promise<number> {
    return this.guarded(actor, 'reject', digest, async (trx) => {
      this.requireRole(actor, this.workspace.ledger.rejecters, 'reject artifacts', 'rejecters');
      const result = await trx
        .updateTable('artifacts')
        .set({ rejected_at: await this.time(trx), rejected_by: actor.name, reject_reason: reason })
        .where('digest', '=', normaliseDigest(digest))
        .where('rejected_at', 'is', null)
        .executeTakeFirst();
      const count = Number(result.numUpdatedRows);
      if (count === 0) {
        throw new Refusal('LEDGER_NO_ARTIFACT', `no unrejected artifact has the digest ${digest}`, {
          hint: 'check the digest (stagecraft history lists them)',
        });
      }
      return count;
    });
  }

  private async scope(): Promise<views.ViewScope> {
    return { db: this.store.db, workspace: this.workspace, visible: this.visible, now: await this.now() };
  }

  async status(): Promise<views.StatusRow[]> {
    return views.statusRows(await this.scope());
  }

  async pendingGates(): Promise<views.NextPromotion[]> {
    return views.pendingGates(await this.scope());
  }

  auditLog(limit: number): Promise<views.AuditRow[]> {
    return views.auditLog(this.store.db, limit);
  }

  history(filter: {
    environment?: string | undefined;
    service?: string | undefined;
  }): Promise<views.HistoryRow[]> {
    return views.deploymentHistory(this.store.db, filter);
  }
}

/**
 * Runs `work` now and returns a function giving its result, or throwing its error where it is called: slow
 * work (git) is done before a transaction, and its refusal is still raised and audited inside the action.
 */
function beforehand<T>(work: () => T): () => T {
  try {
    const value = work();
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

function tookOver(admitted: { abandoned?: number }): string {
  return admitted.abandoned === undefined ? '' : ` (took over abandoned deployment #${admitted.abandoned})`;
}
