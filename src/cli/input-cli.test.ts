/**
 * Bounded, regular input: every file stagecraft reads is a regular file under a size cap, every YAML is
 * parsed by one parser with an alias limit, and no input, however malformed, ends in an internal error, a
 * stack trace or a wrong verdict. Each test runs the built CLI, the way users and CI do.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CliResult, REPO_ROOT, runCli, tempDir } from '../test-support/cli.ts';

const CONFIG_MAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {LOG: json}\n';

/** A workspace whose config module imports the built library, as an installed app's does. */
function appWorkspace(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': `import { defineConfig, field } from '${join(REPO_ROOT, 'dist/config/index.js')}';
export default defineConfig({ dbHost: field.string().default('localhost'), port: field.port().default(8080) });
`,
    ...files,
  });
}

test('under --format json a report followed by an error is one JSON document: the error, with the partial report', async (t) => {
  const dir = tempDir(t);
  // A device is not a folder to walk: the scan reports it unreadable, after its (empty) report.
  const result = await runCli(['scan', '/dev/null', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const document = JSON.parse(result.stdout) as {
    error: { code: string };
    report: { skipped: { unreadable: string[] } };
  };
  assert.equal(document.error.code, 'SCAN_UNREADABLE');
  assert.equal(document.report.skipped.unreadable.length, 1);
});

/** A named pipe nobody writes to: reading it the ordinary way blocks forever. */
function fifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
}

/** Fails with the output when the command hung, crashed or printed a stack trace instead of an error. */
function assertCleanError(result: CliResult, code: number, pattern: RegExp): void {
  const output = `${result.stdout}${result.stderr}`;
  assert.ok(!result.timedOut, `the command hung:\n${output}`);
  assert.equal(result.code, code, output);
  assert.doesNotMatch(output, /internal error|\n\s+at .+:\d+:\d+\)?\n/, output);
  assert.match(output, pattern);
}

const TIMEOUT = { timeoutMs: 15_000 };

test('a stagecraft.yaml that is a FIFO is refused at once, not read forever', async (t) => {
  const dir = tempDir(t);
  fifo(join(dir, 'stagecraft.yaml'));
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_NOT_A_FILE\] .*stagecraft\.yaml is a named pipe \(FIFO\)/);
});

test('a manifest that links to /dev/zero is refused, not read until memory runs out', async (t) => {
  const dir = tempDir(t, { 'staging/app.yaml': CONFIG_MAP, 'production/app.yaml': CONFIG_MAP });
  symlinkSync('/dev/zero', join(dir, 'production/zero.yaml'));
  const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_NOT_A_FILE\] .*zero\.yaml is a character device/);
});

test('a manifest that is a symbolic link loop is an error naming it, not a crash', async (t) => {
  const dir = tempDir(t, { 'staging/app.yaml': CONFIG_MAP, 'production/app.yaml': CONFIG_MAP });
  symlinkSync('loop-b.yaml', join(dir, 'production/loop-a.yaml'));
  symlinkSync('loop-a.yaml', join(dir, 'production/loop-b.yaml'));
  const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...TIMEOUT });
  assertCleanError(
    result,
    1,
    /\[INPUT_SYMLINK_LOOP\] .*loop-a\.yaml is a symbolic link that leads back to itself/,
  );
});

test('a stagecraft.yaml over the size cap is refused before it is parsed', async (t) => {
  const comment = `# ${'x'.repeat(98)}\n`;
  const dir = tempDir(t, { 'stagecraft.yaml': `name: big\n${comment.repeat(45_000)}` });
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_TOO_LARGE\] .*stagecraft\.yaml is over the 4 MiB limit/);
});

test('a config file that cannot be read (a folder in its place) is an error naming it', async (t) => {
  const dir = appWorkspace(t);
  mkdirSync(join(dir, 'config/base.yaml'), { recursive: true });
  const result = await runCli(['config', 'check', '--env', 'dev'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_NOT_A_FILE\] .*config\/base\.yaml is a directory/);
});

test('a .env that is a symbolic link loop is an error, not an absent file', async (t) => {
  const dir = appWorkspace(t);
  symlinkSync('.env', join(dir, '.env'));
  const result = await runCli(['config', 'check', '--env', 'dev'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_SYMLINK_LOOP\] .*\.env is a symbolic link/);
});

/** A billion laughs in about 400 bytes: nine levels of nine aliases each, 9^9 values once expanded. */
function aliasBomb(indent = ''): string {
  const lines = [`${indent}l0: &l0 [${Array(9).fill('"lol"').join(', ')}]`];
  for (let level = 1; level < 9; level++) {
    lines.push(
      `${indent}l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The first alias past the limit: l1..l4 add 74,718 values, the second alias of l5's list crosses 100,000. */
const BOMB_LINE = 6;

// Low enough that a bomb expanded in memory would kill the process, high enough for every legitimate command.
const BOUNDED = { timeoutMs: 20_000, nodeArgs: ['--max-old-space-size=192'] };

test('an alias bomb in stagecraft.yaml is an invalid workspace (exit 2) at its line, and exit 1 for other commands', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': `name: bomb\nx:\n${aliasBomb('  ')}` });
  const check = await runCli(['workspace', 'check', '--format', 'json'], { cwd: dir, ...BOUNDED });
  assertCleanError(check, 2, /YAML_ALIAS_LIMIT/);
  const problems = (JSON.parse(check.stdout) as { problems: { code: string; location: { line: number } }[] })
    .problems;
  assert.deepEqual(
    problems.map((problem) => [problem.code, problem.location.line]),
    [['YAML_ALIAS_LIMIT', BOMB_LINE + 2]],
  );
  const show = await runCli(['workspace', 'show'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    show,
    1,
    /\[WORKSPACE_INVALID\][\s\S]*stagecraft\.yaml:8:\d+: error aliases expand this document/,
  );
});

test('an alias bomb in a config file is a problem in that file at its line (config check exits 2)', async (t) => {
  const dir = appWorkspace(t, { 'config/base.yaml': aliasBomb() });
  const result = await runCli(['config', 'check', '--env', 'dev'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    result,
    2,
    new RegExp(`config/base\\.yaml:${BOMB_LINE}:\\d+: error aliases expand .*\\[YAML_ALIAS_LIMIT\\]`),
  );
});

test('an alias bomb in a manifest is an error naming the file and line, in bounded time and memory', async (t) => {
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata:\n${aliasBomb('  ')}`;
  const dir = tempDir(t, { 'staging/app.yaml': CONFIG_MAP, 'production/app.yaml': bomb });
  const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    result,
    1,
    new RegExp(`\\[YAML_ALIAS_LIMIT\\] .*production/app\\.yaml:${BOMB_LINE + 4}:\\d+: aliases expand`),
  );
});

test('an alias inside the node it names is refused, not an endless structure', async (t) => {
  const dir = tempDir(t, {
    'staging/app.yaml': CONFIG_MAP,
    'production/app.yaml': `${CONFIG_MAP}extra: &x [1, *x]\n`,
  });
  const result = await runCli(['drift', 'kubernetes', '--desired', 'staging', '--live', 'production'], {
    cwd: dir,
    ...BOUNDED,
  });
  assertCleanError(
    result,
    1,
    /\[YAML_ALIAS_LIMIT\] .*app\.yaml:5:\d+: alias \*x is inside the node it names/,
  );
});

test('YAML nested 5,000 deep is an error, not a stack overflow', async (t) => {
  const deep = `${CONFIG_MAP}extra: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const dir = tempDir(t, { 'staging/app.yaml': CONFIG_MAP, 'production/app.yaml': deep });
  const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    result,
    1,
    /\[INPUT_TOO_DEEP\] .*app\.yaml:5:\d+: maps and lists nest more than 256 levels/,
  );
});

test('merge keys in manifests are applied, as Kubernetes applies them, and anchors within the limit work', async (t) => {
  const withAnchors = `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: shop}
defaults: &defaults {LOG: json}
data:
  <<: *defaults
`;
  const dir = tempDir(t, { 'staging/app.yaml': CONFIG_MAP, 'production/app.yaml': withAnchors });
  const result = await runCli(['parity', 'staging', 'production', '--format', 'json'], {
    cwd: dir,
    ...BOUNDED,
  });
  const data = JSON.parse(result.stdout) as { violations: { path: string }[] };
  // data.LOG merged from the anchor matches staging; only the extra top-level key differs.
  assert.deepEqual(
    data.violations.map((violation) => violation.path),
    ['defaults'],
  );
});
