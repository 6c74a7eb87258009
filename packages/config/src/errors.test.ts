import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigCodes } from './config/errors.ts';
import { declaredCodes, defineErrors, isStagecraftError, type Outcome, StagecraftError } from './errors.ts';

const codes = {
  TEST_REFUSED: { outcome: 'refused', meaning: 'A rule said no.', hint: 'Ask someone who may.' },
  TEST_MISSING: { outcome: 'unavailable', meaning: 'It is not there.' },
} as const;
const TestCodes = defineErrors('errors-test', codes);

test('an error takes its outcome from its code’s declaration', () => {
  const refused = new StagecraftError(TestCodes.TEST_REFUSED, 'the rule said no');
  assert.equal(refused.code, 'TEST_REFUSED');
  assert.equal(refused.outcome, 'refused');
  assert.equal(new StagecraftError(TestCodes.TEST_MISSING, 'not there').outcome, 'unavailable');
  const declared = declaredCodes().find((code) => code.code === 'TEST_MISSING');
  assert.deepEqual(declared, {
    code: 'TEST_MISSING',
    module: 'errors-test',
    outcome: 'unavailable',
    meaning: 'It is not there.',
  });
});

test('a code is a catalog entry: a string literal or a misspelt name does not compile', () => {
  // @ts-expect-error a string is not a declared code, even one a catalog declares
  assert.equal(new StagecraftError('TEST_REFUSED', 'literal').code, 'TEST_REFUSED');
  // @ts-expect-error the catalog has no TEST_REFUSD
  assert.equal(TestCodes.TEST_REFUSD, undefined);
  assert.ok(Object.isFrozen(TestCodes));
});

test('a code declared by two modules, or malformed, or without a known outcome, is refused as it loads', () => {
  assert.throws(
    () => defineErrors('elsewhere', { TEST_REFUSED: { outcome: 'failed', meaning: 'Again.' } }),
    /error code TEST_REFUSED is declared by both errors-test and elsewhere/,
  );
  assert.throws(
    () => defineErrors('errors-test', { notACode: { outcome: 'failed', meaning: 'x' } }),
    /UPPER_SNAKE/,
  );
  assert.throws(
    () => defineErrors('errors-test', { TEST_ODD: { outcome: 'toString' as Outcome, meaning: 'x' } }),
    /TEST_ODD has no known outcome/,
  );
  assert.equal(
    declaredCodes()
      .filter((code) => code.code === 'TEST_REFUSED')
      .map((code) => code.outcome)[0],
    'refused',
  );
});

test('isStagecraftError with a code recognises only errors with that code', () => {
  const error: unknown = new StagecraftError(TestCodes.TEST_REFUSED, 'no');
  assert.ok(isStagecraftError(error));
  assert.ok(isStagecraftError(error, TestCodes.TEST_REFUSED));
  assert.ok(!isStagecraftError(error, TestCodes.TEST_MISSING));
  assert.ok(!isStagecraftError(new Error('plain'), TestCodes.TEST_REFUSED));
});

test('an error thrown by the bundled copy of the library is recognised, and keeps its outcome when passed on', async () => {
  // The copy an app imports: bundled separately, so its classes are not ours.
  const bundled = (await import(new URL('../dist/index.js', import.meta.url).href)) as {
    ConfigError: new (environment: string, problems: []) => StagecraftError;
  };
  const error: unknown = new bundled.ConfigError('production', []);
  assert.ok(!(error instanceof StagecraftError));
  assert.ok(isStagecraftError(error, ConfigCodes.CONFIG_INVALID));
  assert.equal(error.outcome, 'invalid');

  const passedOn = new StagecraftError(error.code, `config.ts failed while loading: ${error.message}`, {
    cause: error,
  });
  assert.equal(passedOn.outcome, 'invalid');

  // A newer copy may throw a code this one does not declare: passed on, it keeps the outcome it came with.
  Object.assign(error, { code: 'CONFIG_FROM_A_NEWER_VERSION', outcome: 'refused' });
  assert.equal(new StagecraftError(error.code, 'passed on', { cause: error }).outcome, 'refused');
  assert.equal(new StagecraftError(error.code, 'without its cause').outcome, 'failed');
});
