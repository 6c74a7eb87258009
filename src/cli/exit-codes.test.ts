import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Outcome } from '@stagecraft/config/errors';
import { ExitCode, exitCodeFor } from './exit-codes.ts';

test('invalid input and refused actions exit 2; what could not be evaluated or reached exits 1', () => {
  assert.equal(exitCodeFor('invalid'), ExitCode.Problems);
  assert.equal(exitCodeFor('refused'), ExitCode.Problems);
  assert.equal(exitCodeFor('failed'), ExitCode.Error);
  assert.equal(exitCodeFor('unavailable'), ExitCode.Error);
});

test('an error from a copy of stagecraft too old to carry an outcome exits 1', () => {
  assert.equal(exitCodeFor(undefined as unknown as Outcome), ExitCode.Error);
  assert.equal(exitCodeFor('constructor' as Outcome), ExitCode.Error);
});
