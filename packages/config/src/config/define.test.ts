import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { z } from 'zod';
import { type Problem, StagecraftError } from '../errors.ts';
import { ConfigError, defineConfig, field, isSecret, Secret } from '../index.ts';
import { tempDir } from '../test-support/temp-dir.ts';

/** A value that stands for a secret in these tests: random, so nothing credential-like is committed. */
const secretValue = () => `sv-${randomBytes(12).toString('hex')}`;

const WORKSPACE = `environments:
  dev: {}
  staging: { from: dev }
  production: { from: staging }
`;

function problemsOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
}

test('loads typed values from environment variables into a deep-frozen object', (t) => {
  const root = tempDir(t);
  const config = defineConfig(
    {
      dbHost: field.string(),
      dbPort: field.port().default(5432),
      poolSize: field.int(),
      ratio: field.number(),
      debug: field.bool(),
      logLevel: field.enum(['DEBUG', 'INFO', 'WARNING']).default('INFO'),
      baseUrl: field.url(),
      hosts: field.list(),
      timeout: field.duration(),
      maxUpload: field.bytes(),
      features: field.json<{ beta: boolean }>(),
      nickname: field.string().optional(),
    },
    { root, workspace: false },
  ).load({
    DB_HOST: 'db.internal',
    POOL_SIZE: '10',
    RATIO: '0.25',
    DEBUG: 'false',
    BASE_URL: 'https://api.example.com',
    HOSTS: 'a, b,c',
    TIMEOUT: '1h30m',
    MAX_UPLOAD: '8MiB',
    FEATURES: '{"beta":true}',
  });
  assert.deepEqual(
    { ...config, hosts: [...config.hosts], features: { ...config.features } },
    {
      dbHost: 'db.internal',
      dbPort: 5432,
      poolSize: 10,
      ratio: 0.25,
      debug: false,
      logLevel: 'INFO',
      baseUrl: 'https://api.example.com',
      hosts: ['a', 'b', 'c'],
      timeout: 5_400_000,
      maxUpload: 8 * 1024 * 1024,
      features: { beta: true },
      nickname: undefined,
      environment: 'dev',
    },
  );
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.hosts));
  assert.ok(Object.isFrozen(config.features));
  // Type-level: the loaded object is typed from the fields.
  const port: number = config.dbPort;
  const level: 'DEBUG' | 'INFO' | 'WARNING' = config.logLevel;
  const nickname: string | undefined = config.nickname;
  void [port, level, nickname];
  // @ts-expect-error the config is read-only
  assert.throws(() => (config.dbPort = 1));
});

test('maps camelCase to SCREAMING_SNAKE, applies the prefix, honours .env() and nests with __', (t) => {
  const root = tempDir(t);
  const config = defineConfig(
    {
      apiURL: field.string(),
      db: { host: field.string(), readReplica: { port: field.port() } },
      legacy: field.string().env('OLD_NAME'),
    },
    { root, workspace: false, prefix: 'SHOP_' },
  ).load({ SHOP_API_URL: 'u', SHOP_DB__HOST: 'h', SHOP_DB__READ_REPLICA__PORT: '6432', OLD_NAME: 'o' });
  assert.equal(config.apiURL, 'u');
  assert.equal(config.db.host, 'h');
  assert.equal(config.db.readReplica.port, 6432);
  assert.equal(config.legacy, 'o');
});

test('a bool is only what the spelling table says: "false" is never true', (t) => {
  const root = tempDir(t);
  const loader = defineConfig({ flag: field.bool() }, { root, workspace: false });
  for (const [text, value] of [
    ['false', false],
    ['0', false],
    ['off', false],
    ['NO', false],
    ['yes', true],
    ['On', true],
  ] as const) {
    assert.equal(loader.load({ FLAG: text }).flag, value, text);
  }
  const [problem] = problemsOf(() => loader.load({ FLAG: 'ture' }));
  assert.equal(problem?.code, 'CONFIG_INVALID_VALUE');
  assert.equal(problem?.variable, 'FLAG');
  assert.equal(problem?.found, '"ture"');
});

test('one ConfigError names every bad variable with what was expected and where to set it', (t) => {
  const root = tempDir(t);
  const loader = defineConfig(
    {
      dbHost: field.string(),
      dbPort: field.port(),
      timeout: field.duration(),
      name: field.string().default('x'),
    },
    { root, workspace: false },
  );
  const error = (() => {
    try {
      loader.load({ DB_PORT: '99999', TIMEOUT: '30' });
    } catch (caught) {
      return caught as ConfigError;
    }
    assert.fail('expected an error');
  })();
  assert.ok(error instanceof StagecraftError);
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.deepEqual(
    error.problems.map((p) => [p.code, p.field, p.variable]),
    [
      ['CONFIG_MISSING_VAR', 'dbHost', 'DB_HOST'],
      ['CONFIG_INVALID_VALUE', 'dbPort', 'DB_PORT'],
      ['CONFIG_INVALID_VALUE', 'timeout', 'TIMEOUT'],
    ],
  );
  assert.match(error.message, /^configuration for environment "dev" has 3 problems:\n/);
  assert.match(
    error.message,
    /dbHost is required but not set\n {2}expected: string\n {2}hint: {5}set DB_HOST in the environment, or \.env, or db_host in config\/dev\.yaml/,
  );
  assert.match(error.message, /TIMEOUT is not a valid duration for timeout/);
  assert.match(error.message, /a bare number is ambiguous/);
});

test('defaults are validated like any input', (t) => {
  const root = tempDir(t);
  const [problem] = problemsOf(() =>
    defineConfig({ port: field.port().default(70000) }, { root, workspace: false }).load({}),
  );
  assert.equal(problem?.message, 'the default of port is not a valid port for port');
});

test('YAML keys fill fields in camelCase or snake_case, and both at once is an error', (t) => {
  const root = tempDir(t, {
    'config/base.yaml': 'db_host: from-snake\nlogLevel: DEBUG\n',
    'config/dev.yaml': 'db:\n  read_replica: { port: 6432 }\n',
  });
  const loader = defineConfig(
    { dbHost: field.string(), logLevel: field.string(), db: { readReplica: { port: field.port() } } },
    { root, workspace: false },
  );
  const config = loader.load({});
  assert.equal(config.dbHost, 'from-snake');
  assert.equal(config.logLevel, 'DEBUG');
  assert.equal(config.db.readReplica.port, 6432);

  const both = tempDir(t, { 'config/base.yaml': 'db_host: a\ndbHost: b\n' });
  const [problem] = problemsOf(() =>
    defineConfig({ dbHost: field.string() }, { root: both, workspace: false }).load({}),
  );
  assert.equal(problem?.code, 'CONFIG_AMBIGUOUS_KEY');
  assert.equal(problem?.message, 'both "dbHost" and "db_host" are set, and both fill dbHost');
  assert.deepEqual(problem?.location, { file: join(both, 'config/base.yaml'), line: 1, column: 1 });
});

test('sources override in the documented order', (t) => {
  const root = tempDir(t, {
    'stagecraft.yaml': WORKSPACE,
    'config/base.yaml': 'a: base\nb: base\nc: base\nd: base\ne: base\nf: base\ng: base\n',
    'config/dev.yaml': 'b: dev-yaml\nc: dev-yaml\nd: dev-yaml\ne: dev-yaml\nf: dev-yaml\ng: dev-yaml\n',
    '.env': 'C=dotenv\nD=dotenv\nE=dotenv\nF=dotenv\nG=dotenv\n',
    '.env.local': 'D=dotenv-local\nE=dotenv-local\nF=dotenv-local\nG=dotenv-local\n',
    'secrets/E': 'secret-dir\n',
    'secrets/F': 'secret-dir\n',
    'secrets/G': 'secret-dir\n',
    'f-file': 'file-var',
  });
  const fields = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => [k, field.string()]));
  fields['h'] = field.string().default('default');
  const loader = defineConfig(fields, { root, secretsDir: 'secrets' });
  const config = loader.load({ F_FILE: join(root, 'f-file'), G: 'env' }) as Record<string, string>;
  assert.deepEqual(
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => config[k]),
    ['base', 'dev-yaml', 'dotenv', 'dotenv-local', 'secret-dir', 'file-var', 'env', 'default'],
  );
  const provenance = loader
    .inspect({ F_FILE: join(root, 'f-file'), G: 'env' })
    .entries.map((e) => e.provenance);
  assert.deepEqual(provenance[0], {
    source: 'yaml',
    file: join(root, 'config/base.yaml'),
    line: 1,
    column: 4,
    key: 'a',
  });
  assert.deepEqual(provenance[2], { source: 'dotenv', file: join(root, '.env'), line: 1, variable: 'C' });
  assert.deepEqual(provenance[4], { source: 'secret-file', file: join(root, 'secrets/E'), variable: 'E' });
  assert.deepEqual(provenance[6], { source: 'env', variable: 'G' });
  assert.deepEqual(provenance[7], { source: 'default' });
});

test('.env files are read only where stagecraft.yaml allows them', (t) => {
  const root = tempDir(t, {
    'stagecraft.yaml': WORKSPACE,
    '.env': 'DB_HOST=from-dotenv\n',
    'config/staging.yaml': 'db_host: from-yaml\n',
  });
  const loader = defineConfig({ dbHost: field.string() }, { root });
  assert.equal(loader.load({}).dbHost, 'from-dotenv');
  assert.equal(loader.load({ ENVIRONMENT: 'staging' }).dbHost, 'from-yaml');
  const [problem] = problemsOf(() => loader.load({ ENVIRONMENT: 'production' }));
  assert.equal(problem?.code, 'CONFIG_MISSING_VAR');
  // .env defines it, so the problem says why it does not count here.
  assert.equal(
    problem?.message,
    'dbHost is required but not set (.env sets it, but .env files are not read in the production environment)',
  );
  assert.equal(
    problem?.hint,
    '.env is for local development only (stagecraft.yaml: environments.production.dotenv is false); set DB_HOST in the environment, or db_host in config/production.yaml',
  );
});

test('the environment name is a config value and must be declared', (t) => {
  const root = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const loader = defineConfig({}, { root });
  assert.equal(loader.load({}).environment, 'dev');
  assert.equal(loader.load({ ENVIRONMENT: 'production' }).environment, 'production');
  const [problem] = problemsOf(() => loader.load({ ENVIRONMENT: 'prod' }));
  assert.equal(problem?.code, 'CONFIG_UNKNOWN_ENVIRONMENT');
  assert.equal(problem?.hint, 'use one of dev, staging, production, or declare it');
});

test('YAML values expand ${VAR} references; an unset one names the file:line and the variable', (t) => {
  const root = tempDir(t, {
    'stagecraft.yaml': WORKSPACE,
    'config/staging.yaml':
      'db_host: "${DB_HOST}"\nurl: "postgres://${DB_HOST}:${DB_PORT:-5432}/shop"\nprice: "$$5"\n',
  });
  const loader = defineConfig(
    { dbHost: field.string(), url: field.string(), price: field.string() },
    { root },
  );
  const config = loader.load({ ENVIRONMENT: 'staging', DB_HOST: 'db.staging' });
  assert.equal(config.url, 'postgres://db.staging:5432/shop');
  assert.equal(config.price, '$5');
  const problems = problemsOf(() => loader.load({ ENVIRONMENT: 'staging' }));
  assert.deepEqual(
    problems.map((p) => [p.code, p.variable, p.location?.line]),
    [
      ['CONFIG_UNSET_REFERENCE', 'DB_HOST', 1],
      ['CONFIG_UNSET_REFERENCE', 'DB_HOST', 2],
    ],
  );
  assert.equal(problems[0]?.message, 'dbHost: ${DB_HOST} is referenced but DB_HOST is not set');
  assert.equal(problems[0]?.location?.file, join(root, 'config/staging.yaml'));
});

test('secrets are redacted everywhere unless revealed', (t) => {
  const root = tempDir(t);
  const value = secretValue();
  const config = defineConfig(
    { apiKey: field.secret(), dbUrl: field.secret(field.url()) },
    { root, workspace: false },
  ).load({
    API_KEY: value,
    DB_URL: 'https://db.example.com',
  });
  assert.ok(isSecret(config.apiKey));
  assert.ok(config.apiKey instanceof Secret);
  assert.equal(config.apiKey.reveal(), value);
  assert.equal(config.dbUrl.reveal(), 'https://db.example.com');
  for (const shown of [
    String(config.apiKey),
    `${config.apiKey}`,
    JSON.stringify(config),
    inspect(config),
    inspect(config.apiKey),
  ]) {
    assert.ok(!shown.includes(value), shown);
    assert.match(shown, /\[redacted\]/);
  }
});

test('a secret value never appears in an error', (t) => {
  const root = tempDir(t);
  const value = secretValue();
  const loader = defineConfig(
    { pin: field.secret(field.int()), token: field.secret(z.string().regex(/^tok_/)) },
    { root, workspace: false },
  );
  const error = (() => {
    try {
      loader.load({ PIN: value, TOKEN: value });
    } catch (caught) {
      return caught as ConfigError;
    }
    assert.fail('expected an error');
  })();
  assert.equal(error.problems.length, 2);
  assert.ok(!JSON.stringify(error.problems).includes(value));
  assert.ok(!error.message.includes(value));
  assert.equal(error.problems[0]?.found, undefined);
});

test('a secret written as a literal in a committed config file is an error; a reference is fine', (t) => {
  const root = tempDir(t, {
    'config/base.yaml': `api_key: "${secretValue()}"\ndb_password: "\${DB_PASSWORD:-fallback}"\nvault_token: "ref+vault://secret/shop#/token"\nok_key: "\${OK_KEY}"\n`,
  });
  const loader = defineConfig(
    { apiKey: field.secret(), dbPassword: field.secret(), vaultToken: field.secret(), okKey: field.secret() },
    { root, workspace: false },
  );
  const problems = problemsOf(() => loader.load({ OK_KEY: 'x' }));
  assert.deepEqual(
    problems.map((p) => [p.code, p.field, p.location?.line]),
    [
      ['CONFIG_SECRET_LITERAL', 'apiKey', 1],
      ['CONFIG_SECRET_LITERAL', 'dbPassword', 2],
      // Accepted as a reference, but load() is synchronous and does not resolve references.
      ['CONFIG_UNRESOLVED_REFERENCE', 'vaultToken', 3],
    ],
  );
  assert.equal(
    problems[0]?.hint,
    'write "${API_KEY}" or a reference to where the secret is (ref+k8s://SECRET/KEY for a mounted Kubernetes Secret, ref+file://PATH), and provide the value at run time',
  );
});

test('secret files: a mounted directory (with the Kubernetes ..data layout) and the NAME_FILE convention', (t) => {
  const root = tempDir(t);
  const value = secretValue();
  const mount = join(root, 'mount');
  mkdirSync(join(mount, '..2026_11_26_10_00_00.123'), { recursive: true });
  writeFileSync(join(mount, '..2026_11_26_10_00_00.123', 'db-password'), `${value}\n`);
  symlinkSync('..2026_11_26_10_00_00.123', join(mount, '..data'));
  symlinkSync('..data/db-password', join(mount, 'db-password'));
  writeFileSync(join(root, 'api-key.txt'), `${value}-api\r\n`);
  const loader = defineConfig(
    { dbPassword: field.secret(), apiKey: field.secret() },
    { root, workspace: false, secretsDir: mount },
  );
  const config = loader.load({ API_KEY_FILE: join(root, 'api-key.txt') });
  assert.equal(config.dbPassword.reveal(), value);
  assert.equal(config.apiKey.reveal(), `${value}-api`);
});

test('secret files leading out of their directory, oversized, or doubled by X and X_FILE are refused', (t) => {
  const root = tempDir(t, { 'outside/file': 'x', 'mount/big': 'x'.repeat(70 * 1024) });
  symlinkSync(join(root, 'outside/file'), join(root, 'mount/escape'));
  const loader = defineConfig(
    { escape: field.secret(), big: field.secret(), twice: field.secret() },
    { root, workspace: false, secretsDir: join(root, 'mount') },
  );
  const problems = problemsOf(() => loader.load({ TWICE: 'a', TWICE_FILE: join(root, 'outside/file') }));
  assert.deepEqual(
    problems.map((p) => [p.code, p.field]),
    [
      ['CONFIG_SECRET_FILE_REFUSED', 'escape'],
      ['CONFIG_SECRET_FILE_REFUSED', 'big'],
      ['CONFIG_FILE_CONFLICT', 'twice'],
    ],
  );
  assert.equal(
    problems[0]?.message,
    `secret file ${join(root, 'mount/escape')} is a link leading out of ${join(root, 'mount')}`,
  );
  assert.match(problems[1]?.message ?? '', /is 71680 bytes, over the 65536-byte limit/);
  assert.equal(problems[2]?.message, 'both TWICE and TWICE_FILE are set in the environment');
});

test('strict mode reports unknown YAML keys and unknown prefixed variables with suggestions', (t) => {
  const root = tempDir(t, { 'config/base.yaml': 'db_hots: x\ndb:\n  prot: 1\n' });
  const loader = defineConfig(
    { dbHost: field.string().optional(), db: { port: field.port().optional() } },
    { root, workspace: false, strict: true, prefix: 'APP_' },
  );
  const problems = problemsOf(() => loader.load({ APP_DB_HSOT: 'x', OTHER: 'ignored' }));
  assert.deepEqual(
    problems.map((p) => [p.code, p.message, p.hint]),
    [
      ['CONFIG_UNKNOWN_KEY', 'unknown key "db_hots" fills no config field', 'did you mean "db_host"?'],
      ['CONFIG_UNKNOWN_KEY', 'unknown key "db.prot" fills no config field', 'did you mean "port"?'],
      [
        'CONFIG_UNKNOWN_VAR',
        'APP_DB_HSOT has the config prefix APP_ but fills no config field',
        'did you mean APP_DB_HOST?',
      ],
    ],
  );
});

test('accepts Standard Schema validators as fields', (t) => {
  const root = tempDir(t);
  const loader = defineConfig(
    {
      workers: z.coerce.number().int().min(1),
      region: z.enum(['eu', 'us']).default('eu'),
      tag: field.schema(z.string().startsWith('v')).env('RELEASE_TAG'),
    },
    { root, workspace: false },
  );
  const config = loader.load({ WORKERS: '4', RELEASE_TAG: 'v1.2' });
  assert.equal(config.workers, 4);
  assert.equal(config.region, 'eu');
  assert.equal(config.tag, 'v1.2');
  const workers: number = config.workers;
  void workers;
  const problems = problemsOf(() => loader.load({ WORKERS: '0', RELEASE_TAG: '1.2' }));
  assert.deepEqual(
    problems.map((p) => p.field),
    ['workers', 'tag'],
  );
  assert.equal(problems[0]?.message, 'WORKERS is not a valid zod for workers');
});

test('a client prefix splits what a browser bundle may see', (t) => {
  const root = tempDir(t);
  const loader = defineConfig(
    { publicApiUrl: field.url(), dbHost: field.string() },
    { root, workspace: false, clientPrefix: 'PUBLIC_' },
  );
  const config = loader.load({ PUBLIC_API_URL: 'https://api.example.com', DB_HOST: 'db' });
  assert.deepEqual(loader.client(config), { publicApiUrl: 'https://api.example.com' });
  assert.throws(() => defineConfig({ publicToken: field.secret() }, { clientPrefix: 'PUBLIC_' }), {
    code: 'CONFIG_DEFINITION',
    message: 'secret field "publicToken" reads PUBLIC_TOKEN, which has the client prefix PUBLIC_',
  });
});

test('refuses definitions where two fields read one variable', () => {
  assert.throws(() => defineConfig({ a: field.string().env('X'), b: field.string().env('X') }), {
    code: 'CONFIG_DEFINITION',
    message: 'config fields "a" and "b" both read X',
  });
});

test('a secret field cannot have a default', () => {
  assert.throws(() => (field.secret() as unknown as { default(v: string): unknown }).default('x'), TypeError);
});
