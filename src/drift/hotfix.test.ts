import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isStagecraftError } from '@stagecraft/config/errors';
import { gitOk, repository } from '../test-support/git.ts';
import { DriftCodes } from './errors.ts';
import { checkHotfix, worst } from './hotfix.ts';

test('the worst verdict of several deployed commits is the report’s', () => {
  assert.equal(worst(['merged', 'merged-equivalent']), 'merged-equivalent');
  assert.equal(worst(['not-merged', 'merged', 'partially-merged']), 'not-merged');
  assert.equal(worst([]), 'merged');
});

test('more commits missing from main than the limit is refused, not analysed', async (t) => {
  const dir = repository(t, { 'a.txt': 'a\n' });
  gitOk(dir, ['checkout', '-q', '-b', 'release']);
  for (const name of ['b', 'c']) {
    writeFileSync(join(dir, `${name}.txt`), `${name}\n`);
    gitOk(dir, ['add', '.']);
    gitOk(dir, ['commit', '-q', '-m', name]);
  }
  const tip = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  await assert.rejects(
    checkHotfix(dir, [{ commit: tip }], 'main', { maxCommits: 1 }),
    (error) =>
      isStagecraftError(error, DriftCodes.HOTFIX_TOO_MANY_COMMITS) &&
      /has more than 1 commit main does not/.test(error.message),
  );
  const report = await checkHotfix(dir, [{ commit: tip }], 'main', { maxCommits: 2, listLimit: 1 });
  assert.equal(report.commits[0]?.missingCount, 2);
  assert.equal(report.commits[0]?.missing.length, 1);
});
