/** Running git for the scanner's git-backed modes: one place that turns git's failures into clear errors. */
import { spawnSync } from 'node:child_process';
import { StagecraftError } from '../errors.ts';

/**
 * Runs git and returns its standard output. `acceptedStatuses` lists non-zero exits that are answers, not
 * failures (`git check-ignore` exits 1 when nothing matched).
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  options: { input?: string; acceptedStatuses?: readonly number[] } = {},
): Buffer {
  const result = spawnSync('git', args, {
    cwd,
    maxBuffer: 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (result.error) {
    throw new StagecraftError('GIT_UNAVAILABLE', `cannot run git: ${result.error.message}`, {
      hint: 'install git and make sure it is on PATH',
      cause: result.error,
    });
  }
  if (result.status !== 0 && !options.acceptedStatuses?.includes(result.status ?? -1)) {
    const reason = result.stderr.toString().trim().split('\n')[0] ?? '';
    throw new StagecraftError('GIT_FAILED', `git ${args[0]} failed: ${reason}`, {
      hint: 'check that this is a healthy git repository',
    });
  }
  return result.stdout;
}

export function repositoryRoot(cwd: string): string {
  try {
    return runGit(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch (error) {
    throw new StagecraftError('GIT_NOT_A_REPOSITORY', `${cwd} is not inside a git repository`, {
      hint: 'run this in a clone, or `git init` first; git must be installed and on PATH',
      cause: error,
    });
  }
}
