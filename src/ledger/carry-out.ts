/**
 * Carrying out a recorded deployment with its environment's deploy step: a command run here, whose exit code
 * ends the deployment succeeded or failed (deploy-step.ts); a GitOps commit of the manifests, after which the
 * deployment stays pending until the cluster is seen running it (gitops.ts); or nothing, and the deployment
 * waits for `stagecraft deployed`. Each ending goes through the ledger's guarded actions, so it is audited,
 * and a step the rules refuse ends its deployment failed.
 *
 * In rehearsal mode a step is described, not carried out: the deployment keeps what would have run (the
 * command and its STAGECRAFT_* variables, or the manifests a GitOps step would rewrite) as its output and ends
 * succeeded, so a chain can be walked through on a laptop without a cluster. Like every rehearsed entry it
 * counts for no rule outside rehearsal.
 */
import { resolve } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Environment, Workspace } from '@stagecraft/config/workspace';
import { redactValues } from '../run/redact.ts';
import type { AdmissionRequest, Admitted, ReleaseRequest, Runner } from './admission.ts';
import { deferred } from './deferred.ts';
import { redactSecrets, runDeployStep } from './deploy-step.ts';
import type { Ending } from './endings.ts';
import { LedgerCodes } from './errors.ts';
import { type GitopsResult, gitopsDeploy, gitopsRehearse } from './gitops.ts';
import type { Actor } from './policy.ts';
import { Refusal } from './refusal.ts';
import type { DeploymentKind } from './schema.ts';

export interface CarryOutOptions {
  /** The caller's environment, which a command step inherits without stagecraft's own credentials. */
  env: Readonly<Record<string, string | undefined>>;
  /** The secret values of the environment's config, masked (also encoded) in the step's kept output. */
  secrets(environment: string): Promise<readonly string[]>;
}

/**
 * How the step went: none to run, a GitOps commit (still pending), a command's ending, or, in rehearsal, what
 * would have run.
 */
export type StepOutcome =
  | { step: 'none' }
  | { step: 'rehearsed'; status: 'succeeded'; output: string }
  | ({ step: 'gitops' } & GitopsResult)
  | {
      step: 'command';
      status: 'succeeded' | 'failed';
      output: string;
      /** The signal that interrupted stagecraft while the step ran, if one did. */
      interrupted?: NodeJS.Signals;
    };

export type Deployed = Admitted & { outcome: StepOutcome };

export interface DeployRequest {
  environment: string;
  /** Where the deploy step runs, when not in the process that records the deployment. */
  runner?: Runner | undefined;
  kind: DeploymentKind;
  /** One service, or every service of `release` as one unit (not for a rollback). */
  service?: string | undefined;
  release?: string | undefined;
  digest?: string | undefined;
  /** An admin's bypass of the gates, with the reason recorded and shown everywhere. */
  breakGlass?: string | undefined;
}

export interface DeployHooks extends CarryOutOptions {
  /** The deployments recorded, before their steps run. */
  admitted?(admitted: readonly Admitted[]): void;
  /** Each deployment as its step ends. */
  carried?(deployed: Deployed): void;
}

/**
 * What carrying out a step needs of the ledger: the workspace, and the writes that record the step's progress,
 * each in its own guarded transaction. The ledger passes itself; declared here so this module need not import
 * the façade that imports it.
 */
export interface StepRecorder {
  readonly workspace: Workspace;
  /** Rehearsal mode: a step is described, not carried out. */
  readonly rehearsal: boolean;
  recordCommit(id: number, commit: () => GitopsResult, actor: Actor): Promise<GitopsResult>;
  heartbeat(id: number, actor: Actor): Promise<void>;
  finishDeployment(id: number, status: Ending, output: string | null, actor: Actor): Promise<void>;
}

/** What deploying needs of a ledger, local or the server's: admission, then the step's progress. */
export interface Deployer extends StepRecorder {
  startDeployment(
    input: AdmissionRequest & { environment: string; kind: DeploymentKind },
    actor: Actor,
  ): Promise<Admitted>;
  startRelease(input: ReleaseRequest, actor: Actor): Promise<Admitted[]>;
}

/** `deploy`, `promote`, `rollback`: records the deployment(s), then carries each out with its deploy step. */
export async function deployAndCarryOut(
  ledger: Deployer,
  request: DeployRequest,
  actor: Actor,
  hooks: DeployHooks,
): Promise<Deployed[]> {
  const { release, kind } = request;
  const admitted =
    release === undefined || kind === 'rollback'
      ? [await ledger.startDeployment({ ...request, service: request.service ?? '', kind }, actor)]
      : await ledger.startRelease({ ...request, release, kind }, actor);
  hooks.admitted?.(admitted);
  const deployed = [];
  for (const item of admitted) {
    const done = await carryOut(ledger, item, actor, hooks);
    hooks.carried?.(done);
    deployed.push(done);
  }
  return deployed;
}

export async function carryOut(
  ledger: StepRecorder,
  admitted: Admitted,
  actor: Actor,
  options: CarryOutOptions,
): Promise<Deployed> {
  const step = admitted.environment.deploy;
  if (ledger.rehearsal && (step?.['gitops'] || step?.command))
    return { ...admitted, outcome: await rehearse(ledger, admitted, actor) };
  if (step?.['gitops'])
    return { ...admitted, outcome: await commitManifests(ledger, admitted, actor, options.env) };
  if (!step?.command) return { ...admitted, outcome: { step: 'none' } };
  return { ...admitted, outcome: await runCommand(ledger, admitted, actor, options) };
}

/** GitOps: the commit is the deployment; the cluster's controller applies it, then someone confirms. */
async function commitManifests(
  ledger: StepRecorder,
  admitted: Admitted,
  actor: Actor,
  /** git's environment: the committer's identity comes from it. */
  env: CarryOutOptions['env'],
): Promise<StepOutcome> {
  const { id, service, environment, artifact } = admitted;
  // git runs before the ledger's transaction; its refusal is raised, and audited, inside it.
  const commit = deferred(() =>
    gitopsDeploy({
      dir: manifestsFolder(ledger.workspace.root, environment),
      repository: artifact.image.slice(0, artifact.image.lastIndexOf('@')),
      digest: artifact.digest,
      message: `stagecraft: deploy ${service} ${artifact.digest} to ${environment.name}\n\nLedger deployment #${id} (commit ${artifact.commit}), recorded by ${actor.name}.`,
      env,
    }),
  );
  try {
    return { step: 'gitops', ...(await ledger.recordCommit(id, commit, actor)) };
  } catch (error) {
    // A refusal has ended the deployment with its audit row; anything else (git could not commit) ends it
    // as a failed step.
    if (!(error instanceof Refusal)) await endFailed(ledger, id, error, actor);
    throw error;
  }
}

function manifestsFolder(root: string, environment: Environment): string {
  const gitops = environment.deploy?.['gitops'] as { path?: string } | true | undefined;
  const dir = typeof gitops === 'object' && gitops.path ? resolve(root, gitops.path) : environment.manifests;
  if (dir) return dir;
  throw new StagecraftError(
    LedgerCodes.LEDGER_GITOPS_NO_PATH,
    `${environment.name} deploys by GitOps but declares no manifests`,
    { hint: `set environments.${environment.name}.manifests, or deploy.gitops.path` },
  );
}

/** Ends a deployment whose step could not be carried out as failed, its output the error's message. */
async function endFailed(ledger: StepRecorder, id: number, error: unknown, actor: Actor): Promise<void> {
  await ledger.finishDeployment(id, 'failed', error instanceof Error ? error.message : String(error), actor);
}

/** The variables a command step gets for a deployment. */
function stepVariables({ id, service, environment, artifact }: Admitted): Record<string, string> {
  return {
    STAGECRAFT_SERVICE: service,
    STAGECRAFT_IMAGE: artifact.image,
    STAGECRAFT_DIGEST: artifact.digest,
    STAGECRAFT_COMMIT: artifact.commit,
    STAGECRAFT_ENVIRONMENT: environment.name,
    STAGECRAFT_DEPLOYMENT_ID: String(id),
  };
}

/**
 * Rehearsal: records what the step would do as the deployment's output and ends it succeeded. A GitOps step
 * still looks for the image in the manifests, so a rehearsal shows the refusal the real step would meet.
 */
async function rehearse(ledger: StepRecorder, admitted: Admitted, actor: Actor): Promise<StepOutcome> {
  const { id, environment, artifact } = admitted;
  const step = environment.deploy ?? {};
  let output: string;
  if (step['gitops']) {
    try {
      const files = gitopsRehearse({
        dir: manifestsFolder(ledger.workspace.root, environment),
        root: ledger.workspace.root,
        repository: artifact.image.slice(0, artifact.image.lastIndexOf('@')),
        digest: artifact.digest,
      });
      output = `rehearsal: nothing committed; the GitOps step would set ${artifact.image} in ${files.join(', ')} and commit it`;
    } catch (error) {
      await endFailed(ledger, id, error, actor);
      throw error;
    }
  } else {
    const command = step.command;
    const shown =
      typeof command === 'string'
        ? command
        : (command ?? []).map((part) => JSON.stringify(String(part))).join(' ');
    const variables = Object.entries(stepVariables(admitted)).map(([key, value]) => `  ${key}=${value}`);
    output = redactSecrets(
      `rehearsal: the deploy step was not run; it would run\n  ${shown}\nwith\n${variables.join('\n')}`,
    );
  }
  await ledger.finishDeployment(id, 'succeeded', output, actor);
  return { step: 'rehearsed', status: 'succeeded', output };
}

async function runCommand(
  ledger: StepRecorder,
  admitted: Admitted,
  actor: Actor,
  options: CarryOutOptions,
): Promise<StepOutcome> {
  const { id, environment } = admitted;
  const result = await runDeployStep(environment.deploy ?? {}, {
    variables: stepVariables(admitted),
    cwd: ledger.workspace.root,
    env: options.env,
    secrets: await options.secrets(environment.name),
    mask: redactValues,
    heartbeat: () => ledger.heartbeat(id, actor),
    heartbeatMs: Math.min(30_000, Math.max(1_000, ledger.workspace.ledger.staleAfterMs / 4)),
  });
  await ledger.finishDeployment(id, result.status, result.output, actor);
  return { step: 'command', ...result };
}
