import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

/** A real git repository in a temporary folder, with the given files committed. */
function repository(
  t: { after(fn: () => void): void },
  files: Record<string, string>,
  copyOf?: string,
): string {
  const dir = tempDir(t, files);
  if (copyOf !== undefined) cpSync(copyOf, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A', '-f');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'initial');
  return dir;
}

test('gitignore check passes when every required pattern is ignored and nothing matching is tracked', async (t) => {
  const dir = repository(t, {
    '.gitignore': '.env*\n*.key\n*.pem\nsecrets/\n.stagecraft/\n',
    'app.js': 'x\n',
  });
  const result = await runCli(['gitignore', 'check'], { cwd: dir });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /✓ \.gitignore covers every required pattern; nothing matching is tracked/);
});

test('a copy of examples/shop is a repository of its own that passes gitignore check', async (t) => {
  const dir = repository(t, {}, EXAMPLE_SHOP);
  const result = await runCli(['gitignore', 'check'], { cwd: dir });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('gitignore check reports missing patterns and tracked files, and --fix adds the patterns', async (t) => {
  const dir = repository(t, {
    '.gitignore': 'node_modules/\n',
    'deploy/server.key': 'not really a key\n',
    'stagecraft.yaml': 'scan:\n  gitignore: ["*.p12"]\n',
  });
  const result = await runCli(['gitignore', 'check', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2);
  const data = JSON.parse(result.stdout);
  // Paths in reports are the workspace's, never this machine's: the repository is the workspace's folder.
  assert.equal(data.root, '.');
  assert.deepEqual(data.missing, [
    '.env',
    '.env.local',
    '.env.production',
    '*.key',
    '*.pem',
    'secrets/',
    '.stagecraft/',
    '*.p12',
  ]);
  assert.deepEqual(data.tracked, ['deploy/server.key']);

  const fixed = await runCli(['gitignore', 'check', '--fix'], { cwd: dir });
  assert.equal(fixed.code, 2, 'a tracked file is still a problem after --fix');
  assert.match(fixed.stdout, /added {4}\*\.p12 to \.gitignore/);
  assert.match(fixed.stdout, /git rm --cached -- "deploy\/server\.key"/);
  const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
  assert.match(
    gitignore,
    /^node_modules\/\n\n# Secrets and local environment files: never commit \(added by stagecraft init\)\n\.env\n/,
  );
  assert.match(gitignore, /\*\.p12\n$/);
  const again = JSON.parse((await runCli(['gitignore', 'check', '--format', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(again.missing, []);
});

test('a negated pattern that re-includes a required path counts as missing', async (t) => {
  const dir = repository(t, {
    '.gitignore': '.env*\n!.env.production\n*.key\n*.pem\nsecrets/\n.stagecraft/\n',
  });
  const data = JSON.parse((await runCli(['gitignore', 'check', '--format', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(data.missing, ['.env.production']);
});

test('gitignore check outside a git repository is an error', async (t) => {
  const dir = tempDir(t);
  const result = await runCli(['gitignore', 'check'], { cwd: dir });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /error \[GIT_NOT_A_REPOSITORY\] .* is not inside a git repository/);
});

test('scan --staged reports only what the next commit adds, and exits 1 outside a repository', async (t) => {
  const { Gen, githubChecksum } = await import('../scan/rules/gen.ts');
  const token = (seed: number) => {
    const random = new Gen(seed).alnum(30);
    return `ghp_${random}${githubChecksum(random)}`;
  };
  const dir = repository(t, { 'old.env': `OLD=${token(1)}\n`, 'app.env': 'A=1\n' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'app.env'), `A=1\nNEW=${token(2)}\n`);
  writeFileSync(join(dir, 'notes.txt'), `unstaged ${token(3)}\n`);
  execFileSync('git', ['add', 'app.env'], { cwd: dir });
  const result = await runCli(['scan', '--staged', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`),
    ['app.env:2'],
  );
  assert.deepEqual(data.scanned, { files: 1, bytes: Buffer.byteLength(`A=1\nNEW=${token(2)}\n`) });

  execFileSync('git', ['reset', '-q'], { cwd: dir });
  const clean = await runCli(['scan', '--staged'], { cwd: dir });
  assert.equal(clean.code, 0);

  const outside = await runCli(['scan', '--staged'], { cwd: tempDir(t) });
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /error \[GIT_NOT_A_REPOSITORY\]/);
});
