/**
 * A `.env` parser that remembers where each key is written, so config problems can name `.env:line`.
 *
 * It reproduces what `dotenv.parse` returns for every document, quirks included, because the same file must
 * mean the same thing whether an app loads it with dotenv or with us. dotenv (v18, default parser) runs one
 * multiline, global regular expression over the text; this is a hand-written scanner for the first match that
 * expression's backtracking would find, in linear time. Its observable rules:
 *
 * - CRLF and lone CR become LF first; `^`/`$` also see U+2028 and U+2029 as line breaks.
 * - An assignment is `[export<ws>]KEY<ws>=` or `KEY:<ws>` with KEY made of `[A-Za-z0-9_.-]`. The whitespace
 *   may include line breaks, so `KEY` and `=` can sit on different lines; other lines are skipped.
 * - A quoted value (', " or `, possibly starting on the next line) runs to a closing quote that only
 *   whitespace, a `#` comment or a line break follows; a backslash before a quote makes that quote a later
 *   choice. Otherwise the value runs to the first `#` or LF, whitespace trimmed.
 * - Matching outer quotes are removed; a value that started with `"` then has `\n` and `\r` expanded (only
 *   those two; `\\n` becomes a backslash and a line break).
 * - Duplicates: the last one wins.
 */

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line of the key, counting CRLF, CR and LF as line breaks (U+2028 is not one for editors). */
  line: number;
}

const LF = 0x0a;
const SPACE_CHAR = 0x20;
const HASH = 0x23;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const COLON = 0x3a;

/** The whitespace of a JavaScript regular expression's `\s`, which is also what `String#trim` removes. */
function isSpace(code: number): boolean {
  if (code <= SPACE_CHAR) return code === SPACE_CHAR || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Where a multiline regex's `^` and `$` match (CR has been normalised away by then). */
function isLineBreak(code: number): boolean {
  return code === LF || code === 0x2028 || code === 0x2029;
}

function isKeyChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x2d // -
  );
}

function quoteKind(code: number): number {
  return code === SINGLE_QUOTE ? 0 : code === DOUBLE_QUOTE ? 1 : code === BACKTICK ? 2 : -1;
}

function skipSpace(src: string, from: number): number {
  let i = from;
  while (i < src.length && isSpace(src.charCodeAt(i))) i++;
  return i;
}

/** The first position at or after `from` where a line begins, or the end of the text. */
function lineStartFrom(src: string, from: number): number {
  if (from === 0 || isLineBreak(src.charCodeAt(from - 1))) return from;
  for (let i = from; i < src.length; i++) if (isLineBreak(src.charCodeAt(i))) return i + 1;
  return src.length;
}

/** Whether what follows a closing quote lets the line end there: blanks, then a line break, `#` or the end. */
function canEndAfter(src: string, from: number): boolean {
  let i = from;
  while (i < src.length) {
    const code = src.charCodeAt(i);
    if (isLineBreak(code) || code === HASH) return true;
    if (!isSpace(code)) return false;
    i++;
  }
  return true;
}

/**
 * Where dotenv's match ends after the value: it swallows following whitespace (blank lines too) and one
 * comment, then stops at a line end. The next assignment is looked for from the following line.
 */
function endOfTrailer(src: string, from: number): number {
  const next = skipSpace(src, from);
  if (next === src.length) return next;
  if (src.charCodeAt(next) === HASH) {
    let i = next;
    while (i < src.length && !isLineBreak(src.charCodeAt(i))) i++;
    return i;
  }
  // Callers only come here when a line break lies between `from` and the next word.
  let i = next - 1;
  while (i > from && !isLineBreak(src.charCodeAt(i))) i--;
  return i;
}

/**
 * The closing quote of a value opened at `open`, or -1. dotenv takes the first unescaped quote if the line
 * can end after it; failing that, it backtracks through the escaped quotes before it, last first.
 */
function findClosingQuote(src: string, open: number): number {
  const quote = src[open] as string;
  const escaped: number[] = [];
  let first = -1;
  for (let i = src.indexOf(quote, open + 1); i !== -1; i = src.indexOf(quote, i + 1)) {
    if (src.charCodeAt(i - 1) !== BACKSLASH) {
      first = i;
      break;
    }
    escaped.push(i);
  }
  if (first !== -1 && canEndAfter(src, first + 1)) return first;
  for (let j = escaped.length - 1; j >= 0; j--) {
    const candidate = escaped[j] as number;
    if (canEndAfter(src, candidate + 1)) return candidate;
  }
  return -1;
}

interface RawValue {
  raw: string;
  end: number;
}

/** The value text starting right after the separator, before trimming and unquoting. */
function scanValue(src: string, start: number): RawValue {
  const open = skipSpace(src, start);
  if (quoteKind(src.charCodeAt(open)) !== -1) {
    const close = findClosingQuote(src, open);
    if (close !== -1) return { raw: src.slice(start, close + 1), end: endOfTrailer(src, close + 1) };
  }
  let stop = start;
  while (stop < src.length) {
    const code = src.charCodeAt(stop);
    if (code === HASH || code === LF) break;
    stop++;
  }
  return { raw: src.slice(start, stop), end: endOfTrailer(src, stop) };
}

interface RawAssignment {
  keyStart: number;
  key: string;
  raw: string;
  end: number;
}

function scanAssignment(src: string, keyStart: number): RawAssignment | undefined {
  let keyEnd = keyStart;
  while (keyEnd < src.length && isKeyChar(src.charCodeAt(keyEnd))) keyEnd++;
  if (keyEnd === keyStart) return undefined;
  const equals = skipSpace(src, keyEnd);
  let valueStart: number;
  if (src.charCodeAt(equals) === EQUALS) valueStart = equals + 1;
  else if (src.charCodeAt(keyEnd) === COLON && isSpace(src.charCodeAt(keyEnd + 1))) valueStart = keyEnd + 2;
  else return undefined;
  const { raw, end } = scanValue(src, valueStart);
  return { keyStart, key: src.slice(keyStart, keyEnd), raw, end };
}

function scanLine(src: string, word: number): RawAssignment | undefined {
  // `export` is optional: `export = 1` and `export: 1` assign the key "export".
  if (src.startsWith('export', word) && isSpace(src.charCodeAt(word + 6))) {
    const exported = scanAssignment(src, skipSpace(src, word + 6));
    if (exported) return exported;
  }
  return scanAssignment(src, word);
}

/**
 * Removes a quote that opens a line of the value together with the last same quote that ends a line
 * (dotenv does this with a multiline global replace, so a value spanning lines can lose several pairs).
 */
function stripQuotes(value: string): string {
  // Per quote kind (', ", `), the last one that ends a line: the greedy `[\s\S]*` backtracks to it.
  const lastClosing = [-1, -1, -1];
  let any = false;
  for (let i = 0; i < value.length; i++) {
    const kind = quoteKind(value.charCodeAt(i));
    if (kind !== -1 && (i + 1 === value.length || isLineBreak(value.charCodeAt(i + 1)))) {
      lastClosing[kind] = i;
      any = true;
    }
  }
  if (!any) return value;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < value.length) {
    const kind = quoteKind(value.charCodeAt(i));
    const close = kind === -1 ? -1 : (lastClosing[kind] as number);
    if (close > i) {
      out += value.slice(copied, i) + value.slice(i + 1, close);
      copied = close + 1;
      i = close + 1;
    }
    while (i < value.length && !isLineBreak(value.charCodeAt(i))) i++;
    i++;
  }
  return out + value.slice(copied);
}

function cookValue(raw: string): string {
  const trimmed = raw.trim();
  const unquoted = stripQuotes(trimmed);
  // dotenv decides by the first character even when no closing quote was removed, and expands nothing else.
  if (trimmed.charCodeAt(0) !== DOUBLE_QUOTE || !unquoted.includes('\\')) return unquoted;
  return unquoted.replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

/**
 * Every assignment in document order, duplicates included.
 *
 * @example
 * parseDotenv('# db\nHOST=localhost\nexport PORT="5432" # default\n')
 * // → [{ key: 'HOST', value: 'localhost', line: 2 }, { key: 'PORT', value: '5432', line: 3 }]
 */
export function parseDotenv(text: string): DotenvEntry[] {
  const src = text.replaceAll('\r\n', '\n').replaceAll('\r', '\n');
  const entries: DotenvEntry[] = [];
  let line = 1;
  let counted = 0;
  let pos = 0;
  while (pos < src.length) {
    const word = skipSpace(src, pos);
    const assignment = scanLine(src, word);
    if (!assignment) {
      // Lines between `pos` and `word` are blank, so starting from any of them would find the same word.
      pos = lineStartFrom(src, word + 1);
      continue;
    }
    for (
      let i = src.indexOf('\n', counted);
      i !== -1 && i < assignment.keyStart;
      i = src.indexOf('\n', i + 1)
    ) {
      line++;
    }
    counted = assignment.keyStart;
    entries.push({ key: assignment.key, value: cookValue(assignment.raw), line });
    pos = lineStartFrom(src, assignment.end);
  }
  return entries;
}

/**
 * The entries as `dotenv.parse` would return them (same duplicate rule), each with the line of the entry
 * that won. Keys keep the order of their first appearance.
 *
 * @example
 * dotenvRecord(parseDotenv('A=1\nA=2')).get('A') // → { key: 'A', value: '2', line: 2 }
 */
export function dotenvRecord(entries: readonly DotenvEntry[]): Map<string, DotenvEntry> {
  const record = new Map<string, DotenvEntry>();
  for (const entry of entries) {
    // dotenv assigns into a plain object, where `__proto__` is the prototype setter and ignores a string.
    if (entry.key === '__proto__') continue;
    record.set(entry.key, entry);
  }
  return record;
}
