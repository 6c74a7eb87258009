import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectReferences, parseValue, type SecretReference } from './reference.ts';

function whole(text: string): SecretReference {
  const parsed = parseValue(text);
  assert.equal(parsed.kind, 'whole', JSON.stringify(parsed));
  return (parsed as { reference: SecretReference }).reference;
}

function invalid(text: string): { message: string; hint: string } {
  const parsed = parseValue(text);
  assert.equal(parsed.kind, 'invalid', JSON.stringify(parsed));
  return parsed as { message: string; hint: string };
}

test('a whole-value reference: backend, path, parameters and JSON pointer', () => {
  const reference = whole('ref+vault://secret/data/shop/db?version=3&proto=https#/password');
  assert.equal(reference.backend, 'vault');
  assert.equal(reference.path, 'secret/data/shop/db');
  assert.deepEqual(reference.params, { version: '3', proto: 'https' });
  assert.deepEqual(reference.pointer, ['password']);
  assert.equal(reference.text, 'ref+vault://secret/data/shop/db?version=3&proto=https#/password');
});

test('secretref+ is an alias, a trailing + is allowed, and surrounding whitespace is ignored', () => {
  assert.equal(whole('secretref+env://DB_PASSWORD').path, 'DB_PASSWORD');
  assert.equal(whole('ref+env://DB_PASSWORD+').path, 'DB_PASSWORD');
  assert.equal(whole('  ref+file:///etc/secrets/db#/password\n').path, '/etc/secrets/db');
});

test('pointers unescape ~1 and ~0 and percent-escapes; paths decode %2B', () => {
  assert.deepEqual(whole('ref+file://creds.json#/a~1b/c~0d/e%20f').pointer, ['a/b', 'c~d', 'e f']);
  assert.equal(whole('ref+awssecrets://team%2Bops/db').path, 'team+ops/db');
});

test('references inside a longer value must end with +', () => {
  const parsed = parseValue('postgres://app:ref+env://DB_PASSWORD+@ref+env://DB_HOST+:5432/shop');
  assert.equal(parsed.kind, 'embedded');
  const parts = (parsed as { parts: (string | SecretReference)[] }).parts;
  assert.deepEqual(
    parts.map((part) => (typeof part === 'string' ? part : `<${part.path}>`)),
    ['postgres://app:', '<DB_PASSWORD>', '@', '<DB_HOST>', ':5432/shop'],
  );
  const missingEnd = invalid('postgres://app:ref+env://DB_PASSWORD@db/shop');
  assert.match(missingEnd.message, /does not end with \+/);
  assert.match(missingEnd.hint, /ref\+env:\/\/DB_PASSWORD@db\/shop\+/);
});

test('ambiguous and malformed references are errors with a way out, never a guess', () => {
  assert.match(invalid('ref+awssecrets://team+ops/db').hint, /%2B/);
  // The nearest backend is offered (only backends that work are ever offered).
  assert.equal(invalid('ref+awssecret://secret/db').hint, 'did you mean awssecrets?');
  assert.equal(invalid('ref+valt://secret/db').hint, 'did you mean vault?');
  assert.equal(invalid('ref+k8z://secret/db').hint, 'did you mean k8s?');
  assert.match(invalid('ref+env:/DB_PASSWORD').message, /is not a secret reference/);
  assert.match(invalid('x ref+env:DB_PASSWORD+ y').message, /is not a secret reference/);
  assert.match(invalid('ref+env://').message, /has no path/);
  assert.match(invalid('ref+file://a.json#password').hint, /#\/password/);
  assert.match(invalid('ref+file://a.json?x=1&x=2').message, /malformed or repeated parameter/);
  assert.match(invalid('ref+file://a.json?1bad=1').message, /malformed or repeated parameter/);
});

test('plain values are not references, whatever they contain', () => {
  for (const text of ['plain', 'preference+1', 'https://example.com/?ref=main', 'my-ref+thing']) {
    assert.equal(parseValue(text).kind, 'plain', text);
  }
});

test('collectReferences finds references in lists and maps and stops at the first malformed one', () => {
  const found = collectReferences({ a: ['ref+env://A', { b: 'x ref+env://B+ y' }], c: 1 });
  assert.deepEqual(
    found.references.map((r) => r.path),
    ['A', 'B'],
  );
  assert.equal(found.invalid, undefined);
  assert.match(collectReferences(['ok', 'x ref+env://C y'])?.invalid?.message ?? '', /does not end with \+/);
});
