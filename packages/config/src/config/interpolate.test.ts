import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expand, isSingleReference } from './interpolate.ts';

const env: Record<string, string> = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };
const lookup = (name: string) => env[name];

function value(text: string): string {
  const result = expand(text, lookup);
  assert.ok(result.ok, `expected ${text} to expand: ${JSON.stringify(result)}`);
  return result.value;
}

function failure(text: string) {
  const result = expand(text, lookup);
  assert.ok(!result.ok, `expected ${text} to fail`);
  return result.error;
}

test('replaces ${VAR} with the variable', () => {
  assert.equal(value('${HOST}'), 'db.internal');
  assert.equal(value('postgres://${HOST}:${PORT}/shop'), 'postgres://db.internal:5432/shop');
});

test('leaves text without references untouched', () => {
  assert.equal(value('plain text'), 'plain text');
  assert.equal(value('costs $5 or $'), 'costs $5 or $');
});

test('$$ is a literal dollar and is never expanded', () => {
  assert.equal(value('$${HOST}'), '${HOST}');
  assert.equal(value('a$$b'), 'a$b');
});

test(':- uses the default when unset or empty, - only when unset', () => {
  assert.equal(value('${MISSING:-fallback}'), 'fallback');
  assert.equal(value('${EMPTY:-fallback}'), 'fallback');
  assert.equal(value('${EMPTY-fallback}'), '');
  assert.equal(value('${MISSING-fallback}'), 'fallback');
  assert.equal(value('${HOST:-fallback}'), 'db.internal');
  assert.equal(value('${MISSING:-}'), '');
});

test('defaults may contain references and colons', () => {
  assert.equal(value('${MISSING:-${HOST}:${PORT}}'), 'db.internal:5432');
  assert.equal(value('${MISSING:-http://x:1}'), 'http://x:1');
});

test('an unset variable without a default is an error naming it', () => {
  assert.deepEqual(failure('${DB_HOST}'), { kind: 'unset', variable: 'DB_HOST' });
  assert.deepEqual(failure('x ${MISSING:-${ALSO_MISSING}}'), { kind: 'unset', variable: 'ALSO_MISSING' });
});

test(':? and ? fail with the author’s message', () => {
  assert.deepEqual(failure('${EMPTY:?set EMPTY to the pool size}'), {
    kind: 'required',
    variable: 'EMPTY',
    message: 'set EMPTY to the pool size',
  });
  assert.equal(value('${EMPTY?must be set}'), '');
  assert.deepEqual(failure('${MISSING?}'), {
    kind: 'required',
    variable: 'MISSING',
    message: 'MISSING must be set',
  });
});

test('malformed references are syntax errors, never guesses', () => {
  assert.equal(failure('${HOST').kind, 'syntax');
  assert.equal(failure('${}').kind, 'syntax');
  assert.equal(failure('${1ABC}').kind, 'syntax');
  assert.equal(failure('${HOST:+alt}').kind, 'syntax');
  assert.equal(failure('${MISSING:-unclosed').kind, 'syntax');
});

test('reports every variable referenced and whether a literal default was used', () => {
  const result = expand('${HOST}/${MISSING:-x}', lookup);
  assert.ok(result.ok);
  assert.deepEqual(result.references, ['HOST', 'MISSING']);
  assert.equal(result.literalDefault, true);
  const plain = expand('${HOST:-x}', lookup);
  assert.ok(plain.ok);
  assert.equal(plain.literalDefault, false);
});

test('recognises a value that is exactly one reference', () => {
  assert.equal(isSingleReference('${DB_PASSWORD}'), true);
  assert.equal(isSingleReference('${DB_PASSWORD:-x}'), false);
  assert.equal(isSingleReference('pre${DB_PASSWORD}'), false);
});
