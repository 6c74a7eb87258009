import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from './engine.ts';
import { applyInlineAllows } from './inline-allow.ts';
import { Gen, githubChecksum } from './rules/gen.ts';
import { builtinRules } from './rules/index.ts';

const engine = new ScanEngine(builtinRules);

function githubToken(seed: number): string {
  const random = new Gen(seed).alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

function scan(text: string) {
  return applyInlineAllows(text, engine.scan(text, 'x.py'));
}

test('stagecraft:allow on the line suppresses its findings', () => {
  const result = scan(`token = "${githubToken(1)}"  # stagecraft:allow\nother = "${githubToken(2)}"\n`);
  assert.deepEqual(
    result.kept.map((f) => f.line),
    [2],
  );
  assert.equal(result.suppressed.length, 1);
  assert.equal(result.suppressed[0]?.reason, '');
});

test('a directive alone on the line above covers the next line', () => {
  const result = scan(
    `# stagecraft:allow github-pat -- fixture for the parser tests\ntoken = "${githubToken(3)}"\n`,
  );
  assert.deepEqual(result.kept, []);
  assert.deepEqual(
    result.suppressed.map((s) => [s.by, s.reason]),
    [['inline', 'fixture for the parser tests']],
  );
});

test('a directive naming other rules does not silence this one', () => {
  const result = scan(`token = "${githubToken(4)}"  # stagecraft:allow generic-secret, jwt\n`);
  assert.deepEqual(
    result.kept.map((f) => f.rule),
    ['github-pat'],
  );
});

test('a directive at the end of the previous code line does not reach the next line', () => {
  const result = scan(`x = 1  # stagecraft:allow\ntoken = "${githubToken(5)}"\n`);
  assert.equal(result.kept.length, 1);
});
