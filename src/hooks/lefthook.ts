/**
 * lefthook: a `pre-commit: commands: stagecraft:` entry in its config, edited as a YAML document so the
 * team's comments, order and quoting survive; uninstall removes the entry and any parent it left empty.
 */
import { writeFileSync } from 'node:fs';
import { StagecraftError } from '@stagecraft/config/errors';
import { parseEditableYaml } from '@stagecraft/config/yaml';
import { type Document, isMap } from 'yaml';
import { HookCodes } from './errors.ts';
import { HOOK_SCRIPT } from './hook-command.ts';
import { type HookOutcome, type HookSetup, modifiedNote } from './hook-result.ts';
import { readOptional } from './read-optional.ts';

const ENTRY = ['pre-commit', 'commands', 'stagecraft'] as const;
const NOTE =
  'lefthook reads its config when the hook runs; if its hooks are not installed yet, run npx lefthook install';

export function installLefthookHook(setup: HookSetup, force: boolean): HookOutcome {
  const { doc, text } = readConfig(setup);
  const current = doc.getIn([...ENTRY, 'run']);
  if (current !== undefined) {
    if (current === HOOK_SCRIPT) return { status: 'already-installed', changes: [], notes: [] };
    if (!force)
      return { status: 'already-installed', changes: [], notes: [modifiedNote(setup.display(setup.file))] };
  }
  // A key written with no value (`pre-commit:`) is null; it becomes the map the entry goes in.
  for (let depth = 1; depth < ENTRY.length; depth++) {
    const path = ENTRY.slice(0, depth);
    const node = doc.getIn(path, true);
    if (node === undefined || isMap(node)) continue;
    if (node !== null && (node as { value?: unknown }).value !== null) {
      throw new StagecraftError(
        HookCodes.HOOKS_CONFIG_INVALID,
        `${setup.display(setup.file)}: ${path.join('.')} is not a mapping, so stagecraft cannot add its command there`,
        {
          hint: `make ${path.join('.')} a mapping (lefthook expects one there), then run stagecraft hooks install again`,
        },
      );
    }
    doc.setIn(path, doc.createNode({}));
  }
  doc.setIn([...ENTRY, 'run'], HOOK_SCRIPT);
  write(setup, doc, text);
  return {
    status: 'installed',
    changes: [{ file: setup.display(setup.file), action: 'updated' }],
    notes: [NOTE],
  };
}

export function uninstallLefthookHook(setup: HookSetup): HookOutcome {
  const { doc, text } = readConfig(setup);
  if (!doc.hasIn(ENTRY)) return { status: 'not-installed', changes: [], notes: [] };
  doc.deleteIn(ENTRY);
  for (let depth = ENTRY.length - 1; depth > 0; depth--) {
    const path = ENTRY.slice(0, depth);
    const node = doc.getIn(path, true);
    if (isMap(node) && node.items.length === 0) doc.deleteIn(path);
  }
  write(setup, doc, text);
  return {
    status: 'uninstalled',
    changes: [{ file: setup.display(setup.file), action: 'updated' }],
    notes: [],
  };
}

function readConfig(setup: HookSetup): { doc: Document; text: string } {
  const text = readOptional(setup.file) ?? '';
  const { documents, problems } = parseEditableYaml(text, setup.display(setup.file));
  const [problem] = problems;
  const [doc] = documents;
  if (problem || !doc) {
    throw new StagecraftError(
      HookCodes.HOOKS_CONFIG_INVALID,
      problem?.message ?? `${setup.display(setup.file)} holds no YAML document`,
      {
        location: problem?.location,
        hint: 'fix it (lefthook cannot read it either), then run the command again',
      },
    );
  }
  return { doc, text };
}

function write(setup: HookSetup, doc: Document, text: string): void {
  // Keep the file's own indentation, and never fold long lines the team wrote on one line.
  const indent = /^( +)\S/m.exec(text)?.[1]?.length ?? 2;
  writeFileSync(setup.file, doc.toString({ indent, lineWidth: 0 }));
}
