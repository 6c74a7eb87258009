/**
 * One adapter per scanner: how to prepare a tree for it, the command that scans it, and how to read its
 * report back as findings `{ file, line }` (file relative to the tree's root, line 1-based).
 *
 * An adapter is `{ name, version, prepare(root, scratch) → target, command(target, report) → { command,
 * args, cwd, env }, parse(target, output) → findings, okStatus(status) }`. `prepare` is not timed (the
 * git-secrets adapter copies the tree into a git repository there, as git-secrets only scans one).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  findDetectSecrets,
  installGitleaks,
  installGitSecrets,
  installSecretlint,
  ToolUnavailable,
} from './install.mjs';

export const OURS = 'stagecraft';

/** A reported path as a path relative to the scanned root, with forward slashes. */
function relativeTo(root, cwd, file) {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  return relative(root, absolute).split('\\').join('/');
}

/** The environment a scanner runs in: ours, less anything that would point it at another config. */
function childEnv(extraPath) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.GITLEAKS_CONFIG;
  if (extraPath) env.PATH = `${extraPath}:${env.PATH}`;
  return env;
}

function readJson(file, what) {
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') throw new Error(`${what} is empty`);
  return JSON.parse(text);
}

function stagecraftAdapter(repo) {
  const main = join(repo, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new ToolUnavailable('dist/cli/main.js is missing: run npm run build first');
  const help = spawnSync(process.execPath, [main, 'scan', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/scan/.test(help.stdout)) {
    throw new ToolUnavailable('dist/cli/main.js has no scan command yet (build again once it lands)');
  }
  const version = spawnSync(process.execPath, [main, '--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    name: OURS,
    version: `${version} (dist/)`,
    // Scans `.` from inside the tree: the build of this writing reported an absolute path as missing
    // (SCAN_PATH_NOT_FOUND), and the relative form means the same.
    prepare: (root) => ({ root, cwd: root }),
    command: (target) => ({
      command: process.execPath,
      args: [main, 'scan', '--format', 'json', '.'],
      cwd: target.cwd,
      env: childEnv(),
    }),
    // 0 clean, 2 findings; 1 is an error.
    okStatus: (status) => status === 0 || status === 2,
    parse(target, output) {
      const report = readJson(output.stdout, 'stagecraft scan --format json output');
      // `low` findings are informational (a checksum that fails, a value that reads as words): the text
      // report lists them only under --show-low and they never fail a run, so they are not scored as reported.
      // STAGECRAFT_BENCH_ALL=1 scores them too.
      const all = process.env.STAGECRAFT_BENCH_ALL === '1';
      return (report.findings ?? [])
        .filter((f) => all || f.confidence !== 'low')
        .map((f) => ({
          file: relativeTo(target.root, target.cwd, f.file),
          line: f.line,
        }));
    },
    historyCommand: (repo) => ({
      command: process.execPath,
      args: [main, 'scan', '--history', '--branches', 'all', '--format', 'json'],
      cwd: repo,
      env: childEnv(),
    }),
    parseHistory(output) {
      const report = readJson(output.stdout, 'stagecraft scan --history --format json output');
      return (report.findings ?? []).map((f) => ({ file: f.file, line: f.line, commit: f.commit?.sha }));
    },
  };
}

function gitleaksAdapter(cache) {
  const tool = installGitleaks(cache);
  return {
    name: 'gitleaks',
    version: tool.version,
    bin: tool.bin,
    prepare: (root) => ({ root, cwd: root }),
    // Flags as listed by `gitleaks detect --help` in 8.16.
    command: (target, report) => ({
      command: tool.bin,
      args: [
        'detect',
        '--no-git',
        '--source',
        target.root,
        '--report-format',
        'json',
        '--report-path',
        report,
        '--exit-code',
        '0',
        '--no-banner',
        '--log-level',
        'error',
      ],
      cwd: target.cwd,
      env: childEnv(),
    }),
    okStatus: (status) => status === 0,
    parse(target, output) {
      const findings = readJson(output.report, 'the gitleaks report') ?? [];
      return findings.map((f) => ({ file: relativeTo(target.root, target.cwd, f.File), line: f.StartLine }));
    },
    // git mode: gitleaks reads `git log -p -U0` plus these options (its default is --full-history --all).
    historyCommand: (repo, report) => ({
      command: tool.bin,
      args: [
        'detect',
        '--source',
        repo,
        '--report-format',
        'json',
        '--report-path',
        report,
        '--log-opts=--all',
        '--exit-code',
        '0',
        '--no-banner',
        '--log-level',
        'error',
      ],
      cwd: repo,
      env: childEnv(),
    }),
    parseHistory(output) {
      const findings = readJson(output.report, 'the gitleaks report') ?? [];
      return findings.map((f) => ({ file: f.File, line: f.StartLine, commit: f.Commit }));
    },
  };
}

function secretlintAdapter(cache) {
  const tool = installSecretlint(cache);
  return {
    name: 'secretlint',
    version: tool.version,
    prepare: (root) => ({ root, cwd: root }),
    // `--output` makes the exit status 0 even with findings; 2 is a fatal error.
    command: (target, report) => ({
      command: tool.bin,
      args: ['--secretlintrc', tool.config, '--format', 'json', '--output', report, '--no-color', '**/*'],
      cwd: target.cwd,
      env: childEnv(),
    }),
    okStatus: (status) => status === 0 || status === 1,
    parse(target, output) {
      if (!existsSync(output.report)) return [];
      const results = readJson(output.report, 'the secretlint report');
      return results.flatMap((result) =>
        result.messages.map((m) => ({
          file: relativeTo(target.root, target.cwd, result.filePath),
          line: m.loc.start.line,
        })),
      );
    },
  };
}

function gitSecretsAdapter(cache) {
  const tool = installGitSecrets(cache);
  const env = childEnv(tool.binDir);
  const git = (cwd, ...args) => {
    const result = spawnSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  };
  return {
    name: 'git-secrets',
    version: tool.version,
    /** A copy of the tree as a git repository with every file staged and the AWS patterns registered. */
    prepare(root, scratch) {
      const copy = join(scratch, 'git-secrets-repo');
      cpSync(root, copy, { recursive: true });
      git(copy, 'init', '-q');
      git(copy, '-c', 'core.autocrlf=false', 'add', '-A');
      git(copy, 'secrets', '--register-aws');
      return { root: copy, cwd: copy };
    },
    // With no paths, --scan scans the repository's files; 1 means it matched something.
    command: (target) => ({ command: 'git', args: ['secrets', '--scan'], cwd: target.cwd, env }),
    okStatus: (status) => status === 0 || status === 1,
    parse(target, output) {
      const text = `${readFileSync(output.stdout, 'utf8')}\n${readFileSync(output.stderr, 'utf8')}`;
      const findings = [];
      for (const line of text.split('\n')) {
        const match = /^(.+?):(\d+):/.exec(line);
        if (match && !line.startsWith('[')) {
          findings.push({ file: relativeTo(target.root, target.cwd, match[1]), line: Number(match[2]) });
        }
      }
      return findings;
    },
  };
}

function detectSecretsAdapter() {
  const tool = findDetectSecrets();
  return {
    name: 'detect-secrets',
    version: tool.version,
    prepare: (root) => ({ root, cwd: root }),
    command: (target) => ({
      command: tool.bin,
      args: ['scan', '--all-files', '.'],
      cwd: target.cwd,
      env: childEnv(),
    }),
    okStatus: (status) => status === 0,
    parse(target, output) {
      const report = readJson(output.stdout, 'the detect-secrets baseline');
      return Object.entries(report.results ?? {}).flatMap(([file, list]) =>
        list.map((f) => ({ file: relativeTo(target.root, target.cwd, file), line: f.line_number })),
      );
    },
  };
}

/**
 * The scanners that can run here, ours first, and a note for each that cannot (never a failure: a missing
 * peer is skipped). `only`, when given, lists the names to set up; the others are left alone.
 */
export function loadScanners({ repo, cache, progress, only = null }) {
  const makers = [
    [OURS, () => stagecraftAdapter(repo)],
    ['gitleaks', () => gitleaksAdapter(cache)],
    ['secretlint', () => secretlintAdapter(cache)],
    ['git-secrets', () => gitSecretsAdapter(cache)],
    ['detect-secrets', () => detectSecretsAdapter()],
  ];
  const scanners = [];
  const skipped = [];
  for (const [name, make] of makers) {
    if (only && !only.includes(name)) continue;
    progress(`setting up ${name}`);
    try {
      scanners.push(make());
    } catch (error) {
      const reason = error instanceof ToolUnavailable ? error.message : `unexpected error: ${error.message}`;
      skipped.push({ name, reason });
    }
  }
  return { scanners, skipped };
}
