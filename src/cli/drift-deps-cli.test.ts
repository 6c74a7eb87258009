/**
 * `stagecraft drift deps` on real repositories: two commits whose lockfiles differ, for every kind of
 * lockfile, compared by commit and through the ledger (two environments running different commits).
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import {
  AFTER,
  BEFORE,
  bunLockfile,
  npmLockfile,
  type Project,
  packageJson,
  pnpmLockfile,
  terraformLockfile,
  yarnBerryLockfile,
  yarnV1Lockfile,
} from '../drift/deps/fixtures/lockfiles.ts';
import { runCli } from '../test-support/cli.ts';
import { gitOk, repository } from '../test-support/git.ts';
import { digest, memoryLedger } from '../test-support/ledger.ts';

type Files = Record<string, string | null>;

/** Writes the files (null removes one) and commits them; returns the commit. */
function commitFiles(dir: string, files: Files, message = 'change'): string {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    if (content === null) rmSync(file, { force: true });
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  gitOk(dir, ['add', '-A', '-f']);
  gitOk(dir, ['commit', '-q', '--allow-empty', '-m', message]);
  return gitOk(dir, ['rev-parse', 'HEAD']).trim();
}

// biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it asserts.
async function deps(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<any> {
  const result = await runCli(['drift', 'deps', ...args, '--format', 'json'], { cwd: dir, env });
  return { ...result, data: result.stdout ? JSON.parse(result.stdout) : undefined };
}

const KINDS: [string, (p: Project) => Files, string][] = [
  [
    'package-lock.json v1',
    (p) => ({ 'package-lock.json': npmLockfile(p, 1), 'package.json': packageJson(p) }),
    'npm',
  ],
  ['package-lock.json v2', (p) => ({ 'package-lock.json': npmLockfile(p, 2) }), 'npm'],
  ['package-lock.json v3', (p) => ({ 'package-lock.json': npmLockfile(p, 3) }), 'npm'],
  ['npm-shrinkwrap.json', (p) => ({ 'npm-shrinkwrap.json': npmLockfile(p, 3) }), 'npm'],
  ['pnpm-lock.yaml 5.4', (p) => ({ 'pnpm-lock.yaml': pnpmLockfile(p, '5.4') }), 'pnpm'],
  ['pnpm-lock.yaml 6.0', (p) => ({ 'pnpm-lock.yaml': pnpmLockfile(p, '6.0') }), 'pnpm'],
  ['pnpm-lock.yaml 9.0', (p) => ({ 'pnpm-lock.yaml': pnpmLockfile(p, '9.0') }), 'pnpm'],
  ['yarn.lock v1', (p) => ({ 'yarn.lock': yarnV1Lockfile(p), 'package.json': packageJson(p) }), 'yarn-v1'],
  ['yarn.lock berry', (p) => ({ 'yarn.lock': yarnBerryLockfile(p) }), 'yarn-berry'],
  ['bun.lock', (p) => ({ 'bun.lock': bunLockfile(p) }), 'bun'],
];

for (const [kind, files, format] of KINDS) {
  test(`${kind}: the packages that differ between two commits, direct first, exit 2; none, exit 0`, async (t) => {
    const dir = repository(t, { 'README.md': 'shop\n' });
    const before = commitFiles(dir, files(BEFORE));
    const docs = commitFiles(dir, { 'README.md': 'the shop\n' });
    const after = commitFiles(dir, files(AFTER));

    const skew = await deps(dir, [`commit:${before}`, `commit:${after}`]);
    assert.equal(skew.code, 2, skew.stderr);
    assert.equal(skew.data.verdict, 'skew');
    const [difference] = skew.data.comparisons[0].differences;
    assert.equal(difference.rightFormat, format);
    const line = (c: {
      change: string;
      name: string;
      left: string[];
      right: string[];
      majorChange: boolean;
    }) => `${c.change} ${c.name} ${c.left.join(',')}→${c.right.join(',')}${c.majorChange ? ' major' : ''}`;
    assert.deepEqual(difference.direct.map(line), [
      'removed debug 2.6.9→',
      'changed express 4.18.2→5.0.0 major',
      'added zod →3.22.4',
    ]);
    assert.deepEqual(
      // biome-ignore lint/suspicious/noExplicitAny: report JSON.
      difference.transitive.map((g: any) => `${g.via}: ${g.changes.map(line).join('; ')}`),
      [
        'debug: removed ms 2.0.0→',
        'express: changed body-parser 1.20.1→2.0.1 major; changed qs 6.11.0→6.13.0',
      ],
    );
    assert.deepEqual(skew.data.counts, {
      changed: 3,
      added: 1,
      removed: 2,
      majorChanges: 2,
      lockfilesAddedOrRemoved: 0,
      unreadable: 0,
    });

    const clean = await deps(dir, [`commit:${before}`, `commit:${docs}`]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.data.verdict, 'no-skew');
    assert.equal(clean.data.comparisons[0].lockfilesCompared, 1);
  });
}

test('.terraform.lock.hcl: provider versions that differ, the major one marked', async (t) => {
  const dir = repository(t, { 'README.md': 'infra\n' });
  const providers = (aws: string, random: string) => ({
    'infra/.terraform.lock.hcl': terraformLockfile({
      'registry.example.com/hashicorp/aws': { version: aws, constraints: '>= 4.0.0' },
      'registry.example.com/hashicorp/random': { version: random, constraints: '~> 3.5' },
    }),
  });
  const before = commitFiles(dir, providers('4.67.0', '3.5.1'));
  const after = commitFiles(dir, providers('5.31.0', '3.6.0'));
  const result = await runCli(['drift', 'deps', `commit:${before}`, `commit:${after}`], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stdout, /~ registry\.example\.com\/hashicorp\/aws 4\.67\.0 → 5\.31\.0 major\n/);
  assert.match(result.stdout, /~ registry\.example\.com\/hashicorp\/random 3\.5\.1 → 3\.6\.0\n/);
  assert.match(result.stdout, /✗ dependency skew between commit:\w+↔commit:\w+: 2 changed \(1 major\)$/m);
});

test('a monorepo: every lockfile in the tree, installed and vendored ones skipped, --path to narrow', async (t) => {
  const dir = repository(t, { 'README.md': 'mono\n' });
  const tree = (web: Project, api: Project, vendored: Project): Files => ({
    'apps/web/pnpm-lock.yaml': pnpmLockfile(web, '9.0'),
    'apps/api/package-lock.json': npmLockfile(api, 3),
    'apps/api/node_modules/left-pad/package-lock.json': npmLockfile(vendored, 3),
    'vendor/lib/yarn.lock': yarnV1Lockfile(vendored),
  });
  const before = commitFiles(dir, tree(BEFORE, BEFORE, BEFORE));
  const after = commitFiles(dir, tree(AFTER, BEFORE, AFTER));
  const all = await deps(dir, [`commit:${before}`, `commit:${after}`]);
  assert.equal(all.code, 2, all.stderr);
  assert.equal(all.data.comparisons[0].lockfilesCompared, 2, 'node_modules and vendor are not read');
  assert.deepEqual(
    all.data.comparisons[0].differences.map((d: { path: string }) => d.path),
    ['apps/web/pnpm-lock.yaml'],
  );
  const api = await deps(dir, [`commit:${before}`, `commit:${after}`, '--path', 'apps/api']);
  assert.equal(api.code, 0, api.stderr);
  assert.equal(api.data.comparisons[0].lockfilesCompared, 1);
});

test('a project that moved from yarn to pnpm is compared across the two lockfiles', async (t) => {
  const dir = repository(t, { 'README.md': 'shop\n' });
  const before = commitFiles(dir, { 'yarn.lock': yarnBerryLockfile(BEFORE) });
  const after = commitFiles(dir, { 'yarn.lock': null, 'pnpm-lock.yaml': pnpmLockfile(BEFORE, '9.0') });
  const same = await deps(dir, [`commit:${before}`, `commit:${after}`]);
  assert.equal(same.code, 0, same.stderr);
  const added = commitFiles(dir, { 'tools/bun.lock': bunLockfile(AFTER) });
  const result = await deps(dir, [`commit:${after}`, `commit:${added}`]);
  assert.equal(result.code, 2);
  assert.deepEqual(result.data.comparisons[0].differences[0], {
    path: 'tools/bun.lock',
    leftFormat: null,
    rightFormat: 'bun',
    status: 'added',
    packages: 5,
    direct: [],
    transitive: [],
    unattributed: [],
  });
});

test('bun.lockb cannot be read: exit 1, never clean, with how to get the text lockfile', async (t) => {
  const dir = repository(t, { 'README.md': 'shop\n' });
  const binary = Buffer.from([0x23, 0x21, 0x2f, 0x75, 0x73, 0x72, 0, 1, 2, 3]).toString('latin1');
  const before = commitFiles(dir, { 'bun.lockb': binary, 'api/package-lock.json': npmLockfile(BEFORE, 3) });
  const after = commitFiles(dir, {
    'bun.lockb': `${binary}\u0004`,
    'api/package-lock.json': npmLockfile(AFTER, 3),
  });
  const result = await deps(dir, [`commit:${before}`, `commit:${after}`]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.data.error.code, 'DEPS_LOCKFILE_UNREADABLE');
  assert.deepEqual(
    // biome-ignore lint/suspicious/noExplicitAny: report JSON.
    result.data.error.problems.map((p: any) => [p.code, p.location.file]),
    [
      ['DEPS_LOCKFILE_BINARY', `${before.slice(0, 12)}:bun.lockb`],
      ['DEPS_LOCKFILE_BINARY', `${after.slice(0, 12)}:bun.lockb`],
    ],
  );
  assert.match(result.data.error.problems[0].hint, /bun install --save-text-lockfile/);
  // What could be read is reported beside the error.
  assert.equal(result.data.report.comparisons[0].differences[0].path, 'api/package-lock.json');
  const text = await runCli(['drift', 'deps', `commit:${before}`, `commit:${after}`], { cwd: dir });
  assert.equal(text.code, 1);
  assert.match(text.stdout, /✗ bun\.lockb \(left, \w+\): bun\.lockb is binary and cannot be read/);
  assert.match(
    text.stderr,
    /error \[DEPS_LOCKFILE_UNREADABLE\] drift deps commit:\w+↔commit:\w+: 2 lockfiles could not be read; the others show 6 differences/,
  );
});

test('a lockfile that cannot be parsed is exit 1 naming COMMIT:PATH:LINE', async (t) => {
  const dir = repository(t, { 'README.md': 'shop\n' });
  const before = commitFiles(dir, { 'web/pnpm-lock.yaml': pnpmLockfile(BEFORE, '9.0') });
  const broken = pnpmLockfile(AFTER, '9.0').replace(
    "lockfileVersion: '9.0'",
    "lockfileVersion: '9.0'\n  bad: [",
  );
  const after = commitFiles(dir, { 'web/pnpm-lock.yaml': broken });
  const result = await runCli(['drift', 'deps', `commit:${before}`, `commit:${after}`], { cwd: dir });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `${after.slice(0, 12)}:web/pnpm-lock\\.yaml:2:1: error YAML syntax error: .* \\(the right side\\)`,
    ),
  );
});

test('commits that are not in the repository, and a commit: with no commit, are errors saying what to do', async (t) => {
  const dir = repository(t, { 'README.md': 'shop\n' });
  const missing = await deps(dir, ['commit:0123456789abcdef0123456789abcdef01234567', 'commit:HEAD']);
  assert.equal(missing.code, 1);
  assert.equal(missing.data.error.code, 'DRIFT_COMMIT_MISSING');
  assert.match(missing.data.error.hint, /git fetch --unshallow/);
  const empty = await deps(dir, ['commit:', 'commit:HEAD']);
  assert.equal(empty.code, 1);
  assert.equal(empty.data.error.code, 'CLI_USAGE');
});

const WORKSPACE = `environments:
  staging:
    deployers: [developer]
    deploy:
      command: 'true'
  production:
    deployers: [developer]
    deploy:
      command: 'true'
services:
  web:
    image: registry.example.com/shop/web
  api:
    image: registry.example.com/shop/api
  worker:
    image: registry.example.com/shop/worker
`;

test('two environments: each service compared at the commits it runs, from the ledger; --record keeps it', async (t) => {
  const dir = repository(t, { 'stagecraft.yaml': WORKSPACE, '.gitignore': '.stagecraft/\n' });
  const before = commitFiles(dir, { 'package-lock.json': npmLockfile(BEFORE, 3) });
  const after = commitFiles(dir, { 'package-lock.json': npmLockfile(AFTER, 3) });
  const ledgerStore = await memoryLedger(t);
  const env = { STAGECRAFT_ROLE: 'developer', STAGECRAFT_ACTOR: 'dana' };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env, ledgerStore });
  const deploy = async (service: string, commit: string, environment: string) => {
    const d = digest();
    const image = `registry.example.com/shop/${service}@${d}`;
    assert.equal((await cli(['artifact', 'register', service, image, '--commit', commit])).code, 0);
    const result = await cli(['deploy', service, '--env', environment, '--digest', d]);
    assert.equal(result.code, 0, result.stderr);
  };
  await deploy('api', before, 'staging');
  await deploy('api', before, 'production');
  await deploy('web', after, 'staging');
  await deploy('web', before, 'production');
  await deploy('worker', after, 'staging');

  const result = await cli(['drift', 'deps', 'staging', 'production', '--format', 'json']);
  assert.equal(result.code, 2, result.stdout);
  const report = JSON.parse(result.stdout);
  assert.equal(report.verdict, 'skew');
  // biome-ignore lint/suspicious/noExplicitAny: report JSON.
  const byService = Object.fromEntries(report.comparisons.map((c: any) => [c.service, c]));
  assert.deepEqual(Object.keys(byService), ['api', 'web']);
  assert.equal(byService.api.sameCommit, true);
  assert.equal(byService.api.lockfilesCompared, 0, 'the same commit needs nothing read');
  assert.equal(byService.web.leftCommit, after);
  assert.equal(byService.web.rightCommit, before);
  assert.deepEqual(
    byService.web.differences[0].direct.map((c: { change: string; name: string }) => `${c.change} ${c.name}`),
    ['added debug', 'changed express', 'removed zod'],
  );
  assert.deepEqual(report.notCompared, [
    { service: 'worker', environment: 'production', reason: 'not-deployed' },
  ]);

  const text = await cli(['drift', 'deps', 'staging', 'production', '--record']);
  assert.equal(text.code, 2, text.stderr);
  assert.match(text.stdout, /✓ api: the same commit \(\w{7}\) on both sides/);
  assert.match(text.stdout, /- worker: not compared \(not deployed to production\)/);
  assert.match(text.stderr, /recorded: drift deps staging↔production, problems \(check #1\)/);

  // Production catches up: no skew left.
  await deploy('web', after, 'production');
  const clean = await cli(['drift', 'deps', 'staging', 'production']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /✓ no dependency skew between staging↔production$/m);

  // An environment against a commit: what deploying that commit would change.
  const ahead = await cli(['drift', 'deps', 'production', `commit:${before}`, '--format', 'json']);
  assert.equal(ahead.code, 2, ahead.stderr);
  assert.deepEqual(
    JSON.parse(ahead.stdout).comparisons.map((c: { service: string }) => c.service),
    ['api', 'web'],
  );

  const unknown = await cli(['drift', 'deps', 'staging', 'prod']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /ENVIRONMENT_UNKNOWN.*there is no environment "prod"/);
});

test('an environment the ledger records no deployment to is an error, not "no skew"', async (t) => {
  const dir = repository(t, { 'stagecraft.yaml': WORKSPACE, '.gitignore': '.stagecraft/\n' });
  const ledgerStore = await memoryLedger(t);
  const result = await runCli(['drift', 'deps', 'staging', 'production', '--format', 'json'], {
    cwd: dir,
    env: { STAGECRAFT_ROLE: 'developer', STAGECRAFT_ACTOR: 'dana' },
    ledgerStore,
  });
  assert.equal(result.code, 1);
  assert.equal(JSON.parse(result.stdout).error.code, 'DRIFT_NO_DEPLOYMENT');
});

test('a deployment still pending is not what runs: with nothing else deployed, it is an error', async (t) => {
  const dir = repository(t, {
    'stagecraft.yaml': WORKSPACE.replace(/ {4}deploy:\n {6}command: 'true'\n/g, ''),
  });
  const ledgerStore = await memoryLedger(t);
  const env = { STAGECRAFT_ROLE: 'developer', STAGECRAFT_ACTOR: 'dana' };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env, ledgerStore });
  const d = digest();
  const sha = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  await cli(['artifact', 'register', 'web', `registry.example.com/shop/web@${d}`, '--commit', sha]);
  assert.equal((await cli(['deploy', 'web', '--env', 'staging', '--digest', d])).code, 0);
  assert.equal((await cli(['deploy', 'web', '--env', 'production', '--digest', d])).code, 0);
  const result = await cli(['drift', 'deps', 'staging', 'production']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /DRIFT_NO_DEPLOYMENT\] the ledger has no successful deployment in staging: there is no deployed commit to compare/,
  );
});

test('Markdown: one table per comparison, major changes in bold', async (t) => {
  const dir = repository(t, { 'README.md': 'shop\n' });
  const before = commitFiles(dir, { 'package-lock.json': npmLockfile(BEFORE, 3) });
  const after = commitFiles(dir, { 'package-lock.json': npmLockfile(AFTER, 3) });
  const result = await runCli(
    ['drift', 'deps', `commit:${before}`, `commit:${after}`, '--format', 'markdown'],
    {
      cwd: dir,
    },
  );
  assert.equal(result.code, 2);
  assert.match(result.stdout, /^### Dependency skew commit:\w+ ↔ commit:\w+: found$/m);
  assert.match(
    result.stdout,
    /^\| package-lock\.json \| direct \| express \| 4\.18\.2 → 5\.0\.0 \| changed \*\*major\*\* \|$/m,
  );
  assert.match(
    result.stdout,
    /^\| package-lock\.json \| via express \| qs \| 6\.11\.0 → 6\.13\.0 \| changed \|$/m,
  );
});
