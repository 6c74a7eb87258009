/**
 * Finding a deployed commit's changes on main by patch id: each commit alone (a cherry-pick), then the
 * combined diff of runs of consecutive commits still unmatched, and of the whole branch (a squash). A match
 * that a later commit on main reverts does not count.
 */
import { diffPatchIds } from './patch-ids.ts';

/** A commit the deployed commit has and main lacks, oldest first. */
export interface CommitInfo {
  commit: string;
  /** Its first parent; undefined for a root commit. */
  parent: string | undefined;
  shortCommit: string;
  subject: string;
  author: string;
  date: string;
  patchId: string | undefined;
}

/** A commit on main since the merge base, oldest first. */
export interface MainCommit {
  commit: string;
  shortCommit: string;
  subject: string;
  /** The commit its message says it reverts ("This reverts commit X."). */
  reverts: string | undefined;
  patchId: string | undefined;
}

export type Match =
  | { kind: 'applied'; how: 'cherry-pick' | 'squash'; by: MainCommit }
  | { kind: 'reverted'; how: 'cherry-pick' | 'squash'; by: MainCommit; revertedBy: MainCommit };

/** A diff looked for on main: one commit's, or a run's combined; `fixes` are the commits it covers. */
interface Target {
  fixes: string[];
  patchId: string;
  how: 'cherry-pick' | 'squash';
}

/** Every length of run tried up to this; a longer run is tried whole only (the pairs grow as its square). */
const ALL_RUNS_UP_TO = 25;

/** What main has of each fix (by commit); a fix main never had is absent. */
export async function findOnMain(
  root: string,
  fixes: readonly CommitInfo[],
  onMain: readonly MainCommit[],
  mergeBase: string,
): Promise<Map<string, Match>> {
  const byPatch = new Map<string, number>();
  onMain.forEach((commit, index) => {
    if (commit.patchId !== undefined && !byPatch.has(commit.patchId)) byPatch.set(commit.patchId, index);
  });
  const found = new Map<string, Match>();
  const singles: Target[] = fixes.flatMap((fix) =>
    fix.patchId !== undefined && byPatch.has(fix.patchId)
      ? [{ fixes: [fix.commit], patchId: fix.patchId, how: 'cherry-pick' as const }]
      : [],
  );
  await settle(root, singles, onMain, byPatch, found);
  const unmatched = (fix: CommitInfo) => found.get(fix.commit)?.kind !== 'applied';
  if (!fixes.some(unmatched)) return found;
  const ranges: Target[] = [];
  for (const round of rangeRounds(fixes, unmatched, mergeBase)) {
    const ids = await diffPatchIds(
      root,
      round.map((range) => [range.to, range.from]),
    );
    for (const range of round) {
      const patchId = ids.get(range.to);
      if (patchId !== undefined && byPatch.has(patchId))
        ranges.push({ fixes: range.fixes, patchId, how: 'squash' });
    }
  }
  await settle(root, ranges, onMain, byPatch, found);
  return found;
}

interface Range {
  to: string;
  from: string;
  fixes: string[];
}

/**
 * The runs to try, in rounds whose `to` commits are distinct (diff-tree names each diff by it): round L
 * holds the runs of L consecutive unmatched commits, each commit's parent the one before. The whole branch
 * (merge base to the last commit) is a round of its own unless a run already is it.
 */
function rangeRounds(
  fixes: readonly CommitInfo[],
  unmatched: (fix: CommitInfo) => boolean,
  mergeBase: string,
): Range[][] {
  const segments: CommitInfo[][] = [];
  let current: CommitInfo[] = [];
  fixes.forEach((fix, index) => {
    const follows = index > 0 && fix.parent === fixes[index - 1]?.commit;
    if (!unmatched(fix) || !follows) {
      if (current.length > 1) segments.push(current);
      current = [];
    }
    if (unmatched(fix) && fix.parent !== undefined) current.push(fix);
  });
  if (current.length > 1) segments.push(current);
  const rounds = new Map<number, Range[]>();
  const run = (segment: CommitInfo[], start: number, length: number) => {
    const slice = segment.slice(start, start + length);
    const first = slice[0] as CommitInfo;
    const last = slice[slice.length - 1] as CommitInfo;
    const round = rounds.get(length) ?? [];
    round.push({ to: last.commit, from: first.parent as string, fixes: slice.map((fix) => fix.commit) });
    rounds.set(length, round);
  };
  for (const segment of segments) {
    const longest = segment.length;
    for (let length = 2; length <= Math.min(longest, ALL_RUNS_UP_TO); length++)
      for (let start = 0; start + length <= longest; start++) run(segment, start, length);
    if (longest > ALL_RUNS_UP_TO) run(segment, 0, longest);
  }
  const result = [...rounds.values()];
  const last = fixes[fixes.length - 1];
  const wholeIsARun = segments.some(
    (segment) => segment.length === fixes.length && segment[0]?.parent === mergeBase,
  );
  if (last !== undefined && fixes.length > 1 && !wholeIsARun) {
    result.push([{ to: last.commit, from: mergeBase, fixes: fixes.map((fix) => fix.commit) }]);
  }
  return result;
}

/**
 * Each target's fate on main, walking main oldest first: a commit with its patch id applies it; a later
 * commit with the inverse patch id, or whose message says it reverts the applying commit, undoes it.
 */
async function settle(
  root: string,
  targets: readonly Target[],
  onMain: readonly MainCommit[],
  byPatch: ReadonlyMap<string, number>,
  found: Map<string, Match>,
): Promise<void> {
  if (targets.length === 0) return;
  const firsts = [...new Set(targets.map((target) => byPatch.get(target.patchId) as number))];
  const inverse = await diffPatchIds(
    root,
    firsts.map((index) => [(onMain[index] as MainCommit).commit]),
    true,
  );
  for (const target of targets) {
    const first = byPatch.get(target.patchId) as number;
    const undo = inverse.get((onMain[first] as MainCommit).commit);
    let applied: MainCommit | undefined;
    let revertedBy: MainCommit | undefined;
    for (let index = first; index < onMain.length; index++) {
      const commit = onMain[index] as MainCommit;
      if (commit.patchId === target.patchId) {
        applied = commit;
        revertedBy = undefined;
      } else if (
        applied !== undefined &&
        revertedBy === undefined &&
        ((undo !== undefined && commit.patchId === undo) || commit.reverts === applied.commit)
      ) {
        revertedBy = commit;
      }
    }
    if (applied === undefined) continue;
    const match: Match =
      revertedBy === undefined
        ? { kind: 'applied', how: target.how, by: applied }
        : { kind: 'reverted', how: target.how, by: applied, revertedBy };
    for (const fix of target.fixes) {
      if (found.get(fix)?.kind !== 'applied') found.set(fix, match);
    }
  }
}
