/**
 * yarn.lock, both kinds, each with yarn's own parser:
 * - v1 (yarn classic), with `@yarnpkg/lockfile`: entries keyed by every `name@range` that resolved to them.
 *   It says nothing of which are direct, so the package.json beside it at the same commit does.
 * - berry (yarn 2 and later, `__metadata:`), with `@yarnpkg/parsers` parseSyml: entries keyed by
 *   descriptors (`name@npm:^1.0.0`), with `resolution` naming the package; the workspaces are entries too
 *   (`name@workspace:.`), and their dependencies are the direct ones.
 */
import { createRequire } from 'node:module';
import {
  DEPENDENCY_SECTIONS,
  invalidLockfile,
  keysOf,
  type LockGraph,
  LockGraphBuilder,
  objectAt,
} from './lock-graph.ts';

const require = createRequire(import.meta.url);

interface YarnV1Parser {
  parse(
    text: string,
    file?: string,
  ): { type: 'success' | 'merge' | 'conflict'; object: Record<string, unknown> };
}

/** No line of a real yarn.lock is near this long; the v1 parser builds long strings a character at a time. */
const MAX_LINE = 64 * 1024;

/** Whether the yarn.lock is berry's (it starts its entries with `__metadata:`). */
export function isBerryLockfile(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    if (line !== '' && !line.startsWith('#')) return line.startsWith('__metadata:');
    if (end === -1) break;
    start = end + 1;
  }
  return false;
}

export function readYarnV1Lockfile(
  text: string,
  file: string,
  manifest?: Record<string, unknown>,
): LockGraph {
  checkLines(text, file);
  const { parse } = require('@yarnpkg/lockfile') as YarnV1Parser;
  let parsed: ReturnType<YarnV1Parser['parse']>;
  try {
    parsed = parse(text, file);
  } catch (error) {
    // The parser's messages end `LINE:COLUMN in FILE`.
    const message = error instanceof Error ? error.message : String(error);
    const position = / (\d+):(\d+) in /.exec(message);
    const reason = message
      .replace(/ \d+:\d+ in .*$/s, '')
      .replace(/\{.*\}/s, '')
      .trim();
    throw invalidLockfile(
      file,
      `yarn.lock is not valid: ${reason}`,
      position ? yarnLine(text, Number(position[1])) : undefined,
      error,
    );
  }
  if (parsed.type === 'conflict')
    throw invalidLockfile(file, 'yarn.lock has merge conflict markers that yarn cannot merge');
  const builder = new LockGraphBuilder('yarn-v1', file);
  for (const section of DEPENDENCY_SECTIONS)
    for (const name of keysOf(manifest?.[section])) builder.direct(name);
  for (const [key, value] of Object.entries(parsed.object)) {
    const entry = objectAt(value);
    const name = descriptorName(key);
    if (!entry || name === undefined || typeof entry['version'] !== 'string') continue;
    builder.add(name, entry['version']);
    for (const section of ['dependencies', 'optionalDependencies']) {
      for (const dependency of keysOf(entry[section])) builder.depend(name, dependency);
    }
  }
  return builder.build();
}

export function readYarnBerryLockfile(text: string, file: string): LockGraph {
  const { parseSyml } = require('@yarnpkg/parsers') as typeof import('@yarnpkg/parsers');
  let parsed: unknown;
  try {
    parsed = parseSyml(text);
  } catch (error) {
    if (error instanceof RangeError) {
      throw invalidLockfile(file, 'yarn.lock nests too deeply to be a lockfile', undefined, error);
    }
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw invalidLockfile(
      file,
      `yarn.lock is not valid: ${reason.replace(/ \(\d+:\d+\)$/, '')}`,
      typeof mark?.line === 'number' ? mark.line + 1 : undefined,
      error,
    );
  }
  const lock = objectAt(parsed);
  if (!lock || !objectAt(lock['__metadata']))
    throw invalidLockfile(file, 'yarn.lock has no __metadata section', 1);
  const builder = new LockGraphBuilder('yarn-berry', file);
  for (const [key, value] of Object.entries(lock)) {
    const entry = objectAt(value);
    if (key === '__metadata' || !entry) continue;
    const resolution =
      typeof entry['resolution'] === 'string' ? entry['resolution'] : key.split(',')[0]?.trim();
    const name = resolution === undefined ? undefined : descriptorName(resolution);
    if (name === undefined) continue;
    const workspace = resolution?.includes('@workspace:') === true;
    for (const section of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const dependency of keysOf(entry[section])) {
        if (workspace) builder.direct(dependency);
        else builder.depend(name, dependency);
      }
    }
    if (!workspace && typeof entry['version'] === 'string') builder.add(name, entry['version']);
  }
  return builder.build();
}

/** `name` of `name@range` or `@scope/name@npm:range`: up to the `@` that does not start a scope. */
function descriptorName(descriptor: string): string | undefined {
  const text = descriptor.replace(/^"|"$/g, '');
  const at = text.indexOf('@', 1);
  return at === -1 ? undefined : text.slice(0, at);
}

/**
 * The real line of a line number the v1 parser reports: its tokenizer takes `\n\n` for one line break (it
 * means to take `\r\n`), so after each blank line its count falls one further behind.
 */
function yarnLine(text: string, reported: number): number {
  let counted = 1;
  let actual = 1;
  for (let i = 0; i < text.length && counted < reported; ) {
    const char = text.charCodeAt(i);
    if (char !== 10 && char !== 13) {
      i++;
      continue;
    }
    const step = text.charCodeAt(i + 1) === 10 ? 2 : 1;
    for (let j = i; j < i + step; j++) if (text.charCodeAt(j) === 10) actual++;
    i += step;
    counted++;
  }
  return actual;
}

/**
 * Lines under MAX_LINE, and every quoted string closed on its own line (yarn writes none across lines): the
 * v1 parser reads an unclosed string to the end of the text and beyond, until memory runs out.
 */
function checkLines(text: string, file: string): void {
  let line = 1;
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    if (i === start) {
      // A comment line is skipped whole: its quotes are not strings.
      while (text.charCodeAt(i) === 32) i++;
      if (text.charCodeAt(i) === 35) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end;
      }
    }
    const char = i >= text.length ? 10 : text.charCodeAt(i);
    if (char === 10) {
      if (quoted)
        throw invalidLockfile(file, 'yarn.lock has a quoted string that is not closed on its line', line);
      if (i - start > MAX_LINE) {
        throw invalidLockfile(
          file,
          `yarn.lock has a line longer than ${MAX_LINE} characters; no real one does`,
          line,
        );
      }
      line++;
      start = i + 1;
    } else if (char === 34) quoted = !quoted;
    else if (char === 92 && quoted) i++;
  }
}
