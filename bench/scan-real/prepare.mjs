/**
 * A benchmark repository on disk, pinned: cloned from its public URL when its folder is absent, then cut
 * down to the history of its pinned commit — one local branch `scan-real` at that commit, every other
 * branch, remote branch and tag removed — so "all branches" means the same commits in every run, however
 * far upstream has moved. Replacement refs (`refs/replace/`) are kept: a local copy may use them to stand
 * in for objects it lacks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BRANCH = 'scan-real';

export class PrepareError extends Error {}

function git(cwd, args, what) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const said = (result.stderr || String(result.error?.message ?? '')).trim().split('\n').at(-1);
    throw new PrepareError(`${what}: git ${args[0]} failed: ${said || `exit ${result.status}`}`);
  }
  return result.stdout;
}

/** The repository's folder under `root`, ready to scan; `progress` reports clones. */
export function prepareRepository(root, repository, progress) {
  const dir = join(root, repository.name);
  if (!existsSync(dir)) {
    progress(`cloning ${repository.url} into ${dir}`);
    git(root, ['clone', '--quiet', '--no-tags', repository.url, repository.name], repository.name);
  } else if (!existsSync(join(dir, '.git'))) {
    throw new PrepareError(
      `${dir} exists but is not a git clone: remove it and the benchmark clones it again`,
    );
  }
  const present = spawnSync('git', ['cat-file', '-e', `${repository.commit}^{commit}`], { cwd: dir });
  if (present.status !== 0) {
    throw new PrepareError(
      `${dir} does not hold the pinned commit ${repository.commit}: remove the folder and the benchmark ` +
        'clones it again, or fetch that commit into it',
    );
  }
  git(dir, ['update-ref', `refs/heads/${BRANCH}`, repository.commit], repository.name);
  git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${BRANCH}`], repository.name);
  git(dir, ['reset', '--quiet', '--hard', repository.commit], repository.name);
  const refs = git(dir, ['for-each-ref', '--format=%(refname)'], repository.name).split('\n').filter(Boolean);
  for (const ref of refs) {
    if (ref === `refs/heads/${BRANCH}` || ref.startsWith('refs/replace/')) continue;
    git(dir, ['update-ref', '--no-deref', '-d', ref], repository.name);
  }
  const commits = Number(git(dir, ['rev-list', '--count', '--all'], repository.name).trim());
  return { dir, commits };
}
