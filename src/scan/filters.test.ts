import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDigestOrId, isPlaceholder, isPublicIdentifier, isReference, looksLikeName } from './filters.ts';
import { Gen } from './rules/gen.ts';

test('placeholders and templates are not secrets', () => {
  for (const value of [
    '${DB_PASSWORD}',
    '$DB_PASSWORD',
    '{{ .Values.password }}',
    '{{password}}',
    '<your-token>',
    '<password>',
    '%(password)s',
    '#{secret}',
    '@TOKEN@',
    '__API_KEY__',
    'changeme',
    'CHANGE_ME',
    'xxxxxxxxxxxx',
    '************',
    '••••••••',
    'your_api_key_here',
    'insert-your-token',
    'REPLACE_ME',
    'my-api-key',
    'example-secret',
    'secret-example',
    'placeholder',
    'redacted',
    'null',
    '12345678',
    'abcdefgh',
  ]) {
    assert.equal(isPlaceholder(value), true, value);
  }
});

test('real-looking values are not placeholders', () => {
  const gen = new Gen(3);
  for (const value of [
    gen.alnum(24),
    `Summer${gen.int(1990, 2030)}!x`,
    gen.base64(40),
    `sk_${gen.alnum(20)}`,
  ]) {
    assert.equal(isPlaceholder(value), false, value);
  }
});

test('references to where the value lives are recognised', () => {
  for (const value of [
    'process.env.API_KEY',
    'import.meta.env.VITE_KEY',
    'os.environ["SECRET"]',
    'os.getenv("TOKEN")',
    'ENV["TOKEN"]',
    'System.getenv("PASSWORD")',
    'ref+vault://secret/app#/password',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
  ]) {
    assert.equal(isReference(value), true, value);
  }
  assert.equal(isReference(new Gen(4).alnum(30)), false);
});

test('digests, SRI hashes and UUIDs are public identifiers', () => {
  const gen = new Gen(5);
  for (const value of [
    gen.hex(40),
    gen.hex(64),
    gen.hex(32),
    gen.uuid(),
    `sha512-${gen.base64(86)}==`,
    `sha256:${gen.hex(64)}`,
  ]) {
    assert.equal(isDigestOrId(value), true, value);
  }
  assert.equal(isDigestOrId(gen.alnum(40)), false);
});

test('paths, plain URLs and dotted names name things rather than unlock them', () => {
  for (const value of [
    './config/secrets.yaml',
    '/etc/ssl/private',
    'https://vault.example.com/v1',
    'config.auth.token',
    // A WebDAV lock token, an OID: uniform resource names.
    `urn:uuid:${new Gen(5).uuid()}`,
    'urn:oid:1.3.6.1.4.1',
  ]) {
    assert.equal(looksLikeName(value), true, value);
  }
  assert.equal(looksLikeName('https://user:pw@example.com'), false);
});

test('identifiers public by design are recognised', () => {
  const gen = new Gen(6);
  for (const value of [
    `pk_live_${gen.alnum(24)}`,
    `arn:aws:iam::${gen.digits(12)}:role/deploy`,
    `AC${gen.hex(32)}`,
    `data:image/png;base64,${gen.base64(40)}`,
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${gen.base64(43)} ci@example`,
  ]) {
    assert.equal(isPublicIdentifier(value), true, value);
  }
  assert.equal(isPublicIdentifier(`sk_live_${gen.alnum(24)}`), false);
});
