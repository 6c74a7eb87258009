import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseYamlDocuments as readYamlStream, YamlCodes } from '@stagecraft/config/yaml';
import { Gen } from '../scan/rules/gen.ts';
import { EXAMPLE_SHOP } from '../test-support/cli.ts';
import { KubernetesCodes } from './errors.ts';
import { readManifestStream as parseYamlDocuments } from './manifests.ts';
import { readPlainYamlStream } from './plain-yaml-stream.ts';

/** What yaml's lane makes of the text: the values, or the error's code, message and location. */
function viaYaml(text: string): unknown {
  try {
    return { values: readYamlStream(text, 'in.yaml', YamlCodes.YAML_SYNTAX) };
  } catch (error) {
    const { code, message, location } = error as { code: string; message: string; location: unknown };
    return { code, message, location };
  }
}

const shopManifests = ['dev', 'staging', 'production'].flatMap((env) => {
  const dir = join(EXAMPLE_SHOP, 'deploy', env);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
});

/** Plain data written every way YAML allows: each must take the fast lane and read as yaml reads it. */
const PLAIN = [
  'a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 012\ng: 1_000\nh: 0b101\n',
  'a: 1.5\nb: .5\nc: 1e3\nd: -1.2E-3\ne: .inf\nf: -.Inf\ng: .NaN\nh: 1.\ni: -0\nj: 123456789012345678901234567890\n',
  'a: 1e999\nb: -1e999\nc: 0.0\nd: -0.0\ne: +.inf\nf: -.nan\ng: 1e\nh: .\ni: 0o8\nj: 0xg\nk: -0x1\nl: +0o7\nm: 1__0\n',
  'a: ~\nb: null\nc: Null\nd: NULL\ne: nUll\nf:\ng: true\nh: False\ni: TRUE\nj: yes\nk: on\nl: tRue\n',
  "a: \"1\"\nb: 'true'\nc: \"esc \\\" \\\\ \\/ \\n \\t \\x41 \\u263A \\N \\_\"\nd: 'it''s'\n",
  'a: "multi\n  line\n\n  quoted"\nb: plain\n  continued\n  # not a comment\nc: \'single\n\n  quoted\'\n',
  'a: |\n  one\n\n    indented\n  last\nb: |-\n  strip\n\nc: |+\n  keep\n\nd: >\n  folded\n  text\n\n  para\ne: >-\n  x\n  y\n',
  'k: |\n  two\n     \n  three\nl: >\n  two\n    \nm: |-\n  two\n   \nn: 1\n',
  'list: [a, b, ]\nmap: {a: , b: c, d}\nnested: [{x: [1, {y: z}]}, [[]], {}]\nempty: []\n',
  'url: http://x.y/z?a=b#frag\ntime: 12:30:45\nver: 1.2.3\ndate: 2026-01-01\nm: plain:colon\nn: a #comment\no: a#b\n',
  '~: null key\n1: one\n2.5: float key\ntrue: bool key\n"quoted key": 1\n\'s\': 2\n__proto__: {x: 1}\nconstructor: c\n',
  'a: [{: 3}]\nb: {: 4}\nc: {? : 5}\n',
  '- a\n-   b\n- - c\n  - d\n- k: v\n  j: w\n-\n- - - deep\n',
  '--- # first\nkind: A\n---\nkind: B\n--- scalar doc\n---\n---\n- list doc\n',
  'a:\r\n  b: 1\r\n  c: "d"\r\n',
  '# only a comment\n',
  '',
  'key with spaces: v\nunicode é: ☺\nlong: "' + 'x'.repeat(5000) + '"\n',
];

test('rendered manifests take the fast lane and read exactly as yaml reads them', () => {
  assert.ok(shopManifests.length >= 15);
  for (const text of shopManifests) {
    const values = readPlainYamlStream(text);
    assert.ok(values, `fast lane refused:\n${text}`);
    assert.deepEqual({ values }, viaYaml(text));
  }
});

test('plain data of every scalar, quoting, block and flow form reads as yaml reads it', () => {
  for (const text of PLAIN) {
    const values = readPlainYamlStream(text);
    assert.ok(values, `fast lane refused: ${JSON.stringify(text)}`);
    assert.deepEqual({ values }, viaYaml(text), JSON.stringify(text));
  }
  // Keys as yaml makes them: null is '', __proto__ an own property, never the prototype.
  const [doc] = readPlainYamlStream(PLAIN.find((text) => text.startsWith('~:')) as string) as [
    Record<string, unknown>,
  ];
  assert.equal(doc[''], 'null key');
  assert.equal(Object.getPrototypeOf(doc), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value, { x: 1 });
});

test('anything beyond plain data, and every error, is left to yaml, with its limits and wording', () => {
  const needsYaml = [
    'a: &x 1\nb: *x\n',
    'base: &b {x: 1}\nc: {<<: *b, y: 2}\n',
    'c: {<<: {x: 1}, y: 2}\n',
    'a: !!str 3\n',
    'a: !Ref x\n',
    'a: !!binary aGVsbG8=\n',
    '%YAML 1.1\n---\na: yes\n',
    'a: 1\n\tb: 2\n',
    'a: 1\rb: 2\n',
    '\ufeffa: 1\n',
    'a: "\\U0001F600 \\U00110000"\n',
    '...\na: 1\n',
    '   ---\n- a\n',
    '? [a, b]\n: c\n',
    'b:\n: - x\n',
    'k: |2-\n    two\n   \nm: 1\n',
    'a: 1\na: 2\n',
    '1: a\n"1": b\n',
    '[1, 2\n',
    'a: b: c\n',
    `extra: ${'['.repeat(257)}${']'.repeat(257)}\n`,
  ];
  for (const text of needsYaml) {
    assert.equal(readPlainYamlStream(text), undefined, JSON.stringify(text));
    let outcome: unknown;
    try {
      outcome = { values: parseYamlDocuments(text, 'in.yaml') };
    } catch (error) {
      const { code, message, location } = error as { code: string; message: string; location: unknown };
      outcome = { code, message, location };
    }
    assert.deepEqual(outcome, viaYaml(text), JSON.stringify(text));
  }
  assert.throws(() => parseYamlDocuments('a: 1\na: 2\n', 'in.yaml', KubernetesCodes.MANIFEST_INVALID), {
    code: 'MANIFEST_INVALID',
    message: 'YAML syntax error: Map keys must be unique',
    location: { file: 'in.yaml', line: 2, column: 1 },
  });
  assert.throws(
    () => parseYamlDocuments(needsYaml.at(-1) as string, 'in.yaml'),
    (error: { code: string; location: { line: number } }) =>
      error.code === 'INPUT_TOO_DEEP' && error.location.line === 1,
  );
});

/** Small edits of the kind a hand or a broken template makes: characters and lines added, lost, moved. */
const PIECES = [' ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '?', '|', '>'];
const MORE_PIECES = [
  '\\',
  '0',
  '.',
  '~',
  'null',
  '1e',
  '0x',
  '---\n',
  '\r\n',
  '\ufeff',
  'é',
  '\u2028',
  '\x85',
];

function mutate(text: string, gen: Gen): string {
  let out = text;
  for (let edits = gen.int(1, 3); edits > 0; edits--) {
    const at = gen.int(0, out.length);
    const lines = out.split('\n');
    const line = gen.int(0, lines.length - 1);
    switch (gen.int(0, 5)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + gen.int(1, 3));
        break;
      case 1:
        out = out.slice(0, at) + gen.pick([...PIECES, ...MORE_PIECES]) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + gen.pick(PIECES) + out.slice(at + 1);
        break;
      case 3:
        lines.splice(line, 0, lines[gen.int(0, lines.length - 1)] as string);
        out = lines.join('\n');
        break;
      case 4:
        lines[line] = gen.int(0, 1)
          ? ' '.repeat(gen.int(1, 3)) + lines[line]
          : (lines[line] as string).replace(/^ {1,2}/, '');
        out = lines.join('\n');
        break;
      default:
        lines.splice(line, 1);
        out = lines.join('\n');
    }
  }
  return out;
}

test('mutated manifests: whenever the fast lane answers, yaml reads the same values', () => {
  const gen = new Gen(20261205);
  const sources = [...shopManifests, ...PLAIN.filter((text) => text.length < 1000)];
  let answered = 0;
  for (let i = 0; i < 3000; i++) {
    const text = mutate(gen.pick(sources), gen);
    const values = readPlainYamlStream(text);
    if (values === undefined) continue;
    answered++;
    assert.deepEqual({ values }, viaYaml(text), `case ${i}: ${JSON.stringify(text)}`);
  }
  // Most edits still parse, or the comparison would prove little.
  assert.ok(answered > 1000, `only ${answered} of 3000 mutated inputs took the fast lane`);
});
