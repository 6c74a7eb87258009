/** What the ledger's CLI tests share: fresh digests and commits, and the check that an action was refused. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../ledger/store.ts';
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

/**
 * An in-memory SQLite ledger for one test, shared by its CLI runs (`runCli`'s `ledgerStore`) and closed
 * after it: the ledger's rules without a file, a WAL or an fsync per write.
 */
export async function memoryLedger(t: {
  after(fn: () => Promise<void>): void;
}): Promise<() => Promise<Store>> {
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  // Each run closes the store it was given when it ends; this one outlives them.
  const shared: Store = { ...store, close: async () => {} };
  return async () => shared;
}

/** What `kubectl get -o json` shows of a cluster whose one Deployment (`metadata`) runs `image`. */
export function liveDeployment(image: string, metadata: { name: string; namespace?: string }): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
      },
    ],
  });
}
