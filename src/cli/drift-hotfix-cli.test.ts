/**
 * `stagecraft drift hotfix` on real repositories built here: a hotfix branch off an old commit of main, then
 * main's fate for it — never merged back, merged, cherry-picked (all or some), squashed, reverted — and the
 * commits the ledger says run in an environment.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, spawnCli } from '../test-support/cli.ts';
import { gitOk, repository } from '../test-support/git.ts';

type Test = { after(fn: () => void): void };

/** Commits a change to one file; returns the commit. */
function commit(dir: string, file: string, text: string, message: string): string {
  writeFileSync(join(dir, file), text);
  gitOk(dir, ['add', file]);
  gitOk(dir, ['commit', '-q', '-m', message]);
  return head(dir);
}

const head = (dir: string) => gitOk(dir, ['rev-parse', 'HEAD']).trim();

/**
 * main: base, then two commits of its own; `hotfix` off base with `fixes` commits, each to its own file (and
 * the first also to a file main changes later, so no fix applies to main by accident).
 */
function hotfixRepository(t: Test, fixes = 2): { dir: string; fixes: string[]; tip: string } {
  const dir = repository(t, { 'app.txt': 'one\ntwo\nthree\n', 'README.md': 'shop\n' });
  gitOk(dir, ['checkout', '-q', '-b', 'hotfix']);
  const made: string[] = [];
  for (let i = 1; i <= fixes; i++) made.push(commit(dir, `fix${i}.txt`, `fix ${i}\n`, `Fix ${i}: timeout`));
  gitOk(dir, ['checkout', '-q', 'main']);
  commit(dir, 'README.md', 'shop\nmore\n', 'Docs');
  commit(dir, 'feature.txt', 'feature\n', 'Feature');
  return { dir, fixes: made, tip: made[made.length - 1] as string };
}

async function hotfix(dir: string, args: string[]) {
  const result = await runCli(['drift', 'hotfix', ...args, '--format', 'json'], { cwd: dir });
  return { ...result, report: result.code === 1 ? undefined : JSON.parse(result.stdout) };
}

test('a hotfix never merged back is not-merged, each missing commit listed, exit 2', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 2);
  assert.equal(report.verdict, 'not-merged');
  const [only] = report.commits;
  assert.equal(only.verdict, 'not-merged');
  assert.deepEqual(
    only.missing.map((m: { commit: string; subject: string; author: string }) => [
      m.commit,
      m.subject,
      m.author,
    ]),
    [
      [fixes[0], 'Fix 1: timeout', 'Test <test@example.invalid>'],
      [fixes[1], 'Fix 2: timeout', 'Test <test@example.invalid>'],
    ],
  );
  assert.equal(only.missing[0].shortCommit, fixes[0]?.slice(0, 7));
  assert.match(only.missing[0].date, /^\d{4}-\d\d-\d\dT/);
  const text = await runCli(['drift', 'hotfix', '--deployed-commit', tip], { cwd: dir });
  assert.equal(text.code, 2);
  assert.match(text.stdout, /Fix 2: timeout {2}Test <test@example\.invalid>/);
  assert.match(text.stdout, /hotfix drift: 2 commits not merged back to main/);
});

test('the built command prints Markdown for a job summary, committers’ text escaped and control characters shown as such', async (t) => {
  const { dir } = hotfixRepository(t, 1);
  gitOk(dir, ['checkout', '-q', 'hotfix']);
  const tip = commit(dir, 'fix9.txt', 'fix 9\n', 'Fix <b>9</b> \u001b[31mred\u001b[0m');
  gitOk(dir, ['checkout', '-q', 'main']);
  const markdown = await spawnCli(['drift', 'hotfix', '--deployed-commit', tip, '--format', 'markdown'], {
    cwd: dir,
  });
  assert.equal(markdown.code, 2, markdown.stderr);
  assert.match(markdown.stdout, /^### Hotfix drift: found$/m);
  assert.match(
    markdown.stdout,
    /\| Fix &lt;b&gt;9&lt;\/b&gt; \ufffd\[31mred\ufffd\[0m \| Test &lt;test@example\.invalid&gt; \|/,
  );
  const text = await spawnCli(['drift', 'hotfix', '--deployed-commit', tip], { cwd: dir });
  assert.equal(text.code, 2);
  assert.equal(text.stdout.includes('\u001b'), false);
});

test('a hotfix merged back by a merge commit is merged, exit 0', async (t) => {
  const { dir, tip } = hotfixRepository(t);
  gitOk(dir, ['merge', '-q', '--no-ff', '-m', 'Merge hotfix', 'hotfix']);
  commit(dir, 'later.txt', 'later\n', 'Later work');
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 0);
  assert.equal(report.verdict, 'merged');
  assert.deepEqual(report.commits[0].missing, []);
});

test('fixes cherry-picked to main are merged-equivalent, each with the commit main has it as', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t);
  gitOk(dir, ['cherry-pick', fixes[0] as string, fixes[1] as string]);
  const picked = gitOk(dir, ['rev-list', '--max-count=2', '--reverse', 'HEAD']).trim().split('\n');
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 0);
  assert.equal(report.verdict, 'merged-equivalent');
  assert.deepEqual(
    report.commits[0].equivalent.map((e: { how: string; onMain: { commit: string } }) => [
      e.how,
      e.onMain.commit,
    ]),
    [
      ['cherry-pick', picked[0]],
      ['cherry-pick', picked[1]],
    ],
  );
});

test('some fixes cherry-picked is partially-merged, listing only the missing ones, exit 2', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t, 3);
  gitOk(dir, ['cherry-pick', fixes[1] as string]);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 2);
  assert.equal(report.verdict, 'partially-merged');
  assert.deepEqual(
    report.commits[0].missing.map((m: { commit: string }) => m.commit),
    [fixes[0], fixes[2]],
  );
  assert.equal(report.commits[0].missingCount, 2);
  assert.equal(report.commits[0].notOnMain, 3);
});

test('fixes squashed into one commit on main are merged-equivalent', async (t) => {
  const { dir, tip } = hotfixRepository(t, 3);
  gitOk(dir, ['merge', '-q', '--squash', 'hotfix']);
  gitOk(dir, ['commit', '-q', '-m', 'Hotfixes (#42)']);
  const squash = head(dir);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 0);
  assert.equal(report.verdict, 'merged-equivalent');
  for (const e of report.commits[0].equivalent)
    assert.deepEqual([e.how, e.onMain.commit], ['squash', squash]);
  assert.equal(report.commits[0].equivalent.length, 3);
});

test('one fix cherry-picked and the rest squashed is merged-equivalent', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t, 3);
  gitOk(dir, ['cherry-pick', fixes[0] as string]);
  gitOk(dir, ['checkout', '-q', fixes[2] as string, '--', 'fix2.txt', 'fix3.txt']);
  gitOk(dir, ['commit', '-q', '-m', 'Fixes 2 and 3']);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 0, JSON.stringify(report));
  assert.deepEqual(
    report.commits[0].equivalent.map((e: { how: string }) => e.how),
    ['cherry-pick', 'squash', 'squash'],
  );
});

test('a fix cherry-picked to main and then reverted there is not merged back', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t);
  gitOk(dir, ['cherry-pick', fixes[0] as string, fixes[1] as string]);
  const picked = gitOk(dir, ['rev-parse', 'HEAD~1']).trim();
  gitOk(dir, ['revert', '--no-edit', picked]);
  const revert = head(dir);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 2);
  assert.equal(report.verdict, 'partially-merged');
  assert.deepEqual(report.commits[0].missing[0].commit, fixes[0]);
  assert.deepEqual(report.commits[0].missing[0].revertedOnMain, {
    commit: picked,
    shortCommit: picked.slice(0, 7),
    revertedBy: revert.slice(0, 7),
  });
});

test('a revert is recognised by its inverse patch when its message does not say so; a re-apply counts again', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t, 1);
  gitOk(dir, ['cherry-pick', fixes[0] as string]);
  gitOk(dir, ['revert', '--no-edit', 'HEAD']);
  gitOk(dir, ['commit', '-q', '--amend', '-m', 'Undo the timeout change']);
  const reverted = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(reverted.code, 2);
  assert.equal(reverted.report.verdict, 'not-merged');
  assert.notEqual(reverted.report.commits[0].missing[0].revertedOnMain, null);
  gitOk(dir, ['cherry-pick', fixes[0] as string]);
  const again = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(again.code, 0);
  assert.equal(again.report.verdict, 'merged-equivalent');
});

test('a revert that also changes something else is recognised by its message', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t, 1);
  gitOk(dir, ['cherry-pick', fixes[0] as string]);
  const picked = head(dir);
  gitOk(dir, ['revert', '--no-commit', picked]);
  writeFileSync(join(dir, 'other.txt'), 'other\n');
  gitOk(dir, ['add', 'other.txt']);
  gitOk(dir, ['commit', '-q', '-m', `Revert the timeout fix\n\nThis reverts commit ${picked}.`]);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 2);
  assert.equal(report.commits[0].missing[0].revertedOnMain.revertedBy, head(dir).slice(0, 7));
});

test('a commit on main is compared whole: one that also changes other files is not the fix', async (t) => {
  const { dir, tip } = hotfixRepository(t, 1);
  writeFileSync(join(dir, 'fix1.txt'), 'fix 1\n');
  writeFileSync(join(dir, 'app.txt'), 'one\ntwo\nthree\nfour\n');
  gitOk(dir, ['add', '.']);
  gitOk(dir, ['commit', '-q', '-m', 'Fix 1 and more']);
  const { code, report } = await hotfix(dir, ['--deployed-commit', tip]);
  assert.equal(code, 2);
  assert.equal(report.verdict, 'not-merged');
});

test('a deployed commit missing from the repository exits 1 and says to fetch it', async (t) => {
  const { dir } = hotfixRepository(t);
  const missing = 'ab'.repeat(20);
  const result = await runCli(['drift', 'hotfix', '--deployed-commit', missing], { cwd: dir });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /\[DRIFT_COMMIT_MISSING\] abab\S+ is not in this repository/);
  assert.match(result.stderr, new RegExp(`git fetch origin ${missing}`));
});

test('in a shallow clone, a missing commit or history says how to fetch the whole history', async (t) => {
  const { dir, tip } = hotfixRepository(t);
  const { dir: clone } = { dir: join(dir, 'clone') };
  gitOk(dir, ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${dir}`, clone]);
  assert.equal(gitOk(clone, ['rev-parse', '--is-shallow-repository']).trim(), 'true');
  const missing = await runCli(['drift', 'hotfix', '--deployed-commit', 'cd'.repeat(20)], { cwd: clone });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\[DRIFT_COMMIT_MISSING\].*not in this repository \(a shallow clone\)/);
  assert.match(missing.stderr, /git fetch --unshallow.*fetch-depth: 0/);
  // The hotfix is there, but not the history joining it to main.
  const cut = await runCli(['drift', 'hotfix', '--deployed-commit', tip], { cwd: clone });
  assert.equal(cut.code, 1);
  assert.match(cut.stderr, /\[HOTFIX_SHALLOW_CLONE\]/);
  assert.match(cut.stderr, /git fetch --unshallow/);
});

test('without a local main branch, origin/main is used and the report says so', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t);
  gitOk(dir, ['cherry-pick', fixes[0] as string, fixes[1] as string]);
  const clone = join(dir, 'clone');
  gitOk(dir, ['clone', '-q', `file://${dir}`, clone]);
  gitOk(clone, ['checkout', '-q', '--detach']);
  gitOk(clone, ['branch', '-q', '-D', 'main']);
  const result = await runCli(['drift', 'hotfix', '--deployed-commit', tip], { cwd: clone });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /main: origin\/main, no local main branch/);
});

test('names that could be read as options are refused before git sees them', async (t) => {
  const { dir, tip } = hotfixRepository(t);
  for (const args of [
    ['--deployed-commit', tip, '--main=--output=x'],
    ['--deployed-commit=--all'],
    ['--deployed-commit', tip, '--main', 'main..hotfix'],
  ]) {
    const result = await runCli(['drift', 'hotfix', ...args], { cwd: dir });
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /\[DRIFT_BAD_REVISION\]/);
  }
  const absent = await runCli(['drift', 'hotfix', '--deployed-commit', tip, '--main', 'trunk'], { cwd: dir });
  assert.equal(absent.code, 1);
  assert.match(
    absent.stderr,
    /\[DRIFT_MAIN_MISSING\] main branch trunk is neither a local branch nor origin\/trunk/,
  );
});

const WORKSPACE = `environments:
  dev: { deployers: [ci], deploy: { command: "true" } }
  production:
    from: dev
    deployers: [ci]
    deploy: { command: 'test "$STAGECRAFT_IMAGE" != registry.example.com/shop/web@sha256:${'c'.repeat(64)}' }
services:
  web: { image: registry.example.com/shop/web }
  api: { image: registry.example.com/shop/api }
`;

test('the ledger path: each service’s deployed commit in production, per service; recorded with --record', async (t) => {
  const { dir, fixes, tip } = hotfixRepository(t);
  writeFileSync(join(dir, 'stagecraft.yaml'), WORKSPACE);
  writeFileSync(join(dir, '.gitignore'), '.stagecraft/\n');
  const env = { STAGECRAFT_ROLE: 'ci', STAGECRAFT_ACTOR: 'ci-bot' };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  const none = await cli(['drift', 'hotfix']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /\[DRIFT_NO_DEPLOYMENT\] the ledger has no successful deployment in production/);
  const main = head(dir);
  for (const [service, sha, hex] of [
    ['web', tip, 'a'],
    ['api', main, 'b'],
  ] as const) {
    const image = `registry.example.com/shop/${service}@sha256:${hex.repeat(64)}`;
    for (const args of [
      ['artifact', 'register', service, image, '--commit', sha],
      ['deploy', service, '--env', 'dev'],
      ['promote', service, '--to', 'production'],
    ]) {
      const step = await cli(args);
      assert.equal(step.code, 0, `${args.join(' ')}: ${step.stderr}`);
    }
  }
  const drifted = await cli(['drift', 'hotfix', '--format', 'json', '--record']);
  assert.equal(drifted.code, 2, drifted.stderr);
  const report = JSON.parse(drifted.stdout);
  assert.equal(report.environment, 'production');
  assert.deepEqual(
    report.services.map((s: { service: string; commit: string; verdict: string }) => [
      s.service,
      s.commit,
      s.verdict,
    ]),
    [
      ['web', tip, 'not-merged'],
      ['api', main, 'merged'],
    ],
  );
  assert.match(drifted.stderr, /recorded: drift hotfix production, problems/);
  // A deployment that failed does not replace what runs: web still runs the hotfix.
  const failing = `registry.example.com/shop/web@sha256:${'c'.repeat(64)}`;
  assert.equal((await cli(['artifact', 'register', 'web', failing, '--commit', main])).code, 0);
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  const failed = await cli(['promote', 'web', '--to', 'production']);
  assert.notEqual(failed.code, 0, failed.stdout);
  const still = JSON.parse((await cli(['drift', 'hotfix', '--format', 'json'])).stdout);
  assert.deepEqual(
    still.services.map((s: { service: string; commit: string }) => [s.service, s.commit]),
    [
      ['web', tip],
      ['api', main],
    ],
  );
  gitOk(dir, ['cherry-pick', fixes[0] as string, fixes[1] as string]);
  const text = await cli(['drift', 'hotfix', '--env', 'production']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /✓ web [0-9a-f]{7}: merged-equivalent \(2 commits on main under other commits\)/);
  const unknown = await cli(['drift', 'hotfix', '--env', 'prod']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /\[ENVIRONMENT_UNKNOWN\]/);
});
