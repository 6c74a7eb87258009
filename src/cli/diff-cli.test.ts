/**
 * `stagecraft diff staging production` on a copy of the example shop with a seeded ledger and one difference
 * of each kind planted (src/test-support/diff-shop.ts): each is shown, a secret only as "differs", and the
 * exit code says identical (0), different (2) or could not tell (1).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliResult } from '../test-support/cli.ts';
import { type DiffShop, diffShop, SEEDED_AT } from '../test-support/diff-shop.ts';
import { gitOk } from '../test-support/git.ts';
import { memoryLedger } from '../test-support/ledger.ts';

const hooks = { after: (fn: () => unknown) => after(async () => void (await fn())) };

describe('stagecraft diff staging production on the shop with planted differences', () => {
  let shop: DiffShop;
  const runs: Record<'text' | 'json' | 'markdown', CliResult> = {} as never;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it asserts.
  let report: any;
  before(async () => {
    shop = await diffShop(hooks, await memoryLedger(hooks));
    for (const format of ['text', 'json', 'markdown'] as const)
      runs[format] = await shop.cli(['diff', 'staging', 'production', '--format', format]);
    report = JSON.parse(runs.json.stdout);
  });

  test('exits 2, as diff(1) does for files that differ, in every format', () => {
    for (const run of Object.values(runs)) assert.equal(run.code, 2, run.stderr);
    assert.equal(report.verdict, 'differs');
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(report.sections).map(([name, s]) => [name, (s as { status: string }).status]),
      ),
      {
        artifacts: 'differs',
        config: 'differs',
        secrets: 'differs',
        parity: 'differs',
        dependencies: 'differs',
      },
    );
  });

  test('different digests and commits, with the commits staging has and production lacks by subject', () => {
    const [storefront, catalog] = report.sections.artifacts.data.services;
    assert.equal(catalog.service, 'catalog');
    assert.equal(catalog.status, 'same');
    assert.equal(storefront.status, 'differs');
    assert.equal(storefront.left.digest, shop.digests.stagingStorefront);
    assert.equal(storefront.right.digest, shop.digests.productionStorefront);
    assert.equal(storefront.left.commit, shop.commits.fix);
    assert.equal(storefront.right.commit, shop.commits.initial);
    assert.deepEqual(storefront.commits, {
      leftOnly: {
        commits: [
          { sha: shop.commits.fix, subject: 'Fix rounding of coupon totals' },
          { sha: shop.commits.coupons, subject: 'Add coupons at checkout' },
        ],
        more: 0,
      },
      rightOnly: { commits: [], more: 0 },
    });
    assert.match(
      runs.text.stdout,
      /storefront: 2 commits staging has, production lacks:\n\s+\w{7} Fix rounding of coupon totals\n\s+\w{7} Add coupons at checkout/,
    );
    assert.match(runs.markdown.stdout, /Add coupons at checkout/);
  });

  test('who deployed each side, and when', () => {
    const storefront = report.sections.artifacts.data.services[0];
    assert.deepEqual(
      [
        storefront.left.deployedBy,
        storefront.left.role,
        storefront.left.breakGlass,
        storefront.left.deployedAt,
      ],
      ['ci-bot', 'ci', false, new Date(SEEDED_AT.staging).toISOString()],
    );
    assert.deepEqual(
      [
        storefront.right.deployedBy,
        storefront.right.role,
        storefront.right.breakGlass,
        storefront.right.deployedAt,
      ],
      ['erin', 'admin', true, new Date(SEEDED_AT.production).toISOString()],
    );
    assert.match(
      runs.text.stdout,
      /production\s+sha256:\w{12}…\s+\w{7}\s+2026-11-23T14:30:00.000Z\s+erin \(admin,\s+break-glass\)/,
    );
  });

  test('a plain config value that differs is shown on both sides', () => {
    const entry = report.sections.config.data.entries.find((e: { key: string }) => e.key === 'log_level');
    assert.deepEqual(entry, {
      key: 'log_level',
      status: 'differs',
      secret: false,
      left: 'INFO',
      right: 'WARNING',
    });
    assert.match(runs.text.stdout, /log_level\s+INFO\s+WARNING/);
    const same = report.sections.config.data.entries.find((e: { key: string }) => e.key === 'db.port');
    assert.equal(same.status, 'same');
  });

  test('a secret value that differs is only "differs", never its value', () => {
    const entry = report.sections.config.data.entries.find((e: { key: string }) => e.key === 'db.password');
    assert.deepEqual(entry, { key: 'db.password', status: 'differs', secret: true, left: null, right: null });
    assert.match(runs.text.stdout, /db\.password\s+\(secret\) differs/);
    assert.match(runs.markdown.stdout, /\| db\.password \| \(secret\) differs \|/);
    for (const [format, run] of Object.entries(runs))
      for (const secret of shop.secrets) {
        assert.ok(!run.stdout.includes(secret), `${format} stdout printed a secret value`);
        assert.ok(!run.stderr.includes(secret), `${format} stderr printed a secret value`);
        // Nor any piece of it long enough to guess the rest from.
        assert.ok(!run.stdout.includes(secret.slice(4, 16)), `${format} stdout printed part of a secret`);
      }
  });

  test('a secret reference on one side only, and one from another backend', () => {
    const secrets = report.sections.secrets.data.entries;
    const by = (key: string) => secrets.find((e: { key: string }) => e.key === key);
    assert.deepEqual(by('db.user'), {
      key: 'db.user',
      status: 'right-only',
      left: null,
      right: ['vault'],
      backendDiffers: false,
    });
    assert.deepEqual(by('api_key'), {
      key: 'api_key',
      status: 'differs',
      left: ['k8s'],
      right: ['awssecrets'],
      backendDiffers: true,
    });
    assert.deepEqual(by('db.password'), {
      key: 'db.password',
      status: 'same',
      left: ['value'],
      right: ['value'],
      backendDiffers: false,
    });
    assert.match(runs.text.stdout, /api_key\s+k8s\s+awssecrets/);
    assert.match(runs.text.stdout, /db\.user\s+\(absent\)\s+vault/);
  });

  test('a parity violation, beside the allowed size and traffic differences', () => {
    const parity = report.sections.parity.data;
    assert.equal(parity.violations.length, 1, JSON.stringify(parity.violations));
    assert.equal(parity.violations[0].resource.name, 'storefront');
    assert.equal(parity.violations[0].left, 8080);
    assert.equal(parity.violations[0].right, 9090);
    assert.ok(parity.allowed.length > 0);
    assert.match(runs.text.stdout, /field-mismatch\s+Deployment storefront\s+8080\s+9090/);
  });

  test('dependency versions that differ between the deployed commits', () => {
    const comparison = report.sections.dependencies.data.comparisons.find(
      (c: { service: string }) => c.service === 'storefront',
    );
    assert.equal(comparison.sameCommit, false);
    const express = comparison.differences[0].direct.find((c: { name: string }) => c.name === 'express');
    assert.deepEqual([express.left, express.right], [['5.0.0'], ['4.18.2']]);
    assert.match(runs.text.stdout, /storefront express\s+5\.0\.0\s+4\.18\.2/);
  });
});

test('identical environments: every section the same, exit 0', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t), { identical: true });
  const result = await shop.cli(['diff', 'staging', 'production', '--format', 'json']);
  assert.equal(result.code, 0, result.stdout);
  const report = JSON.parse(result.stdout);
  assert.equal(report.verdict, 'identical');
  assert.deepEqual(report.counts, { same: 5, differs: 0, error: 0, skipped: 0 });
  const text = await shop.cli(['diff', 'staging', 'production']);
  assert.match(text.stdout, /✓ staging and production are the same in every section compared/);
});

test('the commits between are listed up to 50 per side, the rest counted', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t), { moreCommits: 60 });
  const result = await shop.cli(['diff', 'staging', 'production', '--format', 'json']);
  const storefront = JSON.parse(result.stdout).sections.artifacts.data.services[0];
  assert.equal(storefront.commits.leftOnly.commits.length, 50);
  assert.equal(storefront.commits.leftOnly.more, 12);
  assert.equal(storefront.commits.leftOnly.commits[0].subject, 'Step 60');
  const text = await shop.cli(['diff', 'staging', 'production']);
  assert.match(text.stdout, /storefront: 62 commits staging has, production lacks:/);
  assert.match(text.stdout, /… and 12 more/);
});

test('an unknown environment: exit 1, naming the ones there are', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t), { identical: true });
  const result = await shop.cli(['diff', 'staging', 'prod']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /\[ENVIRONMENT_UNKNOWN\] there is no environment "prod"/);
  assert.match(result.stderr, /production/);
});

test('a deployed commit missing from the clone is said, with how to fetch it; the rest is still compared: exit 1', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t));
  // The commits staging runs, gone from the clone (as in a clone made before they were pushed).
  const git = (...args: string[]) => gitOk(shop.dir, args);
  git('reset', '-q', '--hard', shop.commits.initial);
  git('reflog', 'expire', '--expire=now', '--all');
  git('gc', '-q', '--prune=now');
  const result = await shop.cli(['diff', 'staging', 'production', '--format', 'json']);
  const report = JSON.parse(result.stdout);
  const storefront = report.sections.artifacts.data.services[0];
  assert.equal(storefront.commits, null);
  assert.equal(storefront.commitsError.code, 'DRIFT_COMMIT_MISSING');
  assert.match(storefront.commitsError.hint, /git fetch origin/);
  assert.equal(report.sections.dependencies.status, 'error');
  assert.equal(report.sections.config.status, 'differs');
  assert.equal(result.code, 1);
});

test('outside a git repository the sections that need one say so: exit 1', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t));
  rmSync(join(shop.dir, '.git'), { recursive: true, force: true });
  const result = await shop.cli(['diff', 'staging', 'production', '--format', 'json']);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout);
  assert.equal(report.verdict, 'incomplete');
  assert.equal(report.sections.dependencies.status, 'error');
  assert.equal(report.sections.dependencies.error.code, 'GIT_NOT_A_REPOSITORY');
  assert.equal(report.sections.artifacts.data.services[0].commitsError.code, 'GIT_NOT_A_REPOSITORY');
  assert.equal(report.sections.parity.status, 'differs');
});

test('a config file that is a special file or too large is an error in the config sections, never read: exit 1', async (t) => {
  const shop = await diffShop(t, await memoryLedger(t));
  const production = join(shop.dir, 'config/production.yaml');
  rmSync(production);
  execFileSync('mkfifo', [production]);
  const fifo = JSON.parse((await shop.cli(['diff', 'staging', 'production', '--format', 'json'])).stdout);
  assert.equal(fifo.sections.config.status, 'error');
  assert.equal(fifo.sections.secrets.status, 'error');
  assert.match(fifo.sections.config.error.message, /config\/production\.yaml/);
  rmSync(production);
  writeFileSync(production, `padding: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
  const huge = await shop.cli(['diff', 'staging', 'production', '--format', 'json']);
  assert.equal(huge.code, 1);
  const report = JSON.parse(huge.stdout);
  assert.equal(report.sections.config.status, 'error');
  assert.equal(report.sections.config.error.code, 'INPUT_TOO_LARGE');
  assert.equal(report.sections.artifacts.status, 'differs', 'the other sections are still compared');
});
