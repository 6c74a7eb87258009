/**
 * `drift deps` on hostile lockfiles committed to a real repository, run as users run it (the built CLI, a
 * child process) under a small heap and a deadline: a 50 MB line, an alias bomb, nesting without end, a
 * lockfile past its cap. Each ends in bounded time and memory, and none is ever "no skew".
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AFTER, BEFORE, npmLockfile, pnpmLockfile } from '../drift/deps/fixtures/lockfiles.ts';
import { spawnCli } from '../test-support/cli.ts';
import { gitOk, repository } from '../test-support/git.ts';

/** A repository whose two commits hold `before` and then `after` at `path`; returns the commits. */
function twoCommits(t: { after(fn: () => void): void }, path: string, before: string, after: string) {
  const dir = repository(t, { [path]: before });
  const left = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  writeFileSync(join(dir, path), after);
  gitOk(dir, ['commit', '-q', '-am', 'change']);
  return { dir, left, right: gitOk(dir, ['rev-parse', 'HEAD']).trim() };
}

// biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it asserts.
async function bounded(dir: string, left: string, right: string, heapMb: number): Promise<any> {
  const started = performance.now();
  const result = await spawnCli(['drift', 'deps', `commit:${left}`, `commit:${right}`, '--format', 'json'], {
    cwd: dir,
    nodeArgs: [`--max-old-space-size=${heapMb}`],
    timeoutMs: 60_000,
  });
  assert.equal(result.timedOut, false, 'the run ended before its deadline');
  return { ...result, ms: performance.now() - started, data: JSON.parse(result.stdout) };
}

test('a package-lock.json with a 50 MB line is read in bounded memory, and its changes reported', async (t) => {
  const lock = JSON.parse(npmLockfile(AFTER, 3));
  lock.packages[''].description = 'x'.repeat(50 * 1024 * 1024);
  const { dir, left, right } = twoCommits(
    t,
    'package-lock.json',
    npmLockfile(BEFORE, 3),
    JSON.stringify(lock),
  );
  const result = await bounded(dir, left, right, 512);
  assert.equal(result.code, 2, result.stderr);
  assert.deepEqual(result.data.counts, {
    changed: 3,
    added: 1,
    removed: 2,
    majorChanges: 2,
    lockfilesAddedOrRemoved: 0,
    unreadable: 0,
  });
});

test('a pnpm-lock.yaml alias bomb is refused at its alias, quickly and in a small heap', async (t) => {
  const bomb = ["lockfileVersion: '9.0'", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) {
    const [name, previous] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  const { dir, left, right } = twoCommits(
    t,
    'pnpm-lock.yaml',
    pnpmLockfile(BEFORE, '9.0'),
    `${bomb.join('\n')}\n`,
  );
  const result = await bounded(dir, left, right, 128);
  assert.equal(result.code, 1, result.stderr);
  const [problem] = result.data.error.problems;
  assert.equal(problem.code, 'YAML_ALIAS_LIMIT');
  assert.equal(problem.location.file, `${right.slice(0, 12)}:pnpm-lock.yaml`);
  assert.equal(problem.location.line, 6);
  assert.ok(result.ms < 15_000, `took ${Math.round(result.ms)} ms`);
});

test('lockfiles nested without end are refused, not a stack overflow', async (t) => {
  const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
  const { dir, left, right } = twoCommits(t, 'bun.lock', '{"lockfileVersion": 1}', deep);
  const result = await bounded(dir, left, right, 128);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.data.error.problems[0].message, /nests maps and lists more than 256 levels deep/);
});

test('a lockfile past its cap is refused unread', async (t) => {
  const huge = `${pnpmLockfile(AFTER, '9.0')}# ${'x'.repeat(17 * 1024 * 1024)}\n`;
  const { dir, left, right } = twoCommits(t, 'pnpm-lock.yaml', pnpmLockfile(BEFORE, '9.0'), huge);
  // A heap far smaller than the YAML parser would need for the file: it is never read.
  const result = await bounded(dir, left, right, 64);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.data.error.problems[0].code, 'DEPS_LOCKFILE_TOO_LARGE');
  assert.match(
    result.data.error.problems[0].message,
    /pnpm-lock\.yaml is 17\.\d MiB, more than the 16 MiB drift deps reads/,
  );
});
