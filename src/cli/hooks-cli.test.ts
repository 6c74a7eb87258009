import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';
import {
  GIT_ENV,
  GOOD_GITIGNORE,
  generatedToken,
  git,
  gitOk,
  minimalPath,
  pathWith,
  repository,
  stagecraftShim,
} from '../test-support/git.ts';

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: GIT_ENV });

/** `git commit` as a person runs it, with the stagecraft shim on PATH for the hook to find. */
function commit(t: { after(fn: () => void): void }, dir: string, message = 'change') {
  return git(dir, ['commit', '-m', message], { PATH: pathWith(stagecraftShim(tempDir(t))) });
}

test('a commit that adds a secret is refused with a redacted finding and a hint; a clean one passes', async (t) => {
  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE, 'app.env': 'A=1\n' });
  const installed = await cli(['hooks', 'install'], dir);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /hook manager: plain git hooks \(\.git\/hooks\/pre-commit\)/);
  assert.match(
    installed.stdout,
    /created {2}\.git\/hooks\/pre-commit\n✓ stagecraft pre-commit hook installed/,
  );
  assert.equal(statSync(join(dir, '.git/hooks/pre-commit')).mode & 0o111, 0o111);

  const token = generatedToken();
  writeFileSync(join(dir, 'app.env'), `A=1\nGITHUB_TOKEN=${token}\n`);
  gitOk(dir, ['add', 'app.env']);
  const refused = commit(t, dir);
  assert.notEqual(refused.code, 0, 'the commit must be refused');
  assert.equal(gitOk(dir, ['rev-list', '--count', 'HEAD']).trim(), '1', 'nothing was committed');
  assert.match(refused.output, /app\.env\n {2}2:14 +github-pat {2}GitHub personal access token/);
  assert.match(refused.output, /ghp_\*{12}/);
  assert.ok(!refused.output.includes(token.slice(4)), 'the secret itself is never printed');
  assert.match(
    refused.output,
    /✗ Commit refused by the stagecraft pre-commit hook\.\n {2}Remove each secret .*\n {2}A false positive\? Add a `stagecraft:allow` comment on its line\.\n {2}To skip the checks once: git commit --no-verify \(discouraged/,
  );

  writeFileSync(join(dir, 'app.env'), 'A=1\nGITHUB_TOKEN=\n');
  gitOk(dir, ['add', 'app.env']);
  const clean = commit(t, dir);
  assert.equal(clean.code, 0, clean.output);
  assert.match(clean.output, /✓ no secrets found/);
});

test('the hook also refuses a commit while .gitignore lacks a required pattern', async (t) => {
  const dir = repository(t, { '.gitignore': 'node_modules/\n' });
  assert.equal((await cli(['hooks', 'install'], dir)).code, 0);
  writeFileSync(join(dir, 'README.md'), 'hello\n');
  gitOk(dir, ['add', 'README.md']);
  const refused = commit(t, dir);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /missing {2}\.env is not ignored/);
  assert.match(refused.output, /\.gitignore: `stagecraft gitignore check --fix` adds the missing patterns/);
  assert.doesNotMatch(refused.output, /stagecraft:allow/, 'no scan advice when the scan was clean');
});

test('installing twice changes nothing the second time', async (t) => {
  const dir = repository(t);
  await cli(['hooks', 'install'], dir);
  const before = readFileSync(join(dir, '.git/hooks/pre-commit'), 'utf8');
  const again = await cli(['hooks', 'install', '--format', 'json'], dir);
  assert.equal(again.code, 0);
  const data = JSON.parse(again.stdout);
  assert.equal(data.manager, 'git');
  assert.equal(data.root, '.', 'the repository, named from the workspace, not as a path of this machine');
  assert.equal(data.status, 'already-installed');
  assert.deepEqual(data.changes, []);
  assert.equal(readFileSync(join(dir, '.git/hooks/pre-commit'), 'utf8'), before);
  assert.ok(!existsSync(join(dir, '.git/hooks/pre-commit.stagecraft-chained')), 'never chains itself');
});

test('an existing hook still runs first and its failure blocks; uninstall restores it byte for byte', async (t) => {
  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE });
  const hook = join(dir, '.git/hooks/pre-commit');
  const original =
    '#!/bin/sh\n# the team lint\necho "team hook ran" >> team-hook.log\n[ ! -e stop ] || exit 7\n';
  writeFileSync(hook, original);
  chmodSync(hook, 0o750);

  const installed = await cli(['hooks', 'install'], dir);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(
    installed.stdout,
    /moved {4}\.git\/hooks\/pre-commit → \.git\/hooks\/pre-commit\.stagecraft-chained/,
  );

  writeFileSync(join(dir, 'a.txt'), 'a\n');
  gitOk(dir, ['add', 'a.txt']);
  const passed = commit(t, dir);
  assert.equal(passed.code, 0, passed.output);
  assert.equal(readFileSync(join(dir, 'team-hook.log'), 'utf8'), 'team hook ran\n');
  assert.match(passed.output, /✓ no secrets found/);

  writeFileSync(join(dir, 'stop'), '');
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  gitOk(dir, ['add', 'b.txt']);
  const blocked = commit(t, dir);
  assert.notEqual(blocked.code, 0, 'the chained hook’s failure refuses the commit');
  assert.doesNotMatch(blocked.output, /no secrets found/, 'stagecraft does not run after it failed');

  const removed = await cli(['hooks', 'uninstall'], dir);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(
    removed.stdout,
    /restored \.git\/hooks\/pre-commit \(from \.git\/hooks\/pre-commit\.stagecraft-chained\)/,
  );
  assert.equal(readFileSync(hook, 'utf8'), original);
  assert.equal(statSync(hook).mode & 0o777, 0o750);
  assert.ok(!existsSync(`${hook}.stagecraft-chained`));

  const again = await cli(['hooks', 'uninstall'], dir);
  assert.match(again.stdout, /no stagecraft pre-commit hook to remove/);
  assert.equal(readFileSync(hook, 'utf8'), original);
});

test('install refuses to overwrite a foreign hook already at the chained name', async (t) => {
  const dir = repository(t);
  writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(join(dir, '.git/hooks/pre-commit.stagecraft-chained'), '#!/bin/sh\necho mine\n');
  const result = await cli(['hooks', 'install'], dir);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /error \[HOOKS_CHAINED_EXISTS\] \.git\/hooks\/pre-commit is another tool's hook/,
  );
  assert.match(result.stderr, /hint: rename or remove \.git\/hooks\/pre-commit\.stagecraft-chained/);
  assert.equal(
    readFileSync(join(dir, '.git/hooks/pre-commit.stagecraft-chained'), 'utf8'),
    '#!/bin/sh\necho mine\n',
  );
});

test('uninstall deletes the hook when there was none before', async (t) => {
  const dir = repository(t);
  await cli(['hooks', 'install'], dir);
  const removed = await cli(['hooks', 'uninstall'], dir);
  assert.match(removed.stdout, /deleted {2}\.git\/hooks\/pre-commit/);
  assert.ok(!existsSync(join(dir, '.git/hooks/pre-commit')));
});

test('the hook prefers the project’s node_modules/.bin/stagecraft, and says to run npm install without one', async (t) => {
  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE });
  await cli(['hooks', 'install'], dir);
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  gitOk(dir, ['add', 'a.txt']);
  // Neither the project nor PATH has one: the copy that installed the hook runs, with the node that ran it.
  const hook = join(dir, '.git/hooks/pre-commit');
  assert.match(readFileSync(hook, 'utf8'), /^stagecraft_installer='.+main\.js'$/m);
  const viaInstaller = git(dir, ['commit', '-m', 'a'], { PATH: minimalPath() });
  assert.equal(viaInstaller.code, 0, viaInstaller.output);
  assert.match(viaInstaller.output, /✓ no secrets found/);
  // When that copy is gone too, the hook says where it looked and what to do.
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  gitOk(dir, ['add', 'b.txt']);
  writeFileSync(
    hook,
    readFileSync(hook, 'utf8').replace(
      /^stagecraft_installer=.*$/m,
      "stagecraft_installer='/nowhere/main.js'",
    ),
  );
  const missing = git(dir, ['commit', '-m', 'b'], { PATH: minimalPath() });
  assert.equal(missing.code, 1);
  assert.match(
    missing.output,
    /stagecraft is not installed here \(not in node_modules\/\.bin, not on PATH, not at \/nowhere\/main\.js\); run npm install \(or skip the check once with git commit --no-verify\)/,
  );

  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  stagecraftShim(join(dir, 'node_modules/.bin'));
  const found = git(dir, ['commit', '-m', 'b'], { PATH: minimalPath() });
  assert.equal(found.code, 0, found.output);
  assert.match(found.output, /✓ no secrets found/);
});

test('with husky, a marked block goes into .husky/pre-commit and uninstall takes exactly that out', async (t) => {
  const original = 'echo "husky hook ran" >> husky.log\n';
  const dir = repository(t, {
    '.gitignore': GOOD_GITIGNORE,
    'package.json': '{ "devDependencies": { "husky": "^9.0.0" } }\n',
    '.husky/pre-commit': original,
    // What husky 9 installs: git runs .husky/_/pre-commit, which runs the project's file with sh -e.
    '.husky/_/pre-commit': '#!/bin/sh\nexec sh -e "$(dirname "$0")/../pre-commit" "$@"\n',
  });
  chmodSync(join(dir, '.husky/_/pre-commit'), 0o755);
  gitOk(dir, ['config', 'core.hooksPath', '.husky/_']);

  const installed = await cli(['hooks', 'install'], dir);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(
    installed.stdout,
    /hook manager: husky \(\.husky\/pre-commit\)\nupdated {2}\.husky\/pre-commit/,
  );
  const edited = readFileSync(join(dir, '.husky/pre-commit'), 'utf8');
  assert.ok(edited.startsWith(`${original}\n# >>> stagecraft >>>\n`), edited);
  assert.ok(edited.endsWith('# <<< stagecraft <<<\n'));
  assert.ok(!existsSync(join(dir, '.git/hooks/pre-commit')), 'git’s own hooks folder is left alone');

  writeFileSync(join(dir, 'app.env'), `TOKEN=${generatedToken()}\n`);
  gitOk(dir, ['add', '-f', 'app.env']);
  const refused = commit(t, dir);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /github-pat/);
  assert.equal(
    readFileSync(join(dir, 'husky.log'), 'utf8'),
    'husky hook ran\n',
    'the team’s lines still run',
  );

  assert.equal((await cli(['hooks', 'uninstall'], dir)).code, 0);
  assert.equal(readFileSync(join(dir, '.husky/pre-commit'), 'utf8'), original);
});

test('with lefthook, the command is added to its YAML with comments kept, and removed again', async (t) => {
  const original =
    '# Team hooks: keep this comment\npre-push:\n  commands:\n    test:\n      run: npm test # slow\n';
  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE, 'lefthook.yml': original });
  const installed = await cli(['hooks', 'install'], dir);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /hook manager: lefthook \(lefthook\.yml\)\nupdated {2}lefthook\.yml/);
  const edited = readFileSync(join(dir, 'lefthook.yml'), 'utf8');
  assert.ok(edited.startsWith(original), edited);
  assert.match(edited, /\npre-commit:\n {2}commands:\n {4}stagecraft:\n {6}run: \|-\n {8}stagecraft_bin=/);

  // lefthook runs `run` with sh -c from the repository root; do the same with a secret staged.
  const { parse } = await import('yaml');
  const run = parse(edited)['pre-commit'].commands.stagecraft.run as string;
  writeFileSync(join(dir, 'app.env'), `TOKEN=${generatedToken()}\n`);
  gitOk(dir, ['add', '-f', 'app.env']);
  const shim = stagecraftShim(tempDir(t));
  const hook = spawnSync('sh', ['-c', run], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, PATH: pathWith(shim) },
  });
  assert.equal(hook.status, 2, hook.stderr);
  assert.match(hook.stdout, /ghp_\*{12}/);

  assert.equal((await cli(['hooks', 'install'], dir)).stdout.includes('already installed'), true);
  assert.equal((await cli(['hooks', 'uninstall'], dir)).code, 0);
  assert.equal(readFileSync(join(dir, 'lefthook.yml'), 'utf8'), original);
});

test('with simple-git-hooks in package.json, the command is appended to pre-commit and removed exactly', async (t) => {
  const original = '{\n  "name": "app",\n  "simple-git-hooks": {\n    "pre-commit": "echo sgh ran"\n  }\n}\n';
  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE, 'package.json': original });
  const installed = await cli(['hooks', 'install'], dir);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(
    installed.stdout,
    /hook manager: simple-git-hooks \(package\.json\)\nupdated {2}package\.json/,
  );
  assert.match(installed.stdout, /note: run npx simple-git-hooks/);
  const entry = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))['simple-git-hooks']['pre-commit'];
  assert.ok(entry.startsWith('echo sgh ran && { '), entry);

  // What `npx simple-git-hooks` writes: the entry as the body of .git/hooks/pre-commit.
  writeFileSync(join(dir, '.git/hooks/pre-commit'), `#!/bin/sh\n${entry}\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'app.env'), `TOKEN=${generatedToken()}\n`);
  gitOk(dir, ['add', '-f', 'app.env']);
  const refused = commit(t, dir);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /sgh ran\n[\s\S]*github-pat/);

  const removed = await cli(['hooks', 'uninstall'], dir);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), original);
});

test('a JavaScript simple-git-hooks config is refused with the line to add by hand', async (t) => {
  const dir = repository(t, {
    '.simple-git-hooks.cjs': "module.exports = { 'pre-commit': 'npx lint-staged' };\n",
  });
  const result = await cli(['hooks', 'install'], dir);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /error \[HOOKS_MANUAL_EDIT\] simple-git-hooks is configured in \.simple-git-hooks\.cjs, a JavaScript file stagecraft does not edit/,
  );
  assert.match(result.stderr, /'pre-commit': "\{ stagecraft_bin=.*hooks run pre-commit; \}",/);
});

test('install and uninstall outside a git repository exit 1 with a hint', async (t) => {
  const dir = tempDir(t);
  for (const command of ['install', 'uninstall']) {
    const result = await cli(['hooks', command], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error \[GIT_NOT_A_REPOSITORY\] .* is not inside a git repository\nhint: /);
  }
});

test('hooks run pre-commit reports both checks as one JSON document', async (t) => {
  const dir = repository(t, { '.gitignore': 'node_modules/\n' });
  writeFileSync(join(dir, 'app.env'), `TOKEN=${generatedToken()}\n`);
  gitOk(dir, ['add', 'app.env']);
  const result = await cli(['hooks', 'run', 'pre-commit', '--format', 'json'], dir);
  assert.equal(result.code, 2, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.checks.map((check: { name: string; exitCode: number }) => [check.name, check.exitCode]),
    [
      ['scan', 2],
      ['gitignore', 2],
    ],
  );
  assert.equal(data.checks[0].report.findings[0].rule, 'github-pat');
  assert.ok(data.checks[1].report.missing.includes('.env'));
  assert.match(data.hint.at(-1), /git commit --no-verify/);

  const unknown = await cli(['hooks', 'run', 'pre-push'], dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /error \[HOOKS_UNKNOWN_HOOK\]/);
});

test('hooks run pre-commit stopped by invalid scan settings refuses the commit as unchecked (exit 2)', async (t) => {
  const dir = repository(t, {
    '.gitignore': GOOD_GITIGNORE,
    'stagecraft.yaml': "scan:\n  rules:\n    - id: Bad Id\n      regex: '('\n",
  });
  const result = await cli(['hooks', 'run', 'pre-commit'], dir);
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /error \[SCAN_CONFIG_INVALID\] the scan section of stagecraft\.yaml is invalid/,
  );
  assert.match(result.stdout, /✗ Commit refused: stagecraft could not check it \(see the error above\)\./);
  assert.doesNotMatch(result.stdout, /Remove each secret/);
});
