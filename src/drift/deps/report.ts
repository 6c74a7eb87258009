/**
 * `drift deps`: the lockfiles at two commits compared, per lockfile, and per service when the commits are
 * what two environments run. Services running the same commit on both sides have no skew, known without
 * reading anything. A lockfile that cannot be read is listed as unreadable, never counted as agreeing.
 */

import { isStagecraftError, type SourceLocation, StagecraftError } from '@stagecraft/config/errors';
import type { GitEnvironment } from '../../git/run.ts';
import type { RunningCommit } from '../deployed.ts';
import { DriftCodes } from '../errors.ts';
import { requireCommits } from '../main-branch.ts';
import { compareGraphs, compareText, type PackageChange, type TransitiveGroup } from './compare.ts';
import type { LockfileFormat, LockGraph } from './lock-graph.ts';
import {
  folderOf,
  listLockfiles,
  lockfileName,
  readLockfile,
  type TreeFile,
  type TreeLockfiles,
} from './lockfiles.ts';

export interface LockfileDifference {
  /** The lockfile's path (the right side's, when the two sides use different package managers). */
  path: string;
  /** The left side's path when it differs: a project that moved from yarn.lock to pnpm-lock.yaml. */
  leftPath?: string;
  leftFormat: LockfileFormat | null;
  rightFormat: LockfileFormat | null;
  /** `added`/`removed`: the lockfile is on one side only; its packages are counted, not listed. */
  status: 'differs' | 'added' | 'removed';
  packages?: number;
  direct: PackageChange[];
  transitive: TransitiveGroup[];
  unattributed: PackageChange[];
}

export interface UnreadableLockfile {
  path: string;
  side: 'left' | 'right';
  commit: string;
  code: string;
  message: string;
  location?: SourceLocation;
  hint?: string;
}

export interface CommitComparison {
  /** The service, when the commits are what two environments run it at. */
  service: string | null;
  leftCommit: string;
  rightCommit: string;
  /** The same commit on both sides: no skew, nothing read. */
  sameCommit: boolean;
  /** Lockfiles compared (identical ones included in the count, not listed). */
  lockfilesCompared: number;
  differences: LockfileDifference[];
  unreadable: UnreadableLockfile[];
}

export interface DepsCounts {
  changed: number;
  added: number;
  removed: number;
  majorChanges: number;
  lockfilesAddedOrRemoved: number;
  unreadable: number;
}

export interface DepsReport {
  /** What was compared: environment names, or `commit:SHA` as given. */
  left: string;
  right: string;
  verdict: 'no-skew' | 'skew' | 'unreadable';
  comparisons: CommitComparison[];
  /** Services not compared: not deployed on one side, or its latest deployment there did not succeed. */
  notCompared: NotCompared[];
  counts: DepsCounts;
}

export interface CompareOptions {
  /** Only lockfiles under these folders (repository-relative). */
  paths?: readonly string[];
  /** git's environment (the command's); default: this process's. */
  gitEnv?: GitEnvironment;
}

export interface NotCompared {
  service: string;
  environment: string;
  reason: 'not-deployed';
}

/** An environment as the ledger knows it: the commit each of its services runs. */
export interface EnvironmentCommits {
  name: string;
  services: ReadonlyMap<string, string>;
}

/** What `name` runs (src/drift/deployed.ts: each service's current successful deployment), by service. */
export function environmentCommits(name: string, running: readonly RunningCommit[]): EnvironmentCommits {
  return { name, services: new Map(running.map((entry) => [entry.service, entry.commit])) };
}

/** The dependencies at two commits, as `drift deps commit:A commit:B` reports them. */
export async function compareCommitDependencies(
  root: string,
  left: { label: string; commit: string },
  right: { label: string; commit: string },
  options: CompareOptions = {},
): Promise<DepsReport> {
  const comparison = await compareCommits(root, left.commit, right.commit, null, options);
  return report(left.label, right.label, [comparison], []);
}

/**
 * The dependencies two environments run, service by service. Services on the same commit pair share one
 * comparison, and services on the same commit on both sides need none.
 */
export async function compareEnvironmentDependencies(
  root: string,
  left: EnvironmentCommits,
  right: EnvironmentCommits,
  options: CompareOptions = {},
): Promise<DepsReport> {
  const services = [...new Set([...left.services.keys(), ...right.services.keys()])].sort(compareText);
  const comparisons: CommitComparison[] = [];
  const notCompared: NotCompared[] = [];
  const done = new Map<string, CommitComparison>();
  for (const service of services) {
    const a = left.services.get(service);
    const b = right.services.get(service);
    if (a === undefined || b === undefined) {
      notCompared.push({
        service,
        environment: (a === undefined ? left : right).name,
        reason: 'not-deployed',
      });
      continue;
    }
    const key = `${a}\0${b}`;
    const known = done.get(key) ?? (await compareCommits(root, a, b, service, options));
    done.set(key, known);
    comparisons.push({ ...known, service });
  }
  if (comparisons.length === 0) {
    // Nothing compared is not "no skew": say why each service was left out.
    const why = notCompared.map((n) => `${n.service} (${n.reason.replace('-', ' ')} in ${n.environment})`);
    throw new StagecraftError(
      DriftCodes.DRIFT_NO_DEPLOYMENT,
      `no service has a succeeded deployment in both ${left.name} and ${right.name}${why.length ? `: ${why.join(', ')}` : ''}`,
      {
        hint: 'deploy the service to both (`stagecraft status` shows what runs where), or compare commits with commit:REF',
      },
    );
  }
  return report(left.name, right.name, comparisons, notCompared);
}

async function compareCommits(
  root: string,
  leftCommit: string,
  rightCommit: string,
  service: string | null,
  options: CompareOptions,
): Promise<CommitComparison> {
  const base = { service, leftCommit, rightCommit, lockfilesCompared: 0, differences: [], unreadable: [] };
  if (leftCommit === rightCommit) return { ...base, sameCommit: true };
  const [leftSha, rightSha] = requireCommits(
    root,
    [{ revision: leftCommit }, { revision: rightCommit }],
    options.gitEnv,
  ) as [string, string];
  const comparison: CommitComparison = {
    ...base,
    leftCommit: leftSha,
    rightCommit: rightSha,
    sameCommit: leftSha === rightSha,
  };
  if (comparison.sameCommit) return comparison;
  const [leftTree, rightTree] = await Promise.all([
    listLockfiles(root, leftSha, options.paths, options.gitEnv),
    listLockfiles(root, rightSha, options.paths, options.gitEnv),
  ]);
  const read = async (side: 'left' | 'right', file: TreeFile): Promise<LockGraph | undefined> => {
    const [commit, tree] = side === 'left' ? [leftSha, leftTree] : [rightSha, rightTree];
    try {
      return await readLockfile(root, commit, file, tree.manifests.get(folderOf(file.path)), options.gitEnv);
    } catch (error) {
      if (!isStagecraftError(error)) throw error;
      comparison.unreadable.push({
        path: file.path,
        side,
        commit,
        code: error.code,
        message: error.message,
        ...(error.location ? { location: error.location } : {}),
        ...(error.hint ? { hint: error.hint } : {}),
      });
      return undefined;
    }
  };
  for (const [leftFile, rightFile] of pair(leftTree, rightTree)) {
    comparison.lockfilesCompared++;
    // The same blob, and the same package.json beside it: nothing can differ (bun.lockb is never vouched for).
    if (
      leftFile &&
      rightFile &&
      leftFile.oid === rightFile.oid &&
      lockfileName(leftFile.path) !== 'bun.lockb'
    )
      continue;
    const leftGraph = leftFile && (await read('left', leftFile));
    const rightGraph = rightFile && (await read('right', rightFile));
    if ((leftFile && !leftGraph) || (rightFile && !rightGraph)) continue;
    const path = (rightFile ?? leftFile)?.path as string;
    const difference: LockfileDifference = {
      path,
      ...(leftFile && rightFile && leftFile.path !== rightFile.path ? { leftPath: leftFile.path } : {}),
      leftFormat: leftGraph?.format ?? null,
      rightFormat: rightGraph?.format ?? null,
      status: 'differs',
      direct: [],
      transitive: [],
      unattributed: [],
    };
    if (!leftGraph || !rightGraph) {
      difference.status = leftGraph ? 'removed' : 'added';
      difference.packages = ((leftGraph ?? rightGraph) as LockGraph).versions.size;
      comparison.differences.push(difference);
      continue;
    }
    const found = compareGraphs(leftGraph, rightGraph);
    if (found.direct.length + found.transitive.length + found.unattributed.length === 0) continue;
    comparison.differences.push({ ...difference, ...found });
  }
  return comparison;
}

/**
 * Lockfiles matched across the two trees: by path, then a JavaScript lockfile left alone on each side of one
 * folder with the other (the project changed package manager).
 */
function pair(left: TreeLockfiles, right: TreeLockfiles): [TreeFile | undefined, TreeFile | undefined][] {
  const pairs: [TreeFile | undefined, TreeFile | undefined][] = [];
  const rightByPath = new Map(right.lockfiles.map((file) => [file.path, file]));
  const leftAlone: TreeFile[] = [];
  for (const file of left.lockfiles) {
    const match = rightByPath.get(file.path);
    if (match) {
      pairs.push([file, match]);
      rightByPath.delete(file.path);
    } else leftAlone.push(file);
  }
  const isJavaScript = (file: TreeFile) => lockfileName(file.path) !== '.terraform.lock.hcl';
  for (const file of leftAlone) {
    const match = [...rightByPath.values()].find(
      (candidate) =>
        isJavaScript(file) && isJavaScript(candidate) && folderOf(candidate.path) === folderOf(file.path),
    );
    if (match) rightByPath.delete(match.path);
    pairs.push([file, match]);
  }
  for (const file of rightByPath.values()) pairs.push([undefined, file]);
  return pairs;
}

function report(
  left: string,
  right: string,
  comparisons: CommitComparison[],
  notCompared: NotCompared[],
): DepsReport {
  const counts: DepsCounts = {
    changed: 0,
    added: 0,
    removed: 0,
    majorChanges: 0,
    lockfilesAddedOrRemoved: 0,
    unreadable: 0,
  };
  for (const comparison of comparisons) {
    counts.unreadable += comparison.unreadable.length;
    for (const difference of comparison.differences) {
      if (difference.status !== 'differs') counts.lockfilesAddedOrRemoved++;
      const all = [
        ...difference.direct,
        ...difference.transitive.flatMap((group) => group.changes),
        ...difference.unattributed,
      ];
      for (const change of all) {
        counts[change.change]++;
        if (change.majorChange) counts.majorChanges++;
      }
    }
  }
  const skew = counts.changed + counts.added + counts.removed + counts.lockfilesAddedOrRemoved > 0;
  return {
    left,
    right,
    verdict: counts.unreadable > 0 ? 'unreadable' : skew ? 'skew' : 'no-skew',
    comparisons,
    notCompared,
    counts,
  };
}

/** How many findings a report holds: changed, added and removed packages, and lockfiles on one side only. */
export function depsFindings(report: DepsReport): number {
  const c = report.counts;
  return c.changed + c.added + c.removed + c.lockfilesAddedOrRemoved;
}
