/** How `hooks install` and `hooks uninstall` report what they did. */
import { relative } from 'node:path';
import type { HookManager, HookResult } from '../hooks/hook-result.ts';
import type { Style } from '../terminal/style.ts';
import { markdownTable, type Report } from './output.ts';

const MANAGERS: Record<HookManager, string> = {
  git: 'plain git hooks',
  husky: 'husky',
  lefthook: 'lefthook',
  'simple-git-hooks': 'simple-git-hooks',
};

/** `root` (the repository's) is given relative to `from`, the workspace's folder: never a path of this machine. */
export function hookReport(result: HookResult, from: string): Report<HookResult> {
  return {
    data: { ...result, root: relative(from, result.root) || '.' },
    text: (s) =>
      [
        `${s.bold('hook manager:')} ${MANAGERS[result.manager]} (${result.file})`,
        ...result.changes.map((change) => `${s.green(change.action.padEnd(9))}${changeText(change)}`),
        statusLine(result, s),
        ...result.notes.map((note) => `${s.yellow('note:')} ${note}`),
      ].join('\n'),
    markdown: () =>
      [
        `${statusLine(result)} (${MANAGERS[result.manager]}: \`${result.file}\`)`,
        ...(result.changes.length
          ? [
              '',
              markdownTable(
                ['Change', 'File'],
                result.changes.map((change) => [change.action, changeText(change)]),
              ),
            ]
          : []),
        ...(result.notes.length ? ['', ...result.notes.map((note) => `- ${note}`)] : []),
      ].join('\n'),
  };
}

function changeText(change: HookResult['changes'][number]): string {
  if (change.action === 'moved') return `${change.file} → ${change.other}`;
  if (change.action === 'restored') return `${change.file} (from ${change.other})`;
  return change.file;
}

function statusLine(result: HookResult, s?: Style): string {
  const ok = s ? s.green('✓') : '✓';
  switch (result.status) {
    case 'installed':
      return `${ok} stagecraft pre-commit hook installed: each commit is scanned for secrets and .gitignore is checked`;
    case 'already-installed':
      return `${ok} stagecraft pre-commit hook already installed; nothing changed`;
    case 'uninstalled':
      return `${ok} stagecraft pre-commit hook removed`;
    case 'not-installed':
      return `${ok} no stagecraft pre-commit hook to remove; nothing changed`;
  }
}
