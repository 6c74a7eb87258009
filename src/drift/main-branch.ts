/**
 * The branch fixes must reach (`drift.main`, `--main`; default `main`), as every git-based drift check finds
 * it: a local branch, else origin's remote-tracking one (a CI checkout often has only that), else a remote
 * ref given as `origin/main`. The name is checked before git sees it, so it can never be read as an option.
 */
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { type GitEnvironment, runGit } from '../git/run.ts';
import { GitCodes } from '../scan/errors.ts';
import { DriftCodes } from './errors.ts';

export interface MainBranch {
  /** As given: `main`, `origin/main`. */
  name: string;
  /** The ref it was found as: `refs/heads/main`, `refs/remotes/origin/main`. */
  ref: string;
  commit: string;
  remoteTracking: boolean;
}

export function resolveMain(root: string, name: string, env?: GitEnvironment): MainBranch {
  if (name.startsWith('-') || !succeeds(root, ['check-ref-format', `refs/heads/${name}`], env)) {
    throw new StagecraftError(
      DriftCodes.DRIFT_BAD_REVISION,
      `--main ${JSON.stringify(name)} is not a branch name`,
      {
        hint: 'give a branch name such as main or origin/main (drift.main in stagecraft.yaml, or --main)',
      },
    );
  }
  for (const ref of [`refs/heads/${name}`, `refs/remotes/origin/${name}`, `refs/remotes/${name}`]) {
    const commit = verifyCommit(root, ref, env);
    if (commit) return { name, ref, commit, remoteTracking: ref.startsWith('refs/remotes/') };
  }
  throw new StagecraftError(
    DriftCodes.DRIFT_MAIN_MISSING,
    `main branch ${name} is neither a local branch nor origin/${name} here`,
    { hint: `fetch it (git fetch origin ${name}), or name the branch with --main or drift.main` },
  );
}

/** The full SHA `revision` names as a commit, or undefined; never read as an option. */
export function verifyCommit(root: string, revision: string, env?: GitEnvironment): string | undefined {
  const out = runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
    acceptedStatuses: [1, 128],
    ...(env ? { env } : {}),
  })
    .toString('utf8')
    .trim();
  return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
}

/** How a shallow clone gets the history a deployed commit needs. */
export const WHOLE_HISTORY =
  'git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)';

/** A revision to find as a commit, and what to say of it when it is missing (`(web)`, `(deployment #3)`). */
export interface WantedCommit {
  revision: string;
  note?: string | undefined;
}

/**
 * The full SHA of each revision, or one DRIFT_COMMIT_MISSING naming every one that is missing, with how to
 * fetch them — the whole history when the clone is shallow, since a deployed commit is often an old one.
 */
export function requireCommits(
  root: string,
  wanted: readonly WantedCommit[],
  env?: GitEnvironment,
): string[] {
  const found = wanted.map((entry) => verifyCommit(root, entry.revision, env));
  const missing = wanted.filter((_, index) => found[index] === undefined);
  if (missing.length === 0) return found as string[];
  const shallow =
    runGit(root, ['rev-parse', '--is-shallow-repository'], env ? { env } : {})
      .toString('utf8')
      .trim() === 'true';
  const names = missing.map((entry) => `${entry.revision}${entry.note ? ` ${entry.note}` : ''}`);
  throw new StagecraftError(
    DriftCodes.DRIFT_COMMIT_MISSING,
    `${names.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in this repository${shallow ? ' (a shallow clone)' : ''}`,
    {
      hint: shallow
        ? `fetch the whole history: ${WHOLE_HISTORY}`
        : `fetch ${missing.length === 1 ? 'it' : 'them'}: git fetch origin ${missing.map((entry) => entry.revision).join(' ')}; ${WHOLE_HISTORY}`,
    },
  );
}

/** Whether git exits 0: for commands whose status is the answer (check-ref-format, merge-base --is-ancestor). */
export function succeeds(root: string, args: readonly string[], env?: GitEnvironment): boolean {
  try {
    runGit(root, args, env ? { env } : {});
    return true;
  } catch (error) {
    if (isStagecraftError(error, GitCodes.GIT_FAILED)) return false;
    throw error;
  }
}

/** The branch as people write it: `main`, or `origin/main` when only the remote-tracking ref was there. */
export function branchLabel(main: MainBranch): string {
  return main.ref.replace(/^refs\/(heads|remotes)\//, '');
}
