import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import dotenv from 'dotenv';
import { dotenvRecord, parseDotenv } from './dotenv-parse.ts';

type Triple = [key: string, value: string, line: number];

function recordOf(text: string): Record<string, string> {
  return Object.fromEntries([...dotenvRecord(parseDotenv(text))].map(([key, entry]) => [key, entry.value]));
}

/** Key, value and line of every entry, after checking the winners agree with dotenv itself. */
function entriesOf(text: string): Triple[] {
  assert.deepEqual(recordOf(text), dotenv.parse(text), `disagrees with dotenv on ${JSON.stringify(text)}`);
  return parseDotenv(text).map((entry) => [entry.key, entry.value, entry.line]);
}

test('reads plain assignments with the line of each key', () => {
  assert.deepEqual(entriesOf('A=hello\nB=world\n\nC=3\n'), [
    ['A', 'hello', 1],
    ['B', 'world', 2],
    ['C', '3', 4],
  ]);
});

test('removes matching single, double and backtick quotes', () => {
  assert.deepEqual(entriesOf(`A='hello world'\nB="hello world"\nC=\`hello world\`\nD="it's"\nE='say "hi"'`), [
    ['A', 'hello world', 1],
    ['B', 'hello world', 2],
    ['C', 'hello world', 3],
    ['D', "it's", 4],
    ['E', 'say "hi"', 5],
  ]);
});

test('expands \\n and \\r only in values that start with a double quote', () => {
  assert.deepEqual(entriesOf('A="a\\nb\\rc\\td\\\\n"\nB=\'a\\nb\'\nC=`a\\nb`\nD=a\\nb\nE="a\\nb'), [
    ['A', 'a\nb\rc\\td\\\n', 1],
    ['B', 'a\\nb', 2],
    ['C', 'a\\nb', 3],
    ['D', 'a\\nb', 4],
    // No closing quote: the quote stays, yet the escapes are still expanded.
    ['E', '"a\nb', 5],
  ]);
});

test('keeps backslash-escaped quotes inside quoted values as written', () => {
  assert.deepEqual(entriesOf('A="say \\"hi\\""\nB=\'it\\\'s\'\nC="a\nb\\"\nc" d\nD="a\\"\nb\\"\nc" d'), [
    ['A', 'say \\"hi\\"', 1],
    ['B', "it\\'s", 2],
    // When text follows the first unescaped quote, dotenv backtracks to the last escaped quote that can end
    // the line, even though the value then spans lines.
    ['C', 'a\nb\\', 3],
    ['D', 'a\\"\nb\\', 6],
  ]);
});

test('ends lines at U+2028 the way dotenv does, without counting it as a line', () => {
  assert.deepEqual(entriesOf("A='x'\u2028B=1\nC=y\u2028D=2\nE='a' x'\u2028\"b\""), [
    ['A', 'x', 1],
    ['B', '1', 1],
    // An unquoted value runs to LF or #, so it swallows the "line" after U+2028,
    ['C', 'y\u2028D=2', 2],
    // and loses a pair of quotes on each of its lines.
    ['E', "a' x\u2028b", 3],
  ]);
});

test('keeps multi-line quoted values and reports the line where the key is written', () => {
  assert.deepEqual(entriesOf('A="line one\nline two"\nB=\'x\n\ny\'\nC=`p\nq`\nD=after'), [
    ['A', 'line one\nline two', 1],
    ['B', 'x\n\ny', 3],
    ['C', 'p\nq', 6],
    ['D', 'after', 8],
  ]);
});

test('accepts an export prefix and still reads a key named export', () => {
  assert.deepEqual(entriesOf('export A=1\nexport\tB = 2\nexport = 3\nexport C\nexports=4\nexport\n  F=5'), [
    ['A', '1', 1],
    ['B', '2', 2],
    ['export', '3', 3],
    ['exports', '4', 5],
    ['F', '5', 7],
  ]);
});

test('drops comments but keeps # inside quotes', () => {
  assert.deepEqual(entriesOf('# full line\n  # indented\nA=b # c\nB=a#b\nC="a#b" # c\nD=\'x # y\'#z\nE=#c'), [
    ['A', 'b', 3],
    // Unlike shells, dotenv ends an unquoted value at any #, with or without a space before it.
    ['B', 'a', 4],
    ['C', 'a#b', 5],
    ['D', 'x # y', 6],
    ['E', '', 7],
  ]);
});

test('treats CRLF and lone CR as line breaks', () => {
  assert.deepEqual(entriesOf('A=1\r\nB=2\rC="x\r\ny"\r\rD=4\r\n'), [
    ['A', '1', 1],
    ['B', '2', 2],
    ['C', 'x\ny', 3],
    ['D', '4', 6],
  ]);
});

test('reads empty values', () => {
  assert.deepEqual(entriesOf('A=\nB=\'\'\nC=""\nD= # nothing\nE=\t\nF: '), [
    ['A', '', 1],
    ['B', '', 2],
    ['C', '', 3],
    ['D', '', 4],
    ['E', '', 5],
    ['F', '', 6],
  ]);
});

test('trims whitespace around keys and values', () => {
  assert.deepEqual(entriesOf("  A  =  hello world  \n\tB\t=\t' padded '\t\nC=\u00a0x\u00a0\n\u3000D=y"), [
    ['A', 'hello world', 1],
    ['B', ' padded ', 2],
    ['C', 'x', 3],
    ['D', 'y', 4],
  ]);
});

test('accepts letters, digits, underscores, dots and dashes in keys', () => {
  assert.deepEqual(entriesOf('db.host=x\nmy-key=y\n9lives=z\n_a.b-c=w\nké=1\nA B=2'), [
    ['db.host', 'x', 1],
    ['my-key', 'y', 2],
    ['9lives', 'z', 3],
    ['_a.b-c', 'w', 4],
  ]);
});

test('ignores lines that are not assignments', () => {
  assert.deepEqual(entriesOf('just words\n=value\n"A"=1\nA\n[section]\nB=ok'), [['B', 'ok', 6]]);
});

test('accepts KEY: value only with whitespace after the colon', () => {
  assert.deepEqual(entriesOf('A: hello\nB:\tworld\nC:nope\nD : nope\nE:  "a#b"'), [
    ['A', 'hello', 1],
    ['B', 'world', 2],
    ['E', 'a#b', 5],
  ]);
});

test('lets the last duplicate win and keeps the line of the winner', () => {
  const text = 'A=first\nB=only\nA=second\n';
  assert.deepEqual(entriesOf(text), [
    ['A', 'first', 1],
    ['B', 'only', 2],
    ['A', 'second', 3],
  ]);
  const record = dotenvRecord(parseDotenv(text));
  assert.deepEqual(record.get('A'), { key: 'A', value: 'second', line: 3 });
  assert.deepEqual([...record.keys()], ['A', 'B']);
});

test('follows dotenv where whitespace between key, separator and value spans lines', () => {
  assert.deepEqual(entriesOf('A\n=b\nC=\n"on the next line"\nD:\nE=f\nG=\nH=i'), [
    ['A', 'b', 1],
    ['C', 'on the next line', 3],
    ['D', 'E=f', 5],
    ['G', '', 7],
    ['H', 'i', 8],
  ]);
});

test('keeps a value whose quote never closes as written', () => {
  assert.deepEqual(entriesOf('A="hello\nB=\'x\nC=`y\nD="a" b'), [
    ['A', '"hello', 1],
    ['B', "'x", 2],
    ['C', '`y', 3],
    ['D', '"a" b', 4],
  ]);
});

test('lists __proto__ as an entry but leaves it out of the record, as dotenv drops it', () => {
  const entries = parseDotenv('__proto__=x\nA=1');
  assert.deepEqual(
    entries.map((entry) => entry.key),
    ['__proto__', 'A'],
  );
  assert.deepEqual([...dotenvRecord(entries).keys()], ['A']);
  assert.deepEqual(recordOf('__proto__=x\nA=1'), dotenv.parse('__proto__=x\nA=1'));
});

// --- differential tests against dotenv.parse -------------------------------------------------------------

type Rng = () => number;

/** mulberry32: tiny, seedable and good enough to spread documents over the grammar. */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function repeat(rng: Rng, max: number, make: () => string): string {
  let out = '';
  const count = Math.floor(rng() * (max + 1));
  for (let i = 0; i < count; i++) out += make();
  return out;
}

const KEYS = ['A', 'B', 'KEY', 'db.host', 'my-key', '_under', '9lives', 'a.b-c', 'export', 'exports', 'A1'];
const BLANKS = ['', '', ' ', '  ', '\t', ' \t ', '\u00a0', '\u3000'];
const SEPARATORS = ['=', '=', ' = ', '\t=\t', '=  ', ' =', ': ', ':\t', ':', ' :', '= ', ':  '];
const LINE_BREAKS = ['\n', '\n', '\n', '\r\n', '\r\n', '\r'];
const QUOTES = ['"', "'", '`'];
const WORDS = [
  'hello',
  'hello world',
  'a=b',
  '==',
  'a#b',
  ' # c',
  '#',
  'é',
  'ünï',
  '日本',
  '🙂',
  '\\',
  '\\n',
  '\\r',
  '\\t',
  '\\\\n',
  '"',
  "'",
  '`',
  '\\"',
  "\\'",
  '\\`',
  'export',
  ':',
  ' ',
  '\t',
  '${A}',
  '\u2028',
  '\u00a0',
];

function word(rng: Rng): string {
  return rng() < 0.85 ? pick(rng, WORDS) : pick(rng, QUOTES) + pick(rng, WORDS) + pick(rng, QUOTES);
}

function value(rng: Rng): string {
  const quote = pick(rng, QUOTES);
  const body = (): string => repeat(rng, 4, () => (rng() < 0.15 ? pick(rng, LINE_BREAKS) : word(rng)));
  switch (Math.floor(rng() * 6)) {
    case 0:
      return '';
    case 1:
      return repeat(rng, 4, () => word(rng));
    case 2:
      return pick(rng, BLANKS) + quote + body() + quote;
    case 3:
      return quote + body(); // never closed
    case 4:
      return quote + body() + quote + pick(rng, BLANKS) + word(rng); // text after the closing quote
    default:
      return quote + body() + quote;
  }
}

function line(rng: Rng): string {
  const blank = (): string => pick(rng, BLANKS);
  switch (Math.floor(rng() * 10)) {
    case 0:
      return blank();
    case 1:
      return blank() + '#' + repeat(rng, 3, () => word(rng));
    case 2:
      return repeat(rng, 3, () => word(rng)); // text without an assignment, most of the time
    case 3:
      return pick(rng, ['export', 'export ', 'export KEY', 'export\t', 'export  A']);
    case 4:
      return repeat(rng, 6, () => pick(rng, ['A', '=', '"', "'", '#', '\\', ' ', 'export', ':', '.']));
    default: {
      const exported = rng() < 0.25 ? 'export' + pick(rng, [' ', '\t', '  ', '\n']) : '';
      const comment = rng() < 0.3 ? blank() + '#' + repeat(rng, 2, () => word(rng)) : '';
      return blank() + exported + pick(rng, KEYS) + pick(rng, SEPARATORS) + value(rng) + blank() + comment;
    }
  }
}

function grammarDocument(rng: Rng): string {
  let doc = '';
  const lines = 1 + Math.floor(rng() * 8);
  for (let i = 0; i < lines; i++) doc += (i > 0 ? pick(rng, LINE_BREAKS) : '') + line(rng);
  return rng() < 0.5 ? doc + pick(rng, LINE_BREAKS) : doc;
}

const ALPHABET = [
  'A',
  'B',
  '=',
  '"',
  "'",
  '`',
  '#',
  '\\',
  ' ',
  '\n',
  '\r',
  '\t',
  'export',
  ':',
  '.',
  '-',
  'n',
];
const RARE = ['é', '\u2028', '\u00a0', 'r'];

function randomDocument(rng: Rng): string {
  return repeat(rng, 40, () => (rng() < 0.05 ? pick(rng, RARE) : pick(rng, ALPHABET)));
}

/** The document split the way entry lines are counted: CRLF, CR and LF. */
function sourceLines(text: string): string[] {
  return text.replaceAll('\r\n', '\n').replaceAll('\r', '\n').split('\n');
}

function checkAgainstDotenv(label: string, doc: string): void {
  const entries = parseDotenv(doc);
  const ours = Object.fromEntries([...dotenvRecord(entries)].map(([key, entry]) => [key, entry.value]));
  const theirs = dotenv.parse(doc);
  if (!isDeepStrictEqual(ours, theirs)) {
    assert.fail(
      `${label} disagrees with dotenv\ndocument: ${JSON.stringify(doc)}\n` +
        `ours:     ${JSON.stringify(ours)}\ndotenv:   ${JSON.stringify(theirs)}`,
    );
  }
  const lines = sourceLines(doc);
  for (const entry of entries) {
    if (!lines[entry.line - 1]?.includes(entry.key)) {
      assert.fail(`${label}: key ${entry.key} is not on line ${entry.line} of ${JSON.stringify(doc)}`);
    }
  }
}

const GRAMMAR_DOCUMENTS = 10_000;
const RANDOM_DOCUMENTS = 20_000;
const RANDOM_SEED_BASE = 0x5eed0000;

test(`agrees with dotenv.parse on ${GRAMMAR_DOCUMENTS} generated documents`, () => {
  for (let seed = 1; seed <= GRAMMAR_DOCUMENTS; seed++) {
    checkAgainstDotenv(`seed ${seed}`, grammarDocument(mulberry32(seed)));
  }
});

test(`agrees with dotenv.parse on ${RANDOM_DOCUMENTS} documents of random characters`, () => {
  for (let seed = 1; seed <= RANDOM_DOCUMENTS; seed++) {
    checkAgainstDotenv(
      `random seed ${RANDOM_SEED_BASE + seed}`,
      randomDocument(mulberry32(RANDOM_SEED_BASE + seed)),
    );
  }
});

// Quadratic scanning of these 1.5 MB would take minutes; the timeout turns that into a failure.
test('parses adversarial documents in linear time and still agrees with dotenv on them', {
  timeout: 30_000,
}, () => {
  const lines = 50_000;
  const documents = [
    'A="' + '\\"x\n'.repeat(lines), // an unclosed quote with many escaped candidates
    "A='\n".repeat(lines), // every value opens a quote the next line closes
    'K\n'.repeat(lines), // keys waiting for an = that never comes
    'export '.repeat(lines) + '\nA=1',
    'A=' + ' '.repeat(lines * 4) + 'x',
    'A="\\n'.repeat(lines),
  ];
  documents.forEach((doc, index) => {
    checkAgainstDotenv(`adversarial document ${index}`, doc);
  });
  assert.equal(parseDotenv(documents[1] as string).length, lines / 2);
});
