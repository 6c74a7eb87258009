/**
 * Reports name files relative to the workspace's folder: the same from the root, from a subfolder, with -C
 * and with a path argument — never absolute, never relative to where the command happened to run.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gen, githubChecksum } from '../scan/rules/gen.ts';
import { createStyle } from '../terminal/style.ts';
import { builtConfigLibrary, runCli, tempDir } from '../test-support/cli.ts';

function githubToken(seed: number): string {
  const random = new Gen(seed).alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

function workspace(t: { after(fn: () => void): void }): string {
  const dir = tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: {}\n  staging: { from: dev }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';\nexport default defineConfig({ logLevel: field.string().default('info') }, { strict: true });\n`,
    'config/dev.yaml': 'log_levle: debug\n',
    'tools/readme.txt': 'nothing here\n',
  });
  mkdirSync(join(dir, 'config', 'nested'), { recursive: true });
  return dir;
}

const noAbsolute = (dir: string, text: string) =>
  assert.ok(!text.includes(dir), `an absolute path:\n${text}`);

test('scan findings are named from the workspace folder, wherever the scan runs', async (t) => {
  const dir = workspace(t);
  writeFileSync(join(dir, 'src', 'leak.ts'), `export const token = '${githubToken(7)}';\n`);
  for (const [args, cwd] of [
    [['scan'], dir],
    [['scan'], join(dir, 'src')],
    [['-C', 'src', 'scan'], dir],
    [['scan', '../src'], join(dir, 'tools')],
    [['scan', join(dir, 'src')], join(dir, 'tools')],
  ] as const) {
    const result = await runCli([...args], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stdout, /^src\/leak\.ts\n/, `${args.join(' ')} from ${cwd}`);
    noAbsolute(dir, result.stdout + result.stderr);
    const json = await runCli([...args, '--format', 'json'], { cwd });
    assert.equal(JSON.parse(json.stdout).findings[0].file, 'src/leak.ts');
  }
});

test('problem locations in config and workspace checks are relative to the workspace', async (t) => {
  const dir = workspace(t);
  for (const cwd of [dir, join(dir, 'src'), join(dir, 'config', 'nested')]) {
    const config = await runCli(['config', 'check', '--env', 'dev'], { cwd });
    assert.equal(config.code, 2, config.stderr);
    assert.match(config.stdout, /^ {2}config\/dev\.yaml:1:1: error unknown key "log_levle"/m);
    noAbsolute(dir, config.stdout + config.stderr);
    const markdown = await runCli(['config', 'check', '--env', 'dev', '--format', 'markdown'], { cwd });
    assert.match(markdown.stdout, /\| config\/dev\.yaml:1 \|/);
    noAbsolute(dir, markdown.stdout);
  }
  writeFileSync(
    join(dir, 'stagecraft.yaml'),
    'environments:\n  dev: {}\n  staging: { from: dev }\n  prod: { from: stagin }\n',
  );
  const check = await runCli(['-C', 'src', 'workspace', 'check'], { cwd: dir });
  assert.equal(check.code, 2);
  assert.match(
    check.stdout,
    /^ {2}stagecraft\.yaml:4:\d+: error environment "prod" is promoted from "stagin"/m,
  );
  assert.match(check.stdout, /✗ stagecraft\.yaml has 1 error/);
  noAbsolute(dir, check.stdout + check.stderr);
  // An error's own message names the file from the workspace's folder too.
  const status = await runCli(['status'], {
    cwd: join(dir, 'config'),
    env: { STAGECRAFT_DATABASE_URL: undefined },
  });
  assert.match(status.stderr, /error \[WORKSPACE_INVALID\] stagecraft\.yaml: stagecraft\.yaml has 1 problem/);
  noAbsolute(dir, status.stderr);
});

test('JSON names files as text does: relative to the workspace, in reports, problems and errors', async (t) => {
  const dir = workspace(t);
  for (const cwd of [dir, join(dir, 'src')]) {
    const config = await runCli(['config', 'check', '--env', 'dev', '--format', 'json'], { cwd });
    assert.equal(config.code, 2, config.stderr);
    const data = JSON.parse(config.stdout);
    assert.equal(data.module, 'src/config.ts');
    assert.equal(data.problems[0].location.file, 'config/dev.yaml');
    noAbsolute(dir, config.stdout);
    for (const args of [
      ['workspace', 'check'],
      ['workspace', 'show'],
      ['config', 'show', '--env', 'dev'],
      ['config', 'example', '--check'],
    ]) {
      const json = await runCli([...args, '--format', 'json'], { cwd });
      noAbsolute(dir, json.stdout);
      JSON.parse(json.stdout);
    }
  }
  assert.equal(
    JSON.parse((await runCli(['workspace', 'check', '--format', 'json'], { cwd: dir })).stdout).file,
    'stagecraft.yaml',
  );
  // A file outside the workspace (a mounted secret) keeps its absolute path: ../../.. would say less.
  const style = createStyle(false, dir);
  assert.equal(style.path(join(dir, 'config', 'dev.yaml')), join('config', 'dev.yaml'));
  assert.equal(style.path('/run/secrets/db'), '/run/secrets/db');
  assert.equal(style.path(dir), '.');
  writeFileSync(join(dir, 'stagecraft.yaml'), 'environments:\n  dev: {}\n  prod: { from: stagin }\n');
  const invalid = await runCli(['status', '--format', 'json'], {
    cwd: join(dir, 'src'),
    env: { STAGECRAFT_DATABASE_URL: undefined },
  });
  const error = JSON.parse(invalid.stdout).error;
  assert.equal(error.code, 'WORKSPACE_INVALID');
  assert.equal(error.problems[0].location.file, 'stagecraft.yaml');
  noAbsolute(dir, invalid.stdout);
});
