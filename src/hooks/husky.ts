/**
 * husky: .husky/pre-commit belongs to the project, so stagecraft adds a marked block to it rather than owning
 * it, and uninstall takes out exactly that block.
 */
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLOCK_BEGIN, BLOCK_END, HOOK_BLOCK } from './hook-command.ts';
import { type HookOutcome, type HookSetup, modifiedNote } from './hook-result.ts';
import { readOptional } from './read-optional.ts';

export function installHuskyHook(setup: HookSetup, force: boolean): HookOutcome {
  const { file, display } = setup;
  const current = readOptional(file);
  const block = current === undefined ? undefined : findBlock(current);
  if (current !== undefined && block) {
    if (current.slice(block.start, block.end) === HOOK_BLOCK) {
      return { status: 'already-installed', changes: [], notes: [] };
    }
    if (!force) return { status: 'already-installed', changes: [], notes: [modifiedNote(display(file))] };
    writeFileSync(file, current.slice(0, block.start) + HOOK_BLOCK + current.slice(block.end));
    return { status: 'installed', changes: [{ file: display(file), action: 'updated' }], notes: [] };
  }
  if (current === undefined || current === '') {
    // husky 9 runs the file with sh; older versions execute it, so it must be executable.
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, HOOK_BLOCK, { mode: 0o755 });
    return { status: 'installed', changes: [{ file: display(file), action: 'created' }], notes: [] };
  }
  const separator = current.endsWith('\n') ? '\n' : '\n\n';
  writeFileSync(file, current + separator + HOOK_BLOCK);
  return { status: 'installed', changes: [{ file: display(file), action: 'updated' }], notes: [] };
}

export function uninstallHuskyHook(setup: HookSetup): HookOutcome {
  const { file, display } = setup;
  const current = readOptional(file);
  const block = current === undefined ? undefined : findBlock(current);
  if (current === undefined || !block) return { status: 'not-installed', changes: [], notes: [] };
  // Install put a blank line before the block; take that out too.
  const before = current.slice(0, block.start);
  const rest = (before.endsWith('\n\n') ? before.slice(0, -1) : before) + current.slice(block.end);
  if (rest.trim() === '') {
    unlinkSync(file);
    return { status: 'uninstalled', changes: [{ file: display(file), action: 'deleted' }], notes: [] };
  }
  writeFileSync(file, rest);
  return { status: 'uninstalled', changes: [{ file: display(file), action: 'updated' }], notes: [] };
}

/** The marked block, from its first marker to the newline after its last. */
export function findBlock(text: string): { start: number; end: number } | undefined {
  const start = text.indexOf(BLOCK_BEGIN);
  if (start === -1 || (start > 0 && text[start - 1] !== '\n')) return undefined;
  const endMarker = text.indexOf(BLOCK_END, start);
  if (endMarker === -1) return undefined;
  const newline = text.indexOf('\n', endMarker);
  return { start, end: newline === -1 ? text.length : newline + 1 };
}
