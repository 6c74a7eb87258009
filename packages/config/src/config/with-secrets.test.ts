import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError, defineConfig, field, isSecret } from '../index.ts';
import { mountKubernetesSecret } from '../test-support/kubernetes-mount.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const secretValue = () => randomBytes(12).toString('base64url');

/** Compares a revealed secret without printing either side. */
function assertSecret(actual: unknown, expected: string): void {
  const value = isSecret(actual) ? actual.reveal() : actual;
  assert.ok(value === expected, 'the resolved secret differs from the expected value');
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('loadWithSecrets resolves references from YAML, variables and .env after ${VAR} expansion', async (t) => {
  const password = secretValue();
  const apiKey = secretValue();
  const token = secretValue();
  const root = tempDir(t, {
    'secrets/db.json': JSON.stringify({ user: 'shop', password }),
    'config/base.yaml':
      'db:\n  user: "ref+file://${SECRETS}/db.json#/user"\n  password: "ref+file://${SECRETS}/db.json#/password"\n',
    '.env': `TOKEN=ref+env://CI_TOKEN\nSECRETS=secrets\n`,
  });
  const loader = defineConfig(
    {
      db: { user: field.string(), password: field.secret() },
      apiKey: field.secret(),
      token: field.secret(),
      url: field.url(),
    },
    { root, workspace: false },
  );
  const env = {
    API_KEY: 'ref+env://CI_API_KEY',
    CI_API_KEY: apiKey,
    CI_TOKEN: token,
    URL: 'https://shop:ref+env://CI_API_KEY+@api.example.com/',
  };
  const config = await loader.loadWithSecrets(env);
  assert.equal(config.db.user, 'shop');
  assertSecret(config.db.password, password);
  assertSecret(config.apiKey, apiKey);
  assertSecret(config.token, token);
  assert.ok(config.url.includes('@api.example.com'));
  assert.ok(Object.isFrozen(config.db));
  assert.ok(!inspect(config).includes(password), 'secrets stay redacted');

  // The synchronous load refuses references and says what to use instead.
  assert.throws(
    () => loader.load(env),
    (error: ConfigError) =>
      error.problems.every((p) => p.code === 'CONFIG_UNRESOLVED_REFERENCE') &&
      error.problems.length === 5 &&
      // The message itself, which is what an app prints, names the call to make instead.
      error.message.includes(
        'db.password holds a secret reference (ref+file://secrets/db.json#/password), which the synchronous load() cannot resolve: call `await loader.loadWithSecrets()` instead of `loader.load()` (same arguments)',
      ),
  );
});

test('every reference that fails is in one ConfigError, with field, variable and location, and no value', async (t) => {
  const notJson = secretValue();
  const root = tempDir(t, {
    'plain.txt': notJson,
    'config/base.yaml':
      'port: "ref+env://PORT_SECRET"\nkey: "ref+file://plain.txt#/key"\nother: "ref+awssecret://x"\n',
    '.env': 'FROM_DOTENV=x\n',
  });
  const loader = defineConfig(
    {
      port: field.port(),
      key: field.secret(),
      other: field.string(),
      missing: field.secret(),
      fromDotenv: field.secret(),
    },
    { root, workspace: false },
  );
  const error = await configError(
    loader.loadWithSecrets(
      { PORT_SECRET: notJson, MISSING: 'ref+env://NOT_SET', FROM_DOTENV: 'ref+dotenv://FROM_DOTENV' },
      { environment: 'production' },
    ),
  );
  assert.deepEqual(
    error.problems.map((p) => [p.code, p.field, p.location?.line ?? p.source]),
    [
      ['CONFIG_REFERENCE_INVALID', 'other', 3],
      ['CONFIG_INVALID_VALUE', 'port', 1],
      ['SECRET_NOT_JSON', 'key', 2],
      ['SECRET_NOT_FOUND', 'missing', 'environment'],
      ['SECRET_DOTENV_REFUSED', 'fromDotenv', 'environment'],
    ],
  );
  // The nearest backend that works is offered.
  assert.match(error.problems[0]?.hint ?? '', /^did you mean awssecrets\?/);
  assert.match(error.message, /port: |the secret ref\+env:\/\/PORT_SECRET is not a valid port for port/);
  assert.ok(!error.message.includes(notJson) && !JSON.stringify(error.problems).includes(notJson));
});

test('toEnvironment gives a child the same config, secrets in plain text, lists and maps as JSON', async (t) => {
  const password = secretValue();
  const root = tempDir(t, { 'config/base.yaml': 'tags: [a, b]\nlimits: { cpu: 2 }\nlines: "one\\ntwo"\n' });
  const loader = defineConfig(
    {
      password: field.secret(),
      tags: field.list(),
      limits: field.json(),
      lines: field.string(),
      timeout: field.duration().default('10s'),
      optional: field.string().optional(),
    },
    { root, workspace: false, prefix: 'APP_' },
  );
  const inspection = await loader.inspectWithSecrets({ APP_PASSWORD: 'ref+env://PW', PW: password });
  assert.deepEqual(inspection.problems, []);
  const variables = inspection.toEnvironment();
  assertSecret(variables['APP_PASSWORD'], password);
  delete variables['APP_PASSWORD'];
  assert.deepEqual(variables, {
    APP_ENVIRONMENT: 'dev',
    APP_TAGS: '["a","b"]',
    APP_LIMITS: '{"cpu":2}',
    APP_LINES: 'one\ntwo',
    APP_TIMEOUT: '10s',
  });
  // The child, loading from those variables alone, gets the same values.
  const again = loader.load({ ...inspection.toEnvironment() });
  assert.deepEqual(again.tags, ['a', 'b']);
  assert.equal(again.timeout, 10_000);
  assertSecret(again.password, password);
});

test('watch reloads when a mounted Secret is swapped, and keeps the last good config when a reload fails', async (t) => {
  const mount = tempDir(t);
  const first = secretValue();
  const second = secretValue();
  mountKubernetesSecret(mount, 'shop-db', { password: first }, 1);
  const root = tempDir(t, { 'config/base.yaml': 'password: "ref+k8s://shop-db/password"\n' });
  const loader = defineConfig({ password: field.secret() }, { root, workspace: false });
  const changes: string[] = [];
  const errors: string[] = [];
  let notify: () => void = () => {};
  const watcher = await loader.watch({
    env: { STAGECRAFT_K8S_SECRETS_ROOT: mount },
    debounceMs: 20,
    onChange(config) {
      changes.push(config.password.reveal());
      notify();
    },
    onError(error) {
      errors.push((error as Error).message);
      notify();
    },
  });
  // The watch does not keep a process alive by itself; a server's own work would.
  const keepAlive = setInterval(() => {}, 1000);
  t.after(() => {
    watcher.close();
    clearInterval(keepAlive);
  });
  assertSecret(watcher.config.password, first);
  const next = () => new Promise<void>((resolve) => (notify = resolve));

  let event = next();
  mountKubernetesSecret(mount, 'shop-db', { password: second }, 2);
  await event;
  assert.equal(changes.length, 1);
  assertSecret(changes[0], second);
  assertSecret(watcher.config.password, second);

  event = next();
  mountKubernetesSecret(mount, 'shop-db', { other: 'x' }, 3); // the key disappears
  await event;
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /ref\+k8s:\/\/shop-db\/password/);
  assert.ok(!(errors[0] ?? '').includes(second));
  assertSecret(watcher.config.password, second);
});
