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
import { builtConfigLibrary, type CliResult, runCli, tempDir } from '../test-support/cli.ts';

const CONFIG_MAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {LOG: json}\n';

/** A workspace whose config module imports the built library, as an installed app's does. */
function appWorkspace(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
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
  const dir = tempDir(t, { 'stagecraft.yaml': `name: big\n${comment.repeat(12_000)}` });
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 1, /\[INPUT_TOO_LARGE\] .*stagecraft\.yaml is over the 1 MiB limit/);
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
const BOUNDED = { timeoutMs: 20_000, maxHeapMb: 192 };

test('an alias bomb in stagecraft.yaml is an invalid workspace (exit 2) at its line, for every command', async (t) => {
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
    2,
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

test('a line of compact nesting (a: a: a: …) is refused as it is read, in bounded memory', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': `name: x\n${'a: '.repeat(300_000)}\n` });
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    result,
    2,
    /stagecraft\.yaml:2:\d+: error maps and lists nest more than 256 levels deep \[INPUT_TOO_DEEP\]/,
  );
});

test('a file of YAML noise stops after 20 errors, in bounded memory, instead of recording each one', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': `name: x\n${']\n'.repeat(400_000)}` });
  const result = await runCli(['workspace', 'check', '--format', 'json'], { cwd: dir, ...BOUNDED });
  assertCleanError(result, 2, /more than 20 errors; reading stopped here/);
  const { problems } = JSON.parse(result.stdout) as { problems: { location: { line: number } }[] };
  assert.equal(problems.length, 21);
  assert.equal(problems[0]?.location.line, 2);
});

test('an alias to an anchor that does not exist is a syntax error at its line, not a crash', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': 'name: x\nservices: *missing\n' });
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...BOUNDED });
  assertCleanError(
    result,
    2,
    /stagecraft\.yaml:2:11: error YAML syntax error: alias \*missing names no anchor/,
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

/** A plan as `terraform show -json` writes it, with the changes given. */
function plan(resourceChanges: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format_version: '1.2', resource_changes: resourceChanges, ...extra });
}

for (const [name, text, pattern] of [
  ['a plan of null', 'null', /Terraform plan is not a JSON object \(found null\)/],
  ['resource_changes of the wrong type', plan('nope'), /resource_changes must be a list .*found a string/],
  [
    'an entry without change.actions',
    plan([{ address: 'aws_s3_bucket.logs' }]),
    /resource_changes\[0\]\.change/,
  ],
  ['an entry that is null', plan([null]), /resource_changes\[0\] must be an object .*found null/],
  [
    'actions that are not a list of words',
    plan([{ address: 'a.b', change: { actions: 'update' } }]),
    /resource_changes\[0\]\.change\.actions must be a list/,
  ],
  [
    'resource_drift of the wrong type',
    plan([], { resource_drift: { a: 1 } }),
    /resource_drift must be a list/,
  ],
] as const) {
  test(`drift terraform: ${name} is an error (exit 1), never "no drift"`, async (t) => {
    const dir = tempDir(t, { 'plan.json': text });
    const result = await runCli(['drift', 'terraform', 'plan.json'], { cwd: dir, ...TIMEOUT });
    assertCleanError(result, 1, /\[TERRAFORM_INVALID\]/);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stdout, /no drift/);
  });
}

test('parity: Terraform JSON that is not the documented shape is an error naming what is wrong', async (t) => {
  const workspace =
    'environments:\n  staging:\n    terraform: { plan: staging.json }\n  production:\n    from: staging\n    terraform: { plan: production.json }\n';
  const good = JSON.stringify({
    format_version: '1.2',
    planned_values: { root_module: { resources: [{ address: 'aws_db.main', type: 'aws_db', values: {} }] } },
  });
  for (const [bad, pattern] of [
    ['null', /Terraform JSON is not a JSON object \(found null\)/],
    [
      JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: 'nope' } } }),
      /planned_values\.root_module\.resources must be a list, found a string/,
    ],
    [
      JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: [null] } } }),
      /planned_values\.root_module\.resources\[0\] must be an object/,
    ],
    [
      JSON.stringify({
        format_version: '1.2',
        values: { root_module: { child_modules: [{ resources: [7] }] } },
      }),
      /values\.root_module\.child_modules\[0\]\.resources\[0\] must be an object/,
    ],
  ] as const) {
    const dir = tempDir(t, { 'stagecraft.yaml': workspace, 'staging.json': good, 'production.json': bad });
    const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...TIMEOUT });
    assertCleanError(result, 1, /\[TERRAFORM_INVALID\]/);
    assert.match(result.stderr, pattern);
  }
});

test('parity: facts.json of the wrong shape is an error naming what is wrong', async (t) => {
  for (const [facts, pattern] of [
    ['null', /facts file is not a JSON object \(found null\)/],
    ['{"databases": [null]}', /databases\[0\] must be an object/],
    ['{"databases": "postgres"}', /databases must be a list/],
    ['{"kubernetes": {"serverVersion": 31}}', /kubernetes\.serverVersion must be an object/],
  ] as const) {
    const dir = tempDir(t, {
      'staging/app.yaml': CONFIG_MAP,
      'staging/facts.json': '{}',
      'production/app.yaml': CONFIG_MAP,
      'production/facts.json': facts,
    });
    const result = await runCli(['parity', 'staging', 'production'], { cwd: dir, ...TIMEOUT });
    assertCleanError(result, 1, /\[FACTS_INVALID\]/);
    assert.match(result.stderr, pattern);
  }
});

/** Live objects as `kubectl get -o json` returns them: a List. */
function liveList(items: unknown[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const LIVE_CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'shop' },
  data: { LOG: 'json' },
};

test('drift kubernetes: managedFields that are not a list of entries is an error naming the object', async (t) => {
  for (const managedFields of [[null], 'nope', [7]]) {
    const live = { ...LIVE_CONFIG_MAP, metadata: { ...LIVE_CONFIG_MAP.metadata, managedFields } };
    const dir = tempDir(t, { 'desired/app.yaml': CONFIG_MAP, 'live.json': liveList([live]) });
    const result = await runCli(['drift', 'kubernetes', '--desired', 'desired', '--live', 'live.json'], {
      cwd: dir,
      ...TIMEOUT,
    });
    assertCleanError(result, 1, /\[DRIFT_LIVE_INVALID\] .*ConfigMap shop\/app: metadata\.managedFields/);
  }
});

test('drift kubernetes: manifests with fields of the wrong type are compared, not a crash', async (t) => {
  const deployment = (containers: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: ${containers}\n`;
  for (const containers of ['nope', '[null]', '[7]', '5', '[{name: app, ports: nope, env: [null]}]']) {
    const dir = tempDir(t, {
      'desired/app.yaml': deployment(containers),
      'live/app.yaml': deployment('[{name: app, image: web}]'),
    });
    const result = await runCli(['drift', 'kubernetes', '--desired', 'desired', '--live', 'live'], {
      cwd: dir,
      ...TIMEOUT,
    });
    assertCleanError(result, 2, /drift item/);
  }
});

test('JSON nested 5,000 deep is INPUT_TOO_DEEP wherever it is read, not a stack overflow or "no drift"', async (t) => {
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const live = liveList([{ ...LIVE_CONFIG_MAP, data: { LOG: 'json' }, extra: '@DEEP@' }]).replace(
    '"@DEEP@"',
    deep,
  );
  const dir = tempDir(t, {
    'desired/app.yaml': CONFIG_MAP,
    'live.json': live,
    'plan.json': plan([], { planned_values: JSON.parse('{}') }).replace(
      '"planned_values":{}',
      `"planned_values":${deep}`,
    ),
  });
  const drift = await runCli(['drift', 'kubernetes', '--desired', 'desired', '--live', 'live.json'], {
    cwd: dir,
    ...TIMEOUT,
  });
  assertCleanError(
    drift,
    1,
    /\[INPUT_TOO_DEEP\] .*live\.json: live objects file nests maps and lists more than 256/,
  );
  const terraform = await runCli(['drift', 'terraform', 'plan.json'], { cwd: dir, ...TIMEOUT });
  assertCleanError(terraform, 1, /\[INPUT_TOO_DEEP\] .*plan\.json: Terraform plan nests/);
});

test('scan --stdin over its cap is a clear error, not read without bound', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': 'scan:\n  maxFileSize: 1MB\n' });
  const result = await runCli(['scan', '--stdin'], {
    cwd: dir,
    input: Buffer.alloc(3 * 1024 * 1024, 'a'),
    ...TIMEOUT,
  });
  assertCleanError(result, 1, /\[INPUT_TOO_LARGE\] standard input is over the \d+-byte limit/);
  const small = await runCli(['scan', '--stdin'], { cwd: dir, input: 'hello\n', ...TIMEOUT });
  assert.equal(small.code, 0, small.stderr);
});

test('a long invalid image reference is reported at once, not after minutes of regular expression backtracking', async (t) => {
  const image = `registry.example.com/${' a:'.repeat(200_000)}/shop/catalog`;
  const dir = tempDir(t, { 'stagecraft.yaml': `services:\n  catalog:\n    image: "${image}"\n` });
  const result = await runCli(['workspace', 'check'], { cwd: dir, ...TIMEOUT });
  assertCleanError(result, 2, /\[WORKSPACE_INVALID_IMAGE\]/);
});
