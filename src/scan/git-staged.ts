/**
 * What the next commit adds: the staged content of added, copied, modified and renamed files, with the
 * line numbers the commit adds. Findings are kept only on those lines, so a pre-commit hook never blocks on
 * a secret already committed (history scans report those).
 */
import { StagecraftError } from '../errors.ts';
import { readBlobs, repositoryRoot, runGit } from './git.ts';
import { isBinary } from './walk.ts';

const git = (cwd: string, args: string[]): string => runGit(cwd, args).toString('utf8');

export interface StagedFile {
  path: string;
  /** The staged blob, or undefined for a binary file. */
  text: string | undefined;
  bytes: number;
  /** 1-based line numbers the commit adds to the file. */
  addedLines: Set<number>;
}

export function stagedChanges(cwd: string): { root: string; files: StagedFile[] } {
  const root = repositoryRoot(cwd);
  const names = git(root, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR', '--no-renames'])
    .split('\0')
    .filter(Boolean);
  if (names.length === 0) return { root, files: [] };
  const added = addedLines(
    git(root, [
      'diff',
      '--cached',
      '-U0',
      '--no-color',
      '--diff-filter=ACMR',
      '--no-renames',
      '--no-ext-diff',
    ]),
  );
  const blobs = readBlobs(
    root,
    names.map((path) => `:${path}`),
  );
  const files = names.map((path, index) => {
    const blob = blobs[index];
    if (blob === undefined) {
      throw new StagecraftError('GIT_FAILED', `git cat-file could not read the staged ${path}`, {
        hint: 'check that the file is still staged (git status)',
      });
    }
    const binary = isBinary(blob);
    return {
      path,
      text: binary ? undefined : blob.toString('utf8'),
      bytes: blob.length,
      addedLines: added.get(path) ?? new Set<number>(),
    };
  });
  return { root, files };
}

/** Parses `git diff -U0` hunks (`@@ -a,b +c,d @@`) into the added line numbers of each file. */
export function addedLines(diff: string): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4);
      current = new Set();
      result.set(path.startsWith('b/') ? path.slice(2) : path, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return result;
}
