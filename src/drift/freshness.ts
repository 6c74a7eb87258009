import { StagecraftError } from '@stagecraft/config/errors';
import { type GitEnvironment, runGitAsync } from '../git/run.ts';
import type { RunningCommit } from './deployed.ts';
import { DriftCodes } from './errors.ts';
import { type MainBranch, resolveMain, verifyCommit, WHOLE_HISTORY } from './main-branch.ts';
import type { FreshnessLimits } from './settings.ts';

export type { RunningCommit } from './deployed.ts';

export interface ServiceFreshness {
  service: string;
  commit: string;
  deploymentId: number;
  deployedAt: string;
  /** How long ago it was deployed, in hours. */
  deploymentAgeHours: number;
  /** Commits on main the deployed commit lacks. */
  behind: number;
  /** Commits in the deployed commit that main lacks (see `drift hotfix`). */
  ahead: number;
  /** The oldest commit on main's first-parent line the environment lacks; null when it lacks none. */
  oldestMissing: { commit: string; subject: string; committedAt: string } | null;
  /** How long main has had something the environment lacks, in hours; 0 when it lacks nothing. */
  behindHours: number;
  /** The thresholds it is past: `maxBehind`, `maxAge`. */
  exceeded: string[];
}

export interface FreshnessReport {
  environment: string;
  main: MainBranch;
  limits: { maxBehind: number | null; maxAge: string | null };
  now: string;
  services: ServiceFreshness[];
  /** Declared services with no deployment in the environment: nothing to compare. */
  notDeployed: string[];
  verdict: 'fresh' | 'stale';
}

export interface FreshnessInput {
  /** A folder inside the git repository. */
  repository: string;
  environment: string;
  main: string;
  running: readonly RunningCommit[];
  notDeployed: readonly string[];
  limits: FreshnessLimits;
  now: Date;
  env?: GitEnvironment;
}

const HOUR = 3_600_000;
const hours = (ms: number) => Math.max(0, Math.round((ms / HOUR) * 10) / 10);

export async function checkFreshness(input: FreshnessInput): Promise<FreshnessReport> {
  const git: Git = (args, accepted = []) =>
    runGitAsync(input.repository, args, {
      acceptedStatuses: accepted,
      ...(input.env ? { env: input.env } : {}),
    }).then((out) => out.toString('utf8').trim());
  const main = resolveMain(input.repository, input.main, input.env);
  const services: ServiceFreshness[] = [];
  const distances = new Map<string, Promise<Distance>>();
  for (const running of input.running) {
    const commit = verifyCommit(input.repository, running.commit, input.env);
    if (commit === undefined) {
      throw new StagecraftError(
        DriftCodes.DRIFT_COMMIT_MISSING,
        `${running.service} in ${input.environment} runs commit ${running.commit.slice(0, 12)} (deployment #${running.deploymentId}), which is not in this repository`,
        { hint: `fetch it (git fetch origin ${running.commit}); a shallow clone needs ${WHOLE_HISTORY}` },
      );
    }
    // In a monorepo several services often run one commit: git is asked once per commit.
    let distance = distances.get(commit);
    if (distance === undefined) {
      distance = measure(git, commit, main.commit);
      distances.set(commit, distance);
    }
    const { behind: count, ahead, oldest, oldestTime } = await distance;
    const behindHours = oldest ? hours(input.now.getTime() - oldestTime) : 0;
    const exceeded: string[] = [];
    if (input.limits.maxBehind !== undefined && count > input.limits.maxBehind) exceeded.push('maxBehind');
    if (
      input.limits.maxAge !== undefined &&
      oldest &&
      input.now.getTime() - oldestTime > input.limits.maxAge.ms
    )
      exceeded.push('maxAge');
    services.push({
      service: running.service,
      commit,
      deploymentId: running.deploymentId,
      deployedAt: running.deployedAt,
      deploymentAgeHours: hours(input.now.getTime() - Date.parse(running.deployedAt)),
      behind: count,
      ahead,
      oldestMissing: oldest,
      behindHours,
      exceeded,
    });
  }
  return {
    environment: input.environment,
    main,
    limits: {
      maxBehind: input.limits.maxBehind ?? null,
      maxAge: input.limits.maxAge?.text ?? null,
    },
    now: input.now.toISOString(),
    services,
    notDeployed: [...input.notDeployed],
    verdict: services.some((service) => service.exceeded.length) ? 'stale' : 'fresh',
  };
}

interface Distance {
  behind: number;
  ahead: number;
  oldest: ServiceFreshness['oldestMissing'];
  oldestTime: number;
}

type Git = (args: string[], accepted?: number[]) => Promise<string>;

/** How far `commit` is from main: commits either way, and the oldest first-parent commit of main it lacks. */
async function measure(git: Git, commit: string, main: string): Promise<Distance> {
  const [behind, ahead, log] = await Promise.all([
    git(['rev-list', '--count', `${commit}..${main}`]),
    git(['rev-list', '--count', `${main}..${commit}`]),
    git(['log', '--first-parent', '--format=%H %ct %s', `${commit}..${main}`]),
  ]);
  let oldest: ServiceFreshness['oldestMissing'] = null;
  let oldestTime = Number.POSITIVE_INFINITY;
  for (const line of log.split('\n').filter(Boolean)) {
    const [sha = '', time = '', ...subject] = line.split(' ');
    const at = Number(time) * 1000;
    if (at <= oldestTime) {
      oldestTime = at;
      oldest = { commit: sha, subject: subject.join(' '), committedAt: new Date(at).toISOString() };
    }
  }
  return { behind: Number(behind), ahead: Number(ahead), oldest, oldestTime };
}
