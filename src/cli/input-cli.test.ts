/**
 * Bounded, regular input: every file stagecraft reads is a regular file under a size cap, every YAML is
 * parsed by one parser with an alias limit, and no input, however malformed, ends in an internal error, a
 * stack trace or a wrong verdict. Each test runs the built CLI, the way users and CI do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';

test('under --format json a report followed by an error is one JSON document: the error, with the partial report', async (t) => {
  const dir = tempDir(t);
  // A device is not a folder to walk: the scan reports it unreadable, after its (empty) report.
  const result = await runCli(['scan', '/dev/null', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const document = JSON.parse(result.stdout) as {
    error: { code: string };
    report: { skipped: { unreadable: string[] } };
  };
  assert.equal(document.error.code, 'SCAN_UNREADABLE');
  assert.equal(document.report.skipped.unreadable.length, 1);
});
