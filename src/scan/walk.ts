/**
 * The files a working-tree scan reads: everything under the given paths except what .gitignore files
 * (at every level) exclude and the .git directory. Binary, oversized and undecodable files are skipped and
 * listed by name, never silently dropped; a path that cannot be read is an error, never "clean".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { gitignoreMatcher, type Ignore } from '../git/gitignore-matcher.ts';
import { type DecodedText, decodeText } from './decode-text.ts';
import { ScanCodes } from './errors.ts';
import { emptySkipped, recordSkip, type Skipped } from './skipped-files.ts';

export const DEFAULT_MAX_FILE_BYTES: number = 10 * 1024 * 1024;

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root, with `/` separators: what reports show. */
  display: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: Skipped;
}

interface IgnoreLevel {
  dir: string;
  matcher: Ignore;
}

/**
 * A path named explicitly is scanned even when .gitignore excludes it (what is inside it still follows the
 * .gitignore files below it); `honourIgnore: false` (`--no-ignore`) scans ignored files everywhere.
 */
export function walkPaths(
  root: string,
  paths: readonly string[],
  maxFileBytes: number = DEFAULT_MAX_FILE_BYTES,
  honourIgnore = true,
): WalkResult {
  const result: WalkResult = { files: [], skipped: emptySkipped() };
  for (const file of walkFiles(root, paths, result.skipped, maxFileBytes, honourIgnore))
    result.files.push(file);
  return result;
}

/**
 * The same files one by one, in the same order, so a scan can start on the first ones while the walk goes on
 * (on a large tree the walk alone is a second of system calls). Skips go into `skipped` as they are met.
 * Every given path is checked before the first file is yielded: a missing one fails the scan up front.
 */
export function* walkFiles(
  root: string,
  paths: readonly string[],
  skipped: Skipped,
  maxFileBytes: number = DEFAULT_MAX_FILE_BYTES,
  honourIgnore = true,
): Generator<WalkedFile, void, undefined> {
  const absolutes = paths.map((given) => {
    const absolute = resolve(root, given);
    if (!existsSync(absolute)) {
      throw new StagecraftError(ScanCodes.SCAN_PATH_NOT_FOUND, `${given} does not exist`, {
        hint: 'check the path; a scan that cannot read what it was asked to is an error, not a clean result',
      });
    }
    return absolute;
  });
  for (const absolute of absolutes) {
    const stat = statSync(absolute);
    if (stat.isFile()) {
      const file = walkedFile(skipped, absolute, root, stat.size, maxFileBytes);
      if (file) yield file;
      continue;
    }
    const ancestors = honourIgnore ? ancestorsIgnore(root, absolute) : [];
    // Named on the command line though its parents' .gitignore excludes it: those rules are set aside for it.
    const named = isIgnored(ancestors, absolute, true) ? [] : ancestors;
    yield* walkDirectory(absolute, root, named, skipped, maxFileBytes, honourIgnore);
  }
}

/** .gitignore files between the scan root and a starting folder apply to it too. */
function ancestorsIgnore(root: string, dir: string): IgnoreLevel[] {
  const levels: IgnoreLevel[] = [];
  const rel = relative(root, dir);
  // A folder outside the scan root (an absolute path elsewhere) starts its own .gitignore chain.
  if (rel.startsWith('..') || isAbsolute(rel)) return levels;
  const parts = rel.split(sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const level = join(root, ...parts.slice(0, i));
    if (level === dir) break;
    const matcher = readIgnore(level);
    if (matcher) levels.push({ dir: level, matcher });
  }
  return levels;
}

function readIgnore(dir: string): Ignore | undefined {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return undefined;
  return gitignoreMatcher().add(readFileSync(file, 'utf8'));
}

function isIgnored(levels: readonly IgnoreLevel[], path: string, isDirectory: boolean): boolean {
  for (const level of levels) {
    const rel = relative(level.dir, path).split(sep).join('/');
    if (rel && level.matcher.ignores(isDirectory ? `${rel}/` : rel)) return true;
  }
  return false;
}

function* walkDirectory(
  dir: string,
  root: string,
  parents: IgnoreLevel[],
  skipped: Skipped,
  maxFileBytes: number,
  honourIgnore: boolean,
): Generator<WalkedFile, void, undefined> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    skipped.unreadable.push(`${relative(root, dir) || '.'}: ${(error as NodeJS.ErrnoException).code}`);
    return;
  }
  // The listing says whether there is a .gitignore: no extra system call per folder to look for one.
  const own =
    honourIgnore && entries.some((entry) => entry.name === '.gitignore') ? readIgnore(dir) : undefined;
  const levels = own ? [...parents, { dir, matcher: own }] : parents;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name === '.git' && entry.isDirectory()) continue;
    if (entry.isDirectory()) {
      if (isIgnored(levels, path, true)) {
        skipped.ignored++;
        continue;
      }
      yield* walkDirectory(path, root, levels, skipped, maxFileBytes, honourIgnore);
    } else if (entry.isFile()) {
      if (isIgnored(levels, path, false)) {
        skipped.ignored++;
        continue;
      }
      const file = walkedFile(skipped, path, root, statSync(path).size, maxFileBytes);
      if (file) yield file;
    }
    // Symbolic links are not followed: they may lead out of the tree or loop; their targets are scanned where they live.
  }
}

function walkedFile(
  skipped: Skipped,
  path: string,
  root: string,
  size: number,
  maxFileBytes: number,
): WalkedFile | undefined {
  const display = relative(root, path).split(sep).join('/') || path;
  if (size > maxFileBytes) {
    recordSkip(skipped, { file: display, reason: 'oversized', bytes: size, limit: maxFileBytes });
    return undefined;
  }
  return { path, display, size };
}

/** A file's text, or why it is not scanned (binary, or an encoding that does not decode). */
export function readTextFile(path: string): DecodedText {
  return decodeText(readFileSync(path));
}
