/**
 * Every table the CLI prints fits a 100-column terminal, with long names, long images and long reasons: long
 * cells wrap, nothing is cut, and digests are shortened one way everywhere.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { shortDigest } from '../terminal/digest.ts';
import { wrapText } from '../terminal/width.ts';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { commit, digest, memoryLedger } from '../test-support/ledger.ts';
import { textTable } from './output.ts';

const LONG_SERVICE = 'recommendation-engine-batch-worker';
const LONG_IMAGE = `registry.internal.example.com/platform-team/machine-learning/${LONG_SERVICE}`;
const LONG_REASON =
  'the memory leak in the cache eviction path takes the pods down after six hours under production load';

const WORKSPACE = `environments:
  development-sandbox:
    deployers: [developer, admin]
  integration-staging:
    from: development-sandbox
    deployers: [developer, admin]
  production-eu-west:
    from: integration-staging
    deployers: [developer, admin]
services:
  ${LONG_SERVICE}:
    image: ${LONG_IMAGE}
  web:
    image: registry.example.com/shop/web
`;

function assertFits(label: string, text: string): void {
  const wide = text.split('\n').filter((line) => [...line].length > 100);
  assert.deepEqual(wide, [], `${label}: lines over 100 columns`);
}

test('ledger tables fit 100 columns with long names, images and reasons', async (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': WORKSPACE });
  const ledgerStore = await memoryLedger(t);
  const cli = (...args: string[]) =>
    runCli(args, { cwd: dir, env: { STAGECRAFT_ROLE: 'admin', STAGECRAFT_ACTOR: 'dana' }, ledgerStore });
  const [first, second] = [digest(), digest()];
  for (const d of [first, second]) {
    const registered = await cli(
      'artifact',
      'register',
      LONG_SERVICE,
      `${LONG_IMAGE}@${d}`,
      '--commit',
      commit(),
    );
    assert.equal(registered.code, 0, registered.stderr);
  }
  const ok = async (...args: string[]) => {
    const result = await cli(...args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
  };
  await ok('deploy', LONG_SERVICE, '--env', 'development-sandbox', '--digest', first);
  await ok('deployed', LONG_SERVICE, '--env', 'development-sandbox', '--confirm');
  await ok('promote', LONG_SERVICE, '--to', 'integration-staging');
  await ok('deployed', LONG_SERVICE, '--env', 'integration-staging', '--confirm');
  await ok('promote', LONG_SERVICE, '--to', 'production-eu-west', '--break-glass', '--reason', LONG_REASON);
  assert.equal((await cli('reject', second, '--reason', LONG_REASON)).code, 0);

  for (const command of [['status'], ['history'], ['audit'], ['workspace', 'show']]) {
    const result = await cli(...command);
    assert.equal(result.code, 0, result.stderr);
    assertFits(command.join(' '), result.stdout);
    // Nothing was cut: every character of the long reason is still printed, only moved to other lines.
    if (command[0] === 'history') {
      const printed = [...result.stdout.replace(/\s+/g, '')];
      for (const char of LONG_REASON.replace(/\s+/g, '')) {
        const at = printed.indexOf(char);
        assert.notEqual(at, -1, `${char} of the reason is missing`);
        printed.splice(at, 1);
      }
    }
    for (const d of [first, second]) {
      assert.doesNotMatch(
        result.stdout,
        new RegExp(`${d.slice(7, 14)}(?!${d.slice(14, 19)})`),
        'a digest cut short',
      );
    }
  }
  const status = await cli('status');
  assert.ok(status.stdout.includes(shortDigest(first)), status.stdout);
  const history = await cli('history');
  assert.ok(history.stdout.includes(shortDigest(first)), history.stdout);

  assert.equal(
    (await cli('token', 'create', '--name', `ci-${LONG_SERVICE}-nightly`, '--role', 'ci')).code,
    0,
  );
  const tokens = await cli('token', 'list');
  assert.equal(tokens.code, 0, tokens.stderr);
  assertFits('token list', tokens.stdout);
});

test('config tables of the shop fit 100 columns with long values', async (t) => {
  const dir = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const env = {
    DB_HOST: `postgres-primary.${'very-long-subdomain.'.repeat(4)}internal.example.com`,
    DB_PASSWORD: 'x'.repeat(120),
    API_KEY: 'k'.repeat(80),
  };
  for (const command of [
    ['config', 'show', '--env', 'dev'],
    ['config', 'check', '--all'],
    ['secrets', 'keys', '--env', 'production'],
  ]) {
    const result = await runCli(command, { cwd: dir, env });
    assert.equal(result.code, 0, `${command.join(' ')}: ${result.stderr}`);
    assertFits(command.join(' '), result.stdout);
  }
});

test('a table narrows its widest columns and wraps their cells; no character is lost', () => {
  const rows = [
    ['id', 'image', 'reason'],
    ['#1', LONG_IMAGE, LONG_REASON],
  ];
  const table = textTable(rows);
  assertFits('table', table);
  assert.ok(table.split('\n').length > 2);
  const squeezed = (text: string) => [...text.replace(/\s+/g, '')].sort().join('');
  assert.equal(squeezed(table), squeezed(rows.flat().join('')), 'every character is still printed');
  // A table that fits is left as it was.
  assert.equal(textTable([['a', 'b']]), '  a  b');
});

test('wrapping breaks at spaces, then after separators, and keeps a styled cell styled', () => {
  assert.deepEqual(wrapText('one two three', 8), ['one two', 'three']);
  assert.deepEqual(wrapText('registry.example.com/shop/web', 12), ['registry.', 'example.com/', 'shop/web']);
  assert.deepEqual(wrapText('\u001b[36mabc def\u001b[39m', 4), [
    '\u001b[36mabc\u001b[39m',
    '\u001b[36mdef\u001b[39m',
  ]);
  assert.deepEqual(wrapText('abcdefgh', 3), ['abc', 'def', 'gh']);
});

test('digests are shortened one way: algorithm, 12 hex digits, an ellipsis', () => {
  const d = `sha256:${'0123456789ab'}cdef${'0'.repeat(48)}`;
  assert.equal(shortDigest(d), 'sha256:0123456789ab…');
  assert.equal(shortDigest('sha256:abc'), 'sha256:abc');
});
