/**
 * The ledger's rules that need no database: who may do what (roles, deployers, break-glass), what an image
 * by digest is, that one digest is one commit, that nobody approves their own change, and when a deployment
 * is held back. Each returns what it allows or throws the Refusal that names the rule and what to do.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { oneOf } from '@stagecraft/config/text';
import type { Environment, Service, Workspace } from '@stagecraft/config/workspace';
import { isAuthor } from './commits.ts';
import { LedgerCodes } from './errors.ts';
import type { GateFailure } from './gates/index.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow, DeploymentKind, DeploymentRow } from './schema.ts';

export interface Actor {
  name: string;
  role: string;
  /**
   * The environments this identity may act in (a token made with --env, an OIDC rule's environments);
   * undefined: every environment its role allows.
   */
  environments?: readonly string[] | undefined;
}

const DIGEST_IMAGE = /^(?<repository>[a-z0-9][a-z0-9._\-/:]*?)@(?<digest>sha256:[0-9a-f]{64})$/;

export function serviceNamed(workspace: Workspace, name: string): Service {
  const service = workspace.services.find((candidate) => candidate.name === name);
  if (service) return service;
  // A name stagecraft.yaml does not declare is a mistake of usage, not a rule saying no: exit 1, not audited.
  throw new StagecraftError(
    LedgerCodes.LEDGER_UNKNOWN_SERVICE,
    `there is no service "${name}" in stagecraft.yaml`,
    {
      hint: workspace.services.length
        ? oneOf(
            name,
            workspace.services.map((s) => s.name),
          )
        : 'none are declared: add services: to stagecraft.yaml',
    },
  );
}

export function environmentNamed(workspace: Workspace, name: string): Environment {
  const environment = workspace.environments.find((candidate) => candidate.name === name);
  if (environment) return environment;
  throw new StagecraftError(
    LedgerCodes.LEDGER_UNKNOWN_ENVIRONMENT,
    `there is no environment "${name}" in stagecraft.yaml`,
    {
      hint: oneOf(
        name,
        workspace.environments.map((e) => e.name),
      ),
    },
  );
}

/** Refuses an action reserved to `roles` (the `ledger.<key>` list of stagecraft.yaml). */
export function requireRole(actor: Actor, roles: readonly string[], what: string, key: string): void {
  if (roles.includes(actor.role)) return;
  throw new Refusal(LedgerCodes.LEDGER_ROLE_REFUSED, `the role ${actor.role} may not ${what}`, {
    hint: `${what} is for: ${roles.join(', ')} (stagecraft.yaml ledger.${key})`,
  });
}

/** Refuses an identity limited to other environments (a token made with --env, an OIDC rule's environments). */
export function requireInScope(actor: Actor, environment: string): void {
  if (actor.environments === undefined || actor.environments.includes(environment)) return;
  throw new Refusal(
    LedgerCodes.LEDGER_ENVIRONMENT_REFUSED,
    `${actor.name} may act only in ${actor.environments.join(', ') || 'no environment'}, not in ${environment}`,
    {
      hint: `use an identity for ${environment}: a token created with --env ${environment}, or the OIDC rule that maps to it`,
    },
  );
}

/**
 * The environment, if the actor's role may deploy there (or confirm a deployment there). An admin's
 * break-glass may deploy where the admin role is no deployer: that is what it is for.
 */
export function mayDeploy(
  workspace: Workspace,
  name: string,
  actor: Actor,
  breakGlass: string | undefined,
): Environment {
  if (breakGlass !== undefined && actor.role !== 'admin') {
    throw new Refusal(
      LedgerCodes.LEDGER_BREAK_GLASS_REFUSED,
      `--break-glass is for the admin role, not ${actor.role}`,
      {
        hint: 'ask an admin; the bypass is recorded and shown everywhere',
      },
    );
  }
  const environment = environmentNamed(workspace, name);
  requireInScope(actor, environment.name);
  if (environment.deployers.includes(actor.role) || breakGlass !== undefined) return environment;
  throw new Refusal(
    LedgerCodes.LEDGER_ROLE_REFUSED,
    `the role ${actor.role} may not deploy to ${environment.name}`,
    {
      hint: `${environment.name} is deployed by: ${environment.deployers.join(', ') || 'nobody (deployers is empty)'} (stagecraft.yaml environments.${environment.name}.deployers)`,
    },
  );
}

/** The digest of `image`, which must name the service's repository by digest: a tag can move. */
export function imageDigest(image: string, service: Service): string {
  const match = DIGEST_IMAGE.exec(image);
  if (!match?.groups) {
    throw new Refusal(
      LedgerCodes.LEDGER_NOT_A_DIGEST,
      `${image} is not an image by digest (repository@sha256:…)`,
      {
        hint: `a tag can move; register the digest it points at: docker buildx imagetools inspect ${image} --format '{{.Manifest.Digest}}' (or crane digest ${image})`,
      },
    );
  }
  const repository = match.groups['repository'] ?? '';
  if (service.image && repository.replace(/:[^/]*$/, '') !== service.image) {
    throw new Refusal(
      LedgerCodes.LEDGER_WRONG_REPOSITORY,
      `${service.name} is built to ${service.image}, not ${repository}`,
      {
        hint: 'register the image the service is built to (services.<name>.image in stagecraft.yaml)',
      },
    );
  }
  return match.groups['digest'] ?? '';
}

/** One digest is one build: registering it again from another commit is refused. */
export function requireSameCommit(registered: ArtifactRow, commit: string): void {
  if (registered.commit_sha === commit) return;
  throw new Refusal(
    LedgerCodes.LEDGER_DIGEST_CONFLICT,
    `${registered.digest} is already registered for ${registered.service} from commit ${registered.commit_sha}`,
    { hint: 'one digest is one build: check which commit really built it' },
  );
}

/** `--author` must agree with what git records for the commit, where git knows it. */
export function requireSameAuthor(given: string, known: string, commit: string): void {
  if (isAuthor(given, known) || isAuthor(known, given)) return;
  throw new Refusal(
    LedgerCodes.LEDGER_AUTHOR_MISMATCH,
    `commit ${commit.slice(0, 12)} was written by ${known}, not ${given}`,
    { hint: 'leave out --author where git knows the commit: the author is what the approvals gate checks' },
  );
}

/** An approval must be told from self-approval: the author is known and is not the approver. */
export function requireApprover(actor: Actor, artifact: ArtifactRow): void {
  const commit = artifact.commit_sha.slice(0, 12);
  if (artifact.author === null) {
    throw new Refusal(
      LedgerCodes.LEDGER_AUTHOR_UNKNOWN,
      `the author of commit ${commit} is unknown, so an approval cannot be told from self-approval`,
      {
        hint: 'register the artifact where git knows the commit, or with --author (stagecraft artifact register … --author NAME)',
      },
    );
  }
  if (isAuthor(actor.name, artifact.author) || actor.name === artifact.registered_by) {
    throw new Refusal(
      LedgerCodes.LEDGER_SELF_APPROVAL,
      actor.name === artifact.registered_by && !isAuthor(actor.name, artifact.author)
        ? `${actor.name} registered the artifact of commit ${commit} and cannot approve it`
        : `${actor.name} wrote commit ${commit} and cannot approve it`,
      {
        hint: 'someone other than the author approves',
      },
    );
  }
}

/** A rejected artifact is blocked everywhere. */
export function requireNotRejected(artifact: ArtifactRow, service: string): void {
  if (!artifact.rejected_at) return;
  throw new Refusal(
    LedgerCodes.LEDGER_ARTIFACT_REJECTED,
    `${artifact.digest} of ${service} was rejected: ${artifact.reject_reason ?? ''}`,
    { hint: 'build and register a new artifact; a rejected one is blocked everywhere' },
  );
}

/**
 * Whether the chosen artifact may be deployed here now: not already what runs here (a rollback returns to
 * what ran, so that rule is not its), and past every gate unless an admin breaks the glass.
 */
export function requireAdmissible(input: {
  service: string;
  environment: string;
  kind: DeploymentKind;
  artifact: ArtifactRow;
  latest: Pick<DeploymentRow, 'id' | 'artifact_id' | 'status'> | undefined;
  failures: readonly GateFailure[];
  breakGlass?: string | undefined;
}): void {
  const { service, environment, artifact, latest, failures } = input;
  if (input.kind !== 'rollback' && latest?.artifact_id === artifact.id && latest.status === 'succeeded') {
    throw new Refusal(
      LedgerCodes.LEDGER_ALREADY_DEPLOYED,
      `${service} ${artifact.digest.slice(0, 19)}… already runs in ${environment} (deployment #${latest.id})`,
      { hint: 'nothing to do; stagecraft status shows what runs where' },
    );
  }
  if (failures.length && input.breakGlass === undefined) {
    throw new Refusal(
      LedgerCodes.LEDGER_GATE_FAILED,
      `${service} may not go to ${environment} yet: ${failures.map((f) => `${f.gate}: ${f.message}`).join('; ')}`,
      { hint: failures.map((f) => f.hint).join('; ') },
    );
  }
}

/**
 * A pending deployment of the service here blocks a new one while its deploy step may still be working
 * (`abandoned` is undefined): someone confirms it, or its process finishes.
 */
export function requireNotInProgress(
  pending: Pick<DeploymentRow, 'id' | 'host' | 'pid'>,
  abandoned: string | undefined,
  service: string,
  environment: string,
): void {
  if (abandoned !== undefined) return;
  throw new Refusal(
    LedgerCodes.LEDGER_DEPLOYMENT_IN_PROGRESS,
    `deployment #${pending.id} of ${service} to ${environment} has not finished`,
    {
      hint:
        pending.host === null
          ? 'wait for it, or confirm it with stagecraft deployed --confirm (or --failed)'
          : `its deploy step is running (pid ${pending.pid} on ${pending.host}); wait for it`,
    },
  );
}

/** `deployed --confirm --live`: the live objects must run the pending deployment's image. */
export function requireLive(image: string, live: ReadonlySet<string>): void {
  if (live.has(image)) return;
  throw new Refusal(LedgerCodes.LEDGER_NOT_LIVE, `the live objects do not run ${image} yet`, {
    hint: 'wait for the GitOps controller to apply the commit, then check again',
  });
}
