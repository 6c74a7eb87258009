/** What the ledger's CLI tests share: fresh digests and commits, and the check that an action was refused. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CliResult } from './cli.ts';

export const digest = (): string => `sha256:${randomBytes(32).toString('hex')}`;
export const commit = (): string => randomBytes(20).toString('hex');

/** The action was refused (exit 2, or `exit` when given) by one of `codes`, with no stack trace. */
export function assertRefused(result: CliResult, codes: string | readonly string[], exit = 2): void {
  assert.equal(result.code, exit, result.stdout + result.stderr);
  const any = typeof codes === 'string' ? [codes] : codes;
  assert.match(result.stdout + result.stderr, new RegExp(`\\[(${any.join('|')})\\]`));
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
}

/** `artifact register` arguments for a fresh build of a service of the test workspaces' registry. */
export function registerArgs(
  service = 'web',
  digestValue: string = digest(),
  commitValue: string = commit(),
): string[] {
  return [
    'artifact',
    'register',
    service,
    `registry.example.com/shop/${service}@${digestValue}`,
    '--commit',
    commitValue,
  ];
}
