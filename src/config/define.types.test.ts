/**
 * Type tests for what `defineConfig` infers: checked by `tsc` (`npm run typecheck`), not at run time. Each
 * `@ts-expect-error` is a misuse that must stay a compile error — if it ever compiles, tsc reports the unused
 * directive. The one runtime test loads the same definition, so the types are checked against what `load()`
 * really returns.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import { z } from 'zod';
import {
  type ConfigLoader,
  defineConfig,
  type Field,
  field,
  type InferConfig,
  type LoadedConfig,
  Secret,
} from './index.ts';

const definition = {
  name: field.string(),
  workers: field.int({ min: 1 }),
  ratio: field.number({ max: 1 }),
  debug: field.bool().default(false),
  port: field.port().default(8080),
  homepage: field.url({ protocols: ['https:'] }),
  level: field.enum(['debug', 'info', 'warn']),
  hosts: field.list(),
  features: field.json<{ beta: boolean; rollout: number }>(),
  anything: field.json(),
  timeout: field.duration().default('5s'),
  cacheSize: field.bytes().default('64MiB'),
  nickname: field.string().optional(),
  optionalThenDefault: field.int().optional().default(3),
  apiKey: field.secret(),
  pin: field.secret(field.int()),
  signingKeys: field.secret(field.list()),
  db: {
    host: field.string().default('localhost'),
    password: field.secret(),
    pool: { max: field.int().default(10), idle: field.duration().optional() },
  },
  region: z.enum(['eu', 'us']),
  retries: z.coerce.number().int(),
  label: z.string().optional(),
  release: field.schema(z.string().startsWith('v')).env('RELEASE_TAG').describe('the release tag'),
  token: field.secret(z.string().min(8)),
};

const loader = defineConfig(definition, { workspace: false, prefix: 'APP_' });
type Config = ReturnType<typeof loader.load>;

test('the types below describe what load() returns', () => {
  const made = randomBytes(8).toString('hex');
  const config = defineConfig(definition, { root: process.cwd(), workspace: false, prefix: 'APP_' }).load({
    APP_NAME: 'shop',
    APP_WORKERS: '4',
    APP_RATIO: '0.5',
    APP_HOMEPAGE: 'https://shop.example.com',
    APP_LEVEL: 'info',
    APP_HOSTS: 'a,b',
    APP_FEATURES: '{"beta":true,"rollout":10}',
    APP_ANYTHING: '[1]',
    APP_API_KEY: made,
    APP_PIN: '1234',
    APP_SIGNING_KEYS: 'k1,k2',
    APP_DB__PASSWORD: made,
    APP_REGION: 'eu',
    APP_RETRIES: '2',
    RELEASE_TAG: 'v1.2.3',
    APP_TOKEN: made,
  });
  assert.equal(config.workers, 4);
  assert.equal(config.port, 8080);
  assert.equal(config.timeout, 5000);
  assert.equal(config.optionalThenDefault, 3);
  assert.equal(config.nickname, undefined);
  assert.deepEqual(config.hosts, ['a', 'b']);
  assert.equal(config.features.rollout, 10);
  assert.ok(config.apiKey instanceof Secret);
  assert.equal(config.pin.reveal(), 1234);
  assert.deepEqual(config.signingKeys.reveal(), ['k1', 'k2']);
  assert.equal(config.db.pool.max, 10);
  assert.equal(config.region, 'eu');
  assert.equal(config.retries, 2);
  assert.equal(config.release, 'v1.2.3');
  assert.equal(config.environment, 'dev');
  expectTypeOf(config).toEqualTypeOf<Config>();
});

test('each field kind loads to its own type', () => {
  expectTypeOf<Config['name']>().toEqualTypeOf<string>();
  expectTypeOf<Config['workers']>().toEqualTypeOf<number>();
  expectTypeOf<Config['ratio']>().toEqualTypeOf<number>();
  expectTypeOf<Config['debug']>().toEqualTypeOf<boolean>();
  expectTypeOf<Config['port']>().toEqualTypeOf<number>();
  expectTypeOf<Config['homepage']>().toEqualTypeOf<string>();
  expectTypeOf<Config['timeout']>().toEqualTypeOf<number>();
  expectTypeOf<Config['cacheSize']>().toEqualTypeOf<number>();
  expectTypeOf<Config['features']>().toEqualTypeOf<{ beta: boolean; rollout: number }>();
  expectTypeOf<Config['anything']>().toEqualTypeOf<unknown>();
});

test('an enum is the union of its literal values, not string', () => {
  expectTypeOf<Config['level']>().toEqualTypeOf<'debug' | 'info' | 'warn'>();
  expectTypeOf(field.enum(['a', 'b'])).toEqualTypeOf<Field<'a' | 'b'>>();
  expectTypeOf<Config['region']>().toEqualTypeOf<'eu' | 'us'>();
});

test('a list is an array of strings', () => {
  expectTypeOf<Config['hosts']>().toEqualTypeOf<string[]>();
  expectTypeOf<Config['hosts']>().items.toBeString();
});

test('optional fields may be undefined; a default makes a field always present', () => {
  expectTypeOf<Config['nickname']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<Config['label']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<Config['db']['pool']['idle']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<Config['optionalThenDefault']>().toEqualTypeOf<number>();
  expectTypeOf(field.string().optional()).toEqualTypeOf<Field<string | undefined>>();
  expectTypeOf(field.string().optional().default('x')).toEqualTypeOf<Field<string>>();
  // A default is written as it would be in a variable or YAML, so text is accepted for any field.
  expectTypeOf(field.duration().default).parameter(0).toEqualTypeOf<string | number | boolean>();
  // Modifiers keep the type.
  expectTypeOf(field.port().env('PORT').describe('port').example('8080')).toEqualTypeOf<Field<number>>();
});

test('secrets load to Secret of their inner type, revealed explicitly', () => {
  expectTypeOf<Config['apiKey']>().toEqualTypeOf<Secret<string>>();
  expectTypeOf<Config['pin']>().toEqualTypeOf<Secret<number>>();
  expectTypeOf<Config['signingKeys']>().toEqualTypeOf<Secret<string[]>>();
  expectTypeOf<Config['token']>().toEqualTypeOf<Secret<string>>();
  expectTypeOf<Config['db']['password']>().toEqualTypeOf<Secret<string>>();
  expectTypeOf<Config['pin']['reveal']>().returns.toEqualTypeOf<number>();
  expectTypeOf<Config['apiKey']>().not.toEqualTypeOf<string>();
});

test('nested groups are nested read-only objects', () => {
  expectTypeOf<Config['db']>().toEqualTypeOf<{
    readonly host: string;
    readonly password: Secret<string>;
    readonly pool: { readonly max: number; readonly idle: number | undefined };
  }>();
  expectTypeOf<Config>().toHaveProperty('db').toHaveProperty('pool').toHaveProperty('max').toBeNumber();
});

test('Standard Schema validators infer their output type', () => {
  expectTypeOf<Config['retries']>().toEqualTypeOf<number>();
  expectTypeOf<Config['release']>().toEqualTypeOf<string>();
  expectTypeOf(field.schema(z.number().array())).toEqualTypeOf<Field<number[]>>();
  expectTypeOf(field.secret(z.url())).toEqualTypeOf<Field<Secret<string>>>();
});

test('the loaded config adds `environment` unless the definition has its own', () => {
  expectTypeOf<Config['environment']>().toEqualTypeOf<string>();
  const own = defineConfig({ environment: field.enum(['dev', 'production']) });
  expectTypeOf<ReturnType<typeof own.load>['environment']>().toEqualTypeOf<'dev' | 'production'>();
  expectTypeOf<InferConfig<{ a: Field<number> }>>().toEqualTypeOf<{ readonly a: number }>();
  expectTypeOf<LoadedConfig<{ a: Field<number> }>>().toEqualTypeOf<
    { readonly a: number } & { readonly environment: string }
  >();
});

test('every way of loading gives the same config type', () => {
  expectTypeOf(loader).toEqualTypeOf<ConfigLoader<typeof definition>>();
  expectTypeOf(loader.loadWithSecrets).returns.resolves.toEqualTypeOf<Config>();
  expectTypeOf(loader.definition).toEqualTypeOf<typeof definition>();
  expectTypeOf(loader.load)
    .parameter(0)
    .toEqualTypeOf<Readonly<Record<string, string | undefined>> | undefined>();
});

test('misuse is a compile error', () => {
  // Never called: each line only has to compile, or fail to where marked.
  const misuse = (config: Config) => {
    // @ts-expect-error the config is read-only
    config.port = 1;
    // @ts-expect-error nested groups are read-only too
    config.db.pool.max = 1;
    // @ts-expect-error no such field
    void config.nope;
    // @ts-expect-error a secret is not its value: reveal() it
    const key: string = config.apiKey;
    // @ts-expect-error an enum holds only its values
    const level: 'trace' = config.level;
    // @ts-expect-error an optional field may be undefined
    const nickname: string = config.nickname;
    // @ts-expect-error variables are text
    loader.load({ APP_WORKERS: 4 });
    // @ts-expect-error a field must be a field, not a value
    defineConfig({ port: 5432 });
    // @ts-expect-error nor may a group hold a value
    defineConfig({ db: { host: 'localhost' } });
    // @ts-expect-error options are checked
    defineConfig({}, { prefix: 1 });
    // @ts-expect-error a default is a value as written, not an object
    field.bool().default({});
    // @ts-expect-error bounds are numbers
    field.int({ min: '1' });
    // @ts-expect-error an enum's values are strings
    field.enum([1, 2]);
    // @ts-expect-error client() takes a config this loader loaded
    loader.client({ name: 'x' });
    void [key, level, nickname];
  };
  expectTypeOf(misuse).toBeFunction();
});
