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
  // An optional last character is not required; an alternative at the top needs neither literal.
  assert.deepEqual(literalPrefix('acmex?_[0-9]+'), ['acme']);
  assert.deepEqual(literalPrefix('acme_[0-9]+|other_[0-9]+'), []);
  assert.deepEqual(literalPrefix('acme_(a|b)[0-9]+'), ['acme_']);
  assert.deepEqual(literalPrefix('[a-z]+_key'), []);
});
