/** What `hooks install` and `hooks uninstall` did, as data: the CLI renders it, tests assert on it. */

export type HookManager = 'git' | 'husky' | 'lefthook' | 'simple-git-hooks';

export interface FileChange {
  /** Relative to the repository root when inside it. */
  file: string;
  action: 'created' | 'updated' | 'deleted' | 'moved' | 'restored';
  /** For `moved`: where it went; for `restored`: where it came from. */
  other?: string;
}

export interface HookOutcome {
  status: 'installed' | 'already-installed' | 'uninstalled' | 'not-installed';
  changes: FileChange[];
  /** What the user still has to do or know, e.g. re-run `npx simple-git-hooks`. */
  notes: string[];
}

export interface HookResult extends HookOutcome {
  manager: HookManager;
  root: string;
  /** The file that runs stagecraft: the hook script, or the manager's config or hook file. */
  file: string;
}

/** Where a manager's files are, found once per command. */
export interface HookSetup {
  manager: HookManager;
  root: string;
  /** Absolute path of the file stagecraft writes or edits. */
  file: string;
  /** Paths as the user should read them. */
  display(path: string): string;
}

/** For a stagecraft hook or entry that is there but not as this version would write it. */
export function modifiedNote(file: string): string {
  return `${file} differs from what this version of stagecraft writes (edited by hand, or written by an older version); --force rewrites it`;
}
