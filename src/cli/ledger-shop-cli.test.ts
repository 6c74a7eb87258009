import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

test('GitOps: promoting rewrites the image in the environment’s manifests and commits it; pending until confirmed', async (t) => {
  const { dir, cli } = shop(t);
  const workspace = join(dir, 'stagecraft.yaml');
  // Production deploys by GitOps in this copy: the commit is the deployment.
  writeFileSync(
    workspace,
    readFileSync(workspace, 'utf8').replace(
      '    manifests: deploy/production\n',
      '    manifests: deploy/production\n    deploy:\n      gitops: true\n',
    ),
  );
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['-c', 'user.name=Shop', '-c', 'user.email=shop@example.invalid', 'commit', '-q', '-m', 'shop'],
  ]) {
    const result = spawnSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    assert.equal(result.status, 0, result.stderr.toString());
  }
  const d = digest();
  const sha = commit();
  await cli(
    [
      'artifact',
      'register',
      'orders',
      `registry.example.com/shop/orders@${d}`,
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
    (await cli(['deploy', 'orders', '--env', 'dev'], 'developer', 'alice', '2026-11-24T08:00:00Z')).code,
    0,
  );
  await cli(['promote', 'orders', '--to', 'staging'], 'ci', 'ci-bot', '2026-11-24T08:00:00Z');
  await cli(['deployed', 'orders', '--env', 'staging', '--confirm'], 'ci', 'ci-bot', '2026-11-24T08:00:00Z');
  await cli(['approve', 'orders', '--env', 'production'], 'developer', 'bob');
  const gitops = await runCli(['promote', 'orders', '--to', 'production', '--format', 'json'], {
    cwd: dir,
    env: {
      STAGECRAFT_ROLE: 'ci',
      STAGECRAFT_ACTOR: 'ci-bot',
      STAGECRAFT_NOW: '2026-11-24T10:00:00Z',
      STAGECRAFT_REHEARSAL: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'ci',
      GIT_AUTHOR_EMAIL: 'ci@example.invalid',
      GIT_COMMITTER_NAME: 'ci',
      GIT_COMMITTER_EMAIL: 'ci@example.invalid',
    },
  });
  assert.equal(gitops.code, 0, gitops.stdout + gitops.stderr);
  const data = JSON.parse(gitops.stdout);
  assert.equal(data.status, 'pending');
  assert.deepEqual(data.files, ['deploy/production/orders.yaml']);
  assert.match(
    readFileSync(join(dir, 'deploy/production/orders.yaml'), 'utf8'),
    new RegExp(`image: registry\\.example\\.com/shop/orders@${d}\\n`),
  );
  const log = spawnSync('git', ['log', '-1', '--format=%s%n%b'], { cwd: dir, encoding: 'utf8' }).stdout;
  assert.match(log, new RegExp(`^stagecraft: deploy orders ${d} to production\\nLedger deployment #\\d+`));
  // Not succeeded until someone sees it run.
  const status = JSON.parse(
    (await cli(['history', '--env', 'production', '--format', 'json'], 'ci', 'ci-bot')).stdout,
  );
  assert.equal(status.deployments[0].status, 'pending');
  // A drift check's view confirms it: not while the cluster runs the old image, then once it runs the digest.
  const live = (image: string) => liveDeployment(image, { name: 'orders', namespace: 'shop-production' });
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/orders@sha256:${'0'.repeat(64)}`));
  const early = await cli(
    ['deployed', 'orders', '--env', 'production', '--confirm', '--live', 'live.json'],
    'ci',
    'ci-bot',
  );
  assert.equal(early.code, 2);
  assert.match(
    early.stderr,
    /\[LEDGER_NOT_LIVE\] the live objects do not run registry\.example\.com\/shop\/orders@sha256:/,
  );
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/orders@${d}`));
  assert.equal(
    (
      await cli(
        ['deployed', 'orders', '--env', 'production', '--confirm', '--live', 'live.json'],
        'ci',
        'ci-bot',
      )
    ).code,
    0,
  );
});
