import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../test-support/cli.ts';
import { liveDeployment, memoryLedger } from '../test-support/ledger.ts';
import { shop, shopChain } from '../test-support/ledger-shop.ts';

const digest = () => `sha256:${randomBytes(32).toString('hex')}`;
const commit = () => randomBytes(20).toString('hex');

test('in examples/shop an artifact goes dev → staging → production, each gate refusing until it is met', async (t) =>
  shopChain(t, { ledgerStore: await memoryLedger(t) }));

test('a failed verification stops a soak; break-glass is admin-only and loud; rollback returns to the previous artifact', async (t) => {
  const { cli } = shop(t, { ledgerStore: await memoryLedger(t) });
  const first = digest();
  const second = digest();
  for (const [d, sha] of [
    [first, commit()],
    [second, commit()],
  ] as const) {
    await cli(
      [
        'artifact',
        'register',
        'catalog',
        `registry.example.com/shop/catalog@${d}`,
        '--commit',
        sha,
        '--author',
        'alice',
      ],
      'ci',
      'ci-bot',
    );
    await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci', 'ci-bot');
    assert.equal(
      (
        await cli(
          ['deploy', 'catalog', '--env', 'dev', '--digest', d],
          'developer',
          'alice',
          '2026-11-24T09:00:00Z',
        )
      ).code,
      0,
    );
    assert.equal(
      (
        await cli(
          ['promote', 'catalog', '--to', 'staging', '--digest', d],
          'ci',
          'ci-bot',
          '2026-11-24T09:00:00Z',
        )
      ).code,
      0,
    );
    // An admin is no deployer of staging: a deployment recorded without break-glass is not theirs to end.
    const admin = await cli(['deployed', 'catalog', '--env', 'staging', '--confirm'], 'admin', 'erin');
    assert.equal(admin.code, 2);
    assert.match(admin.stderr, /\[LEDGER_ROLE_REFUSED\] the role admin may not deploy to staging/);
    await cli(
      ['deployed', 'catalog', '--env', 'staging', '--confirm'],
      'ci',
      'ci-bot',
      '2026-11-24T09:00:00Z',
    );
  }
  assert.equal(
    (
      await cli(
        ['verify', 'fail', '--env', 'staging', '--service', 'catalog'],
        'ci',
        'monitor',
        '2026-11-24T09:30:00Z',
      )
    ).code,
    0,
  );
  await cli(['approve', 'catalog', '--env', 'production'], 'developer', 'bob');
  const stopped = await cli(
    ['promote', 'catalog', '--to', 'production'],
    'ci',
    'ci-bot',
    '2026-11-24T12:00:00Z',
  );
  assert.equal(stopped.code, 2);
  assert.match(
    stopped.stderr,
    /soak: a verification failed in staging at 2026-11-24T09:30:00\.000Z \(monitor\)/,
  );
  // status says the soak can never pass for this artifact, and what would reset it, in text and JSON.
  const status = await cli(['status', '--format', 'json'], 'ci', 'ci-bot', '2026-11-24T12:00:00Z');
  const next = JSON.parse(status.stdout).next.find(
    (n: { service: string; environment: string }) =>
      n.service === 'catalog' && n.environment === 'production',
  );
  assert.equal(next.blocked, true);
  const soak = next.gates.find((g: { gate: string }) => g.gate === 'soak');
  assert.equal(soak.blocked, true);
  assert.match(soak.reset, /a new artifact of catalog, deployed to staging and soaked there for 1h/);
  const table = await cli(['status'], 'ci', 'ci-bot', '2026-11-24T12:00:00Z');
  assert.match(table.stdout, /blocked: soak/);
  assert.match(
    table.stdout,
    /catalog → production: soak can never pass for .*what would reset it: a new artifact/,
  );

  const notAdmin = await cli(
    ['promote', 'catalog', '--to', 'production', '--break-glass', '--reason', 'outage'],
    'ci',
    'ci-bot',
    '2026-11-24T12:00:00Z',
  );
  assert.equal(notAdmin.code, 2);
  assert.match(notAdmin.stderr, /\[LEDGER_BREAK_GLASS_REFUSED\]/);
  const glass = await cli(
    ['promote', 'catalog', '--to', 'production', '--break-glass', '--reason', 'INC-42 outage fix'],
    'admin',
    'erin',
    '2026-11-24T12:00:00Z',
  );
  assert.equal(glass.code, 0, glass.stderr);
  assert.match(glass.stderr, /BREAK-GLASS by erin: INC-42 outage fix — gates bypassed: soak/);
  const history = await cli(['history', '--env', 'production', '--format', 'markdown'], 'ci', 'ci-bot');
  assert.match(history.stdout, /promote BREAK-GLASS: INC-42 outage fix/);
  // Production has no deploy step: the admin who broke the glass may say it runs, though no deployer.
  const confirmed = await cli(['deployed', 'catalog', '--env', 'production', '--confirm'], 'admin', 'erin');
  assert.equal(confirmed.code, 0, confirmed.stderr);

  // staging ran first, then second: rolling back staging returns to first, as a new entry.
  const rollback = await cli(['rollback', 'catalog', '--env', 'staging', '--format', 'json'], 'ci', 'ci-bot');
  assert.equal(rollback.code, 0, rollback.stderr);
  assert.equal(JSON.parse(rollback.stdout).digest, first);
  const entries = JSON.parse(
    (await cli(['history', '--env', 'staging', '--format', 'json'], 'ci', 'ci-bot')).stdout,
  ).deployments;
  assert.deepEqual(
    entries.map((r: { kind: string }) => r.kind),
    ['rollback', 'promote', 'promote'],
  );
});

/**
 * The shop with production deployed by GitOps, in a git repository, and an orders artifact that waits only
 * for its promotion to production. For real (`now` null) the soak and window are dropped, as no test waits
 * an hour; in rehearsal they are kept and met by the clock.
 */
async function gitopsShop(t: { after(fn: () => void): void }, now: string | null) {
  const { dir, cli } = shop(t);
  const workspace = join(dir, 'stagecraft.yaml');
  let yaml = readFileSync(workspace, 'utf8').replace(
    '    manifests: deploy/production\n',
    '    manifests: deploy/production\n    deploy:\n      gitops: true\n',
  );
  if (now === null) yaml = yaml.replace(/ {6}- kind: soak[\s\S]*?timezone: Europe\/Berlin\n/, '');
  writeFileSync(workspace, yaml);
  const git = (args: string[]) => {
    const result = spawnSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['-c', 'user.name=Shop', '-c', 'user.email=shop@example.invalid', 'commit', '-q', '-m', 'shop']);
  const d = digest();
  const sha = commit();
  const image = `registry.example.com/shop/orders@${d}`;
  const early = now === null ? null : '2026-11-24T08:00:00Z';
  const steps: [string[], string, string][] = [
    [['artifact', 'register', 'orders', image, '--commit', sha, '--author', 'alice'], 'ci', 'ci-bot'],
    [['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci', 'ci-bot'],
    [['deploy', 'orders', '--env', 'dev'], 'developer', 'alice'],
    [['promote', 'orders', '--to', 'staging'], 'ci', 'ci-bot'],
    [['deployed', 'orders', '--env', 'staging', '--confirm'], 'ci', 'ci-bot'],
    [['approve', 'orders', '--env', 'production'], 'developer', 'bob'],
  ];
  for (const [args, role, actor] of steps) {
    const result = await cli(args, role, actor, early);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  }
  const promote = () =>
    runCli(['promote', 'orders', '--to', 'production', '--format', 'json'], {
      cwd: dir,
      env: {
        STAGECRAFT_ROLE: 'ci',
        STAGECRAFT_ACTOR: 'ci-bot',
        STAGECRAFT_NOW: now ?? undefined,
        STAGECRAFT_REHEARSAL: now === null ? undefined : '1',
        PATH: `${dir}${delimiter}${process.env['PATH']}`,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'ci',
        GIT_AUTHOR_EMAIL: 'ci@example.invalid',
        GIT_COMMITTER_NAME: 'ci',
        GIT_COMMITTER_EMAIL: 'ci@example.invalid',
      },
    });
  return { dir, cli, git, d, image, promote };
}

test('GitOps: promoting rewrites the image in the environment’s manifests and commits it; pending until confirmed', async (t) => {
  const { dir, cli, git, d, promote } = await gitopsShop(t, null);
  const gitops = await promote();
  assert.equal(gitops.code, 0, gitops.stdout + gitops.stderr);
  const data = JSON.parse(gitops.stdout);
  assert.equal(data.status, 'pending');
  assert.deepEqual(data.gitops.files, ['deploy/production/orders.yaml']);
  assert.match(
    readFileSync(join(dir, 'deploy/production/orders.yaml'), 'utf8'),
    new RegExp(`image: registry\\.example\\.com/shop/orders@${d}\\n`),
  );
  const log = git(['log', '-1', '--format=%s%n%b']);
  assert.match(log, new RegExp(`^stagecraft: deploy orders ${d} to production\\nLedger deployment #\\d+`));
  // Not succeeded until someone sees it run.
  const status = JSON.parse(
    (await cli(['history', '--env', 'production', '--format', 'json'], 'ci', 'ci-bot', null)).stdout,
  );
  assert.equal(status.deployments[0].status, 'pending');
  // A drift check's view confirms it: not while the cluster runs the old image, then once it runs the digest.
  const live = (image: string) => liveDeployment(image, { name: 'orders', namespace: 'shop-production' });
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/orders@sha256:${'0'.repeat(64)}`));
  const confirm = ['deployed', 'orders', '--env', 'production', '--confirm', '--live', 'live.json'];
  const early = await cli(confirm, 'ci', 'ci-bot', null);
  assert.equal(early.code, 2);
  assert.match(
    early.stderr,
    /\[LEDGER_NOT_LIVE\] the live objects do not run registry\.example\.com\/shop\/orders@sha256:/,
  );
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/orders@${d}`));
  assert.equal((await cli(confirm, 'ci', 'ci-bot', null)).code, 0);
});

test('GitOps in rehearsal: the rewrite it would commit is reported, and nothing is written or committed', async (t) => {
  // Tuesday 25 November 2026, 11:00 in Berlin: the soak has passed, the window is open.
  const { dir, git, image, promote } = await gitopsShop(t, '2026-11-25T10:00:00Z');
  const manifest = join(dir, 'deploy/production/orders.yaml');
  const before = { text: readFileSync(manifest, 'utf8'), head: git(['rev-parse', 'HEAD']) };
  const rehearsed = await promote();
  assert.equal(rehearsed.code, 0, rehearsed.stdout + rehearsed.stderr);
  const data = JSON.parse(rehearsed.stdout);
  assert.equal(data.status, 'succeeded');
  assert.equal(data.rehearsal, true);
  assert.equal(data.step, 'rehearsed');
  assert.equal(
    data.output,
    `rehearsal: nothing committed; the GitOps step would set ${image} in deploy/production/orders.yaml and commit it`,
  );
  assert.deepEqual(
    { text: readFileSync(manifest, 'utf8'), head: git(['rev-parse', 'HEAD']) },
    before,
    'a rehearsal wrote or committed the manifests',
  );
  assert.equal(git(['status', '--porcelain', '--', 'deploy']), '');
});

test('GitOps in rehearsal: manifests that do not name the image are refused as they would be for real', async (t) => {
  const { dir, cli, promote } = await gitopsShop(t, '2026-11-25T10:00:00Z');
  const manifest = join(dir, 'deploy/production/orders.yaml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(/image: .*\n/g, 'image: elsewhere/orders:1\n'),
  );
  const refused = await promote();
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /LEDGER_GITOPS_NO_REFERENCE/);
  const history = JSON.parse(
    (
      await cli(
        ['history', '--env', 'production', '--format', 'json'],
        'ci',
        'ci-bot',
        '2026-11-25T10:00:00Z',
      )
    ).stdout,
  );
  assert.equal(history.deployments[0].status, 'failed');
});

test('deploy prints each deployment as deployment show does, and a release as one JSON document', async (t) => {
  const { cli } = shop(t, { ledgerStore: await memoryLedger(t) });
  const now = '2026-11-24T09:00:00Z';
  const items: string[] = [];
  for (const service of ['catalog', 'orders']) {
    const d = digest();
    items.push(`${service}=${d}`);
    const image = `registry.example.com/shop/${service}@${d}`;
    const registered = await cli(
      ['artifact', 'register', service, image, '--commit', commit(), '--author', 'alice'],
      'ci',
      'ci-bot',
    );
    assert.equal(registered.code, 0, registered.stderr);
  }
  assert.equal((await cli(['release', 'create', 'r1', ...items], 'ci', 'ci-bot')).code, 0);
  const released = await cli(
    ['deploy', '--release', 'r1', '--env', 'dev', '--format', 'json'],
    'developer',
    'alice',
    now,
  );
  assert.equal(released.code, 0, released.stderr);
  const data = JSON.parse(released.stdout);
  assert.equal(data.release, 'r1');
  assert.deepEqual(
    data.deployments.map((d: { service: string; status: string; step: string; rehearsal: boolean }) => [
      d.service,
      d.status,
      d.step,
      d.rehearsal,
    ]),
    [
      ['catalog', 'succeeded', 'rehearsed', true],
      ['orders', 'succeeded', 'rehearsed', true],
    ],
  );
  for (const deployment of data.deployments) {
    const { step, gitops, ...stored } = deployment;
    assert.equal(gitops, null);
    const shown = await cli(
      ['deployment', 'show', String(deployment.id), '--format', 'json'],
      'developer',
      'alice',
      now,
    );
    assert.deepEqual(JSON.parse(shown.stdout), stored);
  }
  const one = await cli(['promote', 'catalog', '--to', 'staging', '--format', 'json'], 'ci', 'ci-bot', now);
  assert.equal(one.code, 2, 'staging waits for the tests gate');
  assert.equal(JSON.parse(one.stdout).error.code, 'LEDGER_GATE_FAILED');
});
