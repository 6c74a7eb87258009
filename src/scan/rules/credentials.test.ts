/**
 * Credentials without a vendor format are judged by structure: where the password sits in a connection
 * string or URL, what a Basic value decodes to, whether a JWT's parts are JSON and signed.
 */
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { ScanEngine } from '../engine.ts';
import { revealSecret } from '../finding.ts';
import { credentialsRules } from './credentials.ts';
import { Gen } from './gen.ts';

const engine = new ScanEngine(credentialsRules);

function scan(text: string): { rule: string; secret: string | undefined; decoded?: string }[] {
  return engine.scan(text, 'fixture.txt').map((finding) => ({
    rule: finding.rule,
    secret: revealSecret(finding),
    ...(finding.decoded ? { decoded: finding.decoded } : {}),
  }));
}

const gen = new Gen(42);
const pass = `${gen.alnum(10)}%40${gen.alnum(6)}`;

test('the secret of a connection string is its password, percent-encoding kept, user or not', () => {
  assert.deepEqual(scan(`DATABASE_URL=postgresql://app:${pass}@db.internal:5432/shop`), [
    { rule: 'database-connection-string', secret: pass },
  ]);
  assert.deepEqual(scan(`REDIS_URL=redis://:${pass}@cache.internal:6379/0`), [
    { rule: 'database-connection-string', secret: pass },
  ]);
  assert.deepEqual(scan(`"Db": "Data Source=sql01;Initial Catalog=shop;User Id=app;Password='${pass}';"`), [
    { rule: 'database-connection-string', secret: pass },
  ]);
});

test('templated, placeholder and default passwords in connection strings are not findings', () => {
  for (const placeholder of [
    '${DB_PASSWORD}',
    '<password>',
    'password',
    'xxx',
    'PASSWORD',
    '%24%7BDB_PASSWORD%7D',
  ]) {
    assert.deepEqual(scan(`DATABASE_URL=postgres://app:${placeholder}@db.internal/shop`), [], placeholder);
    assert.deepEqual(
      scan(`Server=sql01;Database=shop;User Id=app;Password=${placeholder};`),
      [],
      placeholder,
    );
  }
  assert.deepEqual(scan('AMQP_URL=amqp://guest:guest@localhost:5672/'), []);
  assert.deepEqual(scan('AMQP_URL=amqp://shopuser:shopuser@mq.internal:5672/'), []);
});

test('a Password= pair counts only inside a connection string', () => {
  assert.deepEqual(scan(`password=${pass}`), []);
  assert.deepEqual(scan(`host=db.internal dbname=shop user=app password=${pass}`), [
    { rule: 'database-connection-string', secret: pass },
  ]);
});

test('URLs: user:password@ is a finding, user@host and host:port are not, database URLs are reported once', () => {
  assert.deepEqual(scan(`git clone https://deploy:${pass}@git.corp.lan/shop.git`), [
    { rule: 'basic-auth-url', secret: pass },
  ]);
  assert.deepEqual(scan('git clone https://deploy@git.corp.lan/shop.git'), []);
  assert.deepEqual(scan('API=https://git.corp.lan:8443/v1'), []);
  // A documentation host does not make a real-looking password an example; a placeholder password does.
  assert.deepEqual(scan(`https://alice:${pass}@www.example.com/`), [
    { rule: 'basic-auth-url', secret: pass },
  ]);
  assert.deepEqual(scan('https://alice:<password>@www.example.com/'), []);
  assert.deepEqual(
    scan(`mongodb+srv://app:${pass}@cluster0.a1b2c.mongodb.net/shop`).map((finding) => finding.rule),
    ['database-connection-string'],
  );
});

test('a docker config auth value is reported as basic-auth-credentials through the base64 decoder', () => {
  const auth = Buffer.from(`robot$ci:${pass}`).toString('base64');
  const config = `{\n  "auths": {\n    "registry.corp.lan": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
  assert.deepEqual(scan(config), [{ rule: 'basic-auth-credentials', secret: pass, decoded: 'base64' }]);
});

test('Basic headers: user:password and :token are findings, documentation pairs are not', () => {
  const header = Buffer.from(`ci:${pass}`).toString('base64');
  assert.deepEqual(scan(`Authorization: Basic ${header}`), [
    { rule: 'basic-auth-credentials', secret: header },
  ]);
  const token = Buffer.from(`:${gen.alnum(52)}`).toString('base64');
  assert.deepEqual(scan(`-H "Authorization: Basic ${token}"`), [
    { rule: 'basic-auth-credentials', secret: token },
  ]);
  assert.deepEqual(scan(`Authorization: Basic ${Buffer.from('user:password').toString('base64')}`), []);
  assert.deepEqual(scan(`Authorization: Basic ${Buffer.from('Aladdin:open sesame').toString('base64')}`), []);
});

test('a Bearer literal is a finding, a Bearer built from a variable is not, a Bearer JWT is the jwt rule', () => {
  const token = gen.base64url(43);
  assert.deepEqual(scan(`curl -H "Authorization: Bearer ${token}" https://api.corp.lan`), [
    { rule: 'authorization-bearer', secret: token },
  ]);
  assert.deepEqual(scan('const headers = { "Authorization": "Bearer " + token };'), []);
  assert.deepEqual(scan('Authorization: Bearer ${ACCESS_TOKEN}'), []);
  const jwt = signRs256();
  assert.deepEqual(scan(`Authorization: Bearer ${jwt}`), [{ rule: 'jwt', secret: jwt }]);
});

test('JWTs: signed tokens are findings; alg none, cut signatures and the jwt.io example are not', () => {
  const jwt = signRs256();
  assert.deepEqual(scan(`id_token=${jwt}`), [{ rule: 'jwt', secret: jwt }]);
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  assert.deepEqual(scan(`id_token=${header}.${payload}.${signature.slice(0, 40)}`), []);
  const none = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
  assert.deepEqual(scan(`id_token=${none}.${payload}.${signature}`), []);
  const example = credentialsRules.find((rule) => rule.id === 'jwt')?.documentedExamples?.[0] as string;
  assert.deepEqual(scan(`token: ${example}`), []);
});

test("each rule's pattern or detector stays linear on a long line of near misses", () => {
  // Measured on the rules alone: the engine's own windowing cost is the engine's tests' business.
  const text = `${'postgres://u:'.repeat(20_000)}\n${'Password=x;'.repeat(20_000)}\n${'Bearer '.repeat(20_000)}`;
  for (const rule of credentialsRules) {
    const started = performance.now();
    if (rule.detect) rule.detect(text, { path: 'fixture.txt' });
    else if (rule.pattern) [...text.matchAll(new RegExp(rule.pattern.source, `g${rule.pattern.flags}`))];
    assert.ok(performance.now() - started < 500, `${rule.id} took too long`);
  }
});

function signRs256(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const header = Buffer.from('{"alg":"RS256","typ":"JWT","kid":"k1"}').toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: gen.uuid(), aud: 'shop', iat: 1_700_000_000 })).toString(
    'base64url',
  );
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(privateKey)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
}
