import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';
import { generatedToken, git, gitOk, repository } from '../test-support/git.ts';

interface JsonFinding {
  file: string;
  line: number;
  rule: string;
  fingerprint: string;
  commit?: { sha: string; author: string; email: string; date: string };
  presentAtHead?: boolean;
  by?: string;
  reason?: string;
}

function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  gitOk(dir, ['add', '-A']);
  gitOk(dir, ['commit', '-q', '-m', message]);
  return gitOk(dir, ['rev-parse', 'HEAD']).trim();
}

async function scanJson(dir: string, args: string[], expectedCode = 2) {
  const result = await runCli(['scan', ...args, '--format', 'json'], { cwd: dir });
  assert.equal(result.code, expectedCode, result.stdout + result.stderr);
  return JSON.parse(result.stdout) as {
    findings: JsonFinding[];
    suppressed: number;
    suppressions?: JsonFinding[];
    scanned: { commits?: number };
  };
}

test('--history finds a secret deleted since, with its commit, author, date and real line number', async (t) => {
  const token = generatedToken();
  const dir = repository(t, { 'README.md': '# app\n' });
  const added = commit(
    dir,
    { 'app.js': `const a = 1;\nconst b = 2;\nconst token = "${token}";\n` },
    'add client',
  );
  commit(
    dir,
    { 'app.js': 'const a = 1;\nconst b = 2;\nconst token = process.env.TOKEN;\n' },
    'read it from env',
  );

  assert.equal((await runCli(['scan'], { cwd: dir })).code, 0, 'the working tree is clean');
  const data = await scanJson(dir, ['--history']);
  assert.equal(data.scanned.commits, 3);
  assert.equal(data.findings.length, 1);
  const [finding] = data.findings;
  assert.equal(finding?.file, 'app.js');
  assert.equal(finding?.line, 3);
  assert.equal(finding?.rule, 'github-pat');
  assert.equal(finding?.commit?.sha, added);
  assert.equal(finding?.commit?.author, 'Test');
  assert.match(finding?.commit?.date ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(finding?.presentAtHead, false);

  const text = await runCli(['scan', '--history'], { cwd: dir });
  assert.equal(text.code, 2);
  assert.ok(!text.stdout.includes(token), 'the secret is redacted');
  assert.match(
    text.stdout,
    new RegExp(`commit ${added.slice(0, 12)} by Test <test@example.invalid> on .*; no longer at HEAD`),
  );
  assert.match(text.stdout, /Rotate each secret: every clone of the history has it/);
});

test('--history reports a moved secret at its new path, still present at HEAD, once per path', async (t) => {
  const token = generatedToken();
  const dir = repository(t, { 'config.js': `module.exports = { token: "${token}" };\n` });
  gitOk(dir, ['mv', 'config.js', 'settings.js']);
  gitOk(dir, ['commit', '-q', '-m', 'rename']);
  commit(dir, { 'other.txt': 'unrelated\n' }, 'later');
  const data = await scanJson(dir, ['--history']);
  assert.deepEqual(data.findings.map((f) => [f.file, f.presentAtHead]).sort(), [
    ['config.js', true],
    ['settings.js', true],
  ]);
});

test('whether a secret is still at HEAD is told for each, wherever in the tree it now is', async (t) => {
  const [kept, moved, gone] = [generatedToken(), generatedToken(), generatedToken()];
  const filler = Array.from({ length: 2000 }, (_, i) => `line ${i} of nothing secret`).join('\n');
  for (const attributes of [undefined, '*.bin -diff\n']) {
    const dir = repository(t, attributes ? { '.gitattributes': attributes } : {});
    commit(
      dir,
      { 'a.js': `const k = "${kept}";\nconst m = "${moved}";\nconst g = "${gone}";\n` },
      'add three tokens',
    );
    commit(
      dir,
      { 'a.js': `const k = "${kept}";\n`, 'notes.md': `${filler}\nsee "${moved}"\n${filler}\n` },
      'move one, drop one',
    );
    const data = await scanJson(dir, ['--history']);
    const atHead = (token: string) =>
      data.findings
        .filter((f) => f.file === 'a.js')
        .find((f) => f.line === [kept, moved, gone].indexOf(token) + 1)?.presentAtHead;
    const how = attributes ? 'with a .gitattributes' : 'without one';
    assert.equal(atHead(kept), true, how);
    assert.equal(atHead(moved), true, how);
    assert.equal(atHead(gone), false, how);
  }
});

test('merged branches, unmerged branches and evil merges', async (t) => {
  const onBranch = generatedToken();
  const unmerged = generatedToken();
  const inMerge = generatedToken();
  const dir = repository(t, { 'base.txt': 'one\n' });
  gitOk(dir, ['checkout', '-q', '-b', 'feature']);
  const branchCommit = commit(dir, { 'feature.js': `token = "${onBranch}"\n` }, 'feature work');
  gitOk(dir, ['checkout', '-q', 'main']);
  commit(dir, { 'main.txt': 'main work\n' }, 'main work');
  // A merge whose result adds a line neither parent has.
  gitOk(dir, ['merge', '-q', '--no-ff', '--no-commit', 'feature']);
  writeFileSync(join(dir, 'base.txt'), `one\nkey = "${inMerge}"\n`);
  gitOk(dir, ['add', 'base.txt']);
  gitOk(dir, ['commit', '-q', '-m', 'merge feature']);
  const merge = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  gitOk(dir, ['checkout', '-q', '-b', 'spike']);
  commit(dir, { 'spike.js': `token = "${unmerged}"\n` }, 'spike');
  gitOk(dir, ['checkout', '-q', 'main']);

  const current = await scanJson(dir, ['--history']);
  const where = (data: { findings: JsonFinding[] }) =>
    data.findings
      .map(
        (f) =>
          `${f.file}@${f.commit?.sha === branchCommit ? 'branch' : f.commit?.sha === merge ? 'merge' : f.commit?.sha}`,
      )
      .sort();
  assert.deepEqual(where(current), ['base.txt@merge', 'feature.js@branch']);
  const all = await scanJson(dir, ['--history', '--branches', 'all']);
  assert.equal(all.findings.length, 3);
  assert.ok(all.findings.some((f) => f.file === 'spike.js' && f.presentAtHead === false));
});

test('--range reports what a pull request adds, including a secret it added and removed again', async (t) => {
  const old = generatedToken();
  const added = generatedToken();
  const removed = generatedToken();
  const dir = repository(t, { 'legacy.js': `token = "${old}"\n` });
  gitOk(dir, ['checkout', '-q', '-b', 'pr']);
  commit(dir, { 'new.js': `token = "${added}"\n` }, 'add');
  commit(dir, { 'tmp.js': `token = "${removed}"\n` }, 'oops');
  gitOk(dir, ['rm', '-q', 'tmp.js']);
  gitOk(dir, ['commit', '-q', '-m', 'remove it']);
  const data = await scanJson(dir, ['--range', 'main..pr']);
  assert.deepEqual(data.findings.map((f) => [f.file, f.presentAtHead]).sort(), [
    ['new.js', true],
    ['tmp.js', false],
  ]);
  assert.equal(data.scanned.commits, 3);
  const clean = await scanJson(dir, ['--range', 'pr..main'], 0);
  assert.deepEqual(clean.findings, []);
});

test('binary changes a git scan skips are named, with their commit in history scans', async (t) => {
  const dir = repository(t, { 'README.md': '# app\n' });
  // A space in the name: git's diff header names the path twice, unquoted.
  writeFileSync(join(dir, 'brand logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
  gitOk(dir, ['add', '-A']);

  const staged = await runCli(['scan', '--staged', '--format', 'json'], { cwd: dir });
  assert.equal(staged.code, 0, staged.stdout);
  assert.deepEqual(JSON.parse(staged.stdout).skipped.files, [
    { file: 'brand logo.png', reason: 'binary', message: 'binary (a NUL byte in its first 8 KiB)' },
  ]);
  const stagedText = await runCli(['scan', '--staged'], { cwd: dir });
  assert.match(stagedText.stderr, /^warning \[SCAN_FILE_SKIPPED\] brand logo\.png: not scanned, binary/m);
  assert.equal((await runCli(['scan', '--staged', '--fail-on-skipped'], { cwd: dir })).code, 1);

  gitOk(dir, ['commit', '-q', '-m', 'logo']);
  const added = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  gitOk(dir, ['rm', '-q', 'brand logo.png']);
  gitOk(dir, ['commit', '-q', '-m', 'no logo']);
  const history = await runCli(['scan', '--history', '--format', 'json'], { cwd: dir });
  assert.equal(history.code, 0, history.stdout);
  // Its deletion adds nothing, so only the commit that added it skipped anything.
  assert.deepEqual(
    JSON.parse(history.stdout).skipped.files.map((f: { file: string; commit: string }) => [f.file, f.commit]),
    [['brand logo.png', added]],
  );
  const historyText = await runCli(['scan', '--history'], { cwd: dir });
  assert.match(
    historyText.stderr,
    new RegExp(
      `^warning \\[SCAN_FILE_SKIPPED\\] brand logo\\.png \\(commit ${added.slice(0, 12)}\\): not scanned, binary`,
      'm',
    ),
  );
});

test('git errors are exit 1 with a hint, never clean', async (t) => {
  const dir = repository(t, { 'a.txt': 'a\n' });
  const unknown = await runCli(['scan', '--range', 'origin/main..HEAD'], { cwd: dir });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /git does not know the revision "origin\/main"/);
  assert.match(unknown.stderr, /git fetch origin main/);

  const badRange = await runCli(['scan', '--range', 'HEAD'], { cwd: dir });
  assert.equal(badRange.code, 1);
  assert.match(badRange.stderr, /--range takes BASE\.\.HEAD/);

  const notRepo = await runCli(['scan', '--history'], { cwd: tempDir(t) });
  assert.equal(notRepo.code, 1);
  assert.match(notRepo.stderr, /not inside a git repository/);

  const noGit = await runCli(['scan', '--staged'], { cwd: dir, env: { PATH: tempDir(t) } });
  assert.equal(noGit.code, 1);
  assert.match(noGit.stderr, /cannot run git/);
  assert.match(noGit.stderr, /install git and make sure it is on PATH/);

  commit(dir, { 'b.txt': 'b\n' }, 'second');
  const clone = tempDir(t);
  gitOk(clone, ['clone', '-q', '--depth', '1', `file://${dir}`, 'shallow']);
  const shallow = join(clone, 'shallow');
  const history = await runCli(['scan', '--history'], { cwd: shallow });
  assert.equal(history.code, 1);
  assert.match(history.stderr, /shallow clone/);
  assert.match(history.stderr, /fetch-depth: 0/);
  const range = await runCli(['scan', '--range', 'HEAD~1..HEAD'], { cwd: shallow });
  assert.equal(range.code, 1);
  assert.match(range.stderr, /shallow clone: fetch the base too/);
});

test('a baseline accepts current findings, reports only new ones, keeps reasons and shows what it suppressed', async (t) => {
  const first = generatedToken();
  const second = generatedToken();
  const dir = tempDir(t, { 'a.js': `a = "${first}"\n`, 'b.js': `b = "${second}"\n` });
  const write = await runCli(['scan', '--write-baseline', 'scan.baseline', '--reason', 'test fixtures'], {
    cwd: dir,
  });
  assert.equal(write.code, 0, write.stderr);
  assert.match(write.stdout, /wrote scan\.baseline: 2 entries \(2 new, 0 no longer found\)/);
  const file = readFileSync(join(dir, 'scan.baseline'), 'utf8');
  const entries = file.split('\n').filter((line) => line && !line.startsWith('#'));
  assert.deepEqual(
    entries.map((line) => line.split('\t').filter((_, i) => i !== 2)),
    [
      ['a.js', 'github-pat', 'test fixtures'],
      ['b.js', 'github-pat', 'test fixtures'],
    ],
  );
  assert.ok(!file.includes(first) && !file.includes(second), 'no secret in the baseline');

  const clean = await scanJson(dir, ['--baseline', 'scan.baseline'], 0);
  assert.equal(clean.suppressed, 2);

  // Lines move and a new secret arrives: only the new one is reported.
  const third = generatedToken();
  writeFileSync(join(dir, 'a.js'), `// header\n\na = "${first}"\nc = "${third}"\n`);
  const next = await scanJson(dir, ['--baseline', 'scan.baseline', '--show-suppressed']);
  assert.deepEqual(
    next.findings.map((f) => [f.file, f.line]),
    [['a.js', 4]],
  );
  assert.deepEqual(next.suppressions?.map((f) => [f.file, f.line, f.by, f.reason]).sort(), [
    ['a.js', 3, 'baseline', 'test fixtures'],
    ['b.js', 1, 'baseline', 'test fixtures'],
  ]);

  // Rewriting keeps old reasons, gives new entries the new reason and drops what is gone.
  writeFileSync(join(dir, 'b.js'), 'b = process.env.B\n');
  await runCli(['scan', '--write-baseline', 'scan.baseline', '--reason', 'accepted later'], { cwd: dir });
  const rewritten = readFileSync(join(dir, 'scan.baseline'), 'utf8');
  assert.match(rewritten, /\na\.js\tgithub-pat\t[0-9a-f]{32}\ttest fixtures\n/);
  assert.match(rewritten, /\na\.js\tgithub-pat\t[0-9a-f]{32}\taccepted later\n/);
  assert.ok(!rewritten.includes('b.js'));

  const sarif = JSON.parse(
    (
      await runCli(['scan', '--baseline', 'scan.baseline', '--show-suppressed', '--format', 'sarif'], {
        cwd: dir,
      })
    ).stdout,
  );
  const results = sarif.runs[0].results;
  assert.equal(results.length, 2);
  assert.ok(
    results.every((r: { suppressions?: { kind: string }[] }) => r.suppressions?.[0]?.kind === 'external'),
  );
});

test('baseline fingerprints are keyed with a salt of their own file, kept on rewrite; old unsalted baselines still apply', async (t) => {
  const token = generatedToken();
  const files = { 'a.js': `a = "${token}"\n` };
  const entriesOf = (text: string) =>
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('\t'));
  const saltOf = (text: string) => /^# salt: ([0-9a-f]{64})$/m.exec(text)?.[1];

  const dir = tempDir(t, files);
  const [plain] = (await scanJson(dir, [])).findings;
  await runCli(['scan', '--write-baseline', 'scan.baseline', '--reason', 'fixture'], { cwd: dir });
  const written = readFileSync(join(dir, 'scan.baseline'), 'utf8');
  const salt = saltOf(written);
  assert.ok(salt, 'the baseline carries its salt');
  const [[, , fingerprint] = []] = entriesOf(written);
  assert.match(fingerprint ?? '', /^[0-9a-f]{32}$/);
  // Not the finding's plain fingerprint, nor any plain hash of what it is made of.
  assert.notEqual(fingerprint, plain?.fingerprint);
  for (const text of [token, `github-pat\0a.js\0${token}\0${1}`, plain?.fingerprint ?? ''])
    for (const algorithm of ['sha1', 'sha256'])
      assert.ok(
        !createHash(algorithm)
          .update(text)
          .digest('hex')
          .startsWith(fingerprint ?? '-'),
      );
  assert.equal((await scanJson(dir, ['--baseline', 'scan.baseline'], 0)).suppressed, 1);

  // Another baseline of the same finding gets another salt, so the same secret looks different there.
  const other = tempDir(t, files);
  await runCli(['scan', '--write-baseline', 'scan.baseline'], { cwd: other });
  const otherText = readFileSync(join(other, 'scan.baseline'), 'utf8');
  assert.notEqual(saltOf(otherText), salt);
  assert.notEqual(entriesOf(otherText)[0]?.[2], fingerprint);

  // Rewriting keeps the salt, so unchanged entries keep their fingerprints (and their reasons).
  await runCli(['scan', '--write-baseline', 'scan.baseline', '--reason', 'later'], { cwd: dir });
  const rewritten = readFileSync(join(dir, 'scan.baseline'), 'utf8');
  assert.equal(saltOf(rewritten), salt);
  assert.deepEqual(entriesOf(rewritten), entriesOf(written));

  // A baseline from before salting (plain fingerprints, no salt line) still applies, and is salted when rewritten.
  writeFileSync(
    join(dir, 'scan.baseline'),
    `# stagecraft scan baseline\na.js\tgithub-pat\t${plain?.fingerprint}\tolder reason\n`,
  );
  const old = await scanJson(dir, ['--baseline', 'scan.baseline', '--show-suppressed'], 0);
  assert.equal(old.suppressions?.[0]?.reason, 'older reason');
  const upgrade = await runCli(['scan', '--write-baseline', 'scan.baseline'], { cwd: dir });
  assert.match(upgrade.stdout, /1 entry \(0 new, 0 no longer found\)/);
  const upgraded = readFileSync(join(dir, 'scan.baseline'), 'utf8');
  assert.ok(saltOf(upgraded));
  assert.notEqual(saltOf(upgraded), salt);
  assert.deepEqual(
    entriesOf(upgraded).map(([file, rule, , reason]) => [file, rule, reason]),
    [['a.js', 'github-pat', 'older reason']],
  );
  assert.ok(!upgraded.includes(plain?.fingerprint ?? '-'));
  assert.equal((await scanJson(dir, ['--baseline', 'scan.baseline'], 0)).suppressed, 1);

  // Two baselines started apart and joined by a union merge have two salt lines: an entry made under the
  // second still applies.
  writeFileSync(join(dir, 'scan.baseline'), `# salt: ${saltOf(upgraded)}\n${otherText}`);
  assert.equal((await scanJson(dir, ['--baseline', 'scan.baseline'], 0)).suppressed, 1);
});

test('scan.baseline in stagecraft.yaml applies to every scan; a broken baseline is exit 1 at its line', async (t) => {
  const token = generatedToken();
  const dir = tempDir(t, {
    'stagecraft.yaml': 'scan:\n  baseline: .stagecraft-baseline\n',
    'a.js': `a = "${token}"\n`,
  });
  assert.equal((await runCli(['scan'], { cwd: dir })).code, 2, 'no baseline file yet: the finding counts');
  await runCli(['scan', '--write-baseline', '.stagecraft-baseline'], { cwd: dir });
  assert.equal((await runCli(['scan'], { cwd: dir })).code, 0);
  writeFileSync(join(dir, '.stagecraft-baseline'), '# header\na.js\tgithub-pat\tnot-a-fingerprint\treason\n');
  const broken = await runCli(['scan'], { cwd: dir });
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /\.stagecraft-baseline:2/);
  assert.match(broken.stderr, /regenerate the file with --write-baseline/);
});

test('.gitleaksignore and a detect-secrets .secrets.baseline are honoured and can be imported', async (t) => {
  const ignoredByGitleaks = generatedToken();
  const ignoredByDetectSecrets = generatedToken();
  const realSecret = generatedToken();
  const dir = repository(t, {
    'a.js': `x = 1\na = "${ignoredByGitleaks}"\n`,
    'b.js': `b = "${ignoredByDetectSecrets}"\n`,
    'c.js': `c = "${realSecret}"\n`,
  });
  const head = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
  writeFileSync(join(dir, '.gitleaksignore'), `# triaged\na.js:github-pat:2\n${head}:a.js:github-pat:2\n`);
  writeFileSync(
    join(dir, '.secrets.baseline'),
    JSON.stringify({
      version: '1.5.0',
      results: {
        'b.js': [
          {
            type: 'GitHub Token',
            filename: 'b.js',
            hashed_secret: sha1(ignoredByDetectSecrets),
            is_verified: false,
            line_number: 9,
          },
        ],
        'c.js': [
          {
            type: 'GitHub Token',
            filename: 'c.js',
            hashed_secret: sha1(realSecret),
            is_secret: true,
            line_number: 1,
          },
        ],
      },
    }),
  );
  const tree = await scanJson(dir, ['--show-suppressed']);
  assert.deepEqual(
    tree.findings.map((f) => f.file),
    ['c.js'],
    'an entry audited as a real secret suppresses nothing',
  );
  assert.deepEqual(tree.suppressions?.map((f) => [f.file, f.by]).sort(), [
    ['a.js', 'gitleaksignore'],
    ['b.js', 'detect-secrets'],
  ]);
  const history = await scanJson(dir, ['--history']);
  assert.deepEqual(
    history.findings.map((f) => f.file),
    ['c.js'],
  );

  const imported = await runCli(['scan', '--import-baseline', '.secrets.baseline'], { cwd: dir });
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /wrote \.stagecraft-baseline: 2 entries/);
  const baseline = readFileSync(join(dir, '.stagecraft-baseline'), 'utf8');
  assert.match(
    baseline,
    /\nb\.js\tgithub-pat\t[0-9a-f]{32}\timported from \.secrets\.baseline \(GitHub Token\)\n/,
  );
  assert.match(baseline, /\na\.js\tgithub-pat\t[0-9a-f]{32}\timported from \.gitleaksignore:2\n/);
  assert.match(imported.stdout, /1 finding is not covered by \.secrets\.baseline/);
  // The converted baseline does the work once the old files are gone.
  git(dir, ['rm', '-q', '--cached', '.gitleaksignore']);
  writeFileSync(join(dir, '.gitleaksignore'), '');
  writeFileSync(join(dir, '.secrets.baseline'), '{"results": {}}');
  const after = await scanJson(dir, ['--baseline', '.stagecraft-baseline']);
  assert.deepEqual(
    after.findings.map((f) => f.file),
    ['c.js'],
  );
});
