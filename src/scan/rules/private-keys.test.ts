/**
 * Private keys are parsed, not pattern-matched: each block is its own finding, located where it is written,
 * and a block whose body is not a key of its label's type is never reported.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from '../engine.ts';
import { revealSecret } from '../finding.ts';
import {
  certificatePem,
  dsaPem,
  ecKey,
  ed25519Key,
  layOut,
  opensshPem,
  pemOf,
  pgpPem,
  publicPemOf,
  puttyKey,
  randomBody,
  rsaKey,
  tamperedRsaPem,
  truncateBlock,
} from './_key-samples.ts';
import { Gen } from './gen.ts';
import { findArmoredBlocks, privateKeysRules } from './private-keys.ts';

const engine = new ScanEngine(privateKeysRules);

function scan(text: string): { rule: string; line: number; endLine: number; secret: string | undefined }[] {
  return engine.scan(text, 'fixture.txt').map((finding) => ({
    rule: finding.rule,
    line: finding.line,
    endLine: finding.endLine,
    secret: revealSecret(finding),
  }));
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

test('two keys in one file are two findings, each at its own lines', () => {
  const rsa = pemOf(rsaKey(), 'pkcs1');
  const ec = pemOf(ecKey(), 'sec1');
  const text = `# deploy keys\n${rsa}\n\n${ec}\n`;
  const ecStart = 2 + lineCount(rsa) + 1;
  assert.deepEqual(scan(text), [
    { rule: 'rsa-private-key', line: 2, endLine: 1 + lineCount(rsa), secret: rsa },
    { rule: 'ec-private-key', line: ecStart, endLine: ecStart + lineCount(ec) - 1, secret: ec },
  ]);
});

test('two keys of the same type back to back are two findings', () => {
  const first = pemOf(rsaKey(), 'pkcs8');
  const second = pemOf(rsaKey(), 'pkcs8');
  const found = scan(`${first}\n${second}\n`);
  assert.deepEqual(
    found.map(({ line, secret }) => ({ line, secret })),
    [
      { line: 1, secret: first },
      { line: 1 + lineCount(first), secret: second },
    ],
  );
});

test('a key in a JSON string with \\n escapes is found, its span the escaped block as written', () => {
  const gen = new Gen(7);
  const block = pemOf(rsaKey(), 'pkcs8');
  const json = layOut(gen, block, 'json');
  const escaped = block.replaceAll('\n', '\\n');
  assert.ok(json.includes(escaped));
  assert.deepEqual(scan(json), [{ rule: 'pkcs8-private-key', line: 5, endLine: 5, secret: escaped }]);
});

test('CRLF, YAML-indented and .env layouts are found', () => {
  const gen = new Gen(11);
  for (const layout of ['crlf', 'yaml', 'env']) {
    const found = scan(layOut(gen, pemOf(ecKey(), 'sec1'), layout));
    assert.deepEqual(
      found.map((finding) => finding.rule),
      ['ec-private-key'],
      layout,
    );
  }
});

test('encrypted keys are still findings: legacy Proc-Type/DEK-Info and PKCS#8', () => {
  const legacy = pemOf(rsaKey(), 'pkcs1', 'correct horse');
  assert.match(legacy, /DEK-Info: AES-128-CBC,/);
  assert.deepEqual(
    scan(legacy).map((finding) => finding.rule),
    ['rsa-private-key'],
  );
  assert.deepEqual(
    scan(pemOf(ecKey(), 'pkcs8', 'correct horse')).map((finding) => finding.rule),
    ['pkcs8-encrypted-private-key'],
  );
});

test('DSA, Ed25519 PKCS#8, OpenSSH, OpenPGP and PuTTY keys are found', () => {
  const gen = new Gen(3);
  const cases: [string, string][] = [
    ['dsa-private-key', dsaPem(gen)],
    ['pkcs8-private-key', pemOf(ed25519Key().key, 'pkcs8')],
    ['openssh-private-key', opensshPem(gen)],
    ['openssh-private-key', opensshPem(gen, { encrypted: true })],
    ['pgp-private-key', pgpPem(gen)],
    ['putty-private-key', puttyKey(gen, { version: 2 })],
    ['putty-private-key', puttyKey(gen, { version: 3 })],
    ['putty-private-key', puttyKey(gen, { version: 3, encrypted: true })],
  ];
  for (const [rule, text] of cases) {
    assert.deepEqual(
      scan(`${text}\n`).map((finding) => [finding.rule, finding.secret]),
      [[rule, text]],
      rule,
    );
  }
});

test('public keys, certificates, truncated and made-up bodies are never reported', () => {
  const gen = new Gen(5);
  const rsa = pemOf(rsaKey(), 'pkcs1');
  const near = [
    publicPemOf(rsaKey()),
    certificatePem(gen),
    truncateBlock(rsa),
    truncateBlock(pemOf(rsaKey(), 'pkcs8', 'correct horse')),
    randomBody(gen, 'RSA PRIVATE KEY', 600),
    randomBody(gen, 'PRIVATE KEY', 1200),
    randomBody(gen, 'EC PRIVATE KEY', 121),
    tamperedRsaPem(),
    rsa.replace('-----END RSA PRIVATE KEY-----', ''),
    truncateBlock(opensshPem(gen)),
    opensshPem(gen, { badCheck: true }),
    pgpPem(gen, { badCrc: true }),
    pgpPem(gen, { badChecksum: true }),
    pgpPem(gen, { tag: 6 }),
    truncateBlock(pgpPem(gen)),
    puttyKey(gen, { badMac: true }),
  ];
  for (const text of near) assert.deepEqual(scan(`${text}\n`), [], text);
});

test('a key after a broken block (BEGIN without END) is still found', () => {
  const valid = pemOf(rsaKey(), 'pkcs1');
  const broken = pemOf(rsaKey(), 'pkcs1').replace('-----END RSA PRIVATE KEY-----', '');
  const found = scan(`${broken}\n${valid}\n`);
  assert.deepEqual(
    found.map((finding) => finding.secret),
    [valid],
  );
});

test('a mislabelled body is not reported: the label decides which parser judges it', () => {
  const body = pemOf(ecKey(), 'sec1').replaceAll('EC PRIVATE KEY', 'RSA PRIVATE KEY');
  assert.deepEqual(scan(body), []);
});

test('many BEGIN markers before one END stay linear', () => {
  const text = `${'-----BEGIN RSA PRIVATE KEY-----\nAAAA\n'.repeat(50_000)}-----END RSA PRIVATE KEY-----\n`;
  const started = performance.now();
  assert.equal(findArmoredBlocks(text, 'RSA PRIVATE KEY').length, 1);
  assert.ok(performance.now() - started < 500, 'block search took too long');
});
