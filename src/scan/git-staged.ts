/**
 * What the next commit adds: the staged version of each added, copied, modified and renamed file, with the
 * line numbers the commit adds. Findings are kept only on those lines, so a pre-commit hook never blocks on
 * a secret already committed (history scans report those).
 */
import { type GitEnvironment, runGitAsync } from '../git/run.ts';
import { emptyLogStats, type FilePatch, type LogStats, parsePatches } from './git-log.ts';

/**
 * One `git diff --cached` with unlimited context yields every staged file's full new text and its added
 * lines in a single process: a pre-commit hook has a few hundred milliseconds, and each git start costs tens.
 * The paths are relative to the repository's top level, from wherever in the work tree `cwd` is.
 */
export async function stagedChanges(
  cwd: string,
  maxFileBytes: number,
  env?: GitEnvironment,
): Promise<{ files: FilePatch[]; stats: LogStats }> {
  const diff = (
    await runGitAsync(
      cwd,
      [
        '-c',
        'core.quotePath=false',
        'diff',
        '--cached',
        `-U${2 ** 31 - 1}`,
        '--no-color',
        '--diff-filter=ACMR',
        '--no-renames',
        '--no-ext-diff',
        '--no-textconv',
      ],
      env ? { env } : {},
    )
  ).toString('utf8');
  const stats = emptyLogStats();
  return { files: parsePatches(diff, stats, maxFileBytes, true), stats };
}
