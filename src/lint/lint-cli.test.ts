/**
 * `stagecraft lint` as users run it: the built CLI in a child process, on modules written to a temporary
 * folder. The rule's cases (fixtures/rule-cases.ts) run here and through ESLint's RuleTester.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, spawnCli, tempDir } from '../test-support/cli.ts';
import { RULE_CASES } from './fixtures/rule-cases.ts';
import type { LintReportData } from './lint-files.ts';

const caseFiles = (): Record<string, string> => {
  const files: Record<string, string> = {};
  RULE_CASES.forEach((rule, index) => {
    files[`src/case-${index}/${rule.file}`] = rule.code;
    for (const [path, code] of Object.entries(rule.modules ?? {})) files[`src/case-${index}/${path}`] = code;
  });
  return files;
};

test('every rule case is reported on its lines, and only there', async (t) => {
  const dir = tempDir(t, caseFiles());
  const result = await spawnCli(['lint', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  const report = JSON.parse(result.stdout) as LintReportData;
  assert.deepEqual(report.problems, []);
  RULE_CASES.forEach((rule, index) => {
    const file = `src/case-${index}/${rule.file}`;
    const lines = report.findings.filter((finding) => finding.file === file).map((finding) => finding.line);
    assert.deepEqual(lines, rule.lines, `${rule.name}${rule.why ? ` (${rule.why})` : ''}`);
  });
});

test('reports file:line:column, what is compared and the config flag to use instead, exit 2', async (t) => {
  const dir = tempDir(t, {
    'src/app.ts': "import { env } from './env.ts';\n\nexport const debug = env !== 'production';\n",
    'src/env.ts': 'export const env = process.env.NODE_ENV;\n',
  });
  const result = await spawnCli(['lint'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stdout,
    /^src\/app\.ts:3:22 {2}branches on the environment's name: compares env from \.\/env\.ts \(process\.env\.NODE_ENV\) with 'production'$/m,
  );
  assert.match(
    result.stdout,
    /Instead, read a typed config flag \(e\.g\. features\.newCheckout in config\/<env>\.yaml/,
  );
  assert.match(result.stdout, /✗ 1 environment branch found \(2 files checked\)/);
});

test('clean code exits 0; node_modules, build output and .gitignore’d files are not read unless named', async (t) => {
  const branch = "if (process.env.NODE_ENV === 'production') {}\n";
  const dir = tempDir(t, {
    '.gitignore': 'generated/\n',
    'src/app.ts': 'export const port = Number(process.env.PORT);\n',
    'node_modules/lib/index.js': branch,
    'dist/app.js': branch,
    'generated/client.ts': branch,
    'src/types.d.ts': 'declare const x: string;\n',
    'README.md': branch,
  });
  const result = await spawnCli(['lint', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as LintReportData;
  assert.deepEqual({ verdict: report.verdict, files: report.files }, { verdict: 'clean', files: 1 });

  const named = await spawnCli(['lint', 'dist/app.js'], { cwd: dir });
  assert.equal(named.code, 2, named.stdout + named.stderr);
  assert.match(named.stdout, /^dist\/app\.js:1:5 /m);
});

test('stagecraft.yaml adds its environments, variables and fields, and lint.allow accepts files with a reason', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': [
      'version: 1',
      'environments:',
      '  dev: {}',
      '  qa: { from: dev }',
      'lint:',
      '  environmentVariables: [APP_ENV]',
      '  environmentFields: [tier]',
      '  allow:',
      "    - path: 'src/dev-server/**'",
      '      reason: the dev server only runs locally',
    ].join('\n'),
    'src/app.ts':
      "if (process.env.APP_ENV === 'qa') {}\nif (config.tier === 'production') {}\nif (process.env.NODE_ENV === 'qa') {}\n",
    'src/dev-server/overlay.ts': "if (process.env.NODE_ENV === 'development') {}\n",
  });
  const result = await spawnCli(['lint', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  const report = JSON.parse(result.stdout) as LintReportData;
  assert.deepEqual(
    report.findings.map((finding) => [finding.line, finding.source, finding.environments]),
    [
      [1, 'process.env.APP_ENV', ['qa']],
      [2, 'config.tier', ['production']],
      [3, 'process.env.NODE_ENV', ['qa']],
    ],
  );
  assert.deepEqual(
    report.allowed.map((finding) => [finding.file, finding.allowedBy, finding.reason]),
    [['src/dev-server/overlay.ts', 'workspace', 'the dev server only runs locally']],
  );
});

test('an allow entry without a reason is refused where it is written, exit 2', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': "version: 1\nlint:\n  allow:\n    - path: 'src/dev/**'\n",
    'src/app.ts': 'export {};\n',
  });
  const result = await spawnCli(['lint'], { cwd: dir });
  assert.equal(result.code, 2, result.stdout);
  assert.match(result.stderr, /stagecraft\.yaml:4:\d+/);
  assert.match(result.stderr, /lint\.allow\[0\]\.reason/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});

test('a file that does not parse is named with its line and the run is incomplete, exit 1; findings still print', async (t) => {
  const dir = tempDir(t, {
    'src/broken.ts': 'export const a = 1;\nconst = ;\n',
    'src/app.ts': "if (process.env.NODE_ENV === 'production') {}\n",
  });
  const text = await spawnCli(['lint'], { cwd: dir });
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /^src\/broken\.ts:2:7 {2}does not parse: /m);
  assert.match(text.stdout, /^src\/app\.ts:1:5 {2}branches on the environment's name/m);
  assert.match(text.stderr, /LINT_INCOMPLETE.*1 file could not be checked: src\/broken\.ts:2:7/);

  const json = await spawnCli(['lint', '--format', 'json'], { cwd: dir });
  assert.equal(json.code, 1);
  const document = JSON.parse(json.stdout) as { error: { code: string }; report: LintReportData };
  assert.equal(document.error.code, 'LINT_INCOMPLETE');
  assert.equal(document.report.verdict, 'incomplete');
  assert.equal(document.report.findings.length, 1);
});

test('an input that cannot be read is never clean: exit 1', async (t) => {
  const dir = tempDir(t, { 'src/app.ts': 'export {};\n' });
  // A device is not a folder to walk nor a file to read.
  const result = await spawnCli(['lint', '/dev/null', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const document = JSON.parse(result.stdout) as { error: { code: string }; report: LintReportData };
  assert.equal(document.error.code, 'LINT_INCOMPLETE');
  assert.equal(document.report.problems.length, 1);

  const notModule = await spawnCli(['lint', 'README.md'], { cwd: tempDir(t, { 'README.md': '# app\n' }) });
  assert.equal(notModule.code, 1, notModule.stdout);
  assert.match(notModule.stdout, /^README\.md {2}is not a module lint reads/m);

  const missing = await spawnCli(['lint', 'nowhere'], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nowhere does not exist/);
});

test('hostile trees: a module too large to hold is reported, not read; a FIFO is never opened; deep nesting is a problem, not a crash', async (t) => {
  const dir = tempDir(t, {
    'src/app.ts': 'export {};\n',
    'public/bundle.js': `export const padding = "${'x'.repeat(5 * 1024 * 1024)}";\n`,
  });
  execFileSync('mkfifo', [join(dir, 'src/pipe.ts')]);
  const result = await spawnCli(['lint', '--format', 'json'], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(result.code, 1, result.stderr);
  const { report } = JSON.parse(result.stdout) as { report: LintReportData };
  assert.deepEqual(
    report.problems.map((problem) => problem.file),
    ['public/bundle.js'],
  );
  assert.match(
    report.problems[0]?.message ?? '',
    /larger than lint reads \(4 MiB\): exclude it in \.gitignore/,
  );
  assert.equal(report.files, 1, 'only src/app.ts was read');

  // Nesting deep enough to exhaust the parser's stack: that module is a problem, the rest is still linted.
  const deep = tempDir(t, {
    'src/deep.ts': `export const x = ${'['.repeat(100_000)}'production'${']'.repeat(100_000)};\n`,
    'src/app.ts': "if (process.env.NODE_ENV === 'production') {}\n",
  });
  const nested = await spawnCli(['lint', '--format', 'json'], { cwd: deep, timeoutMs: 60_000 });
  assert.equal(nested.code, 1, nested.stderr);
  assert.doesNotMatch(nested.stderr, /internal error|RangeError/);
  const document = JSON.parse(nested.stdout) as { report: LintReportData };
  assert.deepEqual(
    document.report.problems.map((problem) => [problem.file, problem.message]),
    [['src/deep.ts', 'is nested too deeply to parse (the parser ran out of stack)']],
  );
  assert.equal(document.report.findings.length, 1, 'src/app.ts still linted');
});

test('SARIF names the rule and each finding’s region; allowed ones are marked suppressed', async (t) => {
  const dir = tempDir(t, {
    'src/app.ts':
      "if (process.env.NODE_ENV === 'production') {}\n// stagecraft-lint-allow: hot reload\nif (process.env.NODE_ENV === 'development') {}\n",
  });
  const result = await spawnCli(['lint', '--format', 'sarif'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  const sarif = JSON.parse(result.stdout) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: {
        ruleId: string;
        locations: { physicalLocation: { region: object } }[];
        suppressions?: object[];
      }[];
    }[];
  };
  const run = sarif.runs[0];
  assert.deepEqual(
    run?.tool.driver.rules.map((rule) => rule.id),
    ['no-environment-branch'],
  );
  assert.deepEqual(
    run?.results.map((result) => [result.locations[0]?.physicalLocation.region, result.suppressions]),
    [
      [{ startLine: 1, startColumn: 5, endLine: 1, endColumn: 42 }, undefined],
      [
        { startLine: 3, startColumn: 5, endLine: 3, endColumn: 43 },
        [{ kind: 'inSource', justification: 'hot reload' }],
      ],
    ],
  );
});

test('the example shop has no environment branch', async () => {
  const result = await spawnCli(['lint', '--format', 'json'], { cwd: EXAMPLE_SHOP });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as LintReportData;
  assert.ok(report.files >= 2, `only ${report.files} files checked`);
});
