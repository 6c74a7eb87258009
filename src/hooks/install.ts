/**
 * `stagecraft hooks install` and `uninstall`: find who owns the pre-commit hook, then add or remove
 * stagecraft there, changing nothing else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { GitEnvironment } from '../git/run.ts';
import { detectHookSetup } from './detect.ts';
import { HookCodes } from './errors.ts';
import { installGitHook, uninstallGitHook } from './git-hook.ts';
import type { HookInstaller } from './hook-command.ts';
import type { HookOutcome, HookResult, HookSetup } from './hook-result.ts';
import { installHuskyHook, uninstallHuskyHook } from './husky.ts';
import { installLefthookHook, uninstallLefthookHook } from './lefthook.ts';
import { installSimpleGitHook, uninstallSimpleGitHook } from './simple-git-hooks.ts';

export function installHook(
  cwd: string,
  options: { force?: boolean; env?: GitEnvironment; installer?: HookInstaller } = {},
): HookResult {
  const force = options.force === true;
  return withSetup(cwd, options.env, (setup) => {
    const outcome =
      setup.manager === 'husky'
        ? installHuskyHook(setup, force)
        : setup.manager === 'lefthook'
          ? installLefthookHook(setup, force)
          : setup.manager === 'simple-git-hooks'
            ? installSimpleGitHook(setup)
            : installGitHook(setup, force, options.installer);
    if (setup.manager === 'git' && existsSync(join(setup.root, '.pre-commit-config.yaml'))) {
      outcome.notes.push(
        'this repository uses the pre-commit framework: the stagecraft-scan and stagecraft-gitignore hooks can go in .pre-commit-config.yaml instead',
      );
    }
    return outcome;
  });
}

export function uninstallHook(cwd: string, options: { env?: GitEnvironment } = {}): HookResult {
  return withSetup(cwd, options.env, (setup) =>
    setup.manager === 'husky'
      ? uninstallHuskyHook(setup)
      : setup.manager === 'lefthook'
        ? uninstallLefthookHook(setup)
        : setup.manager === 'simple-git-hooks'
          ? uninstallSimpleGitHook(setup)
          : uninstallGitHook(setup),
  );
}

function withSetup(
  cwd: string,
  env: GitEnvironment | undefined,
  change: (setup: HookSetup) => HookOutcome,
): HookResult {
  const setup = detectHookSetup(cwd, env);
  try {
    const outcome = change(setup);
    return { manager: setup.manager, root: setup.root, file: setup.display(setup.file), ...outcome };
  } catch (error) {
    if (isStagecraftError(error)) throw error;
    const { code, path, syscall } = error as NodeJS.ErrnoException;
    if (!code || !path) throw error;
    throw new StagecraftError(
      HookCodes.HOOKS_FILE_ERROR,
      `cannot ${syscall ?? 'change'} ${setup.display(path)}: ${code}`,
      {
        hint: 'check the permissions of the repository’s hook files, then run the command again',
        cause: error,
      },
    );
  }
}
