/**
 * The ledger's façade: every action the environment model allows, each run through `guarded`, its one way
 * to write. An artifact is a service's image by digest; it reaches an environment only through a deployer
 * role that environment lists, and beyond the start of the chain only after succeeding in the environment it
 * is promoted from — unchanged, the same digest.
 *
 * `guarded` runs an action in one transaction that first takes the audit log's head (audit-chain.ts): the
 * rules are checked, the change written and its audit row appended together, and racing actions are
 * serialised by the database. A refusal rolls the action back and is audited in a transaction of its own,
 * with what it still ends (a refused deploy step ends its deployment failed). The actions themselves live
 * beside this file: policy.ts (rules needing no database), admission.ts (deploy, promote, rollback),
 * releases.ts, artifacts.ts, evidence.ts (what gates read; the gates are in gates/), endings.ts, carry-out.ts
 * (the deploy step), checks.ts (recorded parity and drift results), queries.ts and views.ts. Time is the database's (clock.ts); the history is append-only
 * in the database itself (append-only.ts).
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import type { Workspace } from '@stagecraft/config/workspace';
import type { GitEnvironment } from '../git/run.ts';
import {
  type ActionScope,
  type AdmissionRequest,
  type Admitted,
  admit,
  type ReleaseRequest,
} from './admission.ts';
import type { ArtifactInput, LedgerApi } from './api.ts';
import { recordArtifact, rejectArtifact } from './artifacts.ts';
import { type AuditContent, appendAudit, takeAuditHead } from './audit-chain.ts';
import { type Deployed, type DeployHooks, type DeployRequest, deployAndCarryOut } from './carry-out.ts';
import { type CheckInput, type CheckView, latestChecks, recordCheck } from './checks.ts';
import { databaseNow, type LedgerMode } from './clock.ts';
import { commitAuthor, fullCommit } from './commits.ts';
import { deferred } from './deferred.ts';
import {
  type Confirmation,
  confirmDeployment,
  type Ending,
  endDeployment,
  notYourStep,
  requireOwnStep,
} from './endings.ts';
import { LedgerCodes } from './errors.ts';
import { recordApproval, recordReleaseApproval, recordTestReport, recordVerification } from './evidence.ts';
import type { GitopsResult } from './gitops.ts';
import * as policy from './policy.ts';
import * as queries from './queries.ts';
import { Refusal } from './refusal.ts';
import { admitRelease, recordRelease } from './releases.ts';
import type { CheckResult, DeploymentKind } from './schema.ts';
import type { Store } from './store.ts';
import {
  checkToken,
  listTokens,
  type NewToken,
  recordToken,
  requireAdmin,
  revokeToken,
  type TokenCheck,
  type TokenView,
} from './tokens.ts';
import * as views from './views.ts';

export type { Admitted } from './admission.ts';
export type { ArtifactInput, LedgerApi } from './api.ts';
export type { Deployed, DeployHooks, DeployRequest, StepOutcome } from './carry-out.ts';
export type { CheckInput, CheckKind, CheckStatus, CheckView } from './checks.ts';
export type { Actor } from './policy.ts';
export { Refusal } from './refusal.ts';
export type { ArtifactRow } from './schema.ts';
export type { NewToken, TokenCheck, TokenView } from './tokens.ts';
export type {
  Artifact,
  AuditEntry,
  Deployment,
  DeploymentDetail,
  GateState,
  HistoryFilter,
  HistoryPage,
  NextPromotion,
  RejectedArtifact,
} from './views.ts';

type Actor = policy.Actor;

interface Guard<T> {
  /** The audit row's detail for the action done. */
  describe?(result: T): string | undefined;
  /** What a refusal still records, in its audit row's transaction. */
  onRefused?(scope: ActionScope, refusal: Refusal): Promise<unknown>;
}

export class Ledger implements LedgerApi {
  private readonly mode: LedgerMode;
  /** The highest rehearsal mark that counts: rehearsed rows count only while rehearsing. */
  private readonly visible: number;

  constructor(
    readonly store: Store,
    readonly workspace: Workspace,
    mode: LedgerMode = { rehearsal: false },
    /** The environment git runs with when the ledger resolves commits: the caller's, not necessarily this process's. */
    private readonly gitEnv?: GitEnvironment | undefined,
  ) {
    this.mode = mode;
    this.visible = mode.rehearsal ? 1 : 0;
  }

  get rehearsal(): boolean {
    return this.mode.rehearsal;
  }

  /** The ledger's time: the database's, or the rehearsal's fixed time. */
  private time(db: Store['db'] = this.store.db): Promise<string> {
    return this.mode.now !== undefined ? Promise.resolve(this.mode.now) : databaseNow(db, this.store.dialect);
  }

  async now(): Promise<Date> {
    return new Date(await this.time());
  }

  /** Runs `work` in a transaction with its audit row; a refusal rolls it back and is audited on its own. */
  private async guarded<T>(
    actor: Actor,
    action: string,
    subject: string,
    work: (scope: ActionScope) => Promise<T>,
    guard: Guard<T> = {},
  ): Promise<T> {
    const entry = { actor: actor.name, role: actor.role, action, subject };
    try {
      return await this.audited({ ...entry, outcome: 'done' }, async (scope) => {
        const value = await work(scope);
        return { value, detail: guard.describe?.(value) ?? null };
      });
    } catch (error) {
      if (error instanceof Refusal) {
        await this.audited({ ...entry, outcome: 'refused' }, async (scope) => {
          await guard.onRefused?.(scope, error);
          return { value: undefined, detail: error.message };
        });
      }
      throw error;
    }
  }

  /** One transaction: takes the audit head, runs `act`, appends the audit row `act` describes. */
  private audited<T>(
    entry: Pick<AuditContent, 'actor' | 'role' | 'action' | 'subject' | 'outcome'>,
    act: (scope: ActionScope) => Promise<{ value: T; detail: string | null }>,
  ): Promise<T> {
    return this.store.db.transaction().execute(async (trx) => {
      // The head first: it serialises this transaction against every other ledger write.
      const prev = await takeAuditHead(trx);
      const now = await this.time(trx);
      const scope = { trx, workspace: this.workspace, now, visible: this.visible, mark: this.visible };
      const { value, detail } = await act(scope);
      await appendAudit(trx, prev, { ...entry, at: now, detail, rehearsal: scope.mark });
      return value;
    });
  }

  async registerArtifact(input: ArtifactInput, actor: Actor): Promise<views.Artifact> {
    // git runs before the transaction, which holds the ledger's write lock; a refusal surfaces inside it.
    const commit = deferred(() => fullCommit(input.commit, this.workspace.root, this.gitEnv));
    // Where git knows the commit, its author is the author: a different --author would let its writer
    // approve it. Where it does not (a server without the checkout), the registering identity's word is kept.
    const author = deferred(() => {
      const known = commitAuthor(commit(), this.workspace.root, this.gitEnv);
      if (known !== undefined && input.author !== undefined)
        policy.requireSameAuthor(input.author, known, commit());
      return known ?? input.author ?? null;
    });
    const row = await this.guarded(actor, 'artifact register', `${input.service} ${input.image}`, (scope) =>
      recordArtifact(scope, { ...input, commit, author }, actor),
    );
    return views.artifactOf(row);
  }

  /**
   * Audits as refused what was turned away before an action could start, and throws it: the clock set outside
   * rehearsal, a failed authentication, or a request the server could not take (whose error keeps its own
   * outcome: a malformed body is the caller's mistake, exit 1, yet still an attempt the audit log shows).
   */
  async refuse(actor: Actor, action: string, subject: string, refusal: StagecraftError): Promise<never> {
    const entry = { actor: actor.name, role: actor.role, action, subject, outcome: 'refused' as const };
    await this.audited(entry, async () => ({ value: undefined, detail: refusal.message }));
    throw refusal;
  }

  /** Records a deployment of one service's artifact to an environment, pending, if every rule allows it. */
  startDeployment(
    input: AdmissionRequest & { environment: string; kind: DeploymentKind },
    actor: Actor,
  ): Promise<Admitted> {
    const action = input.breakGlass ? `${input.kind} (BREAK-GLASS)` : input.kind;
    return this.guarded(
      actor,
      action,
      `${input.service} → ${input.environment}`,
      (scope) => {
        policy.serviceNamed(this.workspace, input.service);
        const environment = policy.mayDeploy(this.workspace, input.environment, actor, input.breakGlass);
        return admit(scope, input, environment, actor);
      },
      {
        describe: (admitted) =>
          `deployment #${admitted.id}: ${admitted.artifact.digest}${tookOver(admitted)}`,
      },
    );
  }

  /** Records every artifact of a release to an environment in one transaction: all pass every rule, or none. */
  startRelease(input: ReleaseRequest, actor: Actor): Promise<Admitted[]> {
    const describe = (all: Admitted[]) =>
      all.map((a) => `${a.service}: deployment #${a.id}${tookOver(a)}`).join('; ');
    const subject = `${input.release} → ${input.environment}`;
    return this.guarded(
      actor,
      `${input.kind} release`,
      subject,
      (scope) =>
        admitRelease(
          scope,
          input,
          policy.mayDeploy(this.workspace, input.environment, actor, input.breakGlass),
          actor,
        ),
      { describe },
    );
  }

  /** `deploy`, `promote`, `rollback`: records the deployment(s), then carries each out with its deploy step. */
  deploy(request: DeployRequest, actor: Actor, hooks: DeployHooks): Promise<Deployed[]> {
    return deployAndCarryOut(this, request, actor, hooks);
  }

  /** A release: several services' registered artifacts, promoted together as one unit. */
  createRelease(
    name: string,
    items: readonly { service: string; digest: string }[],
    actor: Actor,
  ): Promise<number> {
    return this.guarded(actor, 'release create', name, (scope) => recordRelease(scope, name, items, actor));
  }

  reportGate(kind: 'tests', commit: string, result: CheckResult, actor: Actor): Promise<string> {
    const resolved = deferred(() => fullCommit(commit, this.workspace.root, this.gitEnv));
    return this.guarded(actor, `gate report ${kind} ${result}`, commit, (scope) =>
      recordTestReport(scope, resolved, result, actor),
    );
  }

  verify(environment: string, service: string | undefined, result: CheckResult, actor: Actor): Promise<void> {
    const subject = `${environment}${service ? ` ${service}` : ''}`;
    return this.guarded(actor, `verify ${result}`, subject, (scope) =>
      recordVerification(scope, environment, service, result, actor),
    );
  }

  async approve(service: string, environment: string, actor: Actor): Promise<views.Artifact> {
    const row = await this.guarded(actor, 'approve', `${service} → ${environment}`, (scope) =>
      recordApproval(scope, service, environment, actor),
    );
    return views.artifactOf(row);
  }

  /** Approves every artifact of a release for an environment in one transaction: all, or none. */
  async approveRelease(release: string, environment: string, actor: Actor): Promise<views.Artifact[]> {
    const rows = await this.guarded(
      actor,
      'approve release',
      `${release} → ${environment}`,
      (scope) => recordReleaseApproval(scope, release, environment, actor),
      { describe: (all) => all.map((a) => `${a.service} ${a.digest}`).join('; ') },
    );
    return rows.map(views.artifactOf);
  }

  /** `stagecraft deployed`: how a deployment without a deploy step (or a GitOps one) ended, as someone saw it. */
  confirm(input: Confirmation, actor: Actor): Promise<number> {
    return this.guarded(
      actor,
      `deployed ${input.status}`,
      `${input.service} → ${input.environment}`,
      (scope) => confirmDeployment(scope, input, actor),
      { describe: (id) => `deployment #${id}` },
    );
  }

  /** Keeps a GitOps step's commit on its pending deployment; a refused step ends the deployment failed. */
  recordCommit(id: number, commit: () => GitopsResult, actor: Actor): Promise<GitopsResult> {
    const describe = (result: GitopsResult) => `committed ${result.commit}: ${result.files.join(', ')}`;
    return this.guarded(
      actor,
      'gitops commit',
      `deployment #${id}`,
      async (scope) => {
        await requireOwnStep(scope, id, actor);
        const result = commit();
        await queries.recordOutput(scope.trx, id, describe(result));
        return result;
      },
      {
        describe,
        // Ended here without refusing again: if someone ended it meanwhile, their ending stands. A report from
        // another identity ends nothing: it is not that deployment's step.
        onRefused: ({ trx, now }, refusal) =>
          refusal.code === LedgerCodes.LEDGER_NOT_YOUR_STEP
            ? Promise.resolve()
            : queries.endPending(trx, id, { status: 'failed', finished_at: now, output: refusal.message }),
      },
    );
  }

  /**
   * The deploy step's process is alive: pushes back the moment its entry may be taken over. Not audited: it
   * changes only the liveness of a pending deployment, every few seconds, and its ending is audited. A beat
   * for another identity's deployment is refused, and that is audited, like its ending would be: it could
   * otherwise keep an abandoned deployment from being taken over. A beat that comes after its own
   * deployment ended changes nothing.
   */
  async heartbeat(id: number, actor: Actor): Promise<void> {
    if (await queries.beat(this.store.db, id, await this.time(), actor.name)) return;
    const recordedBy = await queries.deploymentActor(this.store.db, id);
    if (recordedBy === undefined || recordedBy === actor.name || actor.role === 'admin') return;
    await this.refuse(actor, 'heartbeat', `deployment #${id}`, notYourStep(id, recordedBy, actor));
  }

  /** How a deploy step ended, with its (redacted) output, audited as the actor's. */
  finishDeployment(id: number, status: Ending, output: string | null, actor: Actor): Promise<void> {
    return this.guarded(actor, `deploy step ${status}`, `deployment #${id}`, async (scope) => {
      await requireOwnStep(scope, id, actor);
      await endDeployment(scope, id, status, output);
    });
  }

  reject(digest: string, reason: string, actor: Actor): Promise<number> {
    return this.guarded(actor, 'reject', digest, (scope) => rejectArtifact(scope, digest, reason, actor));
  }

  /**
   * A parity or drift result (`--record`), for the dashboard. Any identity may record one: it is evidence,
   * not a gate, and it is attributed and audited (checks.ts).
   */
  recordCheck(input: CheckInput, actor: Actor): Promise<CheckView> {
    return this.guarded(
      actor,
      'check record',
      `${input.kind} ${input.name}`,
      (scope) => recordCheck(scope, input, actor),
      { describe: (check) => `check #${check.id}: ${check.status}, ${counted(check.findings, 'finding')}` },
    );
  }

  /** The newest recorded result of each check. */
  latestChecks(): Promise<CheckView[]> {
    return latestChecks(this.store.db, this.visible);
  }

  /** A new API token for the server (admins only): returned once, kept only as a hash. */
  createToken(
    input: NewToken,
    actor: Actor,
  ): Promise<{ id: number; token: string; expiresAt: string | null }> {
    const scope = input.environments?.length ? ` for ${input.environments.join(', ')}` : '';
    return this.guarded(actor, 'token create', `${input.name} (${input.role})${scope}`, (s) =>
      recordToken(s, input, actor),
    );
  }

  revokeToken(which: string, actor: Actor): Promise<TokenView> {
    return this.guarded(actor, 'token revoke', which, (scope) => revokeToken(scope, which, actor), {
      describe: (token) => `token #${token.id} ${token.name} (${token.role})`,
    });
  }

  /** Every token without its secret: who holds access, for admins only (a refusal is audited). */
  async tokens(actor: Actor): Promise<TokenView[]> {
    try {
      requireAdmin(actor, 'list tokens');
    } catch (error) {
      if (error instanceof Refusal) await this.refuse(actor, 'token list', 'tokens', error);
      throw error;
    }
    return listTokens(this.store.db, await this.time());
  }

  /** Whom a presented API token speaks for, checked against the ledger's time: revocation and expiry count at once. */
  async checkToken(token: string): Promise<TokenCheck> {
    return checkToken(this.store.db, token, await this.time());
  }

  private async scope(): Promise<views.ViewScope> {
    return { db: this.store.db, workspace: this.workspace, visible: this.visible, now: await this.now() };
  }

  async status(): Promise<views.Deployment[]> {
    return views.statusRows(await this.scope());
  }

  async pendingGates(): Promise<views.NextPromotion[]> {
    return views.pendingGates(await this.scope());
  }

  async auditLog(limit: number): Promise<views.AuditEntry[]> {
    return views.auditLog(await this.scope(), limit);
  }

  async deployment(id: number): Promise<views.DeploymentDetail> {
    const found = await views.deploymentDetail(await this.scope(), id);
    if (found === undefined) {
      throw new StagecraftError(LedgerCodes.LEDGER_UNKNOWN_DEPLOYMENT, `there is no deployment #${id}`, {
        hint: 'run `stagecraft history` for the ids',
      });
    }
    return found;
  }

  async artifacts(service: string | undefined): Promise<views.Artifact[]> {
    if (service !== undefined) policy.serviceNamed(this.workspace, service);
    return views.artifactList(await this.scope(), service);
  }

  /** Artifacts rejected everywhere, newest first. */
  rejectedArtifacts(): Promise<views.RejectedArtifact[]> {
    return views.rejectedArtifacts(this.store.db, this.visible);
  }

  /** A number that changes whenever anything is written to the ledger (the audit log's length). */
  changeCount(): Promise<number> {
    return views.auditCount(this.store.db);
  }

  async history(filter: views.HistoryFilter): Promise<views.HistoryPage> {
    if (filter.environment) policy.environmentNamed(this.workspace, filter.environment);
    if (filter.service) policy.serviceNamed(this.workspace, filter.service);
    return views.deploymentHistory(await this.scope(), filter);
  }
}

function tookOver(admitted: { abandoned?: number }): string {
  return admitted.abandoned === undefined ? '' : ` (took over abandoned deployment #${admitted.abandoned})`;
}
