import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentReferences, unknownEnvironmentHint } from './environment-names.ts';

const SHOP_WITH_TYPO = {
  environments: { dev: {}, stagin: { from: 'dev' }, production: { from: 'staging' } },
  server: { oidc: [{ issuer: 'https://ci.example', rules: [{ environments: ['staging', 'production'] }] }] },
};

test('a misspelled environments key: the hint renames the key, never copies the typo', () => {
  const references = environmentReferences(SHOP_WITH_TYPO);
  assert.equal(references.get('staging'), 2);
  const hint = unknownEnvironmentHint('staging', ['dev', 'stagin', 'production'], references);
  assert.match(hint, /rename the key environments\.stagin to "staging"/);
  assert.doesNotMatch(hint, /did you mean "stagin"/);
});

test('a misspelled reference: the hint names the declared environment', () => {
  const input = {
    environments: { dev: {}, staging: { from: 'dev' }, production: { from: 'stagin' } },
    server: { oidc: [{ rules: [{ environments: ['staging'] }] }] },
  };
  const hint = unknownEnvironmentHint(
    'stagin',
    ['dev', 'staging', 'production'],
    environmentReferences(input),
  );
  assert.equal(hint, 'did you mean "staging"?');
});

test('where either spelling could be the typo, both fixes are offered; nothing near, declare it', () => {
  const input = { environments: { dev: {}, staging: { from: 'dev' }, prod: { from: 'stagin' } } };
  const hint = unknownEnvironmentHint('stagin', ['dev', 'staging', 'prod'], environmentReferences(input));
  assert.equal(
    hint,
    'either rename the key environments.staging to "stagin" (nothing is promoted from "staging"), or write "staging" here',
  );
  assert.equal(
    unknownEnvironmentHint('qa', ['dev', 'production'], new Map()),
    'declare "qa" under environments',
  );
});

test('the start and the end of the chain, which nothing needs to name, are suggested plainly', () => {
  const start = { environments: { dev: {}, staging: { from: 'deev' } } };
  assert.equal(
    unknownEnvironmentHint('deev', ['dev', 'staging'], environmentReferences(start)),
    'did you mean "dev"?',
  );
  const end = {
    environments: { dev: {}, production: { from: 'dev' } },
    server: { oidc: [{ rules: [{ environments: ['prodution'] }] }] },
  };
  assert.equal(
    unknownEnvironmentHint('prodution', ['dev', 'production'], environmentReferences(end)),
    'did you mean "production"?',
  );
});
