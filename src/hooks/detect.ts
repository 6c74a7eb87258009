/**
 * Which hook manager owns the repository's pre-commit hook. Installing beside a manager means editing its
 * files: writing .git/hooks/pre-commit directly would be overwritten by its next install, or never run when
 * core.hooksPath points elsewhere.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { INPUT_LIMITS, readJsonFile } from '@stagecraft/config/input';
import { type GitEnvironment, repositoryRoot, runGit } from '../git/run.ts';
import { HookCodes } from './errors.ts';
import type { HookSetup } from './hook-result.ts';

export const LEFTHOOK_FILES: readonly string[] = [
  'lefthook.yml',
  '.lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yaml',
];

/** In the order simple-git-hooks itself looks for its configuration. */
export const SIMPLE_GIT_HOOKS_FILES: readonly string[] = [
  '.simple-git-hooks.cjs',
  '.simple-git-hooks.js',
  '.simple-git-hooks.mjs',
  'simple-git-hooks.cjs',
  'simple-git-hooks.js',
  'simple-git-hooks.mjs',
  '.simple-git-hooks.json',
  'simple-git-hooks.json',
];

/** `env`: git's environment (core.hooksPath may come from the user's global config). */
export function detectHookSetup(cwd: string, env?: GitEnvironment): HookSetup {
  const root = repositoryRoot(cwd, env);
  const display = (path: string) => {
    const inside = relative(root, path);
    return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : path;
  };
  const setup = (manager: HookSetup['manager'], file: string): HookSetup => ({
    manager,
    root,
    file,
    display,
  });
  // Relative to the directory git runs in; core.hooksPath is honoured, and in a worktree it is the shared hooks.
  const hooksDir = resolve(
    root,
    runGit(root, ['rev-parse', '--git-path', 'hooks'], env ? { env } : {})
      .toString('utf8')
      .trim(),
  );
  const manifest = readPackageJson(root);
  const husky = join(root, '.husky');
  const hooksPathInHusky = hooksDir === husky || hooksDir.startsWith(husky + sep);
  if (hooksPathInHusky || (isDirectory(husky) && dependsOn(manifest, 'husky'))) {
    return setup('husky', join(husky, 'pre-commit'));
  }
  const lefthook = LEFTHOOK_FILES.find((file) => existsSync(join(root, file)));
  if (lefthook) return setup('lefthook', join(root, lefthook));
  const simpleGitHooks = SIMPLE_GIT_HOOKS_FILES.find((file) => existsSync(join(root, file)));
  if (simpleGitHooks) return setup('simple-git-hooks', join(root, simpleGitHooks));
  if (manifest && 'simple-git-hooks' in manifest)
    return setup('simple-git-hooks', join(root, 'package.json'));
  return setup('git', join(hooksDir, 'pre-commit'));
}

function readPackageJson(root: string): Record<string, unknown> | undefined {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return undefined;
  const value = readJsonFile(file, {
    what: 'package manifest',
    maxBytes: INPUT_LIMITS.authored,
    code: HookCodes.HOOKS_CONFIG_INVALID,
    hint: 'fix package.json (npm cannot read it either), then run the command again',
  });
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function dependsOn(manifest: Record<string, unknown> | undefined, name: string): boolean {
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((key) => {
    const deps = manifest?.[key];
    return deps !== null && typeof deps === 'object' && name in deps;
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
