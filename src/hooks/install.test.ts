import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { gitOk, repository } from '../test-support/git.ts';
import { GIT_HOOK_SCRIPT, HOOK_BLOCK, HOOK_ONE_LINE, HOOK_SCRIPT } from './hook-command.ts';
import { installHook, uninstallHook } from './install.ts';

test('every shell form of the hook is valid POSIX sh', () => {
  for (const script of [GIT_HOOK_SCRIPT, HOOK_BLOCK, HOOK_SCRIPT, `true && ${HOOK_ONE_LINE}`]) {
    const result = spawnSync('sh', ['-n', '-c', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stderr}\n${script}`);
  }
});

test('husky: creates an executable .husky/pre-commit when there is none, and uninstall deletes it', (t) => {
  const dir = repository(t, {
    'package.json': '{"devDependencies":{"husky":"9.1.7"}}\n',
    '.husky/.keep': '',
  });
  const installed = installHook(dir);
  assert.equal(installed.manager, 'husky');
  assert.deepEqual(installed.changes, [{ file: '.husky/pre-commit', action: 'created' }]);
  assert.equal(readFileSync(join(dir, '.husky/pre-commit'), 'utf8'), HOOK_BLOCK);
  assert.equal(statSync(join(dir, '.husky/pre-commit')).mode & 0o111, 0o111);
  assert.equal(installHook(dir).status, 'already-installed');
  assert.deepEqual(uninstallHook(dir).changes, [{ file: '.husky/pre-commit', action: 'deleted' }]);
  assert.ok(!existsSync(join(dir, '.husky/pre-commit')));
});

test('husky is recognised by core.hooksPath alone', (t) => {
  const dir = repository(t);
  gitOk(dir, ['config', 'core.hooksPath', '.husky/_']);
  assert.equal(installHook(dir).manager, 'husky');
});

test('a hook directory set by core.hooksPath is where the plain hook goes', (t) => {
  const dir = repository(t);
  gitOk(dir, ['config', 'core.hooksPath', '.githooks']);
  const result = installHook(dir);
  assert.equal(result.manager, 'git');
  assert.equal(result.file, '.githooks/pre-commit');
  assert.equal(readFileSync(join(dir, '.githooks/pre-commit'), 'utf8'), GIT_HOOK_SCRIPT);
});

test('lefthook: an empty pre-commit key becomes the entry’s parent, and other pre-commit commands stay', (t) => {
  const original =
    'pre-commit:\n  parallel: true\n  commands:\n    lint:\n      run: npx eslint {staged_files}\n';
  const dir = repository(t, { '.lefthook.yml': original });
  installHook(dir);
  const installed = parse(readFileSync(join(dir, '.lefthook.yml'), 'utf8'));
  assert.deepEqual(Object.keys(installed['pre-commit'].commands), ['lint', 'stagecraft']);
  uninstallHook(dir);
  assert.equal(readFileSync(join(dir, '.lefthook.yml'), 'utf8'), original);

  writeFileSync(join(dir, '.lefthook.yml'), 'pre-commit:\n');
  installHook(dir);
  const filled = parse(readFileSync(join(dir, '.lefthook.yml'), 'utf8'));
  assert.equal(filled['pre-commit'].commands.stagecraft.run, HOOK_SCRIPT);
  uninstallHook(dir);
  assert.equal(readFileSync(join(dir, '.lefthook.yml'), 'utf8'), '{}\n');
});

test('lefthook: a pre-commit that is not a mapping is an error naming the key', (t) => {
  const dir = repository(t, { 'lefthook.yaml': 'pre-commit: [a, b]\n' });
  assert.throws(() => installHook(dir), {
    code: 'HOOKS_CONFIG_INVALID',
    message: 'lefthook.yaml: pre-commit is not a mapping, so stagecraft cannot add its command there',
  });
});

test('lefthook: a config that is not valid YAML, or nests without end, is an error at its line and stays as it was', (t) => {
  const broken = 'pre-commit:\n  commands:\n  commands: {}\n';
  const dir = repository(t, { 'lefthook.yml': broken });
  assert.throws(() => installHook(dir), {
    code: 'HOOKS_CONFIG_INVALID',
    message: 'YAML syntax error: Map keys must be unique',
    location: { file: 'lefthook.yml', line: 3, column: 3 },
  });
  assert.equal(readFileSync(join(dir, 'lefthook.yml'), 'utf8'), broken);
  writeFileSync(join(dir, 'lefthook.yml'), `pre-commit: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
  assert.throws(() => installHook(dir), {
    code: 'HOOKS_CONFIG_INVALID',
    message: 'maps and lists nest more than 256 levels deep',
    location: { file: 'lefthook.yml', line: 1, column: 271 },
  });
});

test('simple-git-hooks: a standalone JSON config gains a pre-commit entry, kept tab-indented, then loses it', (t) => {
  const original = '{\n\t"pre-push": "npm test"\n}';
  const dir = repository(t, { '.simple-git-hooks.json': original });
  const installed = installHook(dir);
  assert.equal(installed.manager, 'simple-git-hooks');
  const written = readFileSync(join(dir, '.simple-git-hooks.json'), 'utf8');
  assert.equal(written, JSON.stringify({ 'pre-push': 'npm test', 'pre-commit': HOOK_ONE_LINE }, null, '\t'));
  assert.equal(installHook(dir).status, 'already-installed');
  uninstallHook(dir);
  assert.equal(readFileSync(join(dir, '.simple-git-hooks.json'), 'utf8'), original);
});

test('a stagecraft hook edited by hand is left alone unless --force', (t) => {
  const dir = repository(t);
  installHook(dir);
  const hook = join(dir, '.git/hooks/pre-commit');
  const edited = `${readFileSync(hook, 'utf8')}echo extra\n`;
  writeFileSync(hook, edited);
  const kept = installHook(dir);
  assert.equal(kept.status, 'already-installed');
  assert.match(
    kept.notes[0] ?? '',
    /differs from what this version of stagecraft writes.*--force rewrites it/,
  );
  assert.equal(readFileSync(hook, 'utf8'), edited);
  assert.deepEqual(installHook(dir, { force: true }).changes, [
    { file: '.git/hooks/pre-commit', action: 'updated' },
  ]);
  assert.equal(readFileSync(hook, 'utf8'), GIT_HOOK_SCRIPT);
  assert.ok(!existsSync(`${hook}.stagecraft-chained`), 'its own older hook is never chained');
});
