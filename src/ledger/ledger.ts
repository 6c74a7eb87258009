/**
 * The environment model's rules over the ledger: an artifact is a service's image by digest; it reaches an
 * environment only through a deployer role that environment lists, and beyond the start of the chain only
 * after succeeding in the environment it is promoted from — unchanged, the same digest. Every action, done or
 * refused, is in the audit log; deployments are appended, never edited except to record how they ended.
 */
import { sql, type Transaction } from 'kysely';
import { StagecraftError } from '../errors.ts';
import type { Environment, Workspace } from '../workspace/model.ts';
import { evaluateGate, type GateFailure } from './gates.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

export interface Actor {
  name: string;
  role: string;
}

/** An action the rules do not allow: exit 2, with the rule that refused it. */
export class Refusal extends StagecraftError {}

const DIGEST_IMAGE = /^(?<repository>[a-z0-9][a-z0-9._\-/:]*?)@(?<digest>sha256:[0-9a-f]{64})$/;

export interface ArtifactRow {
  id: number;
  service: string;
  image: string;
  digest: string;
  commit_sha: string;
  author: string | null;
  rejected_at: string | null;
  reject_reason: string | null;
}

export class Ledger {
  constructor(
    readonly store: Store,
    readonly workspace: Workspace,
    now: (() => Date) | undefined = undefined,
  ) {
    this.now = now ?? (() => new Date());
  }

  private readonly now: () => Date;

  private time(): string {
    return this.now().toISOString();
  }

  private async audit(
    actor: Actor,
    action: string,
    subject: string,
    outcome: 'done' | 'refused',
    detail?: string,
  ): Promise<void> {
    await this.store.db
      .insertInto('audit')
      .values({
        at: this.time(),
        actor: actor.name,
        role: actor.role,
        action,
        subject,
        outcome,
        detail: detail ?? null,
      })
      .execute();
  }

  /** Runs `work`; a refusal is written to the audit log before it reaches the caller. */
  private async guarded<T>(
    actor: Actor,
    action: string,
    subject: string,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await work();
      await this.audit(actor, action, subject, 'done');
      return result;
    } catch (error) {
      if (error instanceof Refusal) await this.audit(actor, action, subject, 'refused', error.message);
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
        {
          hint: `use one of ${this.workspace.environments.map((e) => e.name).join(', ')}`,
        },
      );
    }
    return environment;
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
        {
          hint: 'ask an admin; the bypass is recorded and shown everywhere',
        },
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
    return this.guarded(actor, 'artifact register', `${input.service} ${input.image}`, async () => {
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
          {
            hint: 'register the image the service is built to (services.<name>.image in stagecraft.yaml)',
          },
        );
      }
      if (!/^[0-9a-f]{7,40}$/.test(input.commit)) {
        throw new Refusal('LEDGER_BAD_COMMIT', `"${input.commit}" is not a git commit id`, {
          hint: 'pass --commit $(git rev-parse HEAD)',
        });
      }
      const digest = match.groups['digest'] ?? '';
      const existing = await this.store.db
        .selectFrom('artifacts')
        .selectAll()
        .where('service', '=', input.service)
        .where('digest', '=', digest)
        .executeTakeFirst();
      if (existing) {
        if (existing.commit_sha !== input.commit) {
          throw new Refusal(
            'LEDGER_DIGEST_CONFLICT',
            `${digest} is already registered for ${input.service} from commit ${existing.commit_sha}`,
            {
              hint: 'one digest is one build: check which commit really built it',
            },
          );
        }
        return existing;
      }
      await this.store.db
        .insertInto('artifacts')
        .values({
          service: input.service,
          image: input.image,
          digest,
          commit_sha: input.commit,
          author: input.author ?? null,
          build: input.build ? JSON.stringify(input.build) : null,
          registered_at: this.time(),
          registered_by: actor.name,
          rejected_at: null,
          rejected_by: null,
          reject_reason: null,
        })
        .execute();
      return (await this.store.db
        .selectFrom('artifacts')
        .selectAll()
        .where('service', '=', input.service)
        .where('digest', '=', digest)
        .executeTakeFirstOrThrow()) as ArtifactRow;
    });
  }

  /**
   * Records a deployment of an artifact to an environment, pending, if every rule allows it. Checks and the
   * insert run in one transaction that first takes the environment's lock row, so two racing requests for
   * one environment are serialised by the database: never both allowed, nothing lost.
   */
  startDeployment(
    input: {
      service: string;
      environment: string;
      digest?: string | undefined;
      kind: 'deploy' | 'promote' | 'rollback';
      /** An admin's bypass of the gates, with the reason recorded and shown everywhere. */
      breakGlass?: string | undefined;
    },
    actor: Actor,
  ): Promise<{ id: number; artifact: ArtifactRow; bypassed: GateFailure[] }> {
    return this.guarded(
      actor,
      input.breakGlass ? `${input.kind} (BREAK-GLASS)` : input.kind,
      `${input.service} → ${input.environment}`,
      async () => {
        this.service(input.service);
        const environment = this.mayDeploy(input.environment, actor, input.breakGlass);
        return this.store.db.transaction().execute(async (trx) => {
          await this.lock(trx, environment.name);
          return this.admit(trx, input, environment, actor);
        });
      },
    );
  }

  /**
   * Every rule for one service's deployment, inside a transaction that holds the environment's lock; records
   * the deployment pending when they all pass.
   */
  private async admit(
    trx: Transaction<Database>,
    input: {
      service: string;
      digest?: string | undefined;
      kind: 'deploy' | 'promote' | 'rollback';
      breakGlass?: string | undefined;
      release?: string | undefined;
    },
    environment: Environment,
    actor: Actor,
  ): Promise<{ id: number; artifact: ArtifactRow; bypassed: GateFailure[] }> {
    const artifact =
      input.kind === 'rollback'
        ? await this.previousArtifact(trx, input.service, environment.name)
        : await this.chooseArtifact(trx, input, environment);
    if (artifact.rejected_at) {
      throw new Refusal(
        'LEDGER_ARTIFACT_REJECTED',
        `${artifact.digest} of ${input.service} was rejected: ${artifact.reject_reason ?? ''}`,
        {
          hint: 'build and register a new artifact; a rejected one is blocked everywhere',
        },
      );
    }
    const pending = await trx
      .selectFrom('deployments')
      .select(['id'])
      .where('service', '=', input.service)
      .where('environment', '=', environment.name)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) {
      throw new Refusal(
        'LEDGER_DEPLOYMENT_IN_PROGRESS',
        `deployment #${pending.id} of ${input.service} to ${environment.name} has not finished`,
        {
          hint: 'wait for it, or confirm it with stagecraft deployed --confirm',
        },
      );
    }
    // Gates guard promotion; a rollback returns to what already ran here and is not gated.
    const failures: GateFailure[] = [];
    if (input.kind !== 'rollback') {
      for (const gate of environment.gates) {
        const failure = await evaluateGate(gate, {
          trx,
          artifact,
          service: input.service,
          environment: environment.name,
          from: environment.from,
          now: this.now(),
        });
        if (failure) failures.push(failure);
      }
    }
    if (failures.length && input.breakGlass === undefined) {
      throw new Refusal(
        'LEDGER_GATE_FAILED',
        `${input.service} may not go to ${environment.name} yet: ${failures.map((f) => `${f.gate}: ${f.message}`).join('; ')}`,
        { hint: failures.map((f) => f.hint).join('; ') },
      );
    }
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
        created_at: this.time(),
        finished_at: null,
        output: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, artifact, bypassed: failures };
  }

  /** A release: several services' registered artifacts, promoted together as one unit. */
  createRelease(
    name: string,
    items: readonly { service: string; digest: string }[],
    actor: Actor,
  ): Promise<number> {
    return this.guarded(actor, 'release create', name, async () => {
      if (items.length === 0) {
        throw new Refusal('LEDGER_EMPTY_RELEASE', `release ${name} names no artifacts`, {
          hint: 'give SERVICE=DIGEST for each service in it',
        });
      }
      return this.store.db.transaction().execute(async (trx) => {
        const artifacts = [];
        for (const item of items) {
          this.service(item.service);
          const artifact = await trx
            .selectFrom('artifacts')
            .selectAll()
            .where('service', '=', item.service)
            .where('digest', '=', normaliseDigest(item.digest))
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
        if (existing)
          throw new Refusal('LEDGER_RELEASE_EXISTS', `release ${name} already exists`, {
            hint: 'a release is immutable: name a new one',
          });
        const release = await trx
          .insertInto('releases')
          .values({ name, created_at: this.time(), created_by: actor.name })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('release_items')
          .values(
            artifacts.map((artifact) => ({
              release_id: release.id,
              service: artifact.service,
              artifact_id: artifact.id,
            })),
          )
          .execute();
        return release.id;
      });
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
  ): Promise<{ service: string; id: number; artifact: ArtifactRow; bypassed: GateFailure[] }[]> {
    return this.guarded(
      actor,
      `${input.kind} release`,
      `${input.release} → ${input.environment}`,
      async () => {
        const environment = this.mayDeploy(input.environment, actor, input.breakGlass);
        return this.store.db.transaction().execute(async (trx) => {
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
          await this.lock(trx, environment.name);
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
        });
      },
    );
  }

  /** What ran here before the current artifact: the newest succeeded deployment of another digest. */
  private async previousArtifact(
    trx: Transaction<Database>,
    service: string,
    environment: string,
  ): Promise<ArtifactRow> {
    const succeeded = await trx
      .selectFrom('deployments')
      .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
      .selectAll('artifacts')
      .where('deployments.service', '=', service)
      .where('deployments.environment', '=', environment)
      .where('deployments.status', '=', 'succeeded')
      .orderBy('deployments.id', 'desc')
      .execute();
    const current = succeeded[0];
    const previous = succeeded.find((artifact) => artifact.id !== current?.id);
    if (!previous) {
      throw new Refusal(
        'LEDGER_NOTHING_TO_ROLL_BACK_TO',
        `${service} has no earlier successful artifact in ${environment}`,
        {
          hint: 'rollback deploys the previous successful artifact of this environment; there is none',
        },
      );
    }
    return previous as ArtifactRow;
  }

  reportGate(kind: 'tests', commit: string, result: 'pass' | 'fail', actor: Actor): Promise<void> {
    return this.guarded(actor, `gate report ${kind} ${result}`, commit, async () => {
      if (!/^[0-9a-f]{7,40}$/.test(commit))
        throw new Refusal('LEDGER_BAD_COMMIT', `"${commit}" is not a git commit id`, {
          hint: 'pass --commit $(git rev-parse HEAD)',
        });
      await this.store.db
        .insertInto('gate_reports')
        .values({ kind, commit_sha: commit, result, actor: actor.name, role: actor.role, at: this.time() })
        .execute();
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
      async () => {
        this.environment(environment);
        if (service) this.service(service);
        await this.store.db
          .insertInto('verifications')
          .values({ environment, service: service ?? null, result, actor: actor.name, at: this.time() })
          .execute();
      },
    );
  }

  /** Approves the artifact that would be promoted to the environment now; never by its own commit's author. */
  approve(service: string, environmentName: string, actor: Actor): Promise<ArtifactRow> {
    return this.guarded(actor, 'approve', `${service} → ${environmentName}`, async () => {
      this.service(service);
      const environment = this.environment(environmentName);
      return this.store.db.transaction().execute(async (trx) => {
        const artifact = await this.chooseArtifact(trx, { service }, environment);
        if (artifact.author !== null && artifact.author === actor.name) {
          throw new Refusal(
            'LEDGER_SELF_APPROVAL',
            `${actor.name} wrote commit ${artifact.commit_sha.slice(0, 12)} and cannot approve it`,
            {
              hint: 'someone other than the author approves',
            },
          );
        }
        await trx
          .insertInto('approvals')
          .values({
            service,
            environment: environment.name,
            artifact_id: artifact.id,
            approver: actor.name,
            at: this.time(),
          })
          .execute();
        return artifact;
      });
    });
  }

  /** The environment's lock row, updated first so the transaction holds the write lock from its start. */
  private async lock(trx: Transaction<Database>, environment: string): Promise<void> {
    const updated = await trx
      .updateTable('environment_locks')
      .set({ version: sql`version + 1` })
      .where('environment', '=', environment)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto('environment_locks')
        .values({ environment, version: 1 })
        .onConflict((oc) =>
          oc.column('environment').doUpdateSet({ version: sql`environment_locks.version + 1` }),
        )
        .execute();
    }
  }

  private async chooseArtifact(
    trx: Transaction<Database>,
    input: { service: string; digest?: string | undefined },
    environment: Environment,
  ): Promise<ArtifactRow> {
    const from = environment.from;
    if (from === undefined) {
      // The start of the chain takes a registered artifact: the one named, else the newest.
      let query = trx.selectFrom('artifacts').selectAll().where('service', '=', input.service);
      if (input.digest) query = query.where('digest', '=', normaliseDigest(input.digest));
      const artifact = await query.orderBy('id', 'desc').executeTakeFirst();
      if (!artifact) {
        throw new Refusal(
          'LEDGER_NO_ARTIFACT',
          input.digest
            ? `${input.digest} is not a registered artifact of ${input.service}`
            : `${input.service} has no registered artifact`,
          {
            hint: 'register it first: stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA',
          },
        );
      }
      return artifact as ArtifactRow;
    }
    // Beyond the start: exactly what succeeded in the environment it comes from, unchanged.
    let query = trx
      .selectFrom('deployments')
      .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
      .selectAll('artifacts')
      .where('deployments.service', '=', input.service)
      .where('deployments.environment', '=', from)
      .where('deployments.status', '=', 'succeeded');
    if (input.digest) query = query.where('artifacts.digest', '=', normaliseDigest(input.digest));
    const artifact = await query.orderBy('deployments.id', 'desc').executeTakeFirst();
    if (!artifact) {
      throw new Refusal(
        'LEDGER_NOT_IN_SOURCE',
        input.digest
          ? `${input.digest} has not been deployed successfully to ${from}, which ${environment.name} is promoted from`
          : `${input.service} has no successful deployment in ${from}, which ${environment.name} is promoted from`,
        { hint: `deploy it to ${from} first; only what succeeded there is promoted, unchanged` },
      );
    }
    return artifact as ArtifactRow;
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
      async () => {
        const environment = this.mayDeploy(input.environment, actor, undefined);
        const pending = await this.store.db
          .selectFrom('deployments')
          .select(['id'])
          .where('service', '=', input.service)
          .where('environment', '=', environment.name)
          .where('status', '=', 'pending')
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
        await this.finishDeployment(
          pending.id,
          input.status,
          `${input.status === 'succeeded' ? 'confirmed' : 'reported failed'} by ${actor.name}`,
        );
        return pending.id;
      },
    );
  }

  /** Keeps what a pending deployment's step did (a GitOps commit) without ending it. */
  async recordOutput(id: number, output: string): Promise<void> {
    await this.store.db.updateTable('deployments').set({ output }).where('id', '=', id).execute();
  }

  async finishDeployment(id: number, status: 'succeeded' | 'failed', output: string | null): Promise<void> {
    await this.store.db
      .updateTable('deployments')
      .set({ status, finished_at: this.time(), output })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  reject(digest: string, reason: string, actor: Actor): Promise<number> {
    return this.guarded(actor, 'reject', digest, async () => {
      const result = await this.store.db
        .updateTable('artifacts')
        .set({ rejected_at: this.time(), rejected_by: actor.name, reject_reason: reason })
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

  /** The newest deployment of every service in every environment, with its artifact. */
  /**
   * For each environment beyond the start and each service: the gates that still stand between what
   * succeeded in the source environment and this one (empty when it could be promoted now).
   */
  async pendingGates(): Promise<{ environment: string; service: string; digest: string; gates: string[] }[]> {
    const result: { environment: string; service: string; digest: string; gates: string[] }[] = [];
    await this.store.db.transaction().execute(async (trx) => {
      for (const environment of this.workspace.environments) {
        if (environment.from === undefined) continue;
        for (const service of this.workspace.services) {
          let artifact: ArtifactRow;
          try {
            artifact = await this.chooseArtifact(trx, { service: service.name }, environment);
          } catch {
            continue; // nothing to promote yet
          }
          const current = await trx
            .selectFrom('deployments')
            .select(['artifact_id'])
            .where('service', '=', service.name)
            .where('environment', '=', environment.name)
            .orderBy('id', 'desc')
            .executeTakeFirst();
          if (current?.artifact_id === artifact.id) continue; // already there
          const gates: string[] = [];
          for (const gate of environment.gates) {
            const failure = await evaluateGate(gate, {
              trx,
              artifact,
              service: service.name,
              environment: environment.name,
              from: environment.from,
              now: this.now(),
            });
            if (failure) gates.push(`${failure.gate}: ${failure.message}`);
          }
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

  async status(): Promise<
    {
      environment: string;
      service: string;
      status: string;
      digest: string;
      commit: string;
      at: string;
      id: number;
    }[]
  > {
    const rows = await this.store.db
      .selectFrom('deployments')
      .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
      .select([
        'deployments.id',
        'deployments.environment',
        'deployments.service',
        'deployments.status',
        'deployments.created_at',
        'artifacts.digest',
        'artifacts.commit_sha',
      ])
      .where('deployments.id', 'in', (eb) =>
        eb
          .selectFrom('deployments')
          .select((e) => e.fn.max('id').as('id'))
          .groupBy(['environment', 'service']),
      )
      .execute();
    return rows.map((row) => ({
      environment: row.environment,
      service: row.service,
      status: row.status,
      digest: row.digest,
      commit: row.commit_sha,
      at: row.created_at,
      id: row.id,
    }));
  }

  /** The audit log, newest first: every action, done or refused, with who, which role, when and why. */
  async auditLog(limit: number): Promise<
    {
      id: number;
      at: string;
      actor: string;
      role: string;
      action: string;
      subject: string;
      outcome: string;
      detail: string | null;
    }[]
  > {
    return this.store.db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  async history(filter: {
    environment?: string | undefined;
    service?: string | undefined;
  }): Promise<HistoryRow[]> {
    let query = this.store.db
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
        'artifacts.digest',
        'artifacts.commit_sha',
      ]);
    if (filter.environment) query = query.where('deployments.environment', '=', filter.environment);
    if (filter.service) query = query.where('deployments.service', '=', filter.service);
    return query.orderBy('deployments.id', 'desc').execute();
  }
}

export interface HistoryRow {
  id: number;
  break_glass: number;
  reason: string | null;
  environment: string;
  service: string;
  kind: string;
  status: string;
  actor: string;
  role: string;
  created_at: string;
  finished_at: string | null;
  digest: string;
  commit_sha: string;
}

function normaliseDigest(digest: string): string {
  const at = digest.lastIndexOf('@');
  return at === -1 ? digest : digest.slice(at + 1);
}
