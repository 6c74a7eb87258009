/**
 * The ledger's path through a chain of environments, shared by the SQLite tests (in memory, in process) and
 * the integration tests (PostgreSQL, and racing processes).
 */
import assert from 'node:assert/strict';
import type { Store } from '../ledger/store.ts';
import { type CliResult, type RunCliOptions, runCli, tempDir } from './cli.ts';
import { assertRefused, commit, digest } from './ledger.ts';

export const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy:
      command: echo "deploying $STAGECRAFT_SERVICE $STAGECRAFT_IMAGE to $STAGECRAFT_ENVIRONMENT"
  staging:
    from: dev
    deployers: [ci]
    deploy:
      command: [sh, -c, 'test "$STAGECRAFT_ENVIRONMENT" = staging']
  production:
    from: staging
    deployers: [ci]
services:
  web:
    image: registry.example.com/shop/web
  api:
    image: registry.example.com/shop/api
`;

export interface ChainWorkspaceOptions {
  /** The ledger on this PostgreSQL; else SQLite. */
  databaseUrl?: string;
  /** The ledger's store for in-process runs (`memoryLedger`). */
  ledgerStore?: () => Promise<Store>;
  /** How the CLI runs: in process by default, or `spawnCli`. */
  run?: (args: readonly string[], options: RunCliOptions) => Promise<CliResult>;
}

export interface ChainWorkspace {
  dir: string;
  cli(args: string[], role?: string, actor?: string): Promise<CliResult>;
  /** Runs with --format json; `data` is the parsed output. */
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of the command it ran.
  json(args: string[], role?: string): Promise<CliResult & { data: any }>;
}

/** A workspace with the chain above, and its CLI as a role and actor. */
export function chainWorkspace(
  t: { after(fn: () => void): void },
  options: ChainWorkspaceOptions = {},
): ChainWorkspace {
  const dir = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const run = options.run ?? runCli;
  const cli = (args: string[], role = 'developer', actor = 'dana'): Promise<CliResult> =>
    run([...args], {
      cwd: dir,
      env: { STAGECRAFT_ROLE: role, STAGECRAFT_ACTOR: actor, STAGECRAFT_DATABASE_URL: options.databaseUrl },
      ...(options.ledgerStore ? { ledgerStore: options.ledgerStore } : {}),
    });
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of the command it ran.
  const json = async (args: string[], role?: string): Promise<CliResult & { data: any }> => {
    const result = await cli([...args, '--format', 'json'], role);
    return { ...result, data: JSON.parse(result.stdout || '{}') };
  };
  return { dir, cli, json };
}

/** An artifact through dev, staging and production, each refusal on the way checked. */
export async function throughTheChain(
  t: { after(fn: () => void): void },
  options: ChainWorkspaceOptions = {},
): Promise<{ dir: string }> {
  const { cli, json, dir } = chainWorkspace(t, options);
  const d = digest();
  const image = `registry.example.com/shop/web@${d}`;
  // A tag alone is refused, with how to get the digest.
  const tag = await cli([
    'artifact',
    'register',
    'web',
    'registry.example.com/shop/web:1.4.2',
    '--commit',
    commit(),
  ]);
  assertRefused(tag, 'LEDGER_NOT_A_DIGEST');
  assert.match(tag.stderr, /imagetools inspect/);
  const sha = commit();
  assert.equal((await cli(['artifact', 'register', 'web', image, '--commit', sha])).code, 0);
  // Not yet in dev: staging refuses it; the wrong role is refused before anything else.
  assertRefused(await cli(['promote', 'web', '--to', 'staging']), 'LEDGER_ROLE_REFUSED');
  assertRefused(await cli(['promote', 'web', '--to', 'staging'], 'ci'), 'LEDGER_NOT_IN_SOURCE');
  const dev = await json(['deploy', 'web', '--env', 'dev']);
  assert.equal(dev.code, 0, dev.stderr);
  assert.equal(dev.data.status, 'succeeded');
  assert.match(dev.data.output, new RegExp(`deploying web registry\\.example\\.com/shop/web@${d} to dev`));
  const staging = await json(['promote', 'web', '--to', 'staging'], 'ci');
  assert.equal(staging.data.status, 'succeeded', staging.stderr);
  assert.equal(staging.data.digest, d, 'promoted unchanged');
  // Production has no deploy step: pending until confirmed; a second promotion meanwhile is refused.
  const production = await json(['promote', 'web', '--to', 'production'], 'ci');
  assert.equal(production.data.status, 'pending');
  assertRefused(await cli(['promote', 'web', '--to', 'production'], 'ci'), 'LEDGER_DEPLOYMENT_IN_PROGRESS');
  assert.equal((await cli(['deployed', 'web', '--env', 'production', '--confirm'], 'ci')).code, 0);
  const status = await json(['status']);
  assert.deepEqual(
    status.data.deployments
      .map((r: { environment: string; status: string; digest: string }) => [
        r.environment,
        r.status,
        r.digest === d,
      ])
      .sort(),
    [
      ['dev', 'succeeded', true],
      ['production', 'succeeded', true],
      ['staging', 'succeeded', true],
    ],
  );
  // A rejected artifact is blocked everywhere.
  assertRefused(
    await cli(['reject', d, '--reason', 'CVE-2026-0001 in the base image']),
    'LEDGER_ROLE_REFUSED',
  );
  assert.equal((await cli(['reject', d, '--reason', 'CVE-2026-0001 in the base image'], 'admin')).code, 0);
  const blocked = await cli(['deploy', 'web', '--env', 'dev']);
  assertRefused(blocked, 'LEDGER_ARTIFACT_REJECTED');
  assert.match(blocked.stderr, /CVE-2026-0001/);
  const audit = await json(['audit', '--limit', '200']);
  const refused = audit.data.audit.filter((entry: { outcome: string }) => entry.outcome === 'refused');
  assert.ok(
    refused.some(
      (entry: { action: string; detail: string; actor: string }) =>
        entry.action === 'deploy' && /rejected/.test(entry.detail) && entry.actor === 'dana',
    ),
    'the refused deploy of the rejected artifact is in the audit log with who and why',
  );
  assert.ok(
    refused.some((entry: { action: string }) => entry.action === 'artifact register'),
    'the refused tag too',
  );
  const history = await json(['history', '--service', 'web']);
  assert.deepEqual(
    history.data.deployments.map((r: { kind: string; environment: string }) => `${r.kind} ${r.environment}`),
    ['promote production', 'promote staging', 'deploy dev'],
  );
  return { dir };
}

/** Fifty promotions of one environment at once: exactly one wins, the rest see its deployment. */
export async function concurrentPromotions(
  t: { after(fn: () => void): void },
  options: ChainWorkspaceOptions = {},
): Promise<void> {
  const { cli, json } = chainWorkspace(t, options);
  const d = digest();
  await cli(['artifact', 'register', 'api', `registry.example.com/shop/api@${d}`, '--commit', commit()]);
  assert.equal((await cli(['deploy', 'api', '--env', 'dev'])).code, 0);
  // Production has no deploy step, so the winner's deployment stays pending and every other one must see it.
  await cli(['promote', 'api', '--to', 'staging'], 'ci');
  const results = await Promise.all(
    Array.from({ length: 50 }, () => cli(['promote', 'api', '--to', 'production'], 'ci')),
  );
  const won = results.filter((r) => r.code === 0);
  const refused = results.filter((r) => r.code === 2 && /LEDGER_DEPLOYMENT_IN_PROGRESS/.test(r.stderr));
  assert.equal(won.length, 1, won.map((r) => r.stdout).join('\n'));
  assert.equal(refused.length, 49);
  const history = await json(['history', '--env', 'production', '--service', 'api']);
  assert.equal(history.data.deployments.length, 1);
}
