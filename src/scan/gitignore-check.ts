/**
 * .gitignore hygiene: the seed's "What Never to Commit" patterns (and any a team adds under `scan.gitignore`)
 * must be ignored, and no tracked file may match them. Judged by git itself (`git check-ignore`, `git
 * ls-files`), so global excludes and .git/info/exclude count as they do for a commit.
 */
import { gitignoreMatcher } from '../git/gitignore-matcher.ts';
import { type GitEnvironment, repositoryRoot, runGit } from '../git/run.ts';
import { REQUIRED_GITIGNORE } from '../workspace/scaffold.ts';

const git = (cwd: string, env: GitEnvironment | undefined, args: string[], input?: string): string =>
  runGit(cwd, args, {
    ...(input !== undefined ? { input } : {}),
    ...(env ? { env } : {}),
    acceptedStatuses: args[0] === 'check-ignore' ? [1] : [],
  }).toString('utf8');

export interface GitignoreReport {
  root: string;
  /** Patterns not ignored yet. */
  missing: string[];
  /** Tracked files that match a required pattern: ignoring them now does not untrack them. */
  tracked: string[];
}

/** `env`: git's environment (global excludes come from the user's config). */
export function checkGitignore(
  cwd: string,
  extraPatterns: readonly string[] = [],
  env?: GitEnvironment,
): GitignoreReport {
  const root = repositoryRoot(cwd, env);
  const required = [
    ...REQUIRED_GITIGNORE,
    ...extraPatterns.map((pattern) => ({ pattern, sample: sampleFor(pattern) })),
  ];
  // One git call for every sample. With `-n -v` each path is printed with the pattern that decided it
  // (`source:line:pattern<TAB>path`), or `::` when none did; a `!pattern` re-includes the path.
  const output = git(
    root,
    env,
    ['check-ignore', '--no-index', '--stdin', '-n', '-v'],
    required.map((r) => r.sample).join('\n'),
  );
  const notIgnored = new Set<string>();
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const decidedBy = line.slice(0, tab);
    const pattern = decidedBy.slice(decidedBy.indexOf(':', decidedBy.indexOf(':') + 1) + 1);
    if (decidedBy.startsWith('::') || pattern.startsWith('!')) notIgnored.add(line.slice(tab + 1));
  }
  const missing = required.filter((entry) => notIgnored.has(entry.sample)).map((entry) => entry.pattern);
  const matcher = gitignoreMatcher().add(required.map((entry) => entry.pattern));
  const tracked = git(root, env, ['ls-files', '-z'])
    .split('\0')
    .filter((file) => file && matcher.ignores(file));
  return { root, missing, tracked };
}

/** A path the pattern must ignore: `*.key` → `example.key`, `secrets/` → `secrets/example`. */
function sampleFor(pattern: string): string {
  const path = pattern
    .replace(/^\//, '')
    .replace(/\*\*\/?/g, '')
    .replace(/\*/g, 'example');
  return path.endsWith('/') ? `${path}example` : path;
}
