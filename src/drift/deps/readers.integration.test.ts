/** Lockfile readers on the largest hostile inputs: a 50 MB line, and an entry budget spent on aliases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStagecraftError } from '@stagecraft/config/errors';
import { readBunLockfile } from './bun.ts';
import { readNpmLockfile } from './npm.ts';
import { readYarnBerryLockfile, readYarnV1Lockfile } from './yarn.ts';

/** The error a read throws: its code and where. */
function failure(read: () => unknown): { code: string; line: number | undefined; message: string } {
  try {
    read();
  } catch (error) {
    assert.ok(isStagecraftError(error), `not a StagecraftError: ${error}`);
    return { code: error.code, line: error.location?.line, message: error.message };
  }
  assert.fail('the read did not fail');
}

/** Runs `read`, which must fail with `code`, within `ms`. */
function failsQuickly(read: () => unknown, code: string, ms: number): void {
  const started = performance.now();
  assert.equal(failure(read).code, code);
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${Math.round(took)} ms`);
}

test('a berry lockfile whose entries alias one map over and over stops at the entry budget', () => {
  const lines = [
    '__metadata:',
    '  version: 8',
    'x: &x {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}',
  ];
  for (let i = 0; i < 200_000; i++)
    lines.push(`"p${i}@npm:1": {version: "1", resolution: "p${i}@npm:1", dependencies: *x}`);
  failsQuickly(() => readYarnBerryLockfile(`${lines.join('\n')}\n`, 'f'), 'DEPS_LOCKFILE_TOO_LARGE', 10_000);
});

test('a 50 MB line: JSON lockfiles read it in bounded time; yarn.lock v1 refuses it before its parser does', () => {
  const long = 'a'.repeat(50 * 1024 * 1024);
  let started = performance.now();
  const npm = readNpmLockfile(`{"lockfileVersion":3,"packages":{"":{"description":"${long}"}}}`, 'f');
  assert.equal(npm.versions.size, 0);
  started = performance.now() - started;
  assert.ok(started < 5000, `package-lock.json took ${Math.round(started)} ms`);
  const bun = readBunLockfile(`{"lockfileVersion":1,"packages":{"a":["a@1.0.0","",{},"${long}"]}}`, 'f');
  assert.deepEqual([...(bun.versions.get('a') ?? [])], ['1.0.0']);
  failsQuickly(
    () => readYarnV1Lockfile(`# yarn lockfile v1\n\nfoo@^1.0.0:\n  version "${long}"\n`, 'f'),
    'DEPS_LOCKFILE_INVALID',
    2000,
  );
});
