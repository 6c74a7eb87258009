import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { StagecraftError } from '@stagecraft/config/errors';
import { GIT_ENV, generatedToken, gitOk, repository } from '../test-support/git.ts';
import { scanHistory } from './git-history.ts';

/**
 * A history of `count` commits on main, made with git fast-import (one process, not one per commit); commit i
 * writes `notes.txt` and, when `files(i)` names some, those files too (an empty text deletes the file).
 */
function longHistory(
  t: { after(fn: () => void): void },
  count: number,
  files: (index: number) => Record<string, string>,
): string {
  const dir = repository(t);
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let i = 1; i <= count; i++) {
    parts.push(
      'commit refs/heads/main\n',
      `committer Test <test@example.invalid> ${1_700_000_000 + i * 60} +0000\n`,
    );
    parts.push(data(`commit ${i}`));
    parts.push(`M 100644 inline notes.txt\n${data(`note ${i}\n`)}`);
    for (const [path, text] of Object.entries(files(i))) {
      parts.push(text === '' ? `D ${path}\n` : `M 100644 inline ${path}\n${data(text)}`);
    }
    parts.push('\n');
  }
  const imported = spawnSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    input: parts.join(''),
    env: { ...process.env, ...GIT_ENV },
  });
  assert.equal(imported.status, 0, String(imported.stderr));
  gitOk(dir, ['reset', '-q', '--hard', 'main']);
  return dir;
}

function byFingerprint(findings: Awaited<ReturnType<typeof scanHistory>>['findings']) {
  return findings
    .map((f) => `${f.fingerprint} ${f.file}:${f.line} ${f.commit?.sha} present=${f.presentAtHead}`)
    .sort();
}

test('a history split over several git processes gives what one gives, each secret at the commit that added it first', async (t) => {
  const reAdded = generatedToken();
  const kept = generatedToken();
  const deleted = generatedToken();
  const dir = longHistory(t, 300, (i): Record<string, string> => {
    if (i === 10) return { 'config.js': `export const token = "${reAdded}";\n` };
    if (i === 20) return { 'config.js': 'export const token = process.env.TOKEN;\n' };
    // The same secret in the same file again, later: another block of the log, which with three processes
    // comes further into its process's part (the 105th commit it reads) than the first (its 99th) does.
    if (i === 68) return { 'config.js': `export const token = "${reAdded}";\n` };
    if (i === 140) return { 'keep.js': `const kept = "${kept}";\n` };
    if (i === 200) return { 'old.js': `const gone = "${deleted}";\n` };
    if (i === 201) return { 'old.js': '' };
    return {};
  });
  const shaOf = (index: number) => gitOk(dir, ['rev-parse', `main~${300 - index}`]).trim();

  const results = [];
  for (const logProcesses of [1, 2, 3]) {
    const summary = await scanHistory({
      root: dir,
      scope: { kind: 'history', branches: 'current' },
      customRules: [],
      logProcesses,
    });
    assert.equal(summary.commits, 300, `${logProcesses} processes: every commit read once`);
    results.push(byFingerprint(summary.findings));
    const commitOf = (file: string) => summary.findings.find((f) => f.file === file)?.commit?.sha;
    assert.equal(commitOf('config.js'), shaOf(10), `${logProcesses} processes: the first commit to add it`);
    assert.equal(commitOf('keep.js'), shaOf(140));
    assert.equal(commitOf('old.js'), shaOf(200));
    assert.deepEqual(summary.findings.map((f) => [f.file, f.presentAtHead]).sort(), [
      ['config.js', true],
      ['keep.js', true],
      ['old.js', false],
    ]);
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('a commit git cannot read fails a split history scan, whichever process meets it, and never reads as clean', async (t) => {
  const dir = longHistory(t, 200, () => ({}));
  // One more commit whose new file is a loose object, then removed: the commit and its tree are intact, so
  // the commits can be listed, but its diff cannot be made.
  writeFileSync(join(dir, 'lost.txt'), 'this blob goes missing\n');
  gitOk(dir, ['add', 'lost.txt']);
  gitOk(dir, ['commit', '-q', '-m', 'lost']);
  const blob = gitOk(dir, ['rev-parse', 'HEAD:lost.txt']).trim();
  unlinkSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
  for (const logProcesses of [1, 3]) {
    await assert.rejects(
      scanHistory({
        root: dir,
        scope: { kind: 'history', branches: 'current' },
        customRules: [],
        logProcesses,
      }),
      (error: unknown) =>
        error instanceof StagecraftError &&
        error.code === 'GIT_FAILED' &&
        /git log failed/.test(error.message),
    );
  }
});
