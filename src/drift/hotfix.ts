/**
 * Hotfixes not merged back: is what an environment runs contained in main? Ancestry first
 * (`git merge-base --is-ancestor`): then it is `merged`. Otherwise each commit the deployed commit has and
 * main lacks (no merges) is looked for on main since the merge base by its patch id (`git patch-id
 * --stable`), so a cherry-pick counts as merged back; runs of consecutive commits still missing are matched
 * by their combined diff, for a squash of several fixes. A commit on main that a later one reverts (a commit
 * whose patch is the inverse, or "This reverts commit X") does not count: what the fix changed is not on
 * main. Every user-given name is checked before git sees it, and only full SHAs reach a git command line.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { runGit } from '../git/run.ts';
import { DriftCodes } from './errors.ts';
import { boundedPathspec, gitAsync, LOG_OPTIONS, readCommits, readMainCommits } from './hotfix-history.ts';
import { type CommitInfo, findOnMain } from './hotfix-match.ts';
import { type MainBranch, requireCommits, resolveMain, succeeds } from './main-branch.ts';
import { PATCH_OPTIONS, patchIds } from './patch-ids.ts';

export type HotfixVerdict = 'merged' | 'merged-equivalent' | 'partially-merged' | 'not-merged';

/** Worst last: a report's verdict is the worst of its commits'. */
export const HOTFIX_VERDICTS: readonly HotfixVerdict[] = [
  'merged',
  'merged-equivalent',
  'partially-merged',
  'not-merged',
];

/** A commit an environment runs: from the ledger (with its service and deployment), or given. */
export interface DeployedCommit {
  commit: string;
  service?: string | undefined;
  deploymentId?: number | undefined;
}

export interface HotfixCommit {
  commit: string;
  shortCommit: string;
  subject: string;
  /** `Name <email>`, as the mailmap gives it. */
  author: string;
  /** Author date, ISO 8601. */
  date: string;
}

/** A commit whose change main has under another commit: a cherry-pick, or part of a squash. */
export interface EquivalentCommit extends HotfixCommit {
  how: 'cherry-pick' | 'squash';
  onMain: { commit: string; shortCommit: string; subject: string };
}

/** A commit whose change main lacks; `revertedOnMain` when main had it once and reverted it. */
export interface MissingCommit extends HotfixCommit {
  revertedOnMain: { commit: string; shortCommit: string; revertedBy: string } | null;
}

/** The answer for one deployed commit (several services may run it). */
export interface CommitDrift {
  commit: string;
  shortCommit: string;
  services: string[];
  verdict: HotfixVerdict;
  mergeBase: string | null;
  /** Commits (no merges) the deployed commit has that are not ancestors of main. */
  notOnMain: number;
  equivalent: EquivalentCommit[];
  /** Newest last; at most `listLimit` of them, `missingCount` says how many there are. */
  missing: MissingCommit[];
  missingCount: number;
}

export interface HotfixReport {
  /** The branch compared against: as given, the ref it was found as, and its commit. */
  main: MainBranch;
  verdict: HotfixVerdict;
  commits: CommitDrift[];
  /** Per service when the commits came from the ledger; empty for a commit given on the command line. */
  services: { service: string; commit: string; deploymentId: number | null; verdict: HotfixVerdict }[];
}

export interface HotfixOptions {
  /** Refuse to analyse more missing commits than this (default 10,000): a wrong --main, not a hotfix. */
  maxCommits?: number;
  /** List at most this many missing commits per deployed commit (default 200). */
  listLimit?: number;
}

/**
 * Whether main (a branch name: `main` locally, else `origin/main`) contains what each deployed commit has.
 * Throws a StagecraftError when it cannot tell: a commit not in the repository, a shallow clone, no main.
 *
 * @example await checkHotfix('/repo', [{ commit: '4f2a9c1…', service: 'storefront' }], 'main')
 */
export async function checkHotfix(
  root: string,
  deployed: readonly DeployedCommit[],
  main: string,
  options: HotfixOptions = {},
): Promise<HotfixReport> {
  const mainRef = resolveMain(root, main);
  const resolved = resolveDeployed(root, deployed);
  const commits: CommitDrift[] = [];
  for (const [commit, entries] of resolved) {
    const services = [...new Set(entries.flatMap((entry) => (entry.service ? [entry.service] : [])))];
    commits.push({ ...(await compareCommit(root, commit, mainRef.commit, options)), services });
  }
  const verdictOf = new Map(commits.map((c) => [c.commit, c.verdict]));
  const services = [...resolved].flatMap(([commit, entries]) =>
    entries.flatMap((entry) =>
      entry.service
        ? [
            {
              service: entry.service,
              commit,
              deploymentId: entry.deploymentId ?? null,
              verdict: verdictOf.get(commit) as HotfixVerdict,
            },
          ]
        : [],
    ),
  );
  return { main: mainRef, verdict: worst(commits.map((c) => c.verdict)), commits, services };
}

export function worst(verdicts: readonly HotfixVerdict[]): HotfixVerdict {
  return HOTFIX_VERDICTS[Math.max(0, ...verdicts.map((v) => HOTFIX_VERDICTS.indexOf(v)))] as HotfixVerdict;
}

const _git = (root: string, args: readonly string[], accepted: number[] = []): string =>
  runGit(root, args, { acceptedStatuses: accepted }).toString('utf8');

const SHA = /^[0-9a-f]{4,64}$/i;

/** Each deployed commit as a full SHA, with what runs it; all missing commits reported at once. */
function resolveDeployed(root: string, deployed: readonly DeployedCommit[]): Map<string, DeployedCommit[]> {
  const bad = deployed.filter((entry) => !SHA.test(entry.commit));
  if (bad.length) {
    throw new StagecraftError(
      DriftCodes.DRIFT_BAD_REVISION,
      `not a commit SHA: ${bad.map((entry) => `${JSON.stringify(entry.commit)}${where(entry)}`).join(', ')}`,
      { hint: 'a deployed commit is a hexadecimal SHA, as git rev-parse HEAD prints it' },
    );
  }
  const shas = requireCommits(
    root,
    deployed.map((entry) => ({
      revision: entry.commit.toLowerCase(),
      note: where(entry).trim() || undefined,
    })),
  );
  const resolved = new Map<string, DeployedCommit[]>();
  deployed.forEach((entry, index) => {
    const commit = shas[index] as string;
    resolved.set(commit, [...(resolved.get(commit) ?? []), entry]);
  });
  return resolved;
}

const where = (entry: DeployedCommit) => (entry.service ? ` (${entry.service})` : '');

async function compareCommit(
  root: string,
  commit: string,
  main: string,
  options: HotfixOptions,
): Promise<Omit<CommitDrift, 'services'>> {
  const base = { commit, shortCommit: commit.slice(0, 7) };
  if (succeeds(root, ['merge-base', '--is-ancestor', commit, main])) {
    return {
      ...base,
      verdict: 'merged',
      mergeBase: commit,
      notOnMain: 0,
      equivalent: [],
      missing: [],
      missingCount: 0,
    };
  }
  const range = [commit, '--not', main];
  const mainRange = [main, '--not', commit];
  const limit = options.maxCommits ?? 10_000;
  // What does not depend on another answer runs at once: the merge base, the fixes and the files they touch.
  const [shallow, mergeBase, { fixes, paths }] = await Promise.all([
    gitAsync(root, ['rev-parse', '--is-shallow-repository']).then((out) => out.trim() === 'true'),
    gitAsync(root, ['merge-base', commit, main], [1]).then((out) => out.trim().split('\n')[0] ?? ''),
    readCommits(root, range, limit + 1),
  ]);
  if (shallow) {
    throw new StagecraftError(
      DriftCodes.HOTFIX_SHALLOW_CLONE,
      `${commit.slice(0, 12)} is not an ancestor of main, and this clone is shallow: the history that would say whether main has its changes is missing`,
      { hint: 'git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)' },
    );
  }
  if (mergeBase === '') {
    throw new StagecraftError(
      DriftCodes.HOTFIX_NO_COMMON_HISTORY,
      `${commit.slice(0, 12)} and main share no history`,
      { hint: 'check --main and the deployed commit: they should belong to the same project' },
    );
  }
  if (fixes.length > limit) {
    throw new StagecraftError(
      DriftCodes.HOTFIX_TOO_MANY_COMMITS,
      `${commit.slice(0, 12)} has more than ${counted(limit, 'commit')} main does not: not a hotfix branch`,
      { hint: 'check --main: what was deployed may come from a release branch rather than main' },
    );
  }
  const pathspec = boundedPathspec(paths);
  const limited = pathspec.length ? ['--', ...pathspec] : [];
  const literal = pathspec.length ? ['--literal-pathspecs'] : [];
  const [onMain, fixIds, mainIds] = await Promise.all([
    readMainCommits(root, [...literal, ...mainRange, ...limited]),
    patchIds(root, [
      'log',
      '-p',
      '--no-merges',
      ...LOG_OPTIONS,
      '--format=commit %H',
      ...PATCH_OPTIONS,
      ...range,
    ]),
    patchIds(root, [
      ...literal,
      'log',
      '-p',
      // The whole patch of a commit that touches one of the files, not only those files' part of it.
      '--full-diff',
      '--no-merges',
      '--full-history',
      ...LOG_OPTIONS,
      '--format=commit %H',
      ...PATCH_OPTIONS,
      ...mainRange,
      ...limited,
    ]),
  ]);
  for (const fix of fixes) fix.patchId = fixIds.get(fix.commit);
  for (const entry of onMain) entry.patchId = mainIds.get(entry.commit);
  const found = await findOnMain(root, fixes, onMain, mergeBase);
  const equivalent: EquivalentCommit[] = [];
  const missing: MissingCommit[] = [];
  for (const fix of fixes) {
    const match = found.get(fix.commit);
    const info = describe(fix);
    if (match?.kind === 'applied') {
      const on = match.by;
      equivalent.push({
        ...info,
        how: match.how,
        onMain: { commit: on.commit, shortCommit: on.shortCommit, subject: on.subject },
      });
    } else {
      missing.push({
        ...info,
        revertedOnMain:
          match?.kind === 'reverted'
            ? {
                commit: match.by.commit,
                shortCommit: match.by.shortCommit,
                revertedBy: match.revertedBy.shortCommit,
              }
            : null,
      });
    }
  }
  const verdict: HotfixVerdict =
    missing.length === 0 ? 'merged-equivalent' : equivalent.length ? 'partially-merged' : 'not-merged';
  return {
    ...base,
    verdict,
    mergeBase,
    notOnMain: fixes.length,
    equivalent,
    missing: missing.slice(0, options.listLimit ?? 200),
    missingCount: missing.length,
  };
}

const describe = (fix: CommitInfo): HotfixCommit => ({
  commit: fix.commit,
  shortCommit: fix.shortCommit,
  subject: fix.subject,
  author: fix.author,
  date: fix.date,
});
