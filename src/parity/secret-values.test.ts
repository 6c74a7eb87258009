import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretName, secretReason } from './secret-values.ts';

test('a name is a secret’s when a word of it says so, and not when its last word only describes one', () => {
  const secret = [
    'DB_PASSWORD',
    'dbPassword',
    'db-pass',
    'SMTP_PASSWD',
    'API_TOKEN',
    'githubToken',
    'CLIENT_SECRET',
    'SECRET_KEY_BASE',
    'STRIPE_API_KEY',
    'apiKey',
    'APIKey',
    'ENCRYPTION_KEY',
    'tls.key',
    'AWS_SECRET_ACCESS_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS_JSON',
    'HASH_SALT',
    'REDIS_AUTH',
    'ssh-privatekey',
  ];
  const notSecret = [
    'KEYCLOAK_URL',
    'KEYCLOAK_REALM',
    'PUBLIC_KEY_ID',
    'PUBLIC_KEY',
    'JWT_PUBLIC_KEY',
    'AWS_ACCESS_KEY_ID',
    'DB_PASSWORD_FILE',
    'TOKEN_TTL',
    'PASSWORD_MIN_LENGTH',
    'SECRET_NAME',
    'AUTH_MODE',
    'AUTH_SERVICE_HOST',
    'OAUTH_ISSUER',
    'VAULT_TOKEN_PATH',
    'LOG_LEVEL',
    'KEYSPACE',
    'MONKEY_PATCH',
    'DB_USER',
  ];
  for (const name of secret) assert.equal(secretName(name), true, name);
  for (const name of notSecret) assert.equal(secretName(name), false, name);
});

test('the scanner recognises a secret value under any name, inside lists, maps and files', () => {
  const password = ['Xq', 'z8', 'Lp', '2v', 'Rk', '7m', 'Tw'].join('');
  assert.match(secretReason('DATABASE_URL', `postgres://shop:${password}@db:5432/shop`) ?? '', /connection/);
  assert.match(secretReason('app.properties', `a=1\ndb.password=${password}\n`) ?? '', /password/);
  assert.ok(secretReason('args', ['--port=8080', `--db-password=${password}`]));
  assert.ok(secretReason('annotations', { 'example.com/owner': 'team-a', apiToken: 'anything' }));
  assert.ok(
    secretReason('env', [
      { name: 'PORT', value: '8080' },
      { name: 'DB_PASS', value: 'x' },
    ]),
  );
  assert.equal(secretReason('BASE_URL', 'https://api.example.com/v1'), undefined);
  assert.equal(secretReason('REPLICAS', 3), undefined);
});
