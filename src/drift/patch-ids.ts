/**
 * Patch ids (`git patch-id --stable`) of many commits or diffs at once: one git process writes the patches and
 * one `git patch-id` reads them through a pipe, so a long history is never held in memory and no process is
 * started per commit. Only the ids come back (one short line per patch).
 */
import { spawn } from 'node:child_process';
import { StagecraftError } from '@stagecraft/config/errors';
import { GitCodes } from '../scan/errors.ts';

/**
 * Options that make `git log -p` (which reads the user's diff configuration) and `git diff-tree -p` (which
 * does not) print the same patch: no colour, no external diff or textconv driver, no rename detection (a
 * cherry-pick and its original are compared file by file), and the prefixes, context and algorithm set
 * rather than configured.
 */
export const PATCH_OPTIONS: readonly string[] = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--no-relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--unified=3',
  '--inter-hunk-context=0',
  '--diff-algorithm=myers',
  '--indent-heuristic',
];

/** What git wrote on stderr, at most this much: a message, never a stream. */
const STDERR_LIMIT = 8192;

/**
 * Runs `git ARGS` (which must print patches, each after a `commit SHA` or `SHA` line) piped into
 * `git patch-id --stable`; returns each commit's patch id. `input` is written to the first process's
 * standard input (`git diff-tree --stdin`). A patch with no diff (an empty commit) has no id.
 */
export function patchIds(
  root: string,
  args: readonly string[],
  input?: string,
): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const producer = spawn('git', args, {
      cwd: root,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const hasher = spawn('git', ['patch-id', '--stable'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const ids = new Map<string, string>();
    const errors = { producer: '', hasher: '' };
    let pending = 2;
    let failure: StagecraftError | undefined;
    let partial = '';
    const fail = (error: StagecraftError) => {
      failure ??= error;
      producer.kill();
      hasher.kill();
    };
    const finish = (which: 'producer' | 'hasher', command: string, status: number | null) => {
      if (status !== 0 && failure === undefined) {
        const reason = errors[which].trim().split('\n')[0] || `exit status ${status}`;
        fail(
          new StagecraftError(GitCodes.GIT_FAILED, `git ${command} failed: ${reason}`, {
            hint: 'check that this is a healthy git repository',
          }),
        );
      }
      if (--pending === 0) {
        if (failure) reject(failure);
        else resolve(ids);
      }
    };
    const unavailable = (error: Error) =>
      fail(
        new StagecraftError(GitCodes.GIT_UNAVAILABLE, `cannot run git: ${error.message}`, {
          hint: 'install git and make sure it is on PATH',
          cause: error,
        }),
      );
    for (const [which, child] of [
      ['producer', producer],
      ['hasher', hasher],
    ] as const) {
      child.on('error', unavailable);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (errors[which].length < STDERR_LIMIT) errors[which] += chunk.toString('utf8');
      });
    }
    // patch-id may stop reading early when it fails; its own exit status says why, not EPIPE.
    hasher.stdin?.on('error', () => {});
    producer.stdout?.pipe(hasher.stdin as NodeJS.WritableStream);
    hasher.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('latin1')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const [id, commit] = line.split(' ');
        if (id && commit) ids.set(commit, id);
      }
    });
    producer.on('close', (status) => finish('producer', args[0] ?? '', status));
    hasher.on('close', (status) => finish('hasher', 'patch-id', status));
    if (input !== undefined) {
      producer.stdin?.on('error', () => {});
      producer.stdin?.end(input);
    }
  });
}

/**
 * Patch ids of diffs, each named by the commit it ends at: `[to, from]` pairs through `git diff-tree
 * --stdin`, which reads a line `TO FROM` as "TO, with FROM as its parent"; `[to]` alone is the commit's own
 * change. `reverse` gives the id of each diff undone (what a revert of it would be). The `to` commits must
 * be distinct.
 */
export function diffPatchIds(
  root: string,
  pairs: readonly (readonly [to: string, from?: string])[],
  reverse = false,
): Promise<Map<string, string>> {
  if (pairs.length === 0) return Promise.resolve(new Map());
  return patchIds(
    root,
    [
      'diff-tree',
      '--stdin',
      '--root',
      '-p',
      ...PATCH_OPTIONS,
      // -R swaps the prefixes too, and patch-id reads the file names with theirs: swap them back.
      ...(reverse ? ['-R', '--src-prefix=b/', '--dst-prefix=a/'] : []),
    ],
    pairs.map(([to, from]) => `${to}${from ? ` ${from}` : ''}\n`).join(''),
  );
}
