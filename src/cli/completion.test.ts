import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { assertBuilt, CLI, EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';

/** A `stagecraft` on PATH that runs the built CLI, as an installed one would. */
function installedBin(t: TestContext): string {
  const bin = join(tempDir(t), 'bin');
  mkdirSync(bin);
  const file = join(bin, 'stagecraft');
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(file, 0o755);
  return bin;
}

async function script(t: TestContext, shell: string): Promise<string> {
  const result = await runCli(['completion', shell]);
  assert.equal(result.code, 0, result.stderr);
  const file = join(tempDir(t), `stagecraft.${shell}`);
  writeFileSync(file, result.stdout);
  return file;
}

const has = (program: string) => spawnSync(program, ['--version']).status === 0;

/** What bash offers for the words of a command line, the last one being completed. */
function bashComplete(file: string, bin: string, words: readonly string[]): string[] {
  const driver = `
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
_stagecraft
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '-c', driver, 'bash', file, ...words], {
    cwd: EXAMPLE_SHOP,
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH']}` },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter(Boolean).sort();
}

test('bash completes commands, subcommands, options and the names stagecraft.yaml declares', async (t) => {
  assertBuilt();
  const file = await script(t, 'bash');
  const bin = installedBin(t);
  const complete = (...words: string[]) => bashComplete(file, bin, ['stagecraft', ...words]);
  assert.deepEqual(complete('con'), ['config']);
  assert.deepEqual(complete('config', ''), ['check', 'docs', 'example', 'schema', 'show']);
  assert.deepEqual(complete('config', 'check', '--e'), ['--env']);
  assert.ok(complete('config', 'check', '--').includes('--format'), 'global options too');
  assert.deepEqual(complete('config', 'show', '--format', ''), ['dotenv', 'json', 'markdown', 'text']);
  assert.deepEqual(complete('scan', '-f', 's'), ['sarif']);
  assert.deepEqual(complete('hooks', 'run', ''), ['pre-commit']);
  assert.deepEqual(complete('completion', ''), ['bash', 'fish', 'zsh']);
  // An option's value is not taken for a command: `-C config` is a folder, `--env show` an environment.
  assert.deepEqual(complete('-C', 'config', 'config', 'sh'), ['show']);
  assert.deepEqual(complete('config', 'check', '--env', 'show', '--a'), ['--all']);
  const started = Date.now();
  assert.deepEqual(complete('deploy', '--env', 'st'), ['staging']);
  assert.deepEqual(complete('promote', 'storefront', '--to', ''), ['dev', 'production', 'staging']);
  assert.deepEqual(complete('deploy', ''), ['catalog', 'orders', 'storefront']);
  assert.deepEqual(complete('history', '--service', 'or'), ['orders']);
  assert.ok(
    Date.now() - started < 5000,
    `four completions that read stagecraft.yaml took ${Date.now() - started} ms`,
  );
});

test('outside a workspace, names complete to nothing and print no error', async (t) => {
  assertBuilt();
  const result = await runCli(['completion', '--names', 'environments'], { cwd: tempDir(t) });
  assert.equal(result.code, 0);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, '');
});

test('a hostile stagecraft.yaml (an alias bomb, a FIFO) completes to nothing, at once and in bounded memory', async (t) => {
  assertBuilt();
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 30; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const bomb = tempDir(t, { 'stagecraft.yaml': `${lines.join('\n')}\nenvironments:\n  dev: {}\n` });
  const fifo = tempDir(t);
  spawnSync('mkfifo', [join(fifo, 'stagecraft.yaml')]);
  for (const cwd of [bomb, fifo]) {
    // A child process, so a hang or a runaway allocation would fail the test rather than the runner.
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=128', CLI, 'completion', '--names', 'environments'],
      {
        cwd,
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
  }
});

test('completion without a shell, or with an unknown one, is a usage error', async () => {
  assert.equal((await runCli(['completion'])).code, 1);
  const result = await runCli(['completion', 'tcsh']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /bash, zsh, fish/);
});

test('a command added to the tree completes without touching the generator', async (t) => {
  const file = await script(t, 'bash');
  const bin = installedBin(t);
  // Every command of the tree is offered: `completion` itself was added after the generator was written.
  const top = bashComplete(file, bin, ['stagecraft', '']);
  for (const name of ['init', 'config', 'deploy', 'token', 'hooks', 'completion'])
    assert.ok(top.includes(name));
});

test('fish completes from its script', { skip: !has('fish') && 'fish is not installed' }, async (t) => {
  assertBuilt();
  const file = await script(t, 'fish');
  assert.equal(spawnSync('fish', ['-n', file]).status, 0, 'fish -n');
  const bin = installedBin(t);
  const complete = (line: string) =>
    spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C'${line}'`], {
      cwd: EXAMPLE_SHOP,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH']}` },
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .filter(Boolean)
      .map((row) => row.split('\t')[0])
      .sort();
  assert.deepEqual(complete('stagecraft config '), ['check', 'docs', 'example', 'schema', 'show']);
  assert.deepEqual(complete('stagecraft deploy --env '), ['dev', 'production', 'staging']);
  assert.deepEqual(complete('stagecraft config show --format '), ['dotenv', 'json', 'markdown', 'text']);
  assert.deepEqual(complete('stagecraft deploy '), ['catalog', 'orders', 'storefront']);
});

test('zsh loads its script and registers the completion', {
  skip: !has('zsh') && 'zsh is not installed',
}, async (t) => {
  const file = await script(t, 'zsh');
  assert.equal(spawnSync('zsh', ['-n', file]).status, 0, 'zsh -n');
  const result = spawnSync(
    'zsh',
    ['-f', '-c', `autoload -U compinit && compinit -u && source ${file} && echo $_comps[stagecraft]`],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /_bash_complete/);
});
