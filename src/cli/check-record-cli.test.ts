/**
 * `--record` on parity and drift, on the in-memory ledger: each result is kept whatever the check found —
 * clean, problems, or an error when it could not evaluate — attributed and audited, with the exit code the
 * check decided; a result that cannot be recorded is said on stderr and fails an otherwise clean run. The
 * server's side is in checks.integration.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { sql } from 'kysely';
import { Ledger } from '../ledger/ledger.ts';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { memoryLedger } from '../test-support/ledger.ts';
import { asLive } from '../test-support/live-objects.ts';
import { emptyPlan } from '../test-support/terraform.ts';

const PARITY = 'staging↔production';

/** A copy of the shop with an in-memory ledger; the CLI run as dana, a developer, on the local ledger. */
async function shop(t: { after(fn: () => Promise<void> | void): void }) {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const store = await memoryLedger(t);
  const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
    runCli(args, {
      cwd: dir,
      ledgerStore: store,
      env: {
        STAGECRAFT_ACTOR: 'dana',
        STAGECRAFT_ROLE: 'developer',
        STAGECRAFT_URL: undefined,
        STAGECRAFT_TOKEN: undefined,
        ...env,
      },
    });
  const rows = async () => (await store()).db.selectFrom('checks').selectAll().orderBy('id').execute();
  const latest = async () => new Ledger(await store(), loadWorkspace({ cwd: dir })).latestChecks();
  return { dir, cli, rows, latest, store };
}

test('parity --record keeps a clean result, attributed and audited, and exits as the check decided', async (t) => {
  const { cli, rows, latest } = await shop(t);
  const plain = await cli(['parity', 'staging', 'production', '--format', 'json']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stderr, '', 'without --record the ledger is not opened');
  assert.equal((await rows()).length, 0);

  const result = await cli(['parity', 'staging', 'production', '--record', '--format', 'json']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /recorded: parity staging↔production, clean \(check #1\)/);
  const [check] = await latest();
  assert.deepEqual(
    { ...check, at: undefined, summary: undefined },
    {
      id: 1,
      kind: 'parity',
      name: PARITY,
      environments: ['staging', 'production'],
      status: 'clean',
      findings: 0,
      actor: 'dana',
      at: undefined,
      summary: undefined,
    },
  );
  assert.match(check?.summary ?? '', /^production mirrors staging: 10 objects/);
  const [row] = await rows();
  assert.equal(row?.role, 'developer');
  assert.deepEqual(
    JSON.parse(row?.report ?? 'null'),
    JSON.parse(result.stdout),
    'the report --format json printed',
  );

  const audit = JSON.parse((await cli(['audit', '--format', 'json'])).stdout).audit as {
    action: string;
    subject: string;
    actor: string;
    detail: string;
  }[];
  const entry = audit.find((a) => a.action === 'check record');
  assert.equal(entry?.subject, `parity ${PARITY}`);
  assert.equal(entry?.actor, 'dana');
  assert.equal(entry?.detail, 'check #1: clean, 0 findings');
});

test('parity with violations is recorded as problems with their count, and the newest result of a check is the one shown', async (t) => {
  const { dir, cli, rows, latest } = await shop(t);
  const file = join(dir, 'deploy/production/orders.yaml');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace(/@sha256:[0-9a-f]{64}/, `@sha256:${randomBytes(32).toString('hex')}`));
  const drifted = await cli(['parity', 'staging', 'production', '--record', '--format', 'json']);
  assert.equal(drifted.code, 2, drifted.stderr);
  const violations = JSON.parse(drifted.stdout).violations as unknown[];
  assert.ok(violations.length > 0);
  assert.deepEqual(
    (await latest()).map((c) => [c.name, c.status, c.findings]),
    [[PARITY, 'problems', violations.length]],
  );
  assert.match((await latest())[0]?.summary ?? '', /parity violations? between staging and production/);

  writeFileSync(file, original);
  assert.equal((await cli(['parity', 'staging', 'production', '--record'])).code, 0);
  assert.deepEqual(
    (await latest()).map((c) => [c.id, c.status]),
    [[2, 'clean']],
  );
  assert.equal((await rows()).length, 2, 'the earlier result is kept');
});

test('drift kubernetes --record keeps the drift found, and no value that names or looks like a secret reaches the stored report', async (t) => {
  const { dir, cli, rows, latest } = await shop(t);
  const word = () => randomBytes(12).toString('hex');
  const [smtpDesired, smtpLive, urlDesired, urlLive, secretDesired, secretLive] = [
    word(),
    word(),
    word(),
    word(),
    word(),
    word(),
  ];
  const [noteDesired, noteLive] = [`note-${word()}`, `note-${word()}`];
  const objects = (smtp: string, url: string, secret: string, note: string) => [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mail', namespace: 'shop-production' },
      data: {
        SMTP_PASSWORD: smtp,
        DATABASE_URL: `postgres://shop:${url}@db.example.com:5432/shop`,
        NOTE: note,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mail', namespace: 'shop-production' },
      type: 'Opaque',
      stringData: { password: secret },
    },
  ];
  writeFileSync(
    join(dir, 'deploy/production/mail.yaml'),
    objects(smtpDesired, urlDesired, secretDesired, noteDesired)
      .map((object) => JSON.stringify(object))
      .join('\n---\n'),
  );
  const live = objects(smtpLive, urlLive, secretLive, noteLive).map((object) => asLive(object));
  const secret = live[1] as { data?: Record<string, string>; stringData?: unknown };
  secret.data = { password: Buffer.from(secretLive).toString('base64') };
  delete secret.stringData;
  mkdirSync(join(dir, 'cluster'));
  writeFileSync(
    join(dir, 'cluster/live.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: live }),
  );

  const result = await cli([
    'drift',
    'kubernetes',
    '--env',
    'production',
    '--live',
    'cluster/live.json',
    '--record',
    '--format',
    'json',
  ]);
  assert.equal(result.code, 2, result.stderr);
  const items = JSON.parse(result.stdout).items as { path: string }[];
  const [check] = await latest();
  assert.deepEqual(
    [check?.kind, check?.name, check?.environments, check?.status, check?.findings],
    ['drift', 'kubernetes production', ['production'], 'problems', items.length],
  );
  const stored = (await rows())[0]?.report ?? '';
  assert.ok(
    stored.includes(noteDesired) && stored.includes(noteLive),
    'values that are no secret are kept: the report holds values',
  );
  for (const value of [smtpDesired, smtpLive, urlDesired, urlLive, secretDesired, secretLive]) {
    assert.ok(!stored.includes(value), 'a secret value was stored');
    assert.ok(!stored.includes(Buffer.from(value).toString('base64')), 'a secret value was stored encoded');
  }
});

test('a drift check that cannot evaluate (an errored plan) is recorded as error, and exits 1', async (t) => {
  const { dir, cli, latest, rows } = await shop(t);
  writeFileSync(join(dir, 'plan.json'), emptyPlan({ complete: false, errored: true }));
  const result = await cli(['drift', 'terraform', 'plan.json', '--env', 'production', '--record']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /recorded: drift terraform production, error/);
  assert.match(result.stderr, /\[TERRAFORM_PLAN_ERRORED\]/);
  const [check] = await latest();
  assert.deepEqual(
    [check?.name, check?.environments, check?.status, check?.findings],
    ['terraform production', ['production'], 'error', 0],
  );
  assert.match(check?.summary ?? '', /is a plan that errored/);
  assert.equal(JSON.parse((await rows())[0]?.report ?? '{}').error.code, 'TERRAFORM_PLAN_ERRORED');

  // A plan with nothing to do, named after the environment whose terraform.plan it is.
  writeFileSync(
    join(dir, 'stagecraft.yaml'),
    readFileSync(join(dir, 'stagecraft.yaml'), 'utf8').replace(
      '    manifests: deploy/production\n',
      '    manifests: deploy/production\n    terraform: { plan: infra/plan.json }\n',
    ),
  );
  mkdirSync(join(dir, 'infra'));
  writeFileSync(join(dir, 'infra/plan.json'), emptyPlan({ complete: true, errored: false }));
  const clean = await cli(['drift', 'terraform', 'infra/plan.json', '--record']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.deepEqual(
    (await latest()).map((c) => [c.name, c.status]),
    [['terraform production', 'clean']],
  );
});

test('a result that cannot be recorded is said on stderr: a clean check then exits 1, one with problems keeps 2', async (t) => {
  const { dir, cli } = await shop(t);
  // Nothing listens on port 1: the server cannot be reached.
  const unreachable = {
    STAGECRAFT_URL: 'http://127.0.0.1:1',
    STAGECRAFT_TOKEN: randomBytes(16).toString('hex'),
  };
  const clean = await cli(['parity', 'staging', 'production', '--record', '--format', 'json'], unreachable);
  assert.equal(clean.code, 1);
  assert.equal(JSON.parse(clean.stdout).verdict, 'parity', 'stdout is the report alone');
  assert.match(clean.stderr, /the result of parity staging↔production was not recorded/);
  assert.match(clean.stderr, /\[SERVER_UNREACHABLE\]/);

  const file = join(dir, 'deploy/production/orders.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/@sha256:[0-9a-f]{64}/, `@sha256:${randomBytes(32).toString('hex')}`),
  );
  const problems = await cli(['parity', 'staging', 'production', '--record'], unreachable);
  assert.equal(problems.code, 2);
  assert.match(problems.stderr, /\[SERVER_UNREACHABLE\]/);
});

test('the database refuses to edit or delete a recorded check, and audit verify checks its triggers', async (t) => {
  const { cli, store } = await shop(t);
  assert.equal((await cli(['parity', 'staging', 'production', '--record'])).code, 0);
  const { db } = await store();
  await assert.rejects(
    db.updateTable('checks').set({ status: 'problems' }).where('id', '=', 1).execute(),
    /stagecraft: checks is append-only/,
  );
  await assert.rejects(db.deleteFrom('checks').execute(), /stagecraft: checks is append-only/);
  assert.equal((await cli(['audit', 'verify'])).code, 0);
  await sql`drop trigger checks_no_update`.execute(db);
  const broken = await cli(['audit', 'verify']);
  assert.equal(broken.code, 2);
  assert.match(broken.stdout, /append-only triggers missing: checks_no_update/);
});
