/** The bounded YAML parser on a large map: repeated keys are refused in time linear in the number of keys. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlSource } from './document.ts';

test('a map of 60,000 keys parses in seconds, and a key repeated at its end is found at its line', () => {
  const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}`);
  let started = performance.now();
  const source = parseYamlSource(`${keys.join('\n')}\n`, 'big.yaml');
  assert.deepEqual(source.syntaxProblems, []);
  assert.equal(Object.keys(source.value as object).length, 60_000);
  // The library's own check compared each key with every earlier one: a minute and a half for this map.
  assert.ok(performance.now() - started < 15_000, `took ${Math.round(performance.now() - started)} ms`);

  started = performance.now();
  const repeated = parseYamlSource(`${keys.join('\n')}\nk7: again\n`, 'big.yaml');
  assert.deepEqual(
    repeated.syntaxProblems.map((p) => [p.message, p.location]),
    [['YAML syntax error: Map keys must be unique', { file: 'big.yaml', line: 60_001, column: 1 }]],
  );
  assert.ok(performance.now() - started < 15_000, `took ${Math.round(performance.now() - started)} ms`);
});
