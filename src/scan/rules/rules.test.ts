/**
 * Every rule carries its own evidence: a secret generated from the vendor's published format must be found,
 * and a near miss must not. Many seeds per rule, so a pattern that only fits one draw fails here.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../test-support/cli.ts';
import { ScanEngine } from '../engine.ts';
import { revealSecret } from '../finding.ts';
import { Gen } from './gen.ts';
import { builtinRules } from './index.ts';

const engine = new ScanEngine(builtinRules);
const SEEDS = 25;

test('rule ids are unique, kebab-case, documented, with lowercase keywords', () => {
  const ids = new Set<string>();
  for (const rule of builtinRules) {
    assert.match(rule.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, rule.id);
    assert.ok(!ids.has(rule.id), `duplicate id ${rule.id}`);
    ids.add(rule.id);
    // A vendor's format links to the vendor's documentation; stagecraft's own to this repository's.
    if (rule.id.startsWith('stagecraft-')) {
      assert.ok(
        existsSync(join(REPO_ROOT, rule.docs.split('#')[0] ?? '')),
        `${rule.id} links to ${rule.docs}`,
      );
    } else {
      assert.match(rule.docs, /^https:\/\/\S+$/, `${rule.id} links to its format's documentation`);
    }
    assert.ok(rule.keywords.length > 0, `${rule.id} has keywords`);
    for (const keyword of rule.keywords) {
      assert.equal(keyword, keyword.toLowerCase(), `${rule.id} keyword ${keyword} is lowercase`);
      assert.ok(keyword.length >= 3, `${rule.id} keyword "${keyword}" is distinctive`);
    }
    assert.ok(!rule.pattern !== !rule.detect, `${rule.id} has a pattern or a detector`);
  }
});

for (const rule of builtinRules) {
  test(`${rule.id}: finds a generated secret and ignores its near miss`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const gen = new Gen(seed * 7919 + rule.id.length);
      const positive = rule.samples.positive(gen);
      const found = engine.scan(positive, 'sample.txt').filter((finding) => finding.rule === rule.id);
      assert.ok(found.length > 0, `seed ${seed}: ${rule.id} missed its positive sample:\n${positive}`);
      for (const finding of found) {
        const secret = revealSecret(finding) as string;
        assert.ok(positive.includes(secret), `seed ${seed}: the reported secret is in the sample`);
        assert.ok(
          !finding.match.includes(secret) || secret.length < 8,
          `seed ${seed}: the match is redacted`,
        );
      }
      const negative = rule.samples.negative(gen);
      // A checksummed format's near miss may be reported, but only as `low` (see RuleSpec.nearMiss).
      const wrong = engine
        .scan(negative, 'sample.txt')
        .filter((finding) => finding.rule === rule.id && finding.confidence !== 'low');
      assert.deepEqual(wrong, [], `seed ${seed}: ${rule.id} matched its near miss:\n${negative}`);
    }
  });
}
