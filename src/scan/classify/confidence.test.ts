/**
 * What each finding is judged, through the real engine and rules: the noise the issue lists (words, examples,
 * regexes, translations, documentation URLs) is gone, real formats stay whatever the file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from '../engine.ts';
import type { Finding } from '../finding.ts';
import { Gen, githubChecksum } from '../rules/gen.ts';
import { builtinRules } from '../rules/index.ts';
import { emptySummary, scanText } from '../scanner.ts';
import { isKnownExample, looksLikeProse, looksLikeRegex, readsAsWords } from './confidence.ts';

const engine = new ScanEngine(builtinRules);

function scan(path: string, text: string): Finding[] {
  const summary = emptySummary();
  scanText(engine, text, path, text.length, summary);
  return summary.findings;
}

function githubToken(gen: Gen): string {
  const random = gen.alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

/** A random value with every character class, as generators make them. */
function randomSecret(gen: Gen): string {
  return `${gen.alnum(12)}${gen.pick(['!', '#', '%'])}${gen.upper(3)}${gen.digits(3)}${gen.lower(6)}`;
}

test('values made of words that name a secret, or of their own name, read as words; passphrases do not', () => {
  for (const value of [
    'invalid-token',
    'hono-password',
    'my-secret',
    'secretpassword',
    'admin123',
    'wrong password',
  ])
    assert.ok(readsAsWords(value), value);
  assert.ok(readsAsWords('acme-honoapp', 'acme_honoapp_token'));
  // People choose real passwords this way.
  for (const value of ['autumn-coffee-falcon-1', 'Football_483', 'Tiger2020'])
    assert.ok(!readsAsWords(value), value);
  const gen = new Gen(3);
  for (let i = 0; i < 50; i++) {
    const value = gen.alnum(20);
    assert.ok(!readsAsWords(value), value);
  }
  assert.ok(!readsAsWords('Summer1999!ab'));
});

test('regular expressions, prose and well-known examples are recognised', () => {
  assert.ok(looksLikeRegex('[A-Za-z0-9._~+/-]+=*'));
  assert.ok(looksLikeRegex('^ghp_\\w{36}$'));
  assert.ok(looksLikeProse('Unerwartetes Token.'));
  assert.ok(looksLikeProse('Jeton inattendu'));
  assert.ok(isKnownExample('keyboard cat'));
  assert.ok(isKnownExample('changeme'));
  assert.ok(isKnownExample('password123'));
  assert.ok(isKnownExample(`AKIAIOSFODNN7${'EXAMPLE'}`));
  assert.ok(!isKnownExample(new Gen(4).alnum(20)));
});

test('the noise real projects showed is not reported', () => {
  const gen = new Gen(11);
  const found = (path: string, text: string) => scan(path, text).map((f) => `${f.rule} ${f.confidence}`);
  assert.deepEqual(found('src/auth.ts', "const password = 'hono-password';\n"), []);
  assert.deepEqual(found('src/auth.test.ts', "const invalid_token = 'invalid-token';\n"), []);
  assert.deepEqual(found('src/jwt.ts', "const TOKEN_STRINGS = '[A-Za-z0-9._~+/-]+=*';\n"), []);
  assert.deepEqual(found('examples/session.js', "app.use(session({ secret: 'keyboard cat' }));\n"), []);
  assert.deepEqual(found('src/config.js', "module.exports = { secret: 'my-secret' };\n"), []);
  assert.deepEqual(
    found('lib/diagnosticMessages.de.json', '{\n  "Unexpected_token_1012": "Unerwartetes Token."\n}\n'),
    [],
  );
  const password = gen.alnum(16);
  assert.deepEqual(found('src/client.ts', `// e.g. http://user:${password}@example.com/api\n`), []);
  assert.deepEqual(found('docs/proxy.md', `Use http://user:${password}@localhost:8080/ locally.\n`), []);
  // Outside a comment or documentation, a URL on any host with a real-looking password is still reported.
  assert.deepEqual(found('src/client.ts', `const url = "http://user:${password}@example.com/api";\n`), [
    'basic-auth-url high',
  ]);
});

test('a checksummed token is high in any context; a generic random secret is medium, in tests too', () => {
  const gen = new Gen(12);
  for (const path of ['src/app.ts', 'test/app.test.ts', 'docs/setup.md', 'examples/app.js']) {
    const [finding] = scan(path, `const token = '${githubToken(gen)}';\n`);
    assert.equal(finding?.confidence, 'high', path);
  }
  const [generic] = scan('test/fixtures/config.yml', `api_secret: "${randomSecret(gen)}"\n`);
  assert.equal(generic?.rule, 'generic-secret');
  assert.equal(generic?.confidence, 'medium');
  assert.equal(generic?.context, 'test');
  // A password as people choose them: a word, a year, a symbol (generated, as every secret in tests is).
  const chosen = `${gen.pick(['Summer', 'Falcon'])}${gen.int(1990, 2030)}!${gen.alnum(2)}`;
  const [password] = scan('config/app.yml', `db_password: "${chosen}"\n`);
  assert.equal(password?.confidence, 'medium');
});

test('a GitHub token whose checksum fails is a low finding that says so', () => {
  const gen = new Gen(13);
  const [finding] = scan('src/app.ts', `const token = 'ghp_${gen.alnum(36)}';\n`);
  assert.equal(finding?.rule, 'github-pat');
  assert.equal(finding?.confidence, 'low');
  assert.match(finding?.description ?? '', /checksum fails/);
  // A placeholder of the same shape is no finding at all.
  assert.deepEqual(scan('src/app.ts', `const token = 'ghp_${'X'.repeat(36)}';\n`), []);
});

test('a fixture password in Basic credentials and a generic match in a lockfile are low', () => {
  const basic = Buffer.from('tobi:ferret').toString('base64');
  const [fixture] = scan('test/auth.js', `.set('Authorization', 'Basic ${basic}')\n`);
  assert.deepEqual(
    [fixture?.rule, fixture?.confidence, fixture?.context],
    ['basic-auth-credentials', 'low', 'test'],
  );
  const gen = new Gen(14);
  const [locked] = scan('bun.lock', `    "token": "${randomSecret(gen)}",\n`);
  assert.deepEqual(
    [locked?.rule, locked?.confidence, locked?.context],
    ['generic-secret', 'low', 'lockfile'],
  );
});

test('a translated label in a message catalogue is no secret; the same line elsewhere is still a finding', () => {
  // A German label, assembled so that this file holds no password-shaped literal of its own.
  const label = ['Kenn', 'wort'].join('');
  const line = `{ "password": "${label}" }\n`;
  assert.deepEqual(scan('lang/de-DE.json', line), []);
  assert.deepEqual(scan('public/intl/messages/de-DE.json', line), []);
  assert.equal(scan('config/settings.json', line)[0]?.rule, 'generic-password');
  // A real format is reported in a catalogue too.
  const gen = new Gen(14);
  assert.equal(scan('lang/en-US.json', `{ "token": "${githubToken(gen)}" }\n`)[0]?.confidence, 'high');
});

test('a connection string whose password is shown cut short (an ellipsis) is low; the whole one is high', () => {
  const gen = new Gen(22);
  const password = gen.alnum(16);
  const url = (secret: string) => `const url = 'postgres://app:${secret}@db.internal:5432/app';\n`;
  assert.equal(scan('src/db.js', url(password))[0]?.confidence, 'high');
  assert.equal(scan('src/db.js', url(`${password.slice(0, 8)}\u2026`))[0]?.confidence, 'low');
});

test('a documentation site’s Algolia search key is listed at low confidence; the same key alone still fails', () => {
  const gen = new Gen(21);
  const key = gen.hex(32);
  const site = `  themeConfig: {\n    algolia: {\n      appId: '${gen.upper(10)}',\n      apiKey: '${key}',\n      indexName: 'docs',\n    },\n  },\n`;
  const [listed] = scan('www/site.config.js', site);
  assert.deepEqual([listed?.rule, listed?.confidence], ['generic-secret', 'low']);
  // A commit that changes only the key of a Docusaurus site: its diff holds that line alone.
  const [changed] = scan('www/docusaurus.config.ts', `      apiKey: '${key}',\n`);
  assert.equal(changed?.confidence, 'low');
  // Without the search client's other settings, a key named apiKey is a medium finding as before.
  const [alone] = scan('src/client.js', `const config = {\n  apiKey: '${key}',\n};\n`);
  assert.deepEqual([alone?.rule, alone?.confidence], ['generic-secret', 'medium']);
  // A vendor format under the same settings is still what it is.
  const [token] = scan('docusaurus.config.js', site.replace(key, githubToken(gen)));
  assert.equal(token?.confidence, 'high');
});

test('commands, file paths, UI messages and a name on the line above are no secret; a password hash is low', () => {
  assert.deepEqual(
    scan('package.json', '{ "scripts": { "change-password": "node scripts/change-password.js" } }\n'),
    [],
  );
  assert.deepEqual(scan('.deploystack/test', 'GOOGLE_APPLICATION_CREDENTIALS=.deploystack/creds.json\n'), []);
  assert.deepEqual(scan('components/Login.js', "    errors.password = 'Required';\n"), []);
  // Kubernetes' env list: the variable's name is on the line above its value.
  const env = '        env:\n          - name: POSTGRES_PASSWORD\n            value: "postgres"\n';
  assert.deepEqual(scan('k8s/db.yaml', env), []);
  const gen = new Gen(15);
  const chosen = `${gen.pick(['Summer', 'Falcon'])}${gen.int(1990, 2030)}!${gen.alnum(2)}`;
  assert.equal(scan('k8s/db.yaml', env.replace('"postgres"', `"${chosen}"`))[0]?.confidence, 'medium');
  const hash = `$2b$10$${gen.alnum(53)}`;
  const [stored] = scan('scripts/create-account.js', `const password = '${hash}';\n`);
  assert.deepEqual([stored?.rule, stored?.confidence], ['generic-password', 'low']);
});
