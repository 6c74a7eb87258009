/**
 * `stagecraft ci init`'s behaviour on disk: a second run writes nothing and says so, a file edited by hand is
 * never overwritten without --force, --dry-run writes nothing, and a workspace that cannot carry the
 * workflows fails with what is missing.
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, spawnCli, tempDir } from '../test-support/cli.ts';

const MAIN = '.github/workflows/stagecraft-main.yml';

const MINIMAL = `version: 1
name: web
environments:
  staging:
    deployers: [ci]
  production:
    from: staging
    deployers: [ci]
services:
  web:
    image: registry.example.com/web
`;

function shop(t: { after(fn: () => void): void }): string {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const workflows = join(dir, '.github/workflows');
  if (existsSync(workflows)) {
    for (const name of readdirSync(workflows)) files[name] = readFileSync(join(workflows, name), 'utf8');
  }
  if (existsSync(join(dir, '.gitlab-ci.yml')))
    files['.gitlab-ci.yml'] = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
  return files;
}

test('a second run with the built CLI writes the same bytes and says it is up to date', async (t) => {
  const dir = shop(t);
  const first = await spawnCli(['ci', 'init', '--github', '--gitlab'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /stagecraft-main\.yml\s+created/);
  const written = snapshot(dir);
  assert.equal(Object.keys(written).length, 4);
  const second = await spawnCli(['ci', 'init', '--github', '--gitlab', '--format', 'json'], { cwd: dir });
  assert.equal(second.code, 0, second.stderr);
  const report = JSON.parse(second.stdout) as { upToDate: boolean; files: { action: string }[] };
  assert.equal(report.upToDate, true);
  assert.deepEqual(
    report.files.map((file) => file.action),
    ['unchanged', 'unchanged', 'unchanged', 'unchanged'],
  );
  assert.deepEqual(snapshot(dir), written);
  const text = await runCli(['-C', dir, 'ci', 'init', '--github']);
  assert.match(text.stdout, /Up to date: nothing to write\./);
});

test('a hand-edited workflow is refused without --force, naming the file, and replaced with it', async (t) => {
  const dir = shop(t);
  assert.equal((await runCli(['-C', dir, 'ci', 'init', '--github'])).code, 0);
  const edited = readFileSync(join(dir, MAIN), 'utf8').replace(
    'runs-on: ubuntu-latest',
    'runs-on: self-hosted',
  );
  writeFileSync(join(dir, MAIN), edited);
  const before = snapshot(dir);

  const refused = await runCli(['-C', dir, 'ci', 'init', '--github']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /CI_WORKFLOW_EDITED/);
  assert.match(refused.stderr, /\.github\/workflows\/stagecraft-main\.yml was edited/);
  assert.match(refused.stderr, /--force/);
  assert.deepEqual(snapshot(dir), before, 'something was written');

  const forced = await runCli(['-C', dir, 'ci', 'init', '--github', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /stagecraft-main\.yml\s+replaced an edited file/);
  assert.doesNotMatch(readFileSync(join(dir, MAIN), 'utf8'), /self-hosted/);
});

test('a workflow ci init did not write is refused too', async (t) => {
  const dir = shop(t);
  writeFileSync(join(dir, '.gitlab-ci.yml'), 'test:\n  script: [make test]\n');
  const refused = await runCli(['-C', dir, 'ci', 'init', '--gitlab']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /\.gitlab-ci\.yml was edited since ci init wrote it \(or not written by it\)/);
  assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), 'test:\n  script: [make test]\n');
});

test('a change to stagecraft.yaml regenerates the files ci init wrote, without --force', async (t) => {
  const dir = shop(t);
  assert.equal((await runCli(['-C', dir, 'ci', 'init', '--github'])).code, 0);
  const file = join(dir, 'stagecraft.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('  orders:\n    image: registry.example.com/shop/orders\n', ''),
  );
  const again = await runCli(['-C', dir, 'ci', 'init', '--github']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /stagecraft-main\.yml\s+updated/);
  assert.match(again.stdout, /stagecraft-drift\.yml\s+up to date/);
  assert.doesNotMatch(readFileSync(join(dir, MAIN), 'utf8'), /orders/);
});

test('--dry-run prints what would be written and writes nothing', async (t) => {
  const dir = shop(t);
  const result = await runCli(['-C', dir, 'ci', 'init', '--github', '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /--- \.github\/workflows\/stagecraft-main\.yml \(would be created\)/);
  assert.match(result.stdout, /stagecraft promote storefront --to production --digest "\$DIGEST"/);
  assert.deepEqual(snapshot(dir), {});
});

test('the secret variables each environment needs are listed by name', async (t) => {
  const dir = shop(t);
  const result = await runCli(['-C', dir, 'ci', 'init', '--github', '--format', 'json']);
  const report = JSON.parse(result.stdout) as { secrets: unknown; notes: string[] };
  assert.deepEqual(report.secrets, [
    { environment: 'dev', variables: ['API_KEY', 'DB_HOST', 'DB_PASSWORD'] },
    { environment: 'staging', variables: ['DB_HOST'] },
    { environment: 'production', variables: ['DB_HOST'] },
  ]);
  assert.ok(report.notes.some((note) => note.includes('staging has no deploy step')));
  assert.ok(!report.notes.some((note) => note.includes('which CI does not deploy')));

  // Where CI may not deploy dev, nothing can reach staging: said, with the fix.
  const yaml = readFileSync(join(dir, 'stagecraft.yaml'), 'utf8');
  writeFileSync(
    join(dir, 'stagecraft.yaml'),
    yaml.replace('deployers: [developer, ci]', 'deployers: [developer]'),
  );
  const without = JSON.parse(
    (await runCli(['-C', dir, 'ci', 'init', '--github', '--format', 'json'])).stdout,
  );
  assert.ok(
    (without.notes as string[]).some((note) =>
      note.includes(
        "staging is promoted from dev, which CI does not deploy: a digest reaches staging only after it succeeded in dev; add ci to dev's deployers",
      ),
    ),
  );
});

test('broken inputs fail with what is wrong and what to do', async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    args?: string[];
    code: number;
    error: RegExp;
  }[] = [
    {
      name: 'no provider',
      files: { 'stagecraft.yaml': MINIMAL },
      args: [],
      code: 1,
      error: /CI_NO_PROVIDER.*--github, --gitlab or both/s,
    },
    { name: 'no stagecraft.yaml', files: {}, code: 1, error: /WORKSPACE_NOT_FOUND/ },
    {
      name: 'invalid stagecraft.yaml',
      files: { 'stagecraft.yaml': 'version: 1\nname: web\nenvironments: [\n' },
      code: 2,
      error: /WORKSPACE_YAML_SYNTAX|WORKSPACE_INVALID/,
    },
    {
      name: 'one environment',
      files: {
        'stagecraft.yaml': MINIMAL.replace(/ {2}production:\n {4}from: staging\n {4}deployers: \[ci\]\n/, ''),
      },
      code: 1,
      error: /CI_WORKSPACE_UNFIT.*a chain of at least two environments \(it has 1\)/s,
    },
    {
      name: 'no services',
      files: { 'stagecraft.yaml': MINIMAL.replace(/services:\n.*\n.*\n$/, '') },
      code: 1,
      error: /CI_WORKSPACE_UNFIT.*at least one service/s,
    },
    {
      name: 'unreadable config file',
      files: { 'stagecraft.yaml': MINIMAL, 'config/production.yaml': 'db: [unclosed\n' },
      code: 1,
      error: /CI_CONFIG_UNREADABLE.*config\/production\.yaml/s,
    },
  ];
  for (const c of cases) {
    const dir = tempDir(t, c.files);
    const result = await runCli(['-C', dir, 'ci', 'init', ...(c.args ?? ['--github'])]);
    assert.equal(result.code, c.code, `${c.name}: ${result.stderr}`);
    assert.match(result.stderr, c.error, c.name);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `${c.name}: a stack trace`);
    assert.deepEqual(snapshot(dir), {}, `${c.name}: wrote something`);
  }
});

test('a planted symbolic link on the way to a workflow is refused, even with --force: nothing is written through it', async (t) => {
  const dir = shop(t);
  const outside = tempDir(t);
  symlinkSync(outside, join(dir, '.github'), 'dir');
  const result = await runCli(['-C', dir, 'ci', 'init', '--github', '--force']);
  assert.equal(result.code, 2, result.stdout);
  assert.match(result.stderr, /\[CI_WRITE_REFUSED\] \.github is a symbolic link: nothing was written/);
  assert.match(result.stderr, /replace \.github with a real folder/);
  assert.deepEqual(readdirSync(outside), []);

  const other = shop(t);
  const target = join(tempDir(t), 'victim');
  writeFileSync(target, 'keep me\n');
  mkdirSync(join(other, '.github/workflows'), { recursive: true });
  symlinkSync(target, join(other, '.github/workflows/stagecraft-main.yml'));
  const forced = await runCli(['-C', other, 'ci', 'init', '--github', '--force']);
  assert.equal(forced.code, 2);
  assert.match(forced.stderr, /stagecraft-main\.yml is a symbolic link/);
  assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
});
