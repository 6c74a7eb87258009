/**
 * Reading the two sides of a hotfix check from git: the commits the deployed commit has and main lacks (with
 * the files they touch), and main's commits since the merge base. Subjects and names come back printable.
 */
import { runGitAsync } from '../git/run.ts';
import type { CommitInfo, MainCommit } from './hotfix-match.ts';

/** Options for every git log read here: no signature checks in the output, whatever the configuration. */
export const LOG_OPTIONS: readonly string[] = ['--no-show-signature'];

export const gitAsync = async (
  root: string,
  args: readonly string[],
  accepted: number[] = [],
): Promise<string> => (await runGitAsync(root, args, { acceptedStatuses: accepted })).toString('utf8');

/**
 * The commits (no merges) of a range, oldest first, with their first parent, and the files they touch; at
 * most `max` (the newest).
 */
export async function readCommits(
  root: string,
  range: readonly string[],
  max: number,
): Promise<{ fixes: CommitInfo[]; paths: string[] }> {
  const out = await gitAsync(root, [
    'log',
    `--max-count=${max}`,
    '-z',
    '--no-merges',
    '--no-renames',
    '--name-only',
    '--topo-order',
    '--reverse',
    ...LOG_OPTIONS,
    '--format=%x1e%H%x1f%P%x1f%h%x1f%aN <%aE>%x1f%aI%x1f%s',
    ...range,
  ]);
  // Tokens between NULs: a commit's fields (after \x1e), then the files it touched, the first after a newline.
  const paths = new Set<string>();
  const fixes: CommitInfo[] = [];
  for (const token of out.split('\0')) {
    if (!/^\x1e[0-9a-f]{40,64}\x1f/.test(token)) {
      const file = token.replace(/^\n/, '');
      if (file) paths.add(file);
      continue;
    }
    const [commit = '', parents = '', shortCommit = '', author = '', date = '', ...subject] = token
      .slice(1)
      .split('\x1f');
    fixes.push({
      commit,
      parent: parents.split(' ')[0] || undefined,
      shortCommit,
      author: printable(author),
      date,
      subject: printable(subject.join(' ')),
      patchId: undefined,
    });
  }
  return { fixes, paths: [...paths] };
}

/**
 * The files as a pathspec for main's side: main's commits that could match a fix touch one of them (their
 * whole patch is still read, with --full-diff). Past a command line's
 * size, or with a name that is not UTF-8 (it would not survive the round trip), none: all of main is read.
 */
export function boundedPathspec(paths: readonly string[]): string[] {
  const bytes = paths.reduce((sum, p) => sum + Buffer.byteLength(p) + 1, 0);
  const exact = paths.every((p) => !p.includes('\ufffd'));
  return exact && paths.length <= 2000 && bytes <= 100_000 ? [...paths] : [];
}

/** Main's commits (no merges) since the merge base, oldest first, touching the paths (all when none). */
export async function readMainCommits(root: string, args: readonly string[]): Promise<MainCommit[]> {
  const literal = args[0] === '--literal-pathspecs' ? [args[0]] : [];
  const out = await gitAsync(root, [
    ...literal,
    'log',
    '-z',
    '--no-merges',
    '--full-history',
    '--topo-order',
    '--reverse',
    ...LOG_OPTIONS,
    '--format=%H%x1f%h%x1f%s%x1f%b',
    ...args.slice(literal.length),
  ]);
  return out
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [commit = '', shortCommit = '', subject = '', ...body] = record.split('\x1f');
      const reverts = /This reverts commit ([0-9a-f]{40,64})/.exec(body.join('\x1f'))?.[1];
      return { commit, shortCommit, subject: printable(subject), reverts, patchId: undefined };
    });
}

/** Control characters in a subject or name (a terminal escape sequence in a hostile commit) shown as �. */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
