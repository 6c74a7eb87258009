import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from './engine.ts';
import { revealSecret } from './finding.ts';
import { KeywordMatcher } from './prefilter.ts';
import { Gen, githubChecksum } from './rules/gen.ts';
import { builtinRules } from './rules/index.ts';

const engine = new ScanEngine(builtinRules);

function githubToken(seed: number): string {
  const random = new Gen(seed).alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

test('the keyword matcher finds every occurrence, case-insensitively, overlapping ones included', () => {
  const matcher = new KeywordMatcher(['he', 'she', 'his', 'hers', 'ghp_']);
  const hits = matcher.scan('uSHErs and GHP_x; his');
  assert.deepEqual(
    hits.map((hit) => `${matcher.keywords[hit.keyword]}@${hit.index}`),
    ['she@1', 'he@2', 'hers@2', 'ghp_@11', 'his@18'],
  );
  assert.deepEqual(new KeywordMatcher(['abc']).scan('ab\u00e9abc'), [{ keyword: 0, index: 3 }]);
});

test('reports line and column of the secret, and one finding per occurrence', () => {
  const token = githubToken(1);
  const text = `first line\n  token: ${token}\nagain: ${token}\n`;
  const findings = engine.scan(text, 'a.yml');
  assert.deepEqual(
    findings.map((f) => [f.rule, f.line, f.column, f.endColumn]),
    [
      ['github-pat', 2, 10, 50],
      ['github-pat', 3, 8, 48],
    ],
  );
  assert.notEqual(
    findings[0]?.fingerprint,
    findings[1]?.fingerprint,
    'the second occurrence has its own fingerprint',
  );
});

test('a secret is never an enumerable property of a finding', () => {
  const token = githubToken(2);
  const [finding] = engine.scan(`x=${token}`, 'a');
  assert.ok(finding);
  assert.ok(!JSON.stringify(finding).includes(token));
  assert.equal(revealSecret(finding), token);
});

test('a vendor finding replaces a generic one for the same secret', () => {
  const findings = engine.scan(`api_key = "${githubToken(3)}"`, 'settings.py');
  assert.deepEqual(
    findings.map((f) => f.rule),
    ['github-pat'],
  );
});

test('base64 values are decoded and scanned, reported where the encoded value is', () => {
  const token = githubToken(4);
  const encoded = Buffer.from(`token=${token}`).toString('base64');
  const text = `apiVersion: v1\nkind: Secret\ndata:\n  config: ${encoded}\n`;
  const [finding] = engine.scan(text, 'secret.yaml');
  assert.equal(finding?.rule, 'github-pat');
  assert.equal(finding?.decoded, 'base64');
  assert.equal(finding?.line, 4);
  assert.equal(finding?.column, 11);
  assert.equal(finding?.match, '[base64] ghp_************');
});

test('patterns only run near their keywords, so a format without its keyword is not matched', () => {
  // The GitHub rule's keyword is its prefix; the same characters with a different prefix never reach it.
  assert.deepEqual(engine.scan(`x=ghx_${githubToken(5).slice(4)}`, 'a'), []);
});

test('a Kubernetes .dockerconfigjson is decoded twice to reach the registry password', () => {
  const gen = new Gen(9);
  const password = `${gen.alnum(10)}${gen.digits(4)}!`;
  const auth = Buffer.from(`deploy:${password}`).toString('base64');
  const config = Buffer.from(JSON.stringify({ auths: { 'registry.example.com': { auth } } })).toString(
    'base64',
  );
  const text = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${config}\n`;
  const findings = engine.scan(text, 'pull-secret.yaml');
  assert.deepEqual(
    findings.map((f) => [f.rule, f.line, f.decoded]),
    [['basic-auth-credentials', 5, 'base64']],
  );
  assert.equal(revealSecret(findings[0] as never), password);
});

test('in code, a ternary choosing between two strings is not a key and its value', () => {
  const password = `${new Gen(7).pick(['Summer', 'Falcon'])}${new Gen(8).int(1990, 2030)}!${new Gen(9).alnum(4)}`;
  const ternary = "const hint = `e.g. ${backend === 'env' ? 'DB_PASSWORD' : 'path/to/secret'}`;\n";
  assert.deepEqual(engine.scan(ternary, 'src/reference.ts'), []);
  const literal = `const settings = { 'DB_PASSWORD': '${password}' };\n`;
  assert.deepEqual(
    engine.scan(literal, 'src/settings.ts').map((finding) => finding.rule),
    ['generic-password'],
  );
});

test('a file of 200,000 vendor and generic findings is scanned in seconds, not minutes', {
  timeout: 15_000,
}, () => {
  // Each generic candidate is checked against the vendor findings' spans: pairwise, that was quadratic.
  const gen = new Gen(10);
  const token = githubToken(10);
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++)
    lines.push(`TOKEN=${token}`, `db_password = "Pw${gen.alnum(6)}${gen.digits(3)}!${gen.alnum(4)}"`);
  const findings = engine.scan(lines.join('\n'), 'settings.py');
  assert.equal(findings.filter((f) => f.rule === 'github-pat').length, 100_000);
  assert.equal(findings.filter((f) => f.rule === 'generic-password').length, 100_000);
});
