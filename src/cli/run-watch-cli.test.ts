/** `stagecraft run --refresh`: its checks, before anything is resolved. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../test-support/cli.ts';

test('run --refresh is refused without --watch, and when it is not a duration', async () => {
  for (const args of [
    ['--refresh', '1m'],
    ['--watch', '--refresh', 'soon'],
  ]) {
    const result = await runCli(['run', ...args, '--', process.execPath, '-e', '']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /RUN_BAD_REFRESH/);
  }
});
