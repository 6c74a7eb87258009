/**
 * The plain git hook: our script at <hooks dir>/pre-commit. A hook already there is moved aside and run
 * first, so installing never silently disables a team's existing check; uninstall moves it back unchanged.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { HookCodes } from './errors.ts';
import {
  CHAINED_SUFFIX,
  gitHookScript,
  type HookInstaller,
  SCRIPT_MARKER,
  sameGitHook,
} from './hook-command.ts';
import { type HookOutcome, type HookSetup, modifiedNote } from './hook-result.ts';
import { readOptional } from './read-optional.ts';

const isOurs = (text: string | undefined): boolean => text?.includes(SCRIPT_MARKER) === true;

export function installGitHook(setup: HookSetup, force: boolean, installer?: HookInstaller): HookOutcome {
  const script = gitHookScript(installer);
  const { file, display } = setup;
  const chained = file + CHAINED_SUFFIX;
  const current = readOptional(file);
  if (isOurs(current)) {
    if (current === script) return { status: 'already-installed', changes: [], notes: [] };
    // Installed by another copy of this version: it now falls back on this one.
    if (current !== undefined && sameGitHook(current, script)) {
      writeHook(file, script);
      return { status: 'installed', changes: [{ file: display(file), action: 'updated' }], notes: [] };
    }
    if (!force) return { status: 'already-installed', changes: [], notes: [modifiedNote(display(file))] };
    writeHook(file, script);
    return { status: 'installed', changes: [{ file: display(file), action: 'updated' }], notes: [] };
  }
  const outcome: HookOutcome = { status: 'installed', changes: [], notes: [] };
  if (current !== undefined) {
    if (existsSync(chained) && !isOurs(readOptional(chained))) {
      throw new StagecraftError(
        HookCodes.HOOKS_CHAINED_EXISTS,
        `${display(file)} is another tool's hook, and ${display(chained)}, where stagecraft would move it to run it first, already exists`,
        {
          hint: `rename or remove ${display(chained)} (check what it does first), then run stagecraft hooks install again`,
        },
      );
    }
    renameSync(file, chained);
    outcome.changes.push({ file: display(file), action: 'moved', other: display(chained) });
    outcome.notes.push(`the hook that was in ${display(file)} still runs first, from ${display(chained)}`);
  } else if (existsSync(chained)) {
    outcome.notes.push(`${display(chained)}, left by an earlier install, runs first`);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeHook(file, script);
  outcome.changes.push({ file: display(file), action: 'created' });
  return outcome;
}

export function uninstallGitHook(setup: HookSetup): HookOutcome {
  const { file, display } = setup;
  const chained = file + CHAINED_SUFFIX;
  if (!isOurs(readOptional(file))) return { status: 'not-installed', changes: [], notes: [] };
  if (existsSync(chained)) {
    // A rename keeps the hook byte for byte, with its mode.
    renameSync(chained, file);
    return {
      status: 'uninstalled',
      changes: [{ file: display(file), action: 'restored', other: display(chained) }],
      notes: [],
    };
  }
  unlinkSync(file);
  return { status: 'uninstalled', changes: [{ file: display(file), action: 'deleted' }], notes: [] };
}

function writeHook(file: string, script: string): void {
  writeFileSync(file, script, { mode: 0o755 });
  chmodSync(file, 0o755); // the mode option applies only when the file is created
}
