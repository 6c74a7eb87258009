/**
 * The dashboard end to end, in headless Chromium driven by playwright-core: a real `stagecraft serve` on a
 * copy of the example shop, seeded as `npm start` seeds it; an artifact promoted through the API shows up in
 * the matrix without a reload; one person's approval is refused (their own commit) and another's, given with
 * the keyboard, counts — and the first person's page sees it live.
 *
 * With STAGECRAFT_UPDATE_SCREENSHOT=1 the run also writes docs/dashboard.png, the README's picture.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, whose innerText() is the text a reader sees.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { seedShop } from '../../scripts/seed-shop.mjs';
import { lastInFirstOut } from '../test-support/cleanup.ts';
import { assertBuilt, EXAMPLE_SHOP, REPO_ROOT, tempDir } from '../test-support/cli.ts';
import { startServer } from '../test-support/server.ts';

/** Debian's Chromium: `chromium` on PATH, else where the package installs it. */
function findChromium(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** Waits for `selector` on the page, failing with what the page shows instead. */
async function waitFor(page: Page, selector: string, what: string, timeout = 15_000): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout });
  } catch {
    const shown = await page.locator('main').innerText();
    assert.fail(`${what}: no ${selector} within ${timeout} ms; the page shows:\n${shown.slice(0, 3000)}`);
  }
}

test('the dashboard follows a promotion live, refuses a self-approval, takes another approver’s by keyboard, and signs in through its form', async (t) => {
  assertBuilt();
  const executablePath = findChromium();
  if (!executablePath) {
    t.skip('Chromium is not installed (apt-get install chromium): the dashboard’s browser test cannot run');
    return;
  }
  // The browser closes first, then the server, then their folder goes.
  const cleanup = lastInFirstOut(t);
  const dir = tempDir(cleanup);
  const shop = join(dir, 'shop');
  cpSync(EXAMPLE_SHOP, shop, { recursive: true });
  const server = await startServer(cleanup, { cwd: shop });
  const { tokens } = await seedShop(server.url, server.adminToken);
  const api = async (who: keyof typeof tokens, method: string, path: string, body?: unknown) => {
    const answer = await server.call(method, path, tokens[who], body);
    assert.equal(answer.status, 200, `${method} ${path} as ${who}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  // storefront 1.2.0, written by alice, in dev: what the test promotes to staging while the page watches.
  const digest = `sha256:${hash('storefront@1.2.0')}`;
  const commit = hash('commit storefront 1.2.0').slice(0, 40);
  await api('ci-bot', 'POST', '/v1/artifacts', {
    service: 'storefront',
    image: `registry.example.com/shop/storefront@${digest}`,
    commit,
    author: 'Alice <alice@shop.example>',
  });
  await api('alice', 'POST', '/v1/deployments', {
    environment: 'dev',
    kind: 'deploy',
    service: 'storefront',
    digest,
  });
  await api('alice', 'POST', '/v1/deployments/confirm', {
    service: 'storefront',
    environment: 'dev',
    status: 'succeeded',
  });

  const profile = join(dir, 'chromium-profile');
  mkdirSync(profile);
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  cleanup.after(() => browser.close());
  const problems: string[] = [];
  /** Script errors, console errors (a refused Content-Security-Policy among them) and failed requests. */
  const watch = (page: Page, who: string, expected: RegExp) => {
    page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
    page.on('console', (message) => {
      // A failed request is also reported below, with its address.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`${who}: ${message.text()}`);
    });
    page.on('response', (response) => {
      const request = `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`;
      if (response.status() >= 400 && !expected.test(request)) problems.push(`${who}: ${request}`);
    });
  };
  // This server keeps no recorded checks (404), and alice's own approval is refused (403).
  const CHECKS = /^404 GET \/v1\/checks\/latest$/;

  // alice's page: the token comes in the fragment and leaves the address bar at once.
  const alice = browser.pages()[0] ?? (await browser.newPage());
  watch(alice, 'alice', new RegExp(`${CHECKS.source}|^403 POST /v1/approvals$`));
  await alice.goto(`${server.url}/#token=${tokens.alice}`);
  await waitFor(alice, `[data-cell="storefront:dev"][data-digest="${digest}"]`, 'storefront 1.2.0 in dev');
  assert.equal(alice.url(), `${server.url}/`);
  // Page scripts are strings here: this program is type-checked without the DOM's types.
  assert.equal(await alice.evaluate("sessionStorage.getItem('stagecraft.token')"), tokens.alice);
  await waitFor(alice, '#connection[data-mode="live"]', 'the event stream');
  assert.match(await alice.locator('#who').innerText(), /^alice \(developer\)$/);
  // The seed: production runs storefront 1.0.0 by break-glass, and orders 0.10.0 is rejected in dev.
  assert.match(await alice.locator('[data-cell="storefront:production"]').innerText(), /BREAK-GLASS/);
  assert.match(
    await alice.locator('[data-cell="orders:dev"]').innerText(),
    /✗ REJECTED by admin: checkout smoke test fails/,
  );
  assert.match(
    await alice.locator('.bypasses').innerText(),
    /BREAK-GLASS admin \(admin\) promoted storefront/,
  );
  assert.match(await alice.locator('[data-cell="catalog:staging"]').innerText(), /… pending/);
  assert.equal(await alice.locator('#checks').innerText(), 'No recorded checks.');
  const stagingBefore = await alice.locator('[data-cell="storefront:staging"]').getAttribute('data-digest');
  assert.notEqual(stagingBefore, digest);

  // Promoted through the API; the page changes without a reload.
  await alice.evaluate('window.notReloaded = true');
  await api('ci-bot', 'POST', '/v1/gates/tests', { kind: 'tests', commit, result: 'pass' });
  await api('ci-bot', 'POST', '/v1/deployments', {
    environment: 'staging',
    kind: 'promote',
    service: 'storefront',
  });
  await waitFor(alice, '[data-cell="storefront:staging"].status-pending', 'the pending promotion');
  await api('ci-bot', 'POST', '/v1/deployments/confirm', {
    service: 'storefront',
    environment: 'staging',
    status: 'succeeded',
  });
  await waitFor(
    alice,
    `[data-cell="storefront:staging"].status-succeeded[data-digest="${digest}"]`,
    'the promotion',
  );
  assert.equal(await alice.evaluate('window.notReloaded'), true, 'the page was not reloaded');
  assert.match(await alice.locator('[data-cell="storefront:staging"]').innerText(), /✓ succeeded/);
  assert.match(
    await alice.locator('[data-cell="storefront:production"]').innerText(),
    /≠ differs from staging|next /,
  );
  assert.equal(await alice.locator('#updated').getAttribute('aria-live'), 'polite');

  // alice may approve (developers are approvers) but not her own commit: the refusal is shown, with its hint.
  const promotion = '[data-promotion="storefront:production"]';
  await waitFor(alice, `${promotion} button.approve`, 'the approve button for alice');
  await alice.locator(`${promotion} button.approve`).click();
  await waitFor(alice, `${promotion} .feedback.error`, 'the refusal');
  const refusal = await alice.locator(`${promotion} .feedback.error`).innerText();
  assert.match(refusal, /^✗ Refused: .*alice/);
  assert.equal(await alice.locator(`${promotion} .feedback.error`).getAttribute('role'), 'alert');

  // bob's page, in another tab: the keyboard reaches the approve button, and Enter approves.
  const bob = await browser.newPage();
  watch(bob, 'bob', CHECKS);
  await bob.goto(`${server.url}/#token=${tokens.bob}`);
  await waitFor(bob, `${promotion} button.approve`, 'the approve button for bob');
  let reached = false;
  for (let presses = 0; presses < 30 && !reached; presses++) {
    await bob.keyboard.press('Tab');
    reached = await bob.evaluate(
      `document.activeElement === document.querySelector('${promotion} button.approve')`,
    );
  }
  assert.ok(reached, 'Tab reaches the approve button');
  const focus = await bob.evaluate(`(() => {
    const style = getComputedStyle(document.activeElement);
    return { name: document.activeElement.textContent, outline: style.outlineStyle, width: style.outlineWidth };
  })()`);
  assert.deepEqual(focus, { name: 'Approve storefront for production', outline: 'solid', width: '3px' });
  await bob.keyboard.press('Enter');
  await waitFor(bob, `${promotion} .feedback.ok`, 'the approval');
  assert.match(
    await bob.locator(`${promotion} .feedback.ok`).innerText(),
    /Approved storefront for production/,
  );
  assert.doesNotMatch(await bob.locator(promotion).innerText(), /approvals:/);
  // alice's page learns of it from the event stream.
  // (A locator, not waitForFunction: the page's Content-Security-Policy refuses the eval that one uses.)
  await alice.locator(promotion).filter({ hasNotText: 'approvals:' }).waitFor({ timeout: 15_000 });
  const audit = (await api('admin', 'GET', '/v1/audit?limit=5')).audit as {
    actor: string;
    action: string;
    outcome: string;
  }[];
  assert.deepEqual(
    audit.filter((row) => row.action === 'approve').map((row) => [row.actor, row.outcome]),
    [
      ['bob', 'done'],
      ['alice', 'refused'],
    ],
  );

  // A failed verification in staging while storefront soaks there: production's soak can never pass for it,
  // and the board says so, with what would reset it.
  await api('ci-bot', 'POST', '/v1/verifications', {
    environment: 'staging',
    service: 'storefront',
    result: 'fail',
  });
  await alice
    .locator(`${promotion} .gate.blocked`)
    .filter({ hasText: 'can never pass' })
    .waitFor({ timeout: 15_000 });
  assert.match(
    await alice.locator(`${promotion} .gate.blocked`).innerText(),
    /✗ soak: a verification failed in staging .* what would reset it: a new artifact of storefront/,
  );
  assert.match(
    await alice.locator('[data-cell="storefront:production"]').innerText(),
    /soak can never pass for it/,
  );

  // A third tab signs in through the form: a token in the query string is not used (and leaves the address),
  // an unknown one is refused with the server's reason, the admin's opens the board. The recorded checks are
  // answered here in the shape GET /v1/checks/latest documents.
  const admin = await browser.newPage();
  watch(admin, 'admin', /^401 GET \/v1\/whoami$/);
  await admin.route('**/v1/checks/latest', (route) =>
    route.fulfill({
      json: {
        checks: [
          {
            id: 2,
            kind: 'drift',
            name: 'kubernetes',
            environments: ['production'],
            status: 'problems',
            summary: '1 manual change',
            findings: 1,
            at: new Date().toISOString(),
            actor: 'ci-bot',
          },
          {
            id: 1,
            kind: 'parity',
            name: 'staging-production',
            environments: ['staging', 'production'],
            status: 'clean',
            summary: 'staging mirrors production',
            findings: 0,
            at: new Date().toISOString(),
            actor: 'ci-bot',
          },
        ],
      },
    }),
  );
  await admin.goto(`${server.url}/?token=${tokens.admin}`);
  await waitFor(admin, '#sign-in:not([hidden])', 'the sign-in form');
  assert.equal(admin.url(), `${server.url}/`);
  assert.match(await admin.locator('#sign-in-error').innerText(), /query string/);
  assert.equal(await admin.evaluate("sessionStorage.getItem('stagecraft.token')"), null);
  await admin.locator('#token').fill(`stagecraft_${'x'.repeat(43)}`);
  await admin.keyboard.press('Enter');
  await admin.locator('#sign-in-error').filter({ hasText: 'token is unknown' }).waitFor({ timeout: 10_000 });
  await admin.locator('#token').fill(tokens.admin);
  await admin.keyboard.press('Enter');
  await waitFor(admin, '[data-check="drift:kubernetes"]', 'the recorded checks');
  assert.match(
    await admin.locator('[data-check="drift:kubernetes"]').innerText(),
    /⚠ problems\s+1\s+1 manual change/,
  );
  assert.match(
    await admin.locator('[data-check="parity:staging-production"]').innerText(),
    /staging ↔ production\s+✓ clean/,
  );
  assert.equal(await admin.locator('#who').innerText(), 'admin (admin)');

  // The matrix and the timeline, as pictures.
  for (const [name, selector] of [
    ['matrix', 'section[aria-labelledby="matrix-heading"]'],
    ['timeline', 'section[aria-labelledby="timeline-heading"]'],
  ] as const) {
    const path = join(dir, `${name}.png`);
    await bob.locator(selector).screenshot({ path });
    assert.deepEqual(readFileSync(path).subarray(0, 4), PNG, `${name}.png is a PNG`);
  }
  if (process.env['STAGECRAFT_UPDATE_SCREENSHOT'] === '1') {
    await bob.screenshot({ path: join(REPO_ROOT, 'docs/dashboard.png'), fullPage: true });
  }
  assert.deepEqual(problems, []);
});
