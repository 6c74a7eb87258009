/**
 * The example shop with a stand-in kubectl on PATH, and its path from dev to production: shared by the SQLite
 * tests and the PostgreSQL integration test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Store } from '../ledger/store.ts';
import { type CliResult, EXAMPLE_SHOP, runCli, tempDir } from './cli.ts';

const digest = () => `sha256:${randomBytes(32).toString('hex')}`;
const commit = () => randomBytes(20).toString('hex');

export interface ShopOptions {
  /** The ledger on this PostgreSQL; else SQLite. */
  databaseUrl?: string;
  /** The ledger's store (`memoryLedger`). */
  ledgerStore?: () => Promise<Store>;
}

export interface Shop {
  dir: string;
  /** What the deploy steps asked of kubectl. */
  log: string;
  /** Runs in rehearsal at `now`; with `now` null, for real, at the database's time. */
  cli(args: string[], role: string, actor: string, now?: string | null): Promise<CliResult>;
}

/**
 * The example shop with a stand-in kubectl on PATH that records what the deploy step asked of it: the
 * shop's own stagecraft.yaml (roles, gates, the kubectl deploy command) is what is tested.
 */
export function shop(t: { after(fn: () => void): void }, options: ShopOptions = {}): Shop {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const log = join(dir, 'kubectl.log');
  writeFileSync(
    join(dir, 'kubectl'),
    `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\necho "deployment.apps/$STAGECRAFT_SERVICE image updated"\n`,
  );
  chmodSync(join(dir, 'kubectl'), 0o755);
  const cli = (args: string[], role: string, actor: string, now: string | null = '2026-11-24T10:00:00Z') =>
    runCli(args, {
      ...(options.ledgerStore ? { ledgerStore: options.ledgerStore } : {}),
      cwd: dir,
      env: {
        STAGECRAFT_ROLE: role,
        STAGECRAFT_ACTOR: actor,
        STAGECRAFT_NOW: now ?? undefined,
        STAGECRAFT_REHEARSAL: now === null ? undefined : '1',
        STAGECRAFT_DATABASE_URL: options.databaseUrl,
        PATH: `${dir}${delimiter}${process.env['PATH']}`,
      },
    });
  return { dir, cli, log };
}

/** A storefront artifact from dev to production in the shop, each gate refusing until it is met. */
export async function shopChain(
  t: { after(fn: () => void): void },
  options: ShopOptions = {},
): Promise<void> {
  const { cli, log } = shop(t, options);
  const d = digest();
  const sha = commit();
  const image = `registry.example.com/shop/storefront@${d}`;
  assert.equal(
    (
      await cli(
        ['artifact', 'register', 'storefront', image, '--commit', sha, '--author', 'alice'],
        'ci',
        'ci-bot',
      )
    ).code,
    0,
  );
  // Monday 24 November 2026, 11:00 in Berlin: inside the production window.
  const dev = await cli(
    ['deploy', 'storefront', '--env', 'dev', '--format', 'json'],
    'developer',
    'alice',
    '2026-11-24T10:00:00Z',
  );
  assert.equal(dev.code, 0, dev.stderr);
  // Rehearsed, dev's deploy step is not run: the deployment keeps what would have run, and succeeds.
  assert.equal(existsSync(log), false, 'the rehearsed deploy step ran kubectl');
  const wouldRun = `it would run\n  kubectl --namespace shop-dev set image "deployment/$STAGECRAFT_SERVICE" "app=$STAGECRAFT_IMAGE"\nwith\n  STAGECRAFT_SERVICE=storefront\n  STAGECRAFT_IMAGE=${image}\n`;
  const kept = JSON.parse(dev.stdout);
  assert.equal(kept.status, 'succeeded');
  assert.equal(kept.rehearsal, true);
  assert.equal(kept.step, 'rehearsed');
  assert.ok(kept.output.includes(wouldRun), kept.output);
  // ... and counts only in rehearsal: for real, storefront has not succeeded in dev.
  const real = await cli(['promote', 'storefront', '--to', 'staging'], 'ci', 'ci-bot', null);
  assert.equal(real.code, 2, real.stderr);
  assert.match(real.stderr, /\[LEDGER_NOT_IN_SOURCE\] storefront has no successful deployment in dev/);

  const untested = await cli(['promote', 'storefront', '--to', 'staging'], 'ci', 'ci-bot');
  assert.equal(untested.code, 2);
  assert.match(untested.stderr, /\[LEDGER_GATE_FAILED\].*tests: no test result is reported for commit/);
  assert.equal((await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci', 'ci-bot')).code, 0);
  const staging = await cli(
    ['promote', 'storefront', '--to', 'staging'],
    'ci',
    'ci-bot',
    '2026-11-24T10:05:00Z',
  );
  assert.equal(staging.code, 0, staging.stderr);
  // Staging has no deploy step in the shop (GitOps would confirm it): pending until confirmed.
  assert.match(staging.stdout, /to staging is pending/);
  const confirmed = await cli(
    ['deployed', 'storefront', '--env', 'staging', '--confirm'],
    'ci',
    'ci-bot',
    '2026-11-24T10:05:00Z',
  );
  assert.equal(confirmed.code, 0, confirmed.stderr);
  // status shows what production still waits for.
  const waiting = JSON.parse(
    (await cli(['status', '--format', 'json'], 'ci', 'ci-bot', '2026-11-24T10:30:00Z')).stdout,
  );
  const next = waiting.next.find(
    (n: { environment: string; service: string }) =>
      n.environment === 'production' && n.service === 'storefront',
  );
  assert.deepEqual(
    next.gates.map((g: { gate: string }) => g.gate),
    ['soak', 'approvals'],
  );
  const table = await cli(['status'], 'ci', 'ci-bot', '2026-11-24T10:30:00Z');
  assert.match(table.stdout, /waits: soak, approvals/);

  // Production: soak 1h in staging, one approval by someone other than alice, Mon–Thu 09:00–16:00 Berlin.
  const early = await cli(
    ['promote', 'storefront', '--to', 'production'],
    'ci',
    'ci-bot',
    '2026-11-24T10:30:00Z',
  );
  assert.equal(early.code, 2);
  assert.match(early.stderr, /soak: it has not soaked in staging for 1h yet \(35 min to go\)/);
  assert.match(early.stderr, /approvals: 0 of 1 approval from someone other than the author \(alice\)/);
  const self = await cli(['approve', 'storefront', '--env', 'production'], 'developer', 'alice');
  assert.equal(self.code, 2);
  assert.match(self.stderr, /\[LEDGER_SELF_APPROVAL\] alice wrote commit/);
  assert.equal((await cli(['approve', 'storefront', '--env', 'production'], 'developer', 'bob')).code, 0);
  // Friday evening in Berlin: the window is closed.
  const friday = await cli(
    ['promote', 'storefront', '--to', 'production'],
    'ci',
    'ci-bot',
    '2026-11-27T17:00:00Z',
  );
  assert.equal(friday.code, 2);
  assert.match(
    friday.stderr,
    /window: outside the deploy window \(mon, tue, wed, thu 09:00-16:00 Europe\/Berlin; it is fri 18:00 there\)/,
  );
  // A failed verification in staging during the soak stops it; a developer may never deploy to production.
  assertRole(
    await cli(['promote', 'storefront', '--to', 'production'], 'developer', 'bob', '2026-11-24T12:00:00Z'),
  );
  const production = await cli(
    ['promote', 'storefront', '--to', 'production'],
    'ci',
    'ci-bot',
    '2026-11-24T12:00:00Z',
  );
  assert.equal(production.code, 0, production.stderr);
  await cli(
    ['deployed', 'storefront', '--env', 'production', '--confirm'],
    'ci',
    'ci-bot',
    '2026-11-24T12:10:00Z',
  );
  const history = JSON.parse(
    (await cli(['history', '--service', 'storefront', '--format', 'json'], 'ci', 'ci-bot')).stdout,
  );
  assert.deepEqual(
    history.deployments.map((r: { environment: string; status: string; digest: string }) => [
      r.environment,
      r.status,
      r.digest === d,
    ]),
    [
      ['production', 'succeeded', true],
      ['staging', 'succeeded', true],
      ['dev', 'succeeded', true],
    ],
  );
}

export function assertRole(result: { code: number; stderr: string }): void {
  assert.equal(result.code, 2);
  assert.match(result.stderr, /\[LEDGER_ROLE_REFUSED\] the role developer may not deploy to production/);
}
