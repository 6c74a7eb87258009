/**
 * `stagecraft run --watch --refresh`: a secret read through an API, rotated while the command runs (two
 * commands and stagecraft started: about a second).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeVault } from '../../packages/config/src/test-support/vault-server.ts';
import { assertBuilt, builtConfigLibrary, spawnCli, tempDir } from '../test-support/cli.ts';

const secretValue = () => randomBytes(12).toString('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function workspace(t: { after(fn: () => void): void }): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  production: { from: dev }\nconfig:\n  module: config.mjs\n',
    'config.mjs': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ db: { password: field.secret() } });\n`,
    'config/production.yaml': 'db:\n  password: "ref+vault://secret/shop/db#/password"\n',
  });
}

test('run --watch --refresh restarts the command when a Vault secret is rotated', async (t) => {
  assertBuilt();
  const vault = await startFakeVault(t);
  const [first, second] = [secretValue(), secretValue()];
  vault.put('secret/shop/db', { password: first });
  const dir = workspace(t);
  const marker = join(dir, 'started-once');
  // The child prints a digest of the password it got, never the password; the first waits to be restarted.
  const child = `const fs = require('fs'); const again = fs.existsSync(${JSON.stringify(marker)});
console.log(require('crypto').createHash('sha256').update(process.env.DB__PASSWORD ?? '').digest('hex'));
fs.writeFileSync(${JSON.stringify(marker)}, ''); setTimeout(() => {}, again ? 0 : 10000);`;
  const running = spawnCli(
    ['run', '--env', 'production', '--watch', '--refresh', '100ms', '--', process.execPath, '-e', child],
    {
      cwd: dir,
      env: { VAULT_ADDR: vault.url, VAULT_TOKEN: vault.issueToken(), HOME: tempDir(t) },
      timeoutMs: 20_000,
    },
  );
  while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
  vault.put('secret/shop/db', { password: second });
  const result = await running;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `${sha(first)}\n${sha(second)}\n`, 'started with the first, then the second');
  assert.match(result.stderr, /secrets changed; restarting the command/);
});
