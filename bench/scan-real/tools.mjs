/**
 * The two history scanners, run on one prepared repository, their reports read back as one shape:
 * `{ tool, commit, file, line, rule, fingerprint, confidence, context, fails, match }`. `match` is always
 * masked (stagecraft masks it unless `--reveal`; gitleaks runs with `--redact`), so no secret value leaves
 * the scanners. `confidence` and `context` are null when the scanner does not give them; `fails` is whether
 * the finding counts toward a failing exit: stagecraft's own `fails` field when it gives one, else true
 * (every finding fails the run), and always true for gitleaks.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One repository's scan may take this long before it is reported as failed. */
const TIMEOUT_MS = 20 * 60 * 1000;

function childEnv() {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.GITLEAKS_CONFIG;
  return env;
}

/** Runs a command with stdout to `out`; returns its status and wall time, or throws with its last words. */
function runTo(command, args, cwd, out, okStatus) {
  const fd = openSync(out, 'w');
  const start = process.hrtime.bigint();
  let result;
  try {
    result = spawnSync(command, args, {
      cwd,
      env: childEnv(),
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    closeSync(fd);
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw new Error(result.error.message);
  if (!okStatus(result.status)) {
    const said = result.stderr.trim().split('\n').slice(-3).join(' / ');
    throw new Error(`exit ${result.status}: ${said.slice(0, 300) || '(no output)'}`);
  }
  return { status: result.status, wallMs };
}

function readJson(file, what) {
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') throw new Error(`${what} is empty`);
  return JSON.parse(text);
}

/** stagecraft from this checkout's dist/: `scan --history --branches all --format json`. */
export function stagecraftTool(repoRoot) {
  const main = join(repoRoot, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run npm run build first');
  const version = spawnSync(process.execPath, [main, '--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    name: 'stagecraft',
    version: `${version} (dist/)`,
    scan(dir, scratch) {
      const out = join(scratch, 'stagecraft.json');
      const args = [main, 'scan', '--history', '--branches', 'all', '--format', 'json'];
      // 0 clean, 2 findings that fail the run; 1 could not scan.
      const run = runTo(process.execPath, args, dir, out, (s) => s === 0 || s === 2);
      const report = readJson(out, 'stagecraft scan --history --format json output');
      const findings = (report.findings ?? []).map((f) => ({
        tool: 'stagecraft',
        commit: f.commit?.sha ?? null,
        file: f.file,
        line: f.line,
        rule: f.rule,
        fingerprint: f.fingerprint,
        confidence: f.confidence ?? null,
        context: f.context ?? null,
        fails: typeof f.fails === 'boolean' ? f.fails : true,
        match: f.match,
      }));
      return { findings, wallMs: run.wallMs, status: run.status };
    },
  };
}

/** gitleaks (./install.mjs of the scan benchmark): `gitleaks git` where it exists (8.19+), else `detect`. */
export function gitleaksTool(bin, version) {
  const hasGit = spawnSync(bin, ['git', '--help'], { stdio: 'ignore' }).status === 0;
  return {
    name: 'gitleaks',
    version,
    scan(dir, scratch) {
      const out = join(scratch, 'gitleaks.json');
      const common = ['--report-format', 'json', '--report-path', out, '--redact', '--exit-code', '0'];
      const quiet = ['--no-banner', '--log-level', 'error', '--log-opts=--all'];
      const args = hasGit
        ? ['git', ...common, ...quiet, dir]
        : ['detect', '--source', dir, ...common, ...quiet];
      const run = runTo(bin, args, dir, join(scratch, 'gitleaks.stdout'), (s) => s === 0);
      const findings = (readJson(out, 'the gitleaks report') ?? []).map((f) => ({
        tool: 'gitleaks',
        commit: f.Commit,
        file: f.File,
        line: f.StartLine,
        rule: f.RuleID,
        // commit:file:rule:line, the form .gitleaksignore takes.
        fingerprint: f.Fingerprint,
        confidence: null,
        context: null,
        fails: true,
        match: f.Match,
      }));
      return { findings, wallMs: run.wallMs, status: run.status };
    },
  };
}
