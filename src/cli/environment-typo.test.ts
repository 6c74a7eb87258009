/**
 * A typo of an environment name, wherever it is made, gets a hint toward the right name — never toward the
 * typo: on the command line, in stagecraft.yaml's environments keys, and in a config file's name.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

function shop(t: { after(fn: () => void): void }): string {
  const dir = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  return dir;
}

test('a misspelled environments key in stagecraft.yaml: rename the key, not "did you mean" the typo', async (t) => {
  const dir = shop(t);
  const file = join(dir, 'stagecraft.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}staging:/m, '  stagin:'));
  const result = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.doesNotMatch(result.stdout, /did you mean "stagin"/);
  assert.match(result.stdout, /hint: +rename the key environments\.stagin to "staging"/);
});

test('--env with a typo suggests the declared environment, in the ledger and in secrets', async (t) => {
  const dir = shop(t);
  for (const args of [
    ['deploy', 'storefront', '--env', 'stagin'],
    ['secrets', 'check', '--env', 'stagin'],
    ['parity', 'stagin', 'production'],
  ]) {
    const result = await runCli(args, { cwd: dir, env: { STAGECRAFT_DATABASE_URL: undefined } });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /did you mean "staging"\?/, args.join(' '));
  }
  const service = await runCli(['deploy', 'storefrnt', '--env', 'dev'], { cwd: dir });
  assert.match(service.stderr, /did you mean "storefront"\?/);
});

test('a config file named for no environment is a warning that names the right file', async (t) => {
  const dir = shop(t);
  renameSync(join(dir, 'config', 'staging.yaml'), join(dir, 'config', 'stagin.yaml'));
  const result = await runCli(['config', 'check', '--env', 'dev'], { cwd: dir, env: { DB_PASSWORD: 'x' } });
  assert.match(
    result.stderr,
    /warning config\/stagin\.yaml: no environment "stagin" is declared, so nothing reads this file\n {2}hint: did you mean staging\.yaml\?/,
  );
});
