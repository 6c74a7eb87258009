/**
 * The ledger's rules hold for a local user who would rather bend them: the clock is the database's, the roles
 * that feed gates are checked, commits are full and authors known, and the ledger's own credentials and file
 * stay private.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Store } from '../ledger/store.ts';
import { builtConfigLibrary, runCli, tempDir } from '../test-support/cli.ts';
import { gitOk } from '../test-support/git.ts';
import { assertRefused, commit, digest, memoryLedger, registerArgs } from '../test-support/ledger.ts';

const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy:
      command: env
  staging:
    from: dev
    deployers: [ci]
    gates:
      - { kind: soak, duration: 1h }
  production:
    from: staging
    deployers: [ci]
    gates:
      - { kind: approvals, count: 1 }
services:
  web:
    image: registry.example.com/shop/web
`;

/** `ledgerStore`: the ledger in memory (`memoryLedger`); without it, .stagecraft/state.db in the folder. */
function ledger(t: { after(fn: () => void): void }, yaml = WORKSPACE, ledgerStore?: () => Promise<Store>) {
  const dir = tempDir(t, { 'stagecraft.yaml': yaml });
  const cli = (args: string[], role = 'developer', env: Record<string, string> = {}, actor = 'dana') =>
    runCli([...args], {
      ...(ledgerStore ? { ledgerStore } : {}),
      cwd: dir,
      env: { STAGECRAFT_ROLE: role, STAGECRAFT_ACTOR: actor, STAGECRAFT_DATABASE_URL: undefined, ...env },
    });
  const json = async (args: string[], role?: string, env?: Record<string, string>) => {
    const result = await cli([...args, '--format', 'json'], role, env);
    return { ...result, data: JSON.parse(result.stdout || '{}') };
  };
  return { dir, cli, json };
}

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

test('the clock is the database’s: STAGECRAFT_NOW outside rehearsal is refused, and rehearsed entries never count for real', async (t) => {
  const { cli, json } = ledger(t, WORKSPACE, await memoryLedger(t));
  const d = digest();
  assert.equal((await cli(registerArgs('web', d))).code, 0);
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  // Two hours from now would pass the soak: refused unless rehearsing, and a bad value is a clear error.
  assertRefused(
    await cli(['promote', 'web', '--to', 'staging'], 'ci', { STAGECRAFT_NOW: inHours(2) }),
    'LEDGER_CLOCK_REFUSED',
  );
  assertRefused(await cli(['status'], 'ci', { STAGECRAFT_NOW: 'next tuesday' }), 'LEDGER_BAD_CLOCK', 1);
  const real = await cli(['promote', 'web', '--to', 'staging'], 'ci');
  assertRefused(real, 'LEDGER_GATE_FAILED');
  assert.match(real.stderr, /soak: it has not soaked in dev for 1h yet \(60 min to go\)/);
  // Rehearsed, the soak passes, and the entry is marked.
  const rehearsal = { STAGECRAFT_REHEARSAL: '1', STAGECRAFT_NOW: inHours(2) };
  const rehearsed = await json(['promote', 'web', '--to', 'staging'], 'ci', rehearsal);
  assert.equal(rehearsed.code, 0, rehearsed.stderr);
  assert.match(
    rehearsed.stderr,
    /^rehearsal at \d{4}-[^:]+:\d\d:\d\d[^:]*: you act as \S+, role ci \(not authenticated here\); entries are marked rehearsed/m,
  );
  assert.equal(rehearsed.stderr.trim().split('\n').length, 1, 'one note, not two');
  const history = await json(['history', '--env', 'staging']);
  assert.deepEqual(
    history.data.deployments.map((r: { rehearsal: boolean; createdAt: string }) => [
      r.rehearsal,
      r.createdAt,
    ]),
    [[true, rehearsal.STAGECRAFT_NOW]],
  );
  // Outside rehearsal the rehearsed staging deployment does not exist: production has nothing to take.
  assertRefused(await cli(['promote', 'web', '--to', 'production'], 'ci'), 'LEDGER_NOT_IN_SOURCE');
  // Nor does a rehearsed dev deployment make an artifact promotable for real.
  const d2 = digest();
  await cli(registerArgs('web', d2), 'developer', rehearsal);
  assert.equal(
    (await cli(['deploy', 'web', '--env', 'dev', '--digest', d2], 'developer', rehearsal)).code,
    0,
  );
  assertRefused(
    await cli(['promote', 'web', '--to', 'staging', '--digest', d2], 'ci'),
    'LEDGER_NOT_IN_SOURCE',
  );
  // Ages come from the database's clock: no NaN, whatever the environment says.
  const status = await cli(['status']);
  assert.equal(status.code, 0, status.stderr);
  assert.doesNotMatch(status.stdout, /NaN/);
});

test('gate reports, verifications and rejections only from the roles stagecraft.yaml names for them', async (t) => {
  const { cli } = ledger(t, `${WORKSPACE}ledger:\n  reporters: [qa]\n`, await memoryLedger(t));
  const sha = commit();
  assertRefused(
    await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'developer'),
    'LEDGER_ROLE_REFUSED',
  );
  const ci = await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci');
  assertRefused(ci, 'LEDGER_ROLE_REFUSED');
  assert.match(ci.stderr, /report test results is for: qa \(stagecraft\.yaml ledger\.reporters\)/);
  assert.equal((await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'qa')).code, 0);
  assertRefused(await cli(['verify', 'fail', '--env', 'dev'], 'developer'), 'LEDGER_ROLE_REFUSED');
  assert.equal((await cli(['verify', 'fail', '--env', 'dev'], 'ci')).code, 0);
  const d = digest();
  await cli(['artifact', 'register', 'web', `registry.example.com/shop/web@${d}`, '--commit', sha]);
  assertRefused(await cli(['reject', d, '--reason', 'bad'], 'ci'), 'LEDGER_ROLE_REFUSED');
  assert.equal((await cli(['reject', d, '--reason', 'bad'], 'admin')).code, 0);
});

test('git resolves commits with the command’s environment, not the process’s', async (t) => {
  // What a server needs: each request's environment reaches git. Here the workspace is no repository, and only
  // the command's GIT_DIR says where the commit is.
  const { cli, json } = ledger(t, WORKSPACE, await memoryLedger(t));
  const repository = tempDir(t, { 'app.txt': 'v1\n' });
  gitOk(repository, ['init', '-q', '-b', 'main']);
  gitOk(repository, ['add', 'app.txt']);
  gitOk(repository, [
    '-c',
    'user.name=Bo Example',
    '-c',
    'user.email=bo@example.com',
    'commit',
    '-q',
    '-m',
    'v1',
  ]);
  const full = gitOk(repository, ['rev-parse', 'HEAD']).trim();
  const args = [
    'artifact',
    'register',
    'web',
    `registry.example.com/shop/web@${digest()}`,
    '--commit',
    full.slice(0, 7),
  ];
  assertRefused(await cli(args), 'LEDGER_BAD_COMMIT');
  const registered = await json(args, 'developer', { GIT_DIR: join(repository, '.git') });
  assert.equal(registered.code, 0, registered.stderr);
  assert.equal(registered.data.commit, full);
  assert.equal(registered.data.author, 'Bo Example <bo@example.com>');
});

test('commits are kept whole and authors known: a short sha is resolved with git or refused, and nobody approves their own change', async (t) => {
  const { dir, cli, json } = ledger(t, WORKSPACE, await memoryLedger(t));
  gitOk(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'app.txt'), 'v1\n');
  gitOk(dir, ['add', 'app.txt']);
  gitOk(dir, [
    '-c',
    'user.name=Alice Example',
    '-c',
    'user.email=alice@example.com',
    'commit',
    '-q',
    '-m',
    'v1',
  ]);
  const full = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  const d = digest();
  const registered = await json([
    'artifact',
    'register',
    'web',
    `registry.example.com/shop/web@${d}`,
    '--commit',
    full.slice(0, 7),
  ]);
  assert.equal(registered.code, 0, registered.stderr);
  assert.equal(registered.data.commit, full);
  assert.equal(registered.data.author, 'Alice Example <alice@example.com>');
  // A short sha git does not know is refused, not stored to never match a tests report.
  assertRefused(
    await cli([
      'artifact',
      'register',
      'web',
      `registry.example.com/shop/web@${digest()}`,
      '--commit',
      'abcdef1',
    ]),
    'LEDGER_BAD_COMMIT',
  );
  const report = await json(['gate', 'report', 'tests', 'pass', '--commit', full.slice(0, 9)], 'ci');
  assert.equal(report.data.commit, full);
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  const rehearsal = { STAGECRAFT_REHEARSAL: '1', STAGECRAFT_NOW: inHours(2) };
  assert.equal((await cli(['promote', 'web', '--to', 'staging'], 'ci', rehearsal)).code, 0);
  assert.equal((await cli(['deployed', 'web', '--env', 'staging', '--confirm'], 'ci', rehearsal)).code, 0);
  // alice wrote it: refused by name, by e-mail and by its local part.
  for (const actor of ['alice', 'Alice Example', 'alice@example.com']) {
    assertRefused(
      await cli(['approve', 'web', '--env', 'production'], 'developer', rehearsal, actor),
      'LEDGER_SELF_APPROVAL',
    );
  }
  // dana registered the artifact: she does not approve it either.
  const registrant = await cli(['approve', 'web', '--env', 'production'], 'developer', rehearsal, 'dana');
  assertRefused(registrant, 'LEDGER_SELF_APPROVAL');
  assert.match(registrant.stderr, /dana registered the artifact/);
  assert.equal((await cli(['approve', 'web', '--env', 'production'], 'developer', rehearsal, 'bob')).code, 0);
  // Where git knows the commit, --author cannot name someone else (who could then approve it).
  const forged = await cli([
    ...registerArgs('web', digest(), full),
    '--author',
    'Mallory <mallory@example.com>',
  ]);
  assertRefused(forged, 'LEDGER_AUTHOR_MISMATCH');
  assert.match(forged.stderr, /written by Alice Example <alice@example.com>, not Mallory/);
  assert.equal(
    (await cli([...registerArgs('web', digest(), full), '--author', 'alice@example.com'])).code,
    0,
  );
  // A full sha from another checkout is kept as given; with no author known, approval is refused.
  const elsewhere = await json(registerArgs());
  assert.equal(elsewhere.data.author, null);
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  assert.equal((await cli(['promote', 'web', '--to', 'staging'], 'ci', rehearsal)).code, 0);
  assert.equal((await cli(['deployed', 'web', '--env', 'staging', '--confirm'], 'ci', rehearsal)).code, 0);
  const unknown = await cli(['approve', 'web', '--env', 'production'], 'developer', rehearsal, 'bob');
  assertRefused(unknown, 'LEDGER_AUTHOR_UNKNOWN');
  assert.match(unknown.stderr, /--author/);
});

test('the ledger’s store: its own variable, a private file, and clear errors for a URL it cannot use', async (t) => {
  const { dir, cli } = ledger(t);
  // The app's DATABASE_URL is not the ledger's: the ledger stays in SQLite and never touches it.
  const app = await cli(['status'], 'developer', { DATABASE_URL: 'postgres://app:pw@127.0.0.1:1/app' });
  assert.equal(app.code, 0, app.stderr);
  const file = join(dir, '.stagecraft/state.db');
  assert.ok(existsSync(file));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, '.stagecraft')).mode & 0o777, 0o700);
  if (existsSync(`${file}-wal`)) assert.equal(statSync(`${file}-wal`).mode & 0o777, 0o600);
  const secret = randomBytes(8).toString('hex');
  for (const url of [`mysql://app:${secret}@127.0.0.1/shop`, `not a url ${secret}`]) {
    const result = await cli(['status'], 'developer', { STAGECRAFT_DATABASE_URL: url });
    assertRefused(result, 'LEDGER_BAD_DATABASE_URL', 1);
    assert.ok(!(result.stdout + result.stderr).includes(secret), 'the password is never repeated');
  }
  // The deploy step does not see the ledger's credentials.
  const d = digest();
  await cli(registerArgs('web', d));
  const token = randomBytes(12).toString('hex');
  const deployed = await runCli(['deploy', 'web', '--env', 'dev', '--format', 'json'], {
    cwd: dir,
    env: {
      STAGECRAFT_ROLE: 'developer',
      STAGECRAFT_TOKEN: token,
      STAGECRAFT_API_TOKEN: token,
      APP_FLAG: 'on',
    },
  });
  const output = JSON.parse(deployed.stdout).output as string;
  assert.match(output, /^APP_FLAG=on$/m);
  assert.match(output, /^STAGECRAFT_ENVIRONMENT=dev$/m);
  assert.ok(!output.includes(token));
});

test('the deploy step’s kept output is masked of every secret the environment’s config resolves, also encoded', async (t) => {
  const step = [
    `printf 'raw %s\\n' "$API_KEY"`,
    `printf '%s' "$API_KEY" | base64 -w0; echo`,
    `node -e 'console.log(encodeURIComponent(process.env.API_KEY)); console.log(JSON.stringify({ key: process.env.API_KEY }))'`,
  ].join('; ');
  const { dir } = ledger(
    t,
    `environments:\n  dev:\n    deploy:\n      command: ${JSON.stringify(step)}\nservices:\n  web:\n    image: registry.example.com/shop/web\nconfig:\n  module: config.mjs\n`,
  );
  writeFileSync(
    join(dir, 'config.mjs'),
    `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ apiKey: field.secret() });\n`,
  );
  const key = `k/"${randomBytes(9).toString('base64')}"+ é`;
  const env = { STAGECRAFT_ROLE: 'developer', API_KEY: key };
  await runCli(registerArgs(), { cwd: dir, env });
  const deployed = await runCli(['deploy', 'web', '--env', 'dev', '--format', 'json'], { cwd: dir, env });
  assert.equal(deployed.code, 0, deployed.stderr);
  // What the ledger keeps, read back from its database.
  const SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new SQLite(join(dir, '.stagecraft/state.db'), { readonly: true });
  const stored = (db.prepare('select output from deployments').get() as { output: string }).output;
  db.close();
  assert.equal(stored, JSON.parse(deployed.stdout).output);
  for (const form of [
    key,
    Buffer.from(key).toString('base64'),
    encodeURIComponent(key),
    JSON.stringify(key).slice(1, -1),
  ]) {
    assert.ok(!stored.includes(form), `the output shows ${form}`);
  }
  assert.match(stored, /^raw \*\*\*$/m);
});

test('gate options are checked when stagecraft.yaml loads, at their line: never guessed at promotion time', async (t) => {
  const { dir, cli } = ledger(
    t,
    `environments:
  dev: {}
  staging:
    from: dev
    deployers: [ci]
    gates:
      - { kind: soak, duration: two days }
      - { kind: approvals, count: -1 }
      - { kind: window, hours: 9-17, timezone: Mars/Olympus }
services:
  web:
    image: registry.example.com/shop/web
`,
    await memoryLedger(t),
  );
  const check = await cli(['workspace', 'check']);
  assert.equal(check.code, 2, check.stdout + check.stderr);
  const problems = [
    /stagecraft\.yaml:7:33: error environments\.staging\.gates\[0\]\.duration is not valid[\s\S]*?hint: +write how long the artifact soaks/,
    /stagecraft\.yaml:8:35: error environments\.staging\.gates\[1\]\.count must be at least 1[\s\S]*?hint: +count is how many/,
    /stagecraft\.yaml:9:32: error environments\.staging\.gates\[2\]\.hours is not valid[\s\S]*?hint: +write two-digit hours/,
    /stagecraft\.yaml:9:48: error environments\.staging\.gates\[2\]\.timezone is not valid[\s\S]*?hint: +name an IANA time zone/,
  ];
  for (const problem of problems) assert.match(check.stdout, problem);
  // A ledger command reports the same and records nothing: not an artifact, not an audit row.
  const register = await cli(registerArgs());
  assert.equal(register.code, 2, register.stdout + register.stderr);
  for (const problem of problems) assert.match(register.stderr, problem);
  assert.doesNotMatch(register.stderr, /internal error|\n\s+at /);
  assert.equal(existsSync(join(dir, '.stagecraft')), false);
});

test('rehearsed approvals and test reports never open a gate for real', async (t) => {
  const { cli } = ledger(
    t,
    `environments:
  dev: {}
  staging:
    from: dev
    deployers: [ci]
    gates: [tests, { kind: approvals, count: 1 }]
services:
  web:
    image: registry.example.com/shop/web
`,
    await memoryLedger(t),
  );
  const sha = commit();
  await cli(registerArgs('web', digest(), sha).concat('--author', 'alice'));
  await cli(['deploy', 'web', '--env', 'dev']);
  await cli(['deployed', 'web', '--env', 'dev', '--confirm']);
  const rehearsal = { STAGECRAFT_REHEARSAL: '1' };
  assert.equal((await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci', rehearsal)).code, 0);
  assert.equal((await cli(['approve', 'web', '--env', 'staging'], 'developer', rehearsal, 'bob')).code, 0);
  const real = await cli(['promote', 'web', '--to', 'staging'], 'ci');
  assertRefused(real, 'LEDGER_GATE_FAILED');
  assert.match(real.stderr, /tests: no test result is reported/);
  assert.match(real.stderr, /approvals: 0 of 1/);
  assert.equal((await cli(['promote', 'web', '--to', 'staging'], 'ci', rehearsal)).code, 0);
});

test('ledger settings are checked when stagecraft.yaml loads, at their line', async (t) => {
  const { cli } = ledger(t, `${WORKSPACE}ledger:\n  staleAfter: soon\n  reporters: []\n`);
  const result = await cli(['workspace', 'check']);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  const output = result.stdout + result.stderr;
  assert.match(output, /stagecraft\.yaml:\d+:\d+: .*staleAfter/);
  assert.match(output, /a duration such as 90s, 5m or 1h/);
  assert.match(output, /stagecraft\.yaml:\d+:\d+: .*reporters/);
});
