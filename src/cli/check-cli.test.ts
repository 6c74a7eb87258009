/**
 * `stagecraft check` on a small app built here in a real git repository: config, the secret scan, .gitignore,
 * a secret reference, parity of two folders of manifests, and drift (a live file and a hotfix, with the
 * ledger in memory). Clean, then one planted problem of each kind, each named exactly; a check that cannot
 * evaluate; skipped checks; --only/--skip; the GitHub step summary.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtConfigLibrary, runCli } from '../test-support/cli.ts';
import { GOOD_GITIGNORE, generatedToken, gitOk, repository } from '../test-support/git.ts';
import { digest, memoryLedger } from '../test-support/ledger.ts';
import { asLive } from '../test-support/live-objects.ts';

type Test = { after(fn: () => void): void };
const NOW = '2026-11-24T10:00:00Z';

const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy: { command: 'true' }
  staging:
    from: dev
    deployers: [ci]
    deploy: { command: 'true' }
    manifests: deploy/staging
  production:
    from: staging
    deployers: [ci]
    deploy: { command: 'true' }
    manifests: deploy/production
services:
  web:
    image: registry.example.com/app/web
config:
  module: src/config.ts
drift:
  hotfix: [production]
  kubernetes:
    staging: { live: live/staging.json }
`;

const configMap = (environment: string, data: Record<string, string> = { GREETING: 'hello' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web', namespace: `app-${environment}` },
  data,
});

interface CheckResult {
  check: string;
  name: string;
  status: string;
  summary: string;
  findings: number;
  report: unknown;
  error: { code: string; message: string } | null;
  skipped: string | null;
}

interface Report {
  verdict: string;
  counts: Record<string, number>;
  checks: CheckResult[];
}

/**
 * The app, committed on main, with web at that commit deployed to production (through dev and staging);
 * every check clean. `env` holds what the checks' process would: the secret the config refers to.
 */
async function app(t: Test & { after(fn: () => Promise<void>): void }) {
  const dir = repository(t, {
    '.gitignore': GOOD_GITIGNORE,
    'stagecraft.yaml': WORKSPACE,
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({
  greeting: field.string(),
  apiToken: field.secret(),
});
`,
    'config/base.yaml': 'api_token: "ref+env://APP_TOKEN"\n',
    'config/dev.yaml': 'greeting: "hello dev"\n',
    'config/staging.yaml': 'greeting: "hello staging"\n',
    'config/production.yaml': 'greeting: "hello production"\n',
    'deploy/staging/web.json': JSON.stringify(configMap('staging')),
    'deploy/production/web.json': JSON.stringify(configMap('production')),
    'live/staging.json': JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [asLive(configMap('staging'))],
    }),
  });
  const ledgerStore = await memoryLedger(t);
  const env = { APP_TOKEN: randomBytes(12).toString('base64url') };
  const cli = (args: string[], role = 'developer', extra: Record<string, string | undefined> = {}) =>
    runCli(args, {
      cwd: dir,
      ledgerStore,
      env: {
        STAGECRAFT_REHEARSAL: '1',
        STAGECRAFT_NOW: NOW,
        STAGECRAFT_ROLE: role,
        STAGECRAFT_ACTOR: role === 'ci' ? 'ci-bot' : 'dana',
        GITHUB_STEP_SUMMARY: undefined,
        ...env,
        ...extra,
      },
    });
  const must = async (args: string[], role?: string) => {
    const result = await cli(args, role);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}${result.stdout}`);
  };
  /** web at `sha` registered and taken from dev to production. */
  const deployToProduction = async (sha: string) => {
    await must(['artifact', 'register', 'web', `registry.example.com/app/web@${digest()}`, '--commit', sha]);
    await must(['deploy', 'web', '--env', 'dev']);
    await must(['promote', 'web', '--to', 'staging'], 'ci');
    await must(['promote', 'web', '--to', 'production'], 'ci');
  };
  await deployToProduction(gitOk(dir, ['rev-parse', 'HEAD']).trim());
  const check = async (args: string[] = [], extra: Record<string, string | undefined> = {}) => {
    const result = await cli(['check', ...args, '--format', 'json'], 'developer', extra);
    return { ...result, data: JSON.parse(result.stdout || '{}') as Report };
  };
  return { dir, env, cli, check, deployToProduction };
}

const statuses = (report: Report) => report.checks.map((c) => `${c.name}: ${c.status}`);
const named = (report: Report, name: string) => report.checks.find((c) => c.name === name) as CheckResult;
const write = (dir: string, file: string, text: string) => writeFileSync(join(dir, file), text);

test('a clean app passes: every check clean, exit 0', async (t) => {
  const { check } = await app(t);
  const { code, data, stderr } = await check();
  assert.equal(code, 0, stderr);
  assert.equal(data.verdict, 'clean');
  assert.deepEqual(statuses(data), [
    'config: clean',
    'scan: clean',
    'gitignore: clean',
    'secrets dev: clean',
    'secrets staging: clean',
    'secrets production: clean',
    'parity staging↔production: clean',
    'drift kubernetes staging: clean',
    'drift hotfix production: clean',
    'lint: clean',
  ]);
  assert.deepEqual(data.counts, { clean: 10, problems: 0, error: 0, skipped: 0 });
  // Each check's own JSON report is kept: config's coverage matrix, for one.
  assert.deepEqual((named(data, 'config').report as { environments: string[] }).environments, [
    'dev',
    'staging',
    'production',
  ]);
});

test('a missing config value fails config, naming the field, the environment and the variable', async (t) => {
  const { dir, check, cli } = await app(t);
  write(dir, 'config/production.yaml', '# nothing here\n');
  const { code, data } = await check();
  assert.equal(code, 2);
  const config = named(data, 'config');
  assert.equal(config.status, 'problems');
  assert.equal(config.findings, 1);
  const problems = (config.report as { problems: { field: string; variable: string; message: string }[] })
    .problems;
  assert.deepEqual(
    problems.map((p) => [p.field, p.variable, p.message.startsWith('[production]')]),
    [['greeting', 'GREETING', true]],
  );
  assert.deepEqual(
    data.checks.filter((c) => c.status !== 'clean' && c.status !== 'skipped').map((c) => c.name),
    ['config'],
  );
  const text = await cli(['check']);
  assert.equal(text.code, 2);
  assert.match(text.stdout, /✗ problems +config/);
  assert.match(text.stdout, /── config ──[\s\S]*\[production\][^\n]*greeting/);
});

test('a generated secret in a file fails the scan, naming the file and line, never the value', async (t) => {
  const { dir, check, cli } = await app(t);
  const token = generatedToken();
  write(dir, 'notes.txt', `first line\ntoken = "${token}"\n`);
  const { code, data, stdout } = await check();
  assert.equal(code, 2);
  const scan = named(data, 'scan');
  assert.equal(scan.status, 'problems');
  const findings = (scan.report as { findings: { file: string; line: number; fails: boolean }[] }).findings;
  assert.deepEqual(
    findings.filter((f) => f.fails).map((f) => `${f.file}:${f.line}`),
    ['notes.txt:2'],
  );
  assert.ok(!stdout.includes(token));
  const text = await cli(['check']);
  assert.match(text.stdout, /notes\.txt/);
  assert.ok(!text.stdout.includes(token) && !text.stderr.includes(token));
});

test('a tracked .env fails gitignore, naming the file', async (t) => {
  const { dir, check } = await app(t);
  write(dir, '.env', 'GREETING=local\n');
  gitOk(dir, ['add', '-f', '.env']);
  gitOk(dir, ['commit', '-q', '-m', 'oops']);
  const { code, data } = await check(['--only', 'gitignore']);
  assert.equal(code, 2);
  const gitignore = named(data, 'gitignore');
  assert.deepEqual((gitignore.report as { tracked: string[] }).tracked, ['.env']);
  assert.equal(gitignore.summary, '1 problem: .env is tracked');
});

test('an unresolvable reference fails secrets for each environment, naming the field', async (t) => {
  const { check } = await app(t);
  const { code, data } = await check(['--only', 'secrets'], { APP_TOKEN: undefined });
  assert.equal(code, 2);
  assert.deepEqual(statuses(data), [
    'secrets dev: problems',
    'secrets staging: problems',
    'secrets production: problems',
  ]);
  assert.match(
    named(data, 'secrets staging').summary,
    /1 of 1 secret of staging do not resolve here: apiToken/,
  );
});

test('a parity violation fails parity, naming the object and the path', async (t) => {
  const { dir, check } = await app(t);
  write(
    dir,
    'deploy/production/web.json',
    JSON.stringify(configMap('production', { GREETING: 'hello', CHECKOUT: 'v2' })),
  );
  const { code, data } = await check(['--only', 'parity']);
  assert.equal(code, 2);
  const parity = named(data, 'parity staging↔production');
  const violations = (parity.report as { violations: { resource: { name: string }; path: string }[] })
    .violations;
  assert.deepEqual(
    violations.map((v) => [v.resource.name, v.path]),
    [['web', 'data.CHECKOUT']],
  );
});

test('a drifted live object fails drift, naming the object', async (t) => {
  const { dir, check, cli } = await app(t);
  write(
    dir,
    'live/staging.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [asLive(configMap('staging', { GREETING: 'changed by hand' }))],
    }),
  );
  const { code, data } = await check(['--only', 'drift']);
  assert.equal(code, 2);
  assert.deepEqual(statuses(data), ['drift kubernetes staging: problems', 'drift hotfix production: clean']);
  const text = await cli(['check', '--only', 'drift']);
  assert.match(text.stdout, /── drift kubernetes staging ──[\s\S]*ConfigMap[^\n]*web/);
});

test('an unmerged hotfix fails drift hotfix, naming the commit', async (t) => {
  const { dir, check, deployToProduction } = await app(t);
  gitOk(dir, ['checkout', '-q', '-b', 'hotfix']);
  write(dir, 'fix.txt', 'fix\n');
  gitOk(dir, ['add', 'fix.txt']);
  gitOk(dir, ['commit', '-q', '-m', 'Fix the timeout']);
  const fix = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  gitOk(dir, ['checkout', '-q', 'main']);
  await deployToProduction(fix);
  const { code, data } = await check(['--only', 'drift']);
  assert.equal(code, 2);
  const hotfix = named(data, 'drift hotfix production');
  assert.equal(hotfix.status, 'problems');
  assert.match(JSON.stringify(hotfix.report), new RegExp(fix));
  assert.match(JSON.stringify(hotfix.report), /Fix the timeout/);
});

test('a store that cannot be reached is could-not-evaluate: exit 1, every other check still shown', async (t) => {
  const { dir, check } = await app(t);
  write(dir, 'config/base.yaml', 'api_token: "ref+vault://secret/app#/token"\n');
  write(
    dir,
    'deploy/production/web.json',
    JSON.stringify(configMap('production', { GREETING: 'hello', EXTRA: 'x' })),
  );
  const { code, data } = await check([], { VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 'test-token' });
  assert.equal(code, 1);
  assert.equal(data.verdict, 'error');
  assert.equal(named(data, 'secrets staging').status, 'error');
  // The parity violation is still found and shown; the clean checks too.
  assert.equal(named(data, 'parity staging↔production').status, 'problems');
  assert.equal(named(data, 'config').status, 'clean');
  assert.equal(data.checks.length, 10);
});

test('a check whose inputs are not configured is skipped with what to configure, and does not fail', async (t) => {
  const { dir, check, cli } = await app(t);
  write(
    dir,
    'stagecraft.yaml',
    WORKSPACE.replace(/drift:[\s\S]*$/, '').replace(/\n {4}manifests: deploy\/production/, ''),
  );
  rmSync(join(dir, 'deploy/production'), { recursive: true });
  const { code, data } = await check();
  assert.equal(code, 0);
  assert.match(named(data, 'parity').skipped ?? '', /production declares nothing to compare: add manifests/);
  assert.match(named(data, 'drift').skipped ?? '', /configures no drift source: add drift\.kubernetes/);
  assert.deepEqual(data.counts, { clean: 7, problems: 0, error: 0, skipped: 2 });
  const text = await cli(['check']);
  assert.match(text.stdout, /- skipped +parity/);
  const markdown = await cli(['check', '--format', 'markdown']);
  assert.match(markdown.stdout, /\| - \| drift \| skipped \| stagecraft\.yaml configures no drift source/);
});

test('--only and --skip choose checks; an unknown name exits 1 listing the known ones', async (t) => {
  const { check, cli } = await app(t);
  const only = await check(['--only', 'config,gitignore']);
  assert.equal(only.code, 0);
  assert.deepEqual(statuses(only.data), ['config: clean', 'gitignore: clean']);
  const skip = await check(['--skip', 'secrets,drift,lint,scan']);
  assert.deepEqual(statuses(skip.data), [
    'config: clean',
    'gitignore: clean',
    'parity staging↔production: clean',
  ]);
  const unknown = await cli(['check', '--only', 'config,typo']);
  assert.equal(unknown.code, 1);
  assert.match(
    unknown.stderr,
    /CHECK_UNKNOWN[\s\S]*"typo" is not a check[\s\S]*config, scan, gitignore, secrets, parity, drift, lint/,
  );
});

test('code that branches on the environment’s name fails check, at its file and line', async (t) => {
  const { dir, check } = await app(t);
  mkdirSync(join(dir, 'src/routes'), { recursive: true });
  write(
    dir,
    'src/routes/banner.ts',
    "const env = process.env.NODE_ENV;\nexport const banner = env === 'production' ? '' : 'TEST';\n",
  );
  const { code, data } = await check(['--only', 'lint']);
  assert.equal(code, 2);
  const lint = named(data, 'lint');
  assert.equal(lint.status, 'problems');
  assert.equal(lint.findings, 1);
  assert.match(lint.summary, /1 branch on the environment's name: src\/routes\/banner\.ts:2/);
  // A file lint cannot parse: it cannot call the code clean, so the check could not be evaluated.
  write(dir, 'src/routes/broken.ts', 'export const = ;\n');
  const broken = await check(['--only', 'lint']);
  assert.equal(broken.code, 1);
  assert.equal(named(broken.data, 'lint').status, 'error');
});

test('--env narrows config, secrets and drift to one environment', async (t) => {
  const { check } = await app(t);
  const { code, data } = await check(['--env', 'staging', '--skip', 'scan,gitignore']);
  assert.equal(code, 0);
  assert.deepEqual(statuses(data), [
    'config: clean',
    'secrets staging: clean',
    'parity staging↔production: clean',
    'drift kubernetes staging: clean',
    'lint: clean',
  ]);
  assert.deepEqual((named(data, 'config').report as { environments: string[] }).environments, ['staging']);
});

test('with GITHUB_STEP_SUMMARY set, the Markdown report is appended to that file', async (t) => {
  const { dir, check } = await app(t);
  const summary = join(dir, 'summary.md');
  write(dir, 'summary.md', '# Earlier step\n');
  write(
    dir,
    'deploy/production/web.json',
    JSON.stringify(configMap('production', { GREETING: 'hello', EXTRA: 'x' })),
  );
  const { code } = await check(['--only', 'parity,config'], { GITHUB_STEP_SUMMARY: summary });
  assert.equal(code, 2);
  const written = readFileSync(summary, 'utf8');
  assert.ok(written.startsWith('# Earlier step\n## stagecraft check: problems found\n'), written);
  assert.match(written, /\| ✗ \| parity staging↔production \| problems \|/);
  assert.match(written, /### parity staging↔production\n\n##### Parity: 1 violation/);
  // A summary that cannot be written is a warning; the result stands.
  mkdirSync(join(dir, 'not-a-file'));
  const failed = await check(['--only', 'config'], { GITHUB_STEP_SUMMARY: join(dir, 'not-a-file') });
  assert.equal(failed.code, 0);
  assert.match(failed.stderr, /warning could not append the summary to GITHUB_STEP_SUMMARY/);
});

test('--record keeps each result: parity and drift as their own commands do, the others as kind check', async (t) => {
  const { check } = await app(t);
  const { code, stderr } = await check([
    '--only',
    'config,secrets,parity,drift,lint',
    '--env',
    'staging',
    '--record',
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    [...stderr.matchAll(/recorded: (.*) \(check #\d+\)/g)].map((m) => m[1]),
    [
      'check config, clean',
      'check secrets staging, clean',
      'parity staging↔production, clean',
      'drift kubernetes staging, clean',
      'check lint, clean',
    ],
  );
});

test('when every check selected is skipped, the verdict says no check ran; --only with no name is refused', async (t) => {
  const { cli } = await app(t);
  const parity = await cli(['check', '--only', 'parity', '--env', 'dev']);
  assert.equal(parity.code, 0);
  assert.match(parity.stdout, /^- no check ran: 1 skipped$/m);
  const empty = await cli(['check', '--only', ',']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /CHECK_UNKNOWN\] --only names no check/);
});

test('an invalid drift section fails the drift check as invalid config (exit 2); the others still run', async (t) => {
  const { dir, check } = await app(t);
  write(dir, 'stagecraft.yaml', WORKSPACE.replace('staging: { live: live/staging.json }', 'staging: {}'));
  const { code, data } = await check();
  assert.equal(code, 2);
  const drift = named(data, 'drift');
  assert.equal(drift.status, 'problems');
  assert.equal(drift.error?.code, 'DRIFT_SETTINGS_INVALID');
  assert.equal(named(data, 'parity staging↔production').status, 'clean');
  assert.equal(data.checks.length, 9);
});

test('--range scans the commits of a pull request instead of the working tree', async (t) => {
  const { dir, check } = await app(t);
  write(dir, 'notes.txt', `token = "${generatedToken()}"\n`);
  gitOk(dir, ['add', 'notes.txt']);
  gitOk(dir, ['commit', '-q', '-m', 'Add notes']);
  rmSync(join(dir, 'notes.txt'));
  const tree = await check(['--only', 'scan']);
  assert.equal(tree.code, 0, 'the working tree no longer holds it');
  const range = await check(['--only', 'scan', '--range', 'HEAD~1..HEAD']);
  assert.equal(range.code, 2);
  const scan = named(range.data, 'scan HEAD~1..HEAD');
  assert.equal(scan.summary, '1 secret found in the commits of HEAD~1..HEAD');
  assert.deepEqual(
    (scan.report as { findings: { file: string; line: number }[] }).findings.map(
      (f) => `${f.file}:${f.line}`,
    ),
    ['notes.txt:1'],
  );
});
