/**
 * A workspace in a real git repository whose commits carry chosen dates, and a ledger (SQLite in memory) in
 * rehearsal at a chosen time: what drift freshness and the aggregate `stagecraft drift` are tested against.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../ledger/store.ts';
import { type CliResult, runCli, tempDir } from './cli.ts';
import { digest } from './ledger.ts';

export const DRIFT_WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy: { command: 'true' }
  staging:
    from: dev
    deployers: [ci]
    deploy: { command: 'true' }
  production:
    from: staging
    deployers: [ci]
services:
  web:
    image: registry.example.com/shop/web
  api:
    image: registry.example.com/shop/api
`;

export interface DriftRepo {
  dir: string;
  /** Commits a change to `file` at `date` (ISO 8601) on the current branch; its sha. */
  commit(subject: string, date: string, file?: string): string;
  git(...args: string[]): string;
  /** The CLI in rehearsal at `now`, as `role`. */
  cli(args: string[], now: string, role?: string): Promise<CliResult>;
  /** `service` at `commit` registered, deployed to dev and promoted to staging at `now`. */
  deployToStaging(service: string, commit: string, now: string): Promise<void>;
}

export function driftRepo(
  t: { after(fn: () => void): void },
  ledgerStore: () => Promise<Store>,
  workspace: string = DRIFT_WORKSPACE,
): DriftRepo {
  const dir = tempDir(t, { 'stagecraft.yaml': workspace });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
    })
      .toString('utf8')
      .trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Dana Dev');
  git('config', 'user.email', 'dana@example.com');
  git('config', 'commit.gpgsign', 'false');
  let counter = 0;
  const commit = (subject: string, date: string, file = 'app.txt') => {
    writeFileSync(join(dir, file), `${subject} ${++counter}\n`);
    git('add', '-A');
    execFileSync('git', ['commit', '-q', '-m', subject], {
      cwd: dir,
      env: { ...process.env, HOME: dir, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    return git('rev-parse', 'HEAD');
  };
  const cli = (args: string[], now: string, role = 'developer') =>
    runCli(args, {
      cwd: dir,
      ledgerStore,
      env: {
        STAGECRAFT_REHEARSAL: '1',
        STAGECRAFT_NOW: now,
        STAGECRAFT_ROLE: role,
        STAGECRAFT_ACTOR: role === 'ci' ? 'ci-bot' : 'dana',
      },
    });
  const must = async (result: Promise<CliResult>, what: string) => {
    const done = await result;
    if (done.code !== 0) throw new Error(`${what} failed: ${done.stderr}`);
  };
  const deployToStaging = async (service: string, sha: string, now: string) => {
    const image = `registry.example.com/shop/${service}@${digest()}`;
    await must(cli(['artifact', 'register', service, image, '--commit', sha], now), 'register');
    await must(cli(['deploy', service, '--env', 'dev'], now), 'deploy');
    await must(cli(['promote', service, '--to', 'staging'], now, 'ci'), 'promote');
  };
  return { dir, commit, git, cli, deployToStaging };
}
