import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';
import { assertRefused, commit, digest } from '../test-support/ledger.ts';
import { startPostgres } from '../test-support/postgres.ts';

const WORKSPACE = `environments:
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

/** The ledger on SQLite (the default) or on the PostgreSQL at `databaseUrl`. */
function workspace(t: { after(fn: () => void): void }, databaseUrl?: string) {
  const dir = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const cli = (args: string[], role = 'developer', actor = 'dana') =>
    runCli([...args], {
      cwd: dir,
      env: { STAGECRAFT_ROLE: role, STAGECRAFT_ACTOR: actor, STAGECRAFT_DATABASE_URL: databaseUrl },
    });
  const json = async (args: string[], role?: string) => {
    const result = await cli([...args, '--format', 'json'], role);
    return { ...result, data: JSON.parse(result.stdout || '{}') };
  };
  return { dir, cli, json };
}

async function throughTheChain(t: { after(fn: () => void): void }, databaseUrl?: string) {
  const { cli, json, dir } = workspace(t, databaseUrl);
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
  return { dir, databaseUrl };
}

test('an artifact goes dev → staging → production on SQLite, and each refusal says which rule refused it', async (t) => {
  const { dir } = await throughTheChain(t);
  assert.ok(existsSync(join(dir, '.stagecraft/state.db')));
});

test('the same on PostgreSQL, and 50 concurrent promotions of one environment: exactly one wins', async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') {
    t.skip(postgres);
    return;
  }
  await throughTheChain(t, postgres.url);
  await concurrentPromotions(t, postgres.url);
});

test('50 concurrent promotions on SQLite: exactly one wins, nothing is lost', async (t) => {
  await concurrentPromotions(t);
});

async function concurrentPromotions(t: { after(fn: () => void): void }, databaseUrl?: string) {
  const { cli, json } = workspace(t, databaseUrl);
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

test('a release promotes several services as one unit: all of them, or none', async (t) => {
  const { cli, json } = workspace(t);
  const [web, api] = [digest(), digest()];
  await cli(['artifact', 'register', 'web', `registry.example.com/shop/web@${web}`, '--commit', commit()]);
  await cli(['artifact', 'register', 'api', `registry.example.com/shop/api@${api}`, '--commit', commit()]);
  assert.equal((await cli(['release', 'create', '2026.11.1', `web=${web}`, `api=${api}`])).code, 0);
  assertRefused(await cli(['release', 'create', '2026.11.1', `web=${web}`]), 'LEDGER_RELEASE_EXISTS');
  assert.equal((await cli(['deploy', '--release', '2026.11.1', '--env', 'dev'])).code, 0);
  const staging = await cli(['promote', '--release', '2026.11.1', '--to', 'staging'], 'ci');
  assert.equal(staging.code, 0, staging.stderr);
  const rows = (await json(['history', '--env', 'staging'])).data.deployments as {
    service: string;
    status: string;
  }[];
  assert.deepEqual(rows.map((r) => `${r.service} ${r.status}`).sort(), ['api succeeded', 'web succeeded']);

  // A second release whose api artifact is rejected: refused as a whole, web not promoted either.
  const [web2, api2] = [digest(), digest()];
  await cli(['artifact', 'register', 'web', `registry.example.com/shop/web@${web2}`, '--commit', commit()]);
  await cli(['artifact', 'register', 'api', `registry.example.com/shop/api@${api2}`, '--commit', commit()]);
  await cli(['release', 'create', '2026.11.2', `web=${web2}`, `api=${api2}`]);
  assert.equal((await cli(['deploy', '--release', '2026.11.2', '--env', 'dev'])).code, 0);
  await cli(['reject', api2, '--reason', 'broken migration'], 'admin');
  assertRefused(
    await cli(['promote', '--release', '2026.11.2', '--to', 'staging'], 'ci'),
    'LEDGER_ARTIFACT_REJECTED',
  );
  const after = (await json(['history', '--env', 'staging'])).data.deployments as unknown[];
  assert.equal(after.length, 2, 'nothing of the refused release was recorded');
});
