/**
 * simple-git-hooks: its `pre-commit` entry is one command line, so stagecraft appends `&& <its command>` to it
 * (or creates it), and uninstall removes exactly that. simple-git-hooks copies the entry into .git/hooks
 * only when `npx simple-git-hooks` runs, so the user has to run it after either change.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { HookCodes } from './errors.ts';
import { HOOK_ONE_LINE, HOOK_RUN } from './hook-command.ts';
import type { HookOutcome, HookSetup } from './hook-result.ts';
import { readOptional } from './read-optional.ts';

const APPENDED = ` && ${HOOK_ONE_LINE}`;
const APPLY = 'run npx simple-git-hooks to write the changed pre-commit entry into the git hook';

/** No --force here: a hand-edited entry cannot be told apart from the team's own commands in it. */
export function installSimpleGitHook(setup: HookSetup): HookOutcome {
  const config = readConfig(setup, 'install');
  const current = config.hooks['pre-commit'];
  if (current === HOOK_ONE_LINE || (typeof current === 'string' && current.endsWith(APPENDED))) {
    return { status: 'already-installed', changes: [], notes: [] };
  }
  if (typeof current === 'string' && current.includes(HOOK_RUN)) {
    return { status: 'already-installed', changes: [], notes: [editedNote(setup)] };
  }
  config.hooks['pre-commit'] =
    typeof current === 'string' && current.trim() ? current + APPENDED : HOOK_ONE_LINE;
  config.write();
  return {
    status: 'installed',
    changes: [{ file: setup.display(setup.file), action: 'updated' }],
    notes: [APPLY],
  };
}

export function uninstallSimpleGitHook(setup: HookSetup): HookOutcome {
  const config = readConfig(setup, 'uninstall');
  const current = config.hooks['pre-commit'];
  if (current === HOOK_ONE_LINE) delete config.hooks['pre-commit'];
  else if (typeof current === 'string' && current.endsWith(APPENDED)) {
    config.hooks['pre-commit'] = current.slice(0, -APPENDED.length);
  } else {
    const notes = typeof current === 'string' && current.includes(HOOK_RUN) ? [editedNote(setup)] : [];
    return { status: 'not-installed', changes: [], notes };
  }
  config.write();
  return {
    status: 'uninstalled',
    changes: [{ file: setup.display(setup.file), action: 'updated' }],
    notes: [APPLY],
  };
}

function editedNote(setup: HookSetup): string {
  return `the pre-commit entry in ${setup.display(setup.file)} runs stagecraft in a form this version does not write (edited by hand?); change it yourself`;
}

function readConfig(
  setup: HookSetup,
  command: 'install' | 'uninstall',
): { hooks: Record<string, unknown>; write(): void } {
  const where = setup.display(setup.file);
  if (!setup.file.endsWith('.json')) {
    // A JavaScript config may compute its entries; editing it as text could break it.
    throw new StagecraftError(
      HookCodes.HOOKS_MANUAL_EDIT,
      `simple-git-hooks is configured in ${where}, a JavaScript file stagecraft does not edit`,
      {
        hint:
          command === 'install'
            ? `add this line to its hooks by hand (or append \` && …\` with the command to an existing pre-commit entry), then run npx simple-git-hooks:\n  'pre-commit': ${JSON.stringify(HOOK_ONE_LINE)},`
            : 'remove the stagecraft command from its pre-commit entry by hand, then run npx simple-git-hooks',
      },
    );
  }
  const text = readOptional(setup.file) ?? '{}';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StagecraftError(
      HookCodes.HOOKS_CONFIG_INVALID,
      `${where} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'fix it, then run the command again',
      },
    );
  }
  const inPackageJson = basename(setup.file) === 'package.json';
  const hooks = inPackageJson ? (json as Record<string, unknown>)['simple-git-hooks'] : json;
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) {
    throw new StagecraftError(
      HookCodes.HOOKS_CONFIG_INVALID,
      `${where}: ${inPackageJson ? '"simple-git-hooks"' : 'the configuration'} is not an object of hook names to commands`,
      { hint: 'see the simple-git-hooks README for its format' },
    );
  }
  const entry = (hooks as Record<string, unknown>)['pre-commit'];
  if (entry !== undefined && typeof entry !== 'string') {
    throw new StagecraftError(
      HookCodes.HOOKS_CONFIG_INVALID,
      `${where}: the pre-commit entry is not a command string`,
      {
        hint: 'simple-git-hooks runs each entry as one shell command line',
      },
    );
  }
  // Written back as the file was: same indentation, same final newline.
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? 2;
  return {
    hooks: hooks as Record<string, unknown>,
    write: () =>
      writeFileSync(setup.file, JSON.stringify(json, null, indent) + (text.endsWith('\n') ? '\n' : '')),
  };
}
