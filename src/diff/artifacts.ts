/**
 * What each environment runs, per service, from the ledger: image digest, commit, when and by whom it was
 * deployed; and where the commits differ, the commits one side has that the other lacks, with subjects.
 */
import { isStagecraftError } from '@stagecraft/config/errors';
import { runningInEnvironment } from '../drift/deployed.ts';
import { DriftCodes } from '../drift/errors.ts';
import { requireCommits } from '../drift/main-branch.ts';
import { runGit } from '../git/run.ts';
import type { Deployment } from '../ledger/views.ts';
import type { DiffInputs, DiffLedger, Section, SectionError } from './section.ts';
import { failed, sectionError, skipped } from './section.ts';

/** Commits listed per side; the rest are counted. */
export const COMMITS_SHOWN = 50;

/** One side of a service: the deployment that put what runs there. */
export interface DeployedSide {
  digest: string;
  commit: string;
  deploymentId: number;
  deployedAt: string;
  deployedBy: string;
  role: string;
  breakGlass: boolean;
}

export interface CommitList {
  commits: { sha: string; subject: string }[];
  /** How many more there are beyond those listed. */
  more: number;
}

export interface ServiceArtifacts {
  service: string;
  status: 'same' | 'differs' | 'left-only' | 'right-only';
  left: DeployedSide | null;
  right: DeployedSide | null;
  sameDigest: boolean;
  sameCommit: boolean;
  /** Commits the left side runs that the right lacks, and the other way; null when the commits are equal. */
  commits: { leftOnly: CommitList; rightOnly: CommitList } | null;
  /** Why the commits between could not be listed (a commit not in this clone, no repository). */
  commitsError: SectionError | null;
}

export interface ArtifactsData {
  services: ServiceArtifacts[];
}

/** What runs on each side, by service. */
export interface Running {
  left: Map<string, DeployedSide>;
  right: Map<string, DeployedSide>;
}

async function runningIn(ledger: DiffLedger, environment: string): Promise<Map<string, DeployedSide>> {
  let running: Awaited<ReturnType<typeof runningInEnvironment>>;
  try {
    running = await runningInEnvironment(ledger, environment);
  } catch (error) {
    // Nothing deployed there is a difference to show, not a failure.
    if (isStagecraftError(error, DriftCodes.DRIFT_NO_DEPLOYMENT)) return new Map();
    throw error;
  }
  const byId = new Map<number, Deployment>((await ledger.status()).map((row) => [row.id, row]));
  const sides = new Map<string, DeployedSide>();
  for (const entry of running) {
    const deployment =
      byId.get(entry.deploymentId) ??
      (await ledger.history({ environment, service: entry.service, limit: 200 })).deployments.find(
        (row) => row.id === entry.deploymentId,
      );
    if (!deployment) continue;
    sides.set(entry.service, {
      digest: deployment.digest,
      commit: deployment.commit,
      deploymentId: deployment.id,
      deployedAt: deployment.createdAt,
      deployedBy: deployment.actor,
      role: deployment.role,
      breakGlass: deployment.breakGlass,
    });
  }
  return sides;
}

export async function runningSides(inputs: DiffInputs): Promise<Running> {
  if (inputs.ledger instanceof Error) throw inputs.ledger;
  return {
    left: await runningIn(inputs.ledger, inputs.left),
    right: await runningIn(inputs.ledger, inputs.right),
  };
}

/** `git log` over `from..to`, bounded: the commits `to` has that `from` lacks. */
function commitsBetween(root: string, from: string, to: string, env: DiffInputs['gitEnv']): CommitList {
  const out = runGit(root, ['log', '--format=%H%x1f%s', `${from}..${to}`], env ? { env } : {})
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  return {
    commits: out.slice(0, COMMITS_SHOWN).map((line) => {
      const [sha = '', subject = ''] = line.split('\u001f');
      return { sha, subject };
    }),
    more: Math.max(0, out.length - COMMITS_SHOWN),
  };
}

function compareService(
  inputs: DiffInputs,
  service: string,
  left: DeployedSide | undefined,
  right: DeployedSide | undefined,
): ServiceArtifacts {
  const base = {
    service,
    left: left ?? null,
    right: right ?? null,
    sameDigest: left?.digest === right?.digest,
    sameCommit: left?.commit === right?.commit,
    commits: null,
    commitsError: null,
  };
  if (!left || !right) return { ...base, status: left ? 'left-only' : 'right-only' };
  const status = base.sameDigest && base.sameCommit ? 'same' : 'differs';
  if (base.sameCommit) return { ...base, status };
  try {
    if (inputs.repository instanceof Error) throw inputs.repository;
    const root = inputs.repository;
    const [leftSha, rightSha] = requireCommits(
      root,
      [
        { revision: left.commit, note: `(${service} in ${inputs.left})` },
        { revision: right.commit, note: `(${service} in ${inputs.right})` },
      ],
      inputs.gitEnv,
    ) as [string, string];
    return {
      ...base,
      status,
      commits: {
        leftOnly: commitsBetween(root, rightSha, leftSha, inputs.gitEnv),
        rightOnly: commitsBetween(root, leftSha, rightSha, inputs.gitEnv),
      },
    };
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    return { ...base, status, commitsError: sectionError(error, 'artifacts') };
  }
}

export function artifactsSection(inputs: DiffInputs, running: Running | Error): Section<ArtifactsData> {
  if (running instanceof Error) return failed(running, 'artifacts');
  const order = inputs.workspace.services.map((service) => service.name);
  const names = [...new Set([...running.left.keys(), ...running.right.keys()])].sort(
    (a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b),
  );
  if (names.length === 0)
    return skipped(`the ledger has no successful deployment in ${inputs.left} or ${inputs.right}`);
  const services = names.map((name) =>
    compareService(inputs, name, running.left.get(name), running.right.get(name)),
  );
  const differing = services.filter((s) => s.status !== 'same');
  const unlisted = services.filter((s) => s.commitsError).length;
  return {
    status: differing.length ? 'differs' : 'same',
    summary: differing.length
      ? `${differing.map((s) => s.service).join(', ')} ${differing.length === 1 ? 'runs' : 'run'} different artifacts${unlisted ? ` (the commits between could not be listed for ${unlisted})` : ''}`
      : `the same ${names.length === 1 ? 'artifact' : 'artifacts'} in both: ${names.join(', ')}`,
    data: { services },
    error: null,
  };
}

const rank = (order: readonly string[], name: string) =>
  order.includes(name) ? order.indexOf(name) : order.length;
