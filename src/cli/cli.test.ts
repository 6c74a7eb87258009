import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, EXAMPLE_SHOP, REPO_ROOT, runCli, spawnCli, tempDir } from '../test-support/cli.ts';

test('workspace show prints the chain, deployers and gates of the example', async () => {
  const result = await runCli(['--cwd', EXAMPLE_SHOP, 'workspace', 'show']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /^shop stagecraft\.yaml\n/);
  assert.match(result.stdout, /Promotion chain\n {2}dev → staging → production\n/);
  assert.match(
    result.stdout,
    /production +from staging +ci +ignored +tests, soak \(duration: 1h\), approvals \(count:\s+1\),\s+window/,
  );
  assert.match(result.stdout, /dev +built here +developer, ci +read +none/);
  assert.match(result.stdout, /storefront +registry\.example\.com\/shop\/storefront/);
  assert.match(result.stdout, /Ledger roles\n {2}report tests +ci\n {2}verify +ci\n {2}reject +admin\n/);
  assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
});

test('workspace show --format json prints the data', async () => {
  const result = await runCli(['workspace', 'show', '--format', 'json'], {
    cwd: join(EXAMPLE_SHOP, 'config'),
  });
  assert.equal(result.code, 0, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(data.chains, [['dev', 'staging', 'production']]);
  assert.deepEqual(data.environments[2].gates[1], { kind: 'soak', duration: '1h' });
  assert.equal(data.environments[0].manifests, 'deploy/dev');
  assert.deepEqual(data.ledger, {
    reporters: ['ci'],
    verifiers: ['ci'],
    rejecters: ['admin'],
    approvers: ['developer', 'approver', 'admin'],
    staleAfterMs: 120_000,
  });
});

test('workspace show --format markdown prints tables', async () => {
  const result = await runCli(['-C', EXAMPLE_SHOP, '--format', 'markdown', 'workspace', 'show']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^# shop\n/);
  assert.match(result.stdout, /\| Environment \| Promoted \| Deployers \| \.env \| Gates \|\n\| --- \|/);
  assert.match(result.stdout, /\| staging \| from dev \| ci \| ignored \| tests \|/);
  // Which CI jobs the server believes, and as whom.
  assert.match(
    result.stdout,
    /\| https:\/\/token\.actions\.githubusercontent\.com \| repository=acme\/shop ref=refs\/heads\/main \| ci in staging \|/,
  );
});

test('colour follows FORCE_COLOR and yields to NO_COLOR', async () => {
  const forced = await runCli(['-C', EXAMPLE_SHOP, 'workspace', 'show'], { env: { FORCE_COLOR: '1' } });
  assert.match(forced.stdout, /\u001b\[1mshop\u001b\[22m/);
  const both = await runCli(['-C', EXAMPLE_SHOP, 'workspace', 'show'], {
    env: { FORCE_COLOR: '1', NO_COLOR: '1' },
  });
  assert.doesNotMatch(both.stdout, /\u001b\[/);
  const flag = await runCli(['-C', EXAMPLE_SHOP, 'workspace', 'show', '--no-color'], {
    env: { FORCE_COLOR: '1' },
  });
  assert.doesNotMatch(flag.stdout, /\u001b\[/);
});

test('workspace check exits 0 on the example, 2 when invalid, 1 when there is no workspace', async (t) => {
  const valid = await runCli(['-C', EXAMPLE_SHOP, 'workspace', 'check']);
  assert.equal(valid.code, 0, valid.stderr);
  assert.equal(valid.stdout, '✓ stagecraft.yaml is valid: 3 environments, 3 services\n');

  const dir = tempDir(t, { 'stagecraft.yaml': 'environments:\n  dev: {}\n  staging:\n    form: dev\n' });
  const invalid = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(invalid.code, 2);
  assert.match(
    invalid.stdout,
    /stagecraft\.yaml:4:5: error unknown key "form" in environments\.staging \[WORKSPACE_UNKNOWN_KEY\]/,
  );
  assert.match(invalid.stdout, /hint: +did you mean "from"\?/);

  const json = await runCli(['workspace', 'check', '--format', 'json'], { cwd: dir });
  assert.equal(json.code, 2);
  const data = JSON.parse(json.stdout);
  assert.equal(data.valid, false);
  assert.equal(data.problems[0].code, 'WORKSPACE_UNKNOWN_KEY');
  assert.deepEqual(data.problems[0].location, { file: 'stagecraft.yaml', line: 4, column: 5 });

  const empty = tempDir(t);
  const missing = await runCli(['workspace', 'check'], { cwd: empty });
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    `error [WORKSPACE_NOT_FOUND] no stagecraft.yaml found in ${empty} or any folder above it\n` +
      'hint: run `stagecraft init` to create one, or pass --workspace FILE\n',
  );
});

test('workspace check warns about declared paths that do not exist, and still passes', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': 'environments:\n  dev:\n    manifests: deploy/dev\n' });
  const result = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(result.code, 0);
  assert.match(
    result.stdout,
    /stagecraft\.yaml:3:16: warning manifests folder of "dev" deploy\/dev does not exist/,
  );
});

test('commands that need a workspace exit 2 when it is invalid, as workspace check does, listing every problem', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': 'version: 3\nextra: true\n' });
  const result = await runCli(['workspace', 'show'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error \[WORKSPACE_INVALID\] .*stagecraft\.yaml has 2 problems:\n/);
  assert.match(result.stderr, /stagecraft\.yaml:1:10: error version has a value stagecraft does not know/);
  assert.match(result.stderr, /stagecraft\.yaml:2:1: error unknown key "extra"/);
});

test('errors are JSON on stdout under --format json', async (t) => {
  const dir = tempDir(t);
  const result = await runCli(['workspace', 'show', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 1);
  assert.equal(JSON.parse(result.stdout).error.code, 'WORKSPACE_NOT_FOUND');
});

test('usage errors exit 1 and say what is wrong', async () => {
  const unknown = await runCli(['workspace', 'frobnicate']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const format = await runCli(['workspace', 'show', '--format', 'yaml']);
  assert.equal(format.code, 1);
  assert.match(format.stderr, /--format yaml is not available here; use one of text, json, markdown/);
});

test('--help and --version exit 0', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /workspace +inspect and validate stagecraft\.yaml/);
  const version = await runCli(['--version']);
  assert.equal(
    version.stdout.trim(),
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version,
  );
});

test('workspace schema prints the JSON Schema committed for editors', async () => {
  const result = await runCli(['workspace', 'schema']);
  assert.equal(result.code, 0);
  const committed = readFileSync(join(REPO_ROOT, 'schema/stagecraft.schema.json'), 'utf8');
  assert.equal(result.stdout, committed, 'schema/stagecraft.schema.json is stale: run `npm run schema`');
  const schema = JSON.parse(result.stdout);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties), [
    'version',
    'name',
    'environments',
    'services',
    'config',
    'ledger',
    'server',
    'secrets',
    'scan',
    'parity',
    'drift',
    'lint',
  ]);
});

test('init scaffolds a valid workspace with the seed’s .gitignore entries', async (t) => {
  const dir = tempDir(t);
  const result = await runCli(['init', '--name', 'billing'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  for (const file of [
    'stagecraft.yaml',
    'config/base.yaml',
    'config/staging.yaml',
    'config/production.yaml',
    '.env.example',
  ]) {
    assert.ok(existsSync(join(dir, file)), `${file} created`);
  }
  const workspace = readFileSync(join(dir, 'stagecraft.yaml'), 'utf8');
  assert.match(
    workspace,
    /^# yaml-language-server: \$schema=\.\/node_modules\/stagecraft\/schema\/stagecraft\.schema\.json\n/,
  );
  assert.match(workspace, /\nname: billing\n/);
  assert.match(readFileSync(join(dir, 'config/production.yaml'), 'utf8'), /db_host: "\$\{DB_HOST\}"/);
  const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8').split('\n');
  for (const entry of [
    '.env',
    '.env.local',
    '.env.production',
    '*.key',
    '*.pem',
    'secrets/',
    '.stagecraft/',
  ]) {
    assert.ok(gitignore.includes(entry), `.gitignore has ${entry}`);
  }
  const check = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(check.code, 0, check.stdout);
});

test('init in an empty git repository writes the config module it points at, and every check accepts it', async (t) => {
  assertBuilt();
  const dir = tempDir(t);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const init = await runCli(['init'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /ok +src\/config\.ts +created/);
  // Nothing installed yet: init says what the module needs, and config check says only that, with the fix.
  assert.match(init.stdout, /It imports @stagecraft\/config: npm install @stagecraft\/config/);
  // The built CLI in its own process, as a user runs it: it resolves the module's imports as Node does.
  const uninstalled = await spawnCli(['config', 'check', '--all'], { cwd: dir });
  assert.equal(uninstalled.code, 1, uninstalled.stdout);
  assert.match(
    uninstalled.stderr,
    /cannot import src\/config\.ts: Cannot find (package|module) '@stagecraft\/config'/,
  );
  assert.match(
    uninstalled.stderr,
    /hint: install what it imports beside the app: npm install @stagecraft\/config\n/,
  );

  // Installed (as npm links a workspace package), the starter passes every check as it was written.
  mkdirSync(join(dir, 'node_modules/@stagecraft'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'packages/config'), join(dir, 'node_modules/@stagecraft/config'), 'dir');
  const workspace = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(workspace.code, 0, workspace.stdout);
  assert.doesNotMatch(workspace.stdout, /warning/);
  const all = await spawnCli(['config', 'check', '--all'], { cwd: dir });
  assert.equal(all.code, 0, all.stdout + all.stderr);
  assert.match(all.stdout, /dbHost +yaml +\$DB_HOST +\$DB_HOST/);
  const example = await spawnCli(['config', 'example', '--check'], { cwd: dir });
  assert.equal(example.code, 0, example.stdout + example.stderr);
  const dev = await spawnCli(['config', 'check'], { cwd: dir });
  assert.equal(dev.code, 0, dev.stdout + dev.stderr);
  const staging = await spawnCli(['config', 'check', '--env', 'staging'], {
    cwd: dir,
    env: { DB_HOST: 'db' },
  });
  assert.equal(staging.code, 0, staging.stdout + staging.stderr);

  // Without the module, workspace check warns (and still passes: a warning is not a finding).
  rmSync(join(dir, 'src/config.ts'));
  const missing = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(missing.code, 0, missing.stdout);
  assert.match(missing.stdout, /warning config module src\/config\.ts does not exist/);
  assert.match(missing.stdout, /`stagecraft init` writes a starter/);
  // A second init puts it back and leaves the rest as it was.
  writeFileSync(join(dir, 'config/dev.yaml'), 'base_url: "http://localhost:3000"\ndb_host: "localhost"\n');
  const again = await runCli(['init', '--format', 'json'], { cwd: dir });
  assert.deepEqual(JSON.parse(again.stdout).created, ['src/config.ts']);
  assert.equal(
    JSON.parse(again.stdout).directory,
    '.',
    'named from the workspace, not as a path of this machine',
  );
  assert.match(readFileSync(join(dir, 'config/dev.yaml'), 'utf8'), /3000/);
});

test('init --service declares services; a bad one leaves the folder untouched, and an existing file is not changed', async (t) => {
  const dir = tempDir(t);
  const result = await runCli(
    ['init', '--service', 'web=registry.example.com/acme/web', '--service', 'worker=ghcr.io/acme/worker'],
    { cwd: dir },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Next: run `stagecraft workspace check`/);
  const shown = await runCli(['workspace', 'show', '--format', 'json'], { cwd: dir });
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /registry\.example\.com\/acme\/web/);
  assert.match(shown.stdout, /ghcr\.io\/acme\/worker/);

  const empty = tempDir(t);
  const tagged = await runCli(['init', '--service', 'web=registry.example.com/acme/web:1.2'], { cwd: empty });
  assert.equal(tagged.code, 2, tagged.stdout);
  assert.match(tagged.stderr, /WORKSPACE_INVALID/);
  assert.match(tagged.stderr, /service "web" pins a tag or digest/);
  // A name that would write more YAML than one key is one (invalid) key.
  const injected = await runCli(
    ['init', '--service', 'web:\n    image: evil.example.com/x\n  api=registry.example.com/acme/api'],
    { cwd: empty },
  );
  assert.equal(injected.code, 2, injected.stdout);
  assert.match(injected.stderr, /WORKSPACE_INVALID/);
  const malformed = await runCli(['init', '--service', 'web'], { cwd: empty });
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /--service takes NAME=IMAGE, found "web"/);
  assert.deepEqual(readdirSync(empty), [], 'nothing written');

  const again = await runCli(['init', '--service', 'api=registry.example.com/acme/api'], { cwd: dir });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /stagecraft\.yaml already exists, so --service changed nothing/);
  assert.doesNotMatch(readFileSync(join(dir, 'stagecraft.yaml'), 'utf8'), /acme\/api/);
});

test('init never overwrites a file and says what it skipped', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'name: mine\n',
    '.gitignore': 'node_modules/\n.env*\n*.key',
  });
  const result = await runCli(['init', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(data.skipped, ['stagecraft.yaml']);
  assert.deepEqual(data.gitignoreAdded, ['*.pem', 'secrets/', '.stagecraft/']);
  assert.equal(readFileSync(join(dir, 'stagecraft.yaml'), 'utf8'), 'name: mine\n');
  assert.equal(
    readFileSync(join(dir, '.gitignore'), 'utf8'),
    'node_modules/\n.env*\n*.key\n\n# Secrets and local environment files: never commit (added by stagecraft init)\n*.pem\nsecrets/\n.stagecraft/\n',
  );

  const again = await runCli(['init', '--format', 'json'], { cwd: dir });
  const second = JSON.parse(again.stdout);
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.gitignoreAdded, []);
  const text = await runCli(['init'], { cwd: dir });
  assert.match(text.stdout, /skip stagecraft\.yaml +skipped: already exists, left as it was/);
});

test('init skips each of its files that already exists, wherever it is', async (t) => {
  const dir = tempDir(t, { 'config/base.yaml': 'mine: true\n' });
  writeFileSync(join(dir, '.env.example'), 'KEEP=1\n');
  const result = await runCli(['init', '--format', 'json'], { cwd: dir });
  const data = JSON.parse(result.stdout);
  assert.deepEqual(data.skipped.sort(), ['.env.example', 'config/base.yaml']);
  assert.equal(readFileSync(join(dir, '.env.example'), 'utf8'), 'KEEP=1\n');
});
