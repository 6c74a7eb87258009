/**
 * The built package run as users and CI run it: a child process of dist/cli/main.js with real standard
 * streams. Everything else drives the CLI in process (runCli); these few check what only the executable
 * does — its entry, exit codes, a pipe on standard input, -C changing the working directory for the app's
 * own config module — and fail at once when dist/ is older than the source.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gen, githubChecksum } from '../scan/rules/gen.ts';
import { EXAMPLE_SHOP, REPO_ROOT, spawnCli, tempDir } from '../test-support/cli.ts';

test('the executable prints its version and help and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const printed = await spawnCli(['--version']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout, `${version}\n`);
  const help = await spawnCli(['--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: stagecraft /);
});

test('-C runs the example shop from elsewhere: the workspace, and the app’s config module it loads', async () => {
  const show = await spawnCli(['-C', EXAMPLE_SHOP, 'workspace', 'show', '--format', 'json']);
  assert.equal(show.code, 0, show.stderr);
  assert.deepEqual(JSON.parse(show.stdout).chains, [['dev', 'staging', 'production']]);
  const config = await spawnCli(['-C', 'examples/shop', 'config', 'check', '--all'], { cwd: REPO_ROOT });
  assert.equal(config.code, 0, config.stdout + config.stderr);
  assert.match(config.stdout, /production/);
});

test('scan --stdin reads a pipe and exits 2 on a secret, 0 on clean input', async () => {
  const random = new Gen(randomInt(1, 2 ** 31)).alnum(30);
  const token = `ghp_${random}${githubChecksum(random)}`;
  const found = await spawnCli(['scan', '--stdin', '--format', 'json'], { input: `token=${token}\n` });
  assert.equal(found.code, 2, found.stderr);
  assert.equal(JSON.parse(found.stdout).findings[0].rule, 'github-pat');
  const clean = await spawnCli(['scan', '--stdin'], { input: 'nothing here\n' });
  assert.equal(clean.code, 0, clean.stderr);
});

test('an error exits 1 with its code and hint on standard error, never a stack trace', async (t) => {
  const empty = tempDir(t);
  const result = await spawnCli(['workspace', 'check'], { cwd: empty });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^error \[WORKSPACE_NOT_FOUND\] .*\nhint: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  const usage = await spawnCli(['no-such-command']);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /unknown command/);
});
