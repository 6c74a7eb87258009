/** The bounded YAML parser: repeated keys are refused wherever a map has them (the time bound is in document.integration.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlSource } from './document.ts';

test('repeated keys are found in flow maps and nested maps, scalars compared by value', () => {
  const problems = (text: string) => parseYamlSource(text, 'f.yaml').syntaxProblems.map((p) => p.location);
  assert.deepEqual(problems('a: {x: 1, "x": 2}\n'), [{ file: 'f.yaml', line: 1, column: 11 }]);
  assert.deepEqual(problems('a:\n  b: 1\n  c:\n    d: 1\n    d: 2\n'), [
    { file: 'f.yaml', line: 5, column: 5 },
  ]);
  assert.deepEqual(problems('1: a\n"1": b\n'), [], 'the number 1 and the string "1" are different keys');
});
