/**
 * GET /v1/diff over real HTTP on 127.0.0.1, against `stagecraft serve` on a copy of the example shop seeded as
 * `npm start` seeds it: the same report `stagecraft diff --format json` prints (also when the CLI is pointed at
 * the server), read with any token, refused without one; and the dashboard's view of it in headless Chromium,
 * any two environments picked.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, whose innerText() is the text a reader sees.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { seedShop } from '../../scripts/seed-shop.mjs';
import { lastInFirstOut } from '../test-support/cleanup.ts';
import { assertBuilt, EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { startServer } from '../test-support/server.ts';

function findChromium(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** The shop in a folder of its own, a git repository unless `git` is false. */
function shopCopy(dir: string, git: boolean): string {
  const shop = join(dir, 'shop');
  cpSync(EXAMPLE_SHOP, shop, { recursive: true });
  if (git) {
    const run = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: shop,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      });
    run('init', '-q', '-b', 'main');
    run('add', '-A');
    run(
      '-c',
      'user.name=Dana Dev',
      '-c',
      'user.email=dana@example.com',
      'commit',
      '-q',
      '-m',
      'Initial shop',
    );
  }
  return shop;
}

test('GET /v1/diff answers with the report stagecraft diff prints, for any token; without one, 401; an unknown environment, 404', async (t) => {
  assertBuilt();
  const cleanup = lastInFirstOut(t);
  const shop = shopCopy(tempDir(cleanup), true);
  const server = await startServer(cleanup, { cwd: shop });
  const { tokens } = await seedShop(server.url, server.adminToken);

  const answer = await server.call('GET', '/v1/diff?left=staging&right=production', tokens.alice);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const report = answer.body;
  assert.equal(report.verdict, 'incomplete');
  const [storefront, catalog, orders] = report.sections.artifacts.data.services;
  assert.equal(storefront.status, 'differs');
  assert.equal(storefront.right.deployedBy, 'admin');
  assert.equal(storefront.right.breakGlass, true);
  assert.equal(storefront.left.deployedBy, 'ci-bot');
  // The seed's commits were never in this clone: said, with how to fetch them, never a crash.
  assert.equal(storefront.commitsError.code, 'DRIFT_COMMIT_MISSING');
  assert.match(storefront.commitsError.hint, /git fetch/);
  assert.deepEqual([catalog.status, orders.status], ['left-only', 'left-only']);
  assert.equal(report.sections.config.status, 'differs');
  assert.equal(report.sections.parity.status, 'same');
  assert.equal(report.sections.dependencies.status, 'error');
  assert.equal(report.sections.dependencies.error.code, 'DRIFT_COMMIT_MISSING');

  // The CLI, local or pointed at the server, prints the same report.
  const cli = await runCli(['diff', 'staging', 'production', '--format', 'json'], {
    cwd: shop,
    env: { STAGECRAFT_URL: server.url, STAGECRAFT_TOKEN: tokens.bob },
  });
  assert.equal(cli.code, 1, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), report);

  const anonymous = await server.call('GET', '/v1/diff?left=staging&right=production', undefined);
  assert.equal(anonymous.status, 401);
  const unknown = await server.call('GET', '/v1/diff?left=staging&right=prod', tokens.alice);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'LEDGER_UNKNOWN_ENVIRONMENT');
  assert.match(unknown.body.error.hint, /production/);
  const missing = await server.call('GET', '/v1/diff?left=staging', tokens.alice);
  assert.equal(missing.status, 400);
});

test('the dashboard compares any two environments it is asked to, and says which sections need a git repository', async (t) => {
  assertBuilt();
  const executablePath = findChromium();
  if (!executablePath) {
    t.skip('Chromium is not installed (apt-get install chromium): the dashboard’s browser test cannot run');
    return;
  }
  const cleanup = lastInFirstOut(t);
  const dir = tempDir(cleanup);
  // Served without a git repository: the commits and dependency sections cannot be evaluated.
  const shop = shopCopy(dir, false);
  const server = await startServer(cleanup, { cwd: shop });
  const { tokens } = await seedShop(server.url, server.adminToken);

  const profile = join(dir, 'chromium-profile');
  mkdirSync(profile);
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
    viewport: { width: 1280, height: 800 },
  });
  cleanup.after(() => browser.close());
  const page: Page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('response', (response) => {
    const request = `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`;
    // This server keeps no recorded checks.
    if (response.status() >= 400 && request !== '404 GET /v1/checks/latest') problems.push(request);
  });
  await page.goto(`${server.url}/#token=${tokens.alice}`);
  await page.waitForSelector('#diff-left option[value="production"]', { state: 'attached', timeout: 15_000 });
  // The picker offers the last two environments of the chain; the reader picks dev and production.
  assert.equal(await page.locator('#diff-left').inputValue(), 'staging');
  assert.equal(await page.locator('#diff-right').inputValue(), 'production');
  await page.locator('#diff-left').selectOption('dev');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForSelector('.diff-report[data-pair="dev:production"]', { timeout: 15_000 });
  const section = (name: string) => page.locator(`[data-section="${name}"]`);
  assert.equal(await section('config').getAttribute('data-status'), 'differs');
  const config = await section('config').innerText();
  assert.match(config, /log_level\s+DEBUG\s+WARNING/);
  // dev's secrets come from ${VAR}, production's from Vault and Kubernetes: only the verdict is shown.
  assert.match(config, /db\.password\s+secret: differs/);
  assert.match(await section('secrets').innerText(), /api_key\s+value\s+k8s/);

  await page.locator('#diff-left').selectOption('staging');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForSelector('.diff-report[data-pair="staging:production"]', { timeout: 15_000 });
  const artifacts = await section('artifacts').innerText();
  assert.match(artifacts, /≠ storefront/);
  assert.match(artifacts, /by admin \(admin, break-glass\)/);
  assert.match(artifacts, /storefront: .*not inside a git repository/);
  assert.equal(await section('dependencies').getAttribute('data-status'), 'error');
  assert.match(await section('dependencies').innerText(), /not inside a git repository/);
  assert.equal(await section('parity').getAttribute('data-status'), 'same');
  assert.deepEqual(problems, []);
});
