import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountKubernetesSecret } from '../../packages/config/src/test-support/kubernetes-mount.ts';
import { startFakeVault } from '../../packages/config/src/test-support/vault-server.ts';
import {
  assertBuilt,
  builtConfigLibrary,
  CLI,
  EXAMPLE_SHOP,
  REPO_ROOT,
  runCli,
  spawnCli,
  tempDir,
} from '../test-support/cli.ts';

/** Values made now; tests compare them by hash, so no output or failure message ever contains one. */
const secretValue = () => randomBytes(12).toString('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A copy of the example shop with stagecraft and its config package installed (linked) and a developer's .env. */
function shop(t: { after(fn: () => void): void }, dotenv: string): string {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules/@stagecraft'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/stagecraft'));
  symlinkSync(join(REPO_ROOT, 'packages/config'), join(dir, 'node_modules/@stagecraft/config'));
  writeFileSync(join(dir, '.env'), dotenv);
  return dir;
}

/** A child script that checks variables against expected hashes and prints only ok/mismatch. */
const CHECK_ENV = `const want = JSON.parse(process.argv[1]);
const bad = Object.entries(want).filter(([k, h]) => require('crypto').createHash('sha256').update(process.env[k] ?? '').digest('hex') !== h);
console.log(bad.length ? 'mismatch: ' + bad.map(([k]) => k).join(',') : 'ok');`;

test('run --env dev starts the command with the dev config and its .env secrets, byte for byte', async (t) => {
  const password = secretValue();
  const key = `-----BEGIN TEST KEY-----\n${secretValue()}\n${secretValue()}\n-----END TEST KEY-----`;
  const dir = shop(t, `DB_PASSWORD=${password}\nAPI_KEY="${key.replace(/\n/g, '\\n')}"\n`);
  const want = {
    DB_PASSWORD: sha(password),
    API_KEY: sha(key),
    ENVIRONMENT: sha('dev'),
    DB_HOST: sha('localhost'),
  };
  const result = await spawnCli(
    ['run', '--env', 'dev', '--', process.execPath, '-e', CHECK_ENV, JSON.stringify(want)],
    {
      cwd: dir,
    },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'ok\n');

  // No shell: arguments arrive as given; the exit code passes through.
  const literal = await spawnCli(
    [
      'run',
      '--env',
      'dev',
      '--',
      process.execPath,
      '-e',
      'console.log(process.argv[1]); process.exit(7)',
      '$HOME; echo hi',
    ],
    { cwd: dir },
  );
  assert.equal(literal.code, 7);
  assert.equal(literal.stdout, '$HOME; echo hi\n');
  assert.ok(
    !existsSync(join(dir, '.env.resolved')) &&
      readFileSync(join(dir, '.env'), 'utf8').includes('DB_PASSWORD='),
  );
});

test('run --env production refuses .env with a clear error and never starts the command', async (t) => {
  const dir = shop(t, `DB_HOST=db.internal\nDB_PASSWORD=${secretValue()}\nAPI_KEY=${secretValue()}\n`);
  const marker = join(dir, 'started');
  const result = await runCli(
    [
      'run',
      '--env',
      'production',
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
    ],
    { cwd: dir, env: { HOME: tempDir(t) } },
  );
  assert.equal(result.code, 2);
  assert.ok(!existsSync(marker), 'the command must not start');
  assert.match(
    result.stderr,
    /\$\{DB_HOST\} is referenced but DB_HOST is not set \(\.env sets it, but \.env files are not read in the production environment\)/,
  );
  assert.match(result.stderr, /db\.password: ref\+vault:\/\/secret\/shop\/db#\/password: no Vault token/);
  assert.match(result.stderr, /environments\.production\.dotenv is false/);
  assert.match(result.stderr, /mount the Kubernetes Secret shop-payments as a volume/);
  assert.equal(result.stdout, '');
});

test('run resolves references, masks secrets for GitHub Actions and with --redact, and needs --', async (t) => {
  const token = secretValue();
  const dir = tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ token: field.secret(), name: field.string() });\n`,
    'config/production.yaml': 'token: "ref+env://CI_TOKEN"\nname: shop\n',
  });
  // The child prints the secret in two writes, split in the middle: --redact must still catch it.
  const print =
    'const v = process.env.TOKEN; process.stdout.write("token=" + v.slice(0, 5)); setTimeout(() => process.stdout.write(v.slice(5) + "\\n"), 50);';
  const env = { CI_TOKEN: token, GITHUB_ACTIONS: 'true' };
  const masked = await spawnCli(
    ['run', '--env', 'production', '--redact', '--', process.execPath, '-e', print],
    { cwd: dir, env },
  );
  assert.equal(masked.code, 0, masked.stderr);
  const [maskLine, ...output] = masked.stdout.split('\n');
  assert.ok(maskLine === `::add-mask::${token}`, 'the first line registers the secret with the runner');
  // Compared without printing: a failed mask would otherwise put the secret in the test report.
  assert.ok(output.join('\n') === 'token=***\n', 'the child printed the secret, masked');

  const usage = await runCli(['run', '--env', 'production', process.execPath], { cwd: dir, env });
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /give the command to run after --/);
  const missing = await runCli(['run', '--env', 'production', '--', 'no-such-program-here'], {
    cwd: dir,
    env,
  });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no-such-program-here: command not found/);
});

test('run forwards signals to the command and passes its exit status through', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ name: field.string().default('x') });\n`,
  });
  const script =
    'process.on("SIGTERM", () => { console.log("got SIGTERM"); process.exit(42); }); console.log("ready"); setInterval(() => {}, 1000);';
  assertBuilt();
  const child = spawn(process.execPath, [CLI, 'run', '--', process.execPath, '-e', script], { cwd: dir });
  let stdout = '';
  let sent = false;
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Once: a second SIGTERM after the command ended would reach stagecraft itself.
      if (stdout.includes('ready') && !sent) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    child.on('close', (exit) => resolve(exit));
  });
  assert.equal(code, 42);
  assert.equal(stdout, 'ready\ngot SIGTERM\n');
});

test('run --watch never starts the command with a config it would reject (exit 2)', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${join(REPO_ROOT, 'dist/config/index.js')}';\nexport default defineConfig({ shopRegion: field.string() });\n`,
  });
  const result = await runCli(['run', '--watch', '--', process.execPath, '-e', 'console.log("started")'], {
    cwd: dir,
    env: { SHOP_REGION: undefined },
  });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^error \[CONFIG_INVALID\] configuration for environment "dev" has 1 problem/);
  assert.match(result.stderr, /\[CONFIG_MISSING_VAR\]/);
  assert.doesNotMatch(result.stdout, /started/);
});

test('secrets get prints one value; unresolvable, malformed and refused references exit 2', async (t) => {
  const value = secretValue();
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\n  production: { from: dev }\n',
    '.env': `LOCAL=${value}\n`,
  });
  const got = await runCli(['secrets', 'get', 'ref+dotenv://LOCAL'], { cwd: dir });
  assert.equal(got.code, 0, got.stderr);
  assert.ok(got.stdout === `${value}\n`, 'prints the value and a newline');
  const refused = await runCli(['secrets', 'get', 'ref+dotenv://LOCAL', '--env', 'production'], { cwd: dir });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /\.env files are not read in the production environment/);
  const cases: [string, RegExp][] = [
    ['ref+env://NOT_SET_ANYWHERE', /NOT_SET_ANYWHERE is not set/],
    ['ref+awssecret://x', /unknown secret backend "awssecret"\nhint: did you mean awssecrets\?/],
    ['ref+file://missing.json#/a', /missing\.json does not exist/],
    ['ref+dotenv://LOCAL#/a', /is a single value|is not JSON/],
  ];
  for (const [reference, message] of cases) {
    const result = await runCli(['secrets', 'get', reference], { cwd: dir });
    assert.equal(result.code, 2, reference);
    assert.match(result.stderr, message);
    assert.ok(!result.stderr.includes(value));
  }
});

test('secrets check lists each secret and whether it resolves; secrets keys gives the structure only', async (t) => {
  const dir = shop(t, `DB_PASSWORD=${secretValue()}\nAPI_KEY=${secretValue()}\n`);
  const dev = await runCli(['secrets', 'check', '--env', 'dev'], { cwd: dir });
  assert.equal(dev.code, 0, dev.stdout + dev.stderr);
  assert.match(dev.stdout, /✓ all 2 secrets of dev resolve here/);

  const mount = tempDir(t);
  mkdirSync(join(mount, 'shop-payments'));
  writeFileSync(join(mount, 'shop-payments/api-key'), secretValue());
  const vault = await startFakeVault(t);
  vault.put('secret/shop/db', { username: 'shop', password: secretValue() });
  const env = {
    DB_HOST: 'db',
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: vault.issueToken(),
    HOME: tempDir(t),
    STAGECRAFT_K8S_SECRETS_ROOT: mount,
  };
  const production = await runCli(['secrets', 'check', '--env', 'production', '--format', 'json'], {
    cwd: dir,
    env,
  });
  assert.equal(production.code, 0, production.stdout);
  const data = JSON.parse(production.stdout);
  assert.deepEqual(
    data.secrets.map((s: { field: string; references: string[]; resolves: boolean }) => [
      s.field,
      s.references,
      s.resolves,
    ]),
    [
      ['db.user', ['ref+vault://secret/shop/db#/username'], true],
      ['db.password', ['ref+vault://secret/shop/db#/password'], true],
      ['apiKey', ['ref+k8s://shop-payments/api-key'], true],
    ],
  );
  const unmounted = await runCli(['secrets', 'check', '--env', 'production'], {
    cwd: dir,
    env: { ...env, STAGECRAFT_K8S_SECRETS_ROOT: tempDir(t) },
  });
  assert.equal(unmounted.code, 2);
  assert.match(unmounted.stdout, /✗ 1 of 3 secrets of production do not resolve here/);

  const keys = async (name: string) =>
    JSON.parse((await runCli(['secrets', 'keys', '--env', name, '--format', 'json'], { cwd: dir })).stdout);
  const [staging, prod] = [await keys('staging'), await keys('production')];
  assert.deepEqual(staging.keys, prod.keys, 'staging and production have the same secret structure');
  assert.deepEqual(
    prod.keys.map((k: { key: string; via: string }) => [k.key, k.via]),
    [
      ['API_KEY', 'ref+k8s://shop-payments/api-key'],
      ['DB_PASSWORD', 'ref+vault://secret/shop/db#/password'],
      ['DB_USER', 'ref+vault://secret/shop/db#/username'],
    ],
  );
});

test('secrets render resolves references in YAML (comments kept) and JSON, all or nothing, --out 0600', async (t) => {
  const password = secretValue();
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\n',
    'creds.json': JSON.stringify({ user: 'shop', password }),
    'values.yaml':
      '# Helm values\ndb:\n  user: ref+file://creds.json#/user # from the secret\n  url: "postgres://shop:ref+file://creds.json#/password+@db/shop"\nplain: 1\n---\nsecond: ref+file://creds.json#/user\n',
    'values.json': '{"db": {"password": "ref+file://creds.json#/password"}}',
    'broken.yaml': 'a: ref+file://creds.json#/nope\nb: ref+env://NOT_SET_HERE\n',
  });
  const yaml = await runCli(['secrets', 'render', 'values.yaml'], { cwd: dir });
  assert.equal(yaml.code, 0, yaml.stderr);
  const expected = `# Helm values\ndb:\n  user: shop # from the secret\n  url: "postgres://shop:${password}@db/shop"\nplain: 1\n---\nsecond: shop\n`;
  assert.ok(yaml.stdout === expected, 'rendered YAML keeps comments and layout');

  const out = join(dir, 'rendered.json');
  const json = await runCli(['secrets', 'render', 'values.json', '--out', out], { cwd: dir });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stdout, '');
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).db.password === password);

  const broken = await runCli(['secrets', 'render', 'broken.yaml', '--out', join(dir, 'never.yaml')], {
    cwd: dir,
  });
  assert.equal(broken.code, 2);
  assert.ok(!existsSync(join(dir, 'never.yaml')), 'nothing is written when a reference fails');
  assert.match(broken.stderr, /2 references in broken\.yaml cannot be resolved; nothing was written/);
  assert.match(
    broken.stderr,
    /broken\.yaml:1:4: error ref\+file:\/\/creds\.json#\/nope: the value read has no key "nope"/,
  );
  assert.match(broken.stderr, /broken\.yaml:2:4: error ref\+env:\/\/NOT_SET_HERE: NOT_SET_HERE is not set/);
  assert.ok(!broken.stderr.includes(password));
});

test('run --watch restarts the command with the new value when a mounted Secret is swapped', async (t) => {
  const mount = tempDir(t);
  const first = secretValue();
  const second = secretValue();
  mountKubernetesSecret(mount, 'db', { password: first }, 1);
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ password: field.secret() });\n`,
    'config/base.yaml': 'password: "ref+k8s://db/password"\n',
  });
  const script =
    'console.log(require("crypto").createHash("sha256").update(process.env.PASSWORD).digest("hex")); setInterval(() => {}, 1000);';
  assertBuilt();
  const child = spawn(process.execPath, [CLI, 'run', '--watch', '--', process.execPath, '-e', script], {
    cwd: dir,
    env: { ...process.env, STAGECRAFT_K8S_SECRETS_ROOT: mount },
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (lines.length === 1) mountKubernetesSecret(mount, 'db', { password: second }, 2);
      if (lines.length === 2) child.kill('SIGTERM');
    });
    child.on('close', (exit) => resolve(exit));
  });
  assert.deepEqual(lines, [sha(first), sha(second)]);
  assert.match(stderr, /secrets changed; restarting the command/);
  assert.equal(code, 143, 'the command died of the forwarded SIGTERM: 128 + 15');
});

test('ref+file reads only under the workspace and secrets.file.roots; the key is checked at load', async (t) => {
  const value = secretValue();
  const base = tempDir(t, {
    'app/stagecraft.yaml': 'environments:\n  dev: {}\n',
    'shared/token': value,
  });
  const app = join(base, 'app');
  const refused = await runCli(['secrets', 'get', 'ref+file://../shared/token'], { cwd: app });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /SECRET_FILE_OUTSIDE_ROOTS/);
  assert.match(refused.stderr, /ref\+file:\/\/\.\.\/shared\/token: /);
  assert.match(refused.stderr, /add .*shared to secrets\.file\.roots in stagecraft\.yaml/);
  assert.ok(!refused.stderr.includes(value) && refused.stdout === '');

  // Relative roots start at the folder of stagecraft.yaml, wherever the command runs.
  writeFileSync(
    join(app, 'stagecraft.yaml'),
    'environments:\n  dev: {}\nsecrets:\n  file:\n    roots: [../shared, /run/secrets]\n',
  );
  mkdirSync(join(app, 'sub'));
  const allowed = await runCli(['secrets', 'get', 'ref+file://../shared/token'], { cwd: join(app, 'sub') });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.ok(allowed.stdout === `${value}\n`, 'the value is read from a listed root');

  writeFileSync(
    join(app, 'stagecraft.yaml'),
    'environments:\n  dev: {}\nsecrets:\n  file:\n    roots: ../shared\n    root: [x]\n',
  );
  const invalid = await runCli(['workspace', 'check'], { cwd: app });
  assert.equal(invalid.code, 2, invalid.stdout + invalid.stderr);
  const report = invalid.stdout + invalid.stderr;
  assert.match(report, /stagecraft\.yaml:5:\d+: error secrets\.file\.roots must be a list/);
  assert.match(report, /stagecraft\.yaml:6:\d+: error unknown key "root" in secrets\.file/);
});

test('run --redact masks secrets URL-, JSON- and base64-encoded, and each value inside a secret map', async (t) => {
  const token = `${secretValue()} /+"${secretValue()}`;
  const password = secretValue();
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ token: field.secret(), db: field.secret(field.json()) });\n`,
    'config/base.yaml': 'token: "ref+env://CI_TOKEN"\ndb: "ref+file://db.json"\n',
    'db.json': JSON.stringify({ user: 'shop', password }),
  });
  const print = [
    'const v = process.env.TOKEN, p = JSON.parse(process.env.DB).password;',
    'console.log("url=" + encodeURIComponent(v));',
    'console.log("json=" + JSON.stringify({ v }));',
    'console.log("basic=" + Buffer.from("shop:" + v).toString("base64"));',
    'console.log("b64url=" + Buffer.from(v).toString("base64url"));',
    'console.log("password=" + p);',
  ].join('\n');
  const result = await spawnCli(['run', '--redact', '--', process.execPath, '-e', print], {
    cwd: dir,
    env: { CI_TOKEN: token },
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 5);
  const expected = [
    /^url=\*\*\*$/,
    /^json=\{"v":"\*\*\*"\}$/,
    /^basic=[A-Za-z0-9+/]{0,8}\*\*\*[A-Za-z0-9+/=]{0,4}$/,
    /^b64url=\*\*\*$/,
    /^password=\*\*\*$/,
  ];
  // Compared without printing the lines: a failed mask would put the secret in the test report.
  for (const [index, line] of lines.entries()) {
    assert.ok(expected[index]?.test(line), `line ${index + 1} is masked`);
  }
});
