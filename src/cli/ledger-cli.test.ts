/**
 * The ledger through the CLI on SQLite, in memory: the PostgreSQL runs and the racing processes are in
 * ledger-cli.integration.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertRefused, commit, digest, memoryLedger } from '../test-support/ledger.ts';
import { chainWorkspace, throughTheChain } from '../test-support/ledger-chain.ts';

test('an artifact goes dev → staging → production on SQLite, and each refusal says which rule refused it', async (t) => {
  const { dir } = await throughTheChain(t, { ledgerStore: await memoryLedger(t) });
  assert.ok(!existsSync(join(dir, '.stagecraft')), 'the runs used the in-memory ledger, not a file');
});

test('a release promotes several services as one unit: all of them, or none', async (t) => {
  const { cli, json } = chainWorkspace(t, { ledgerStore: await memoryLedger(t) });
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
