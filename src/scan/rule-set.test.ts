import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from './engine.ts';
import { revealSecret } from './finding.ts';
import { compileCustomRule, literalPrefix } from './rule-set.ts';
import { Gen } from './rules/gen.ts';

test('a custom rule takes its secret from the group Go would number, named groups counted', () => {
  const secret = new Gen(1).upperHex(24);
  const engine = new ScanEngine([
    compileCustomRule({ id: 'internal', regex: '(?i)\\b(?P<kind>int|svc)-(\\w{24})\\b', secretGroup: 2 }),
  ]);
  const [finding] = engine.scan(`token = SVC-${secret}\n`, 'svc.conf');
  assert.equal(finding && revealSecret(finding), secret);
  assert.equal(finding?.column, 13);
});

test('a custom rule without keywords is prefiltered on the literal every match starts with', () => {
  assert.deepEqual(literalPrefix('acme_[0-9a-f]{32}'), ['acme_']);
  assert.deepEqual(literalPrefix('(?i)\\bACME_[0-9a-f]{32}'), ['acme_']);
  // An optional last character is not required; alternatives need one literal each.
  assert.deepEqual(literalPrefix('acmex?_[0-9]+'), ['acme']);
  assert.deepEqual(literalPrefix('acme_[0-9]+|other_[0-9]+'), ['acme_', 'other_']);
  assert.deepEqual(literalPrefix('acme_[0-9]+|[0-9]+'), []);
  assert.deepEqual(literalPrefix('acme_(a|b)[0-9]+'), ['acme_']);
  assert.deepEqual(literalPrefix('[a-z]+_key'), []);
  // gitleaks' usual forms: the secret in a group, alternatives of literals in a group.
  assert.deepEqual(literalPrefix('(?i)\\b(acme_[0-9a-f]{32})\\b'), ['acme_']);
  assert.deepEqual(literalPrefix('(?:INT|SVC)-[0-9A-F]{24}'), ['int-', 'svc-']);
  assert.deepEqual(literalPrefix('(?P<kind>key|token)(?:\\s*=)'), ['key', 'token']);
  assert.deepEqual(literalPrefix('(?:ab|token)_x'), ['ab_x', 'token_x']);
  assert.deepEqual(literalPrefix('(?:ab|cd)?token'), []);
  assert.deepEqual(literalPrefix('(?:ab|c)+'), []);
  assert.deepEqual(literalPrefix('(?:|token)'), []);
});
