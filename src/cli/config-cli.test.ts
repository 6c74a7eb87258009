import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtConfigLibrary, EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

const secretValue = () => `sv-${randomBytes(12).toString('hex')}`;

/** A workspace whose config module imports the built package, as an app that installed stagecraft does. */
function appWorkspace(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  staging: { from: dev }\n  production: { from: staging }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({
  dbHost: field.string().describe('Database host'),
  dbPort: field.port().default(5432),
  apiKey: field.secret(),
  debug: field.bool().optional(),
});
`,
    ...files,
  });
}

test('config check exits 0 for the example shop in staging when the deployment variables are set', async () => {
  const result = await runCli(['-C', EXAMPLE_SHOP, 'config', 'check', '--env', 'staging'], {
    env: { DB_HOST: 'db.staging' },
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(
    result.stdout,
    '✓ config for staging is valid: 14 fields\n' +
      '  3 fields hold secret references, resolved at run time: stagecraft secrets check --env staging resolves them here\n',
  );
});

test('config check exits 2 and lists every problem, without secret values', async (t) => {
  const dir = appWorkspace(t, { 'config/staging.yaml': 'db_port: 99999\n' });
  const value = secretValue();
  const result = await runCli(['config', 'check', '--env', 'staging', '--format', 'json'], {
    cwd: dir,
    env: { DEBUG: 'maybe', API_KEY_FILE: join(dir, 'nope'), API_KEY: value },
  });
  assert.equal(result.code, 2, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.equal(data.valid, false);
  assert.deepEqual(
    data.problems.map((p: { code: string; field: string }) => [p.code, p.field]),
    [
      ['CONFIG_MISSING_VAR', 'dbHost'],
      ['CONFIG_INVALID_VALUE', 'dbPort'],
      ['CONFIG_FILE_CONFLICT', 'apiKey'],
      ['CONFIG_INVALID_VALUE', 'debug'],
    ],
  );
  assert.equal(data.problems[1].location.line, 1);
  assert.ok(!result.stdout.includes(value));

  const text = await runCli(['config', 'check', '--env', 'staging'], { cwd: dir, env: { API_KEY: value } });
  assert.equal(text.code, 2);
  assert.match(text.stdout, /\(environment\) error dbHost is required but not set \[CONFIG_MISSING_VAR\]/);
  assert.match(text.stdout, /config\/staging\.yaml:1:10: error db_port is not a valid port for dbPort/);
  assert.match(text.stdout, /✗ config for staging has 2 problems\n$/);
});

test('config check --all prints the coverage matrix and fails on gaps', async (t) => {
  const dir = appWorkspace(t, {
    'config/staging.yaml': 'db_host: "${DB_HOST}"\napi_key: "${API_KEY}"\n',
    'config/production.yaml': 'db_host: "${DB_HOST}"\n',
    '.env.example': 'DB_HOST=\nAPI_KEY=\n',
  });
  const result = await runCli(['config', 'check', '--all'], {
    cwd: dir,
    env: { DB_HOST: 'ignored-offline' },
  });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stdout, /field +dev +staging +production/);
  // .env.example lists what to set; it sets nothing, so dev is a gap until a real .env exists.
  assert.match(result.stdout, /dbHost +MISSING +\$DB_HOST +\$DB_HOST/);
  assert.match(result.stdout, /apiKey +MISSING +\$API_KEY +MISSING/);
  assert.match(result.stdout, /dbPort +default +default +default/);
  assert.match(result.stdout, /\[production\] apiKey is required but not set/);
  assert.match(
    result.stdout,
    /hint: +declare it in config\/production\.yaml: api_key: "\$\{API_KEY\}" \(whoever runs production then sets API_KEY\), or a reference/,
  );
  assert.match(result.stdout, /\[dev\] dbHost is required but not set/);
  assert.match(result.stdout, /for this machine only, copy \.env\.example to \.env and set DB_HOST there/);

  // A .env that exists provides what it sets, and says which file.
  writeFileSync(join(dir, '.env'), `DB_HOST=localhost\n`);
  writeFileSync(join(dir, '.env.local'), `API_KEY=${secretValue()}\n`);
  const local = await runCli(['config', 'check', '--all'], { cwd: dir });
  assert.match(local.stdout, /dbHost +\.env +\$DB_HOST +\$DB_HOST/);
  assert.match(local.stdout, /apiKey +\.env\.local +\$API_KEY +MISSING/);
  assert.doesNotMatch(local.stdout, /\[dev\]/);

  const shop = await runCli(['-C', EXAMPLE_SHOP, 'config', 'check', '--all', '--format', 'json']);
  assert.equal(shop.code, 0, shop.stdout);
  const data = JSON.parse(shop.stdout);
  assert.deepEqual(data.environments, ['dev', 'staging', 'production']);
  assert.deepEqual(data.matrix.find((row: { field: string }) => row.field === 'db.password').sources, {
    dev: '$DB_PASSWORD',
    staging: 'secret ref',
    production: 'secret ref',
  });
});

test('what config check --all says each environment needs is exactly what a load there needs', async () => {
  const shop = await runCli(['-C', EXAMPLE_SHOP, 'config', 'check', '--all', '--format', 'json']);
  assert.equal(shop.code, 0, shop.stdout);
  const { environments, matrix } = JSON.parse(shop.stdout) as {
    environments: string[];
    matrix: { sources: Record<string, string> }[];
  };
  for (const environment of environments) {
    const declared = new Set(
      matrix.flatMap((row) =>
        [...(row.sources[environment] ?? '').matchAll(/\$([A-Z0-9_]+)/g)].map((m) => m[1]),
      ),
    );
    const env: Record<string, string | undefined> = { ENVIRONMENT: environment };
    for (const name of declared) env[name as string] = name === 'DB_PORT' ? '5432' : secretValue();
    const check = await runCli(['-C', EXAMPLE_SHOP, 'config', 'check'], { env });
    assert.equal(check.code, 0, `${environment} with ${[...declared].join(', ')}: ${check.stdout}`);
    // Each declared variable is needed: without it, the same load fails.
    for (const name of declared) {
      if (name === 'DB_HOST' && environment === 'dev') continue; // dev.yaml gives it a default
      const without = await runCli(['-C', EXAMPLE_SHOP, 'config', 'check'], {
        env: { ...env, [name as string]: undefined },
      });
      assert.equal(without.code, 2, `${environment} without ${name}: ${without.stdout}`);
    }
  }
});

test('config show prints each value with its source and masks secrets unless --reveal', async (t) => {
  const value = secretValue();
  const dir = appWorkspace(t, { '.env': `API_KEY=${value}\nDB_HOST=localhost\n` });
  const masked = await runCli(['config', 'show'], { cwd: dir });
  assert.equal(masked.code, 0, masked.stdout + masked.stderr);
  assert.match(masked.stdout, /environment dev {2}\.env read here/);
  assert.match(masked.stdout, /dbHost +localhost +\.env:2/);
  assert.match(masked.stdout, /dbPort +5432 +default/);
  assert.match(masked.stdout, /apiKey +\[redacted\] +\.env:1/);
  assert.ok(!masked.stdout.includes(value));

  const json = await runCli(['config', 'show', '--format', 'json'], { cwd: dir });
  assert.ok(!json.stdout.includes(value));
  const data = JSON.parse(json.stdout);
  assert.deepEqual(data.values[0].provenance, {
    source: 'dotenv',
    file: '.env',
    line: 2,
    variable: 'DB_HOST',
  });

  const revealed = await runCli(['config', 'show', '--reveal', '--format', 'dotenv'], { cwd: dir });
  assert.equal(revealed.stdout, `# environment: dev\nDB_HOST=localhost\nDB_PORT=5432\nAPI_KEY=${value}\n`);
  const dotenv = await runCli(['config', 'show', '--format', 'dotenv'], { cwd: dir });
  assert.match(dotenv.stdout, /# API_KEY=\[redacted\] \(pass --reveal to print\)/);
});

test('config example writes .env.example from the definition and --check finds it stale', async (t) => {
  const dir = appWorkspace(t);
  const stale = await runCli(['config', 'example', '--check'], { cwd: dir });
  assert.equal(stale.code, 2);
  assert.match(stale.stdout, /\.env\.example is missing: run `stagecraft config example`/);
  const written = await runCli(['config', 'example'], { cwd: dir });
  assert.equal(written.code, 0, written.stderr);
  const text = readFileSync(join(dir, '.env.example'), 'utf8');
  assert.match(text, /# Database host\n# string, required\nDB_HOST=\n/);
  assert.match(text, /# port, default 5432\n# DB_PORT=\n/);
  assert.match(text, /# secret, required\nAPI_KEY=\n/);
  const fresh = await runCli(['config', 'example', '--check'], { cwd: dir });
  assert.equal(fresh.code, 0);
  const shop = await runCli(['-C', EXAMPLE_SHOP, 'config', 'example', '--check']);
  assert.equal(shop.code, 0, 'examples/shop/.env.example is generated from src/config.ts');
});

test('config docs and config schema describe every field from the same definition', async (t) => {
  const dir = appWorkspace(t);
  const docs = await runCli(['config', 'docs'], { cwd: dir });
  assert.equal(docs.code, 0, docs.stderr);
  assert.match(
    docs.stdout,
    /\| `dbHost` \| `DB_HOST` \| `db_host` \| string \| yes \| {2}\| Database host \|/,
  );
  assert.match(
    docs.stdout,
    /\| `apiKey` \| `API_KEY` \| `api_key` \| secret \| yes \| {2}\| \*\*secret\*\* \|/,
  );
  const schema = await runCli(['config', 'schema'], { cwd: dir });
  const data = JSON.parse(schema.stdout);
  assert.deepEqual(Object.keys(data.properties), ['db_host', 'db_port', 'api_key', 'debug']);
  assert.equal(data.properties.db_port.default, 5432);
  assert.match(data.properties.api_key.description, /never a literal/);
});

test('env parse prints a .env file as one JSON object', async (t) => {
  const dir = tempDir(t, {
    'x.env': 'export A=1\nB="two\\nlines"\n# comment\nC=\'x # y\' # tail\nA=again\n',
  });
  for (const args of [
    ['env', 'parse', 'x.env'],
    ['env', 'parse', 'x.env', '--json'],
    ['env', 'parse', '--format', 'json', 'x.env'],
  ]) {
    const result = await runCli(args, { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      JSON.parse(result.stdout),
      (await import('dotenv')).parse(readFileSync(join(dir, 'x.env'))),
    );
  }
  const missing = await runCli(['env', 'parse', 'nope.env'], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error \[ENV_FILE_UNREADABLE\] \.env file .*nope\.env does not exist/);
});

test('a config module that is missing or exports no definition is a clear error', async (t) => {
  const none = tempDir(t, { 'stagecraft.yaml': 'config:\n  module: src/missing.ts\n' });
  const missing = await runCli(['config', 'check'], { cwd: none });
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /error \[CONFIG_MODULE_NOT_FOUND\] config definition module src\/missing\.ts does not exist/,
  );
  assert.match(missing.stderr, /hint: set config\.module in stagecraft\.yaml/);

  const wrong = tempDir(t, { 'stagecraft.yaml': '', 'src/config.ts': 'export const config = 1;\n' });
  const invalid = await runCli(['config', 'check'], { cwd: wrong });
  assert.equal(invalid.code, 1);
  assert.match(
    invalid.stderr,
    /error \[CONFIG_MODULE_INVALID\] src\/config\.ts does not export a config definition as its default export/,
  );

  const broken = tempDir(t, { 'stagecraft.yaml': '', 'src/config.ts': 'export default {;\n' });
  const failed = await runCli(['config', 'check'], { cwd: broken });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /error \[CONFIG_MODULE_FAILED\] cannot import src\/config\.ts/);
});

test('a config module that loads its config as it is imported fails with the app’s own error, exit 2', async (t) => {
  // The error comes from the app's copy of the library (bundled apart from the CLI): recognised, with its
  // outcome, so an invalid config exits 2 whichever copy found it.
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\n',
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({ dbHost: field.string() }).load({});
`,
  });
  const text = await runCli(['config', 'check', '--env', 'dev'], { cwd: dir });
  assert.equal(text.code, 2, text.stderr);
  assert.match(text.stderr, /^error \[CONFIG_INVALID\] src\/config\.ts failed while loading: configuration/);
  assert.match(text.stderr, /db_host is required but not set|dbHost is required but not set/);
  assert.match(text.stderr, /\[CONFIG_MISSING_VAR\]/);
  const json = await runCli(['config', 'check', '--env', 'dev', '--format', 'json'], { cwd: dir });
  assert.equal(json.code, 2);
  const { error } = JSON.parse(json.stdout) as { error: { code: string; outcome: string } };
  assert.deepEqual([error.code, error.outcome], ['CONFIG_INVALID', 'invalid']);
});

test('config show --format dotenv gives back, as a .env or as variables, the config it shows', async (t) => {
  const definition = `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({
  name: field.string(),
  workers: field.int({ min: 1 }),
  ratio: field.number(),
  debug: field.bool(),
  port: field.port(),
  site: field.url(),
  level: field.enum(['debug', 'info']),
  limits: field.json(),
  hosts: field.list(),
  timeout: field.duration(),
  retryAfter: field.duration().default('30s'),
  upload: field.bytes(),
  buffer: field.bytes().default('64KiB'),
  token: field.secret(),
  pin: field.secret(field.int()),
  note: field.string().optional(),
});
`;
  const files = {
    'stagecraft.yaml': 'environments:\n  dev: { dotenv: true }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': definition,
  };
  const source = tempDir(t, {
    ...files,
    'config/base.yaml': [
      `name: "it's a \\"shop\\" #1 "`,
      'workers: 4',
      'ratio: 0.25',
      'debug: yes',
      'port: 8080',
      'site: "https://shop.example.com/a?b=c"',
      'level: info',
      'limits: { max: 3, names: [a, "b,c"] }',
      'hosts: [one.example.com, "two,three"]',
      'timeout: 1h30m',
      'upload: 10MiB',
      '',
    ].join('\n'),
    '.env': `TOKEN=${secretValue()}\nPIN=1234\n`,
  });
  const shown = async (cwd: string, env: Record<string, string> = {}) => {
    const result = await runCli(['config', 'show', '--reveal', '--format', 'json'], { cwd, env });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const data = JSON.parse(result.stdout) as { values: { field: string; value: string }[] };
    return data.values.map((row) => [row.field, row.value]);
  };
  const expected = await shown(source);
  assert.equal(expected.length, 16);
  const dotenv = await runCli(['config', 'show', '--reveal', '--format', 'dotenv'], { cwd: source });
  assert.equal(dotenv.code, 0, dotenv.stderr);
  assert.match(dotenv.stdout, /^TIMEOUT=1h30m$/m);
  assert.match(dotenv.stdout, /^UPLOAD=10MiB$/m);
  assert.match(dotenv.stdout, /^RETRY_AFTER=30s$/m);

  // As a .env beside the same definition, with no config files at all.
  const copy = tempDir(t, { ...files, '.env': dotenv.stdout });
  const check = await runCli(['config', 'check'], { cwd: copy });
  assert.equal(check.code, 0, check.stdout);
  assert.deepEqual(await shown(copy), expected);

  // As variables in the environment, parsed as dotenv parses the file.
  const parsed = await runCli(['env', 'parse', join(copy, '.env')]);
  const variables = JSON.parse(parsed.stdout) as Record<string, string>;
  const bare = tempDir(t, files);
  assert.equal((await runCli(['config', 'check'], { cwd: bare, env: variables })).code, 0);
  assert.deepEqual(await shown(bare, variables), expected);
});
