/** Real git repositories in temporary folders, isolated from the machine's git configuration. */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { Gen, githubChecksum } from '../scan/rules/gen.ts';
import { assertBuilt, CLI, tempDir } from './cli.ts';

/** No global or system config: a developer's own core.hooksPath or templates must not change a test. */
export const GIT_ENV: Record<string, string> = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export interface RunResult {
  code: number;
  /** Standard output and error together, as a person sees them (git prints hook output on stderr). */
  output: string;
}

/** Runs git in `dir`; `env` is added to this process's environment (PATH for the hook, say). */
export function git(dir: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  const result: SpawnSyncReturns<string> = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, ...env },
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

/** Like `git`, but a failure fails the test. */
export function gitOk(dir: string, args: readonly string[]): string {
  const result = git(dir, args);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} exited ${result.code}: ${result.output}`);
  return result.output;
}

/** A repository with a local identity and the given files committed (none: an empty repository). */
export function repository(t: { after(fn: () => void): void }, files: Record<string, string> = {}): string {
  const dir = tempDir(t, files);
  gitOk(dir, ['init', '-q', '-b', 'main']);
  gitOk(dir, ['config', 'user.name', 'Test']);
  gitOk(dir, ['config', 'user.email', 'test@example.invalid']);
  if (Object.keys(files).length) {
    gitOk(dir, ['add', '-A', '-f']);
    gitOk(dir, ['commit', '-q', '-m', 'initial']);
  }
  return dir;
}

/** A .gitignore that passes `gitignore check`, so only what a test adds can refuse a commit. */
export const GOOD_GITIGNORE = '.env*\n*.key\n*.pem\nsecrets/\n.stagecraft/\nnode_modules/\n';

/**
 * An executable `stagecraft` in `dir` that runs the built CLI, as an installed package's bin would. Returns
 * the folder, for PATH.
 */
export function stagecraftShim(dir: string): string {
  assertBuilt();
  const file = join(dir, 'stagecraft');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  writeFileSync(file, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(CLI)} "$@"\n`);
  chmodSync(file, 0o755);
  return dir;
}

/** PATH with `dir` first. */
export function pathWith(dir: string): string {
  return `${dir}${delimiter}${process.env['PATH'] ?? ''}`;
}

/** Just the folders git and sh are in: no stagecraft there unless someone installed it system-wide. */
export function minimalPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v git; command -v sh'], { encoding: 'utf8' }).stdout;
  return [
    ...new Set(
      found
        .split('\n')
        .filter(Boolean)
        .map((file) => dirname(file)),
    ),
  ].join(delimiter);
}

/** A GitHub token in its published format, made now: nothing credential-shaped is committed. */
export function generatedToken(): string {
  const random = new Gen(randomInt(1, 2 ** 31)).alnum(30);
  return `ghp_${random}${githubChecksum(random)}`;
}
