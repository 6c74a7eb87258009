/**
 * What fails a scan: `high` findings anywhere, `medium` ones outside tests, docs and examples, by default;
 * the rest are reported (JSON, SARIF, --show-low) without failing the run. The same in every mode.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gen, githubChecksum } from '../scan/rules/gen.ts';
import { runCli, tempDir } from '../test-support/cli.ts';
import { gitOk, repository } from '../test-support/git.ts';

function githubToken(gen: Gen): string {
  const random = gen.alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}

/** A generic secret as generators make them: every character class, high entropy. */
function randomSecret(gen: Gen): string {
  return `${gen.alnum(14)}%${gen.upper(3)}${gen.digits(3)}${gen.lower(5)}`;
}

interface JsonFinding {
  file: string;
  rule: string;
  confidence: string;
  context: string;
  fails: boolean;
}

test('a medium finding in a test is reported but does not fail the run; --show-low lists it', async (t) => {
  const gen = new Gen(21);
  const dir = tempDir(t, { 'test/fixtures/app.yml': `api_secret: "${randomSecret(gen)}"\n` });
  const text = await runCli(['scan'], { cwd: dir });
  assert.equal(text.code, 0, text.stdout);
  assert.doesNotMatch(text.stdout, /generic-secret/);
  assert.match(text.stdout, /✓ no secrets that fail the scan \(scanned 1 file/);
  assert.match(
    text.stdout,
    /1 finding not counted \(low confidence, or in tests, docs or examples\): --show-low lists them/,
  );

  const shown = await runCli(['scan', '--show-low'], { cwd: dir });
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /Not counted/);
  assert.match(shown.stdout, /generic-secret .*\[medium, test\]/);

  const json = await runCli(['scan', '--format', 'json'], { cwd: dir });
  assert.equal(json.code, 0);
  const data = JSON.parse(json.stdout);
  assert.equal(data.failing, 0);
  assert.deepEqual(
    data.findings.map((f: JsonFinding) => [f.rule, f.confidence, f.context, f.fails]),
    [['generic-secret', 'medium', 'test', false]],
  );

  const markdown = await runCli(['scan', '--format', 'markdown'], { cwd: dir });
  assert.match(markdown.stdout, /No secrets that fail the scan found in 1 file\./);
  assert.match(markdown.stdout, /1 finding not counted/);

  const sarif = JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: dir })).stdout);
  const [result] = sarif.runs[0].results;
  assert.equal(result.level, 'warning');
  assert.equal(result.rank, 60);
  assert.deepEqual(result.properties, { confidence: 'medium', context: 'test', fails: false });
});

test('a high finding fails the run in a test file; a medium one in code does too', async (t) => {
  const gen = new Gen(22);
  const inTest = tempDir(t, { 'src/app.test.ts': `const token = '${githubToken(gen)}';\n` });
  const tested = await runCli(['scan', '--format', 'json'], { cwd: inTest });
  assert.equal(tested.code, 2);
  const [finding] = JSON.parse(tested.stdout).findings;
  assert.deepEqual([finding.confidence, finding.context, finding.fails], ['high', 'test', true]);

  const inCode = tempDir(t, { 'config/app.yml': `api_secret: "${randomSecret(gen)}"\n` });
  assert.equal((await runCli(['scan'], { cwd: inCode })).code, 2);
});

test('scan.minConfidence and scan.contexts in stagecraft.yaml move the line', async (t) => {
  const gen = new Gen(23);
  const files = {
    'test/app.yml': `api_secret: "${randomSecret(gen)}"\n`,
    'src/app.ts': `const token = 'ghp_${gen.alnum(36)}';\n`,
  };
  const defaults = tempDir(t, files);
  assert.equal((await runCli(['scan'], { cwd: defaults })).code, 0);

  const strict = tempDir(t, {
    ...files,
    'stagecraft.yaml': 'scan:\n  minConfidence: low\n  contexts: [code, config, test]\n',
  });
  const result = await runCli(['scan', '--format', 'json'], { cwd: strict });
  assert.equal(result.code, 2, result.stderr);
  const data = JSON.parse(result.stdout);
  assert.deepEqual(
    data.findings.map((f: JsonFinding) => `${f.file} ${f.confidence} ${f.fails}`),
    ['src/app.ts low true', 'test/app.yml medium true'],
  );
  assert.match(
    data.findings.find((f: JsonFinding) => f.file === 'src/app.ts').description,
    /looks like a GitHub token; checksum fails/,
  );
});

test('an invalid minConfidence or context is reported at its line with the values allowed', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'scan:\n  minConfidence: sure\n  contexts: [code, tests]\n',
  });
  const result = await runCli(['scan'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /stagecraft\.yaml:2:18: error scan\.minConfidence must be one of low, medium, high, found "sure"/,
  );
  assert.match(result.stderr, /stagecraft\.yaml:3:\d+: error scan\.contexts\[1\] is not a context: "tests"/);
  assert.match(
    result.stderr,
    /the contexts are code, config, test, docs, example, lockfile, generated, vendored/,
  );
});

test('a staged test fixture with a medium finding does not fail the hook; a staged token does', async (t) => {
  const gen = new Gen(24);
  const dir = repository(t, { 'README.md': 'hello\n' });
  writeFileSync(join(dir, 'app.test.ts'), `const apiKey = "${randomSecret(gen)}";\n`);
  gitOk(dir, ['add', 'app.test.ts']);
  const fixture = await runCli(['scan', '--staged', '--format', 'json'], { cwd: dir });
  assert.equal(fixture.code, 0, fixture.stdout);
  assert.deepEqual(
    JSON.parse(fixture.stdout).findings.map((f: JsonFinding) => [f.context, f.fails]),
    [['test', false]],
  );
  writeFileSync(join(dir, 'app.ts'), `const token = '${githubToken(gen)}';\n`);
  gitOk(dir, ['add', 'app.ts']);
  assert.equal((await runCli(['scan', '--staged'], { cwd: dir })).code, 2);
});

test('a path named on the command line is scanned even when .gitignore excludes it; --no-ignore scans all', async (t) => {
  const gen = new Gen(25);
  const dir = tempDir(t, {
    '.gitignore': 'build/\n*.local\n',
    'build/out.env': `GH=${githubToken(gen)}\n`,
    'settings.local': `GH=${githubToken(gen)}\n`,
    'src/app.ts': 'export {};\n',
  });
  const files = async (args: string[]) => {
    const result = await runCli(['scan', '--format', 'json', ...args], { cwd: dir });
    return JSON.parse(result.stdout).findings.map((f: JsonFinding) => f.file);
  };
  assert.deepEqual(await files([]), []);
  assert.deepEqual(await files(['build']), ['build/out.env']);
  assert.deepEqual(await files(['settings.local']), ['settings.local']);
  assert.deepEqual(await files(['--no-ignore']), ['build/out.env', 'settings.local']);
});
