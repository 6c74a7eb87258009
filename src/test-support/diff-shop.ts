/**
 * The example shop in a git repository, with what runs in staging and production recorded in a ledger
 * (rehearsal, SQLite in memory) and one difference of each kind `stagecraft diff` reports planted between
 * them: commits (with lockfile changes) only staging runs, a plain config value, a secret value, a secret
 * reference present on one side only and one from another backend, and a parity violation.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AFTER, BEFORE, npmLockfile, packageJson } from '../drift/deps/fixtures/lockfiles.ts';
import type { Store } from '../ledger/store.ts';
import { type CliResult, EXAMPLE_SHOP, runCli, tempDir } from './cli.ts';
import { generatedToken } from './git.ts';
import { digest } from './ledger.ts';

export interface DiffShop {
  dir: string;
  /** The CLI in rehearsal at the seeded ledger's last moment. */
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Commits: production runs `initial`; staging runs `fix`, after `coupons` (which changes the lockfile). */
  commits: { initial: string; coupons: string; fix: string };
  digests: { stagingStorefront: string; productionStorefront: string; catalog: string };
  /** The secret values planted in the config files: they must never be printed. */
  secrets: string[];
}

export const SEEDED_AT = {
  catalog: '2026-11-23T09:00:00Z',
  production: '2026-11-23T14:30:00Z',
  staging: '2026-11-24T10:05:00Z',
};

export interface DiffShopOptions {
  /** Leave staging and production with the same config files, manifests and artifacts. */
  identical?: boolean;
  /** Empty commits after `fix`, the last of which staging runs. */
  moreCommits?: number;
}

export async function diffShop(
  t: { after(fn: () => void): void },
  ledgerStore: () => Promise<Store>,
  options: DiffShopOptions = {},
): Promise<DiffShop> {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, env: gitEnv }).toString('utf8').trim();
  const commit = (subject: string, files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
    git('add', '-A');
    git('-c', 'user.name=Dana Dev', '-c', 'user.email=dana@example.com', 'commit', '-q', '-m', subject);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  const initial = commit('Initial shop', {
    'package.json': packageJson(BEFORE),
    'package-lock.json': npmLockfile(BEFORE, 3),
  });
  const coupons = commit('Add coupons at checkout', {
    'package.json': packageJson(AFTER),
    'package-lock.json': npmLockfile(AFTER, 3),
  });
  let fix = commit('Fix rounding of coupon totals', { 'CHANGELOG.md': 'Coupon totals round half up.\n' });
  for (let n = 1; n <= (options.moreCommits ?? 0); n++) {
    git(
      '-c',
      'user.name=Dana Dev',
      '-c',
      'user.email=dana@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      `Step ${n}`,
    );
    fix = git('rev-parse', 'HEAD');
  }

  const secrets = [generatedToken(), generatedToken()];
  if (options.identical) {
    writeFileSync(
      join(dir, 'config/production.yaml'),
      readFileSync(join(dir, 'config/staging.yaml'), 'utf8'),
    );
    cpSync(join(dir, 'deploy/staging'), join(dir, 'deploy/production'), { recursive: true });
  } else {
    const edit = (path: string, change: (text: string) => string) =>
      writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
    // Secret values written into the files (what a team should not do, and what diff must not print), a
    // reference only production has (db.user), and the payment key from another backend.
    edit('config/staging.yaml', (text) =>
      text
        .replace(/ {2}user: .*\n/, '')
        .replace('password: "ref+vault://secret/shop/db#/password"', `password: "${secrets[0]}"`),
    );
    edit('config/production.yaml', (text) =>
      text
        .replace('password: "ref+vault://secret/shop/db#/password"', `password: "${secrets[1]}"`)
        .replace('"ref+k8s://shop-payments/api-key"', '"ref+awssecrets://shop/payments-api-key"'),
    );
    // Production's storefront listens on another port than staging's: a parity violation.
    edit('deploy/production/storefront.yaml', (text) =>
      text.replace('containerPort: 8080', 'containerPort: 9090'),
    );
  }

  let now = SEEDED_AT.catalog;
  const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
    runCli(args, {
      cwd: dir,
      ledgerStore,
      env: { STAGECRAFT_REHEARSAL: '1', STAGECRAFT_NOW: now, STAGECRAFT_ROLE: 'developer', ...env },
    });
  const as = async (role: string, actor: string, args: string[]) => {
    const result = await cli(args, { STAGECRAFT_ROLE: role, STAGECRAFT_ACTOR: actor });
    if (result.code !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  };
  /** Registered, deployed to dev, and through staging (CI, gates met) to production (an admin's break-glass). */
  const ship = async (service: string, sha: string, to: 'staging' | 'production') => {
    const d = digest();
    await as('ci', 'ci-bot', [
      'artifact',
      'register',
      service,
      `registry.example.com/shop/${service}@${d}`,
      '--commit',
      sha,
    ]);
    await as('developer', 'dana', ['deploy', service, '--env', 'dev', '--digest', d]);
    await as('ci', 'ci-bot', ['gate', 'report', 'tests', 'pass', '--commit', sha]);
    await as('ci', 'ci-bot', ['promote', service, '--to', 'staging', '--digest', d]);
    await as('ci', 'ci-bot', ['deployed', service, '--env', 'staging', '--confirm']);
    if (to === 'production') {
      await as('admin', 'erin', [
        'promote',
        service,
        '--to',
        'production',
        '--digest',
        d,
        '--break-glass',
        '--reason',
        'launch',
      ]);
      await as('ci', 'ci-bot', ['deployed', service, '--env', 'production', '--confirm']);
    }
    return d;
  };
  const catalog = await ship('catalog', initial, 'production');
  now = SEEDED_AT.production;
  const productionStorefront = await ship('storefront', initial, 'production');
  now = SEEDED_AT.staging;
  const stagingStorefront = options.identical
    ? productionStorefront
    : await ship('storefront', fix, 'staging');
  return {
    dir,
    cli,
    commits: { initial, coupons, fix },
    digests: { stagingStorefront, productionStorefront, catalog },
    secrets: options.identical ? [] : secrets,
  };
}
