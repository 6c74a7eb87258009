/**
 * The changes of a run of commits, streamed from `git log -p`: one file's added lines at a time, so a history
 * of any length is scanned in bounded memory. Files deleted later are included (their adding commit is in
 * the log); merge commits appear as combined diffs, whose lines new in the merge itself (an "evil merge")
 * are scanned and whose lines taken from one parent are not, since that parent's own commit has them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { StagecraftError } from '@stagecraft/config/errors';
import { runGitAsync, unquotePath } from '../git/run.ts';
import { GitCodes } from './errors.ts';
import type { SkippedFile } from './skipped-files.ts';

export interface CommitMeta {
  sha: string;
  author: string;
  email: string;
  /** Author date, ISO 8601 with offset. */
  date: string;
}

export interface FilePatch {
  /** Absent for a diff that is not part of a log (the staged changes). */
  commit: CommitMeta | undefined;
  path: string;
  /**
   * The added lines, hunks separated by an empty line; with context, the whole new version of the file
   * (when the diff was made with unlimited context).
   */
  text: string;
  /** For each line of `text`, its line number in the commit's version of the file (0 for a separator). */
  lineNumbers: number[];
  /** With context: the line numbers the diff adds. */
  added: Set<number> | undefined;
  bytes: number;
  /**
   * Where the patch's commit comes in the whole log, 0 for the newest: when the log is split over several
   * git processes, their patches interleave, and this is what says which of two commits came first.
   */
  order: number;
}

export interface LogStats {
  commits: number;
  /** Bytes of added lines read, over every file and commit. */
  bytes: number;
  binary: number;
  /** Patches cut short at the size limit. */
  oversized: number;
  /** Each binary or cut-short change, by file (and commit), for the warnings. */
  skipped: SkippedFile[];
}

export function emptyLogStats(): LogStats {
  return { commits: 0, bytes: 0, binary: 0, oversized: 0, skipped: [] };
}

const COMMIT_MARK = '\0';
/** How much of git's output may wait in memory to be scanned (UTF-16 characters: 32 MiB). */
const MAX_QUEUED_CHARS = 16 * 1024 * 1024;
const FORMAT = '--format=%x00%H%x00%an%x00%ae%x00%aI';

/** Commits handed to one git process at a time when the log is split: a block keeps git's work per
 * process even (commit sizes vary along a history) while keeping the processes' inputs small. */
const BLOCK_COMMITS = 64;
/** More git processes than this gain little: the scan itself, on one thread, becomes the limit. */
const MAX_LOG_PROCESSES = 4;

/** How many git processes `logPatches` splits a log over by default: one per core, up to four. */
export function defaultLogProcesses(): number {
  return Math.min(MAX_LOG_PROCESSES, availableParallelism());
}

/**
 * Every file patch of the commits `revisions` selects (git rev-list syntax: `--all`, `A..B`, …), as one or
 * more streams to be read concurrently. `git log -p` makes the diffs on one core, and on a long history that
 * is most of the scan's time, so with `processes` above 1 the commits are listed first (`git rev-list`), dealt
 * out in blocks, and each process makes the diffs of its blocks (`--no-walk=unsorted --stdin`, in the order
 * given). Each patch carries its place in the whole log (`order`). `stats` is filled in as the streams go.
 * git failing (an unknown revision, a corrupt repository) is an error. A short log is one stream.
 * The caller must read every stream to the end or stop it early (`return`), which ends its git.
 */
export async function logPatches(
  root: string,
  revisions: readonly string[],
  stats: LogStats,
  maxFileBytes: number,
  processes: number = defaultLogProcesses(),
): Promise<AsyncGenerator<FilePatch>[]> {
  if (processes <= 1) return [filePatches(root, revisions, stats, maxFileBytes, MAX_QUEUED_CHARS)];
  const listed = (await runGitAsync(root, ['rev-list', ...revisions, '--'])).toString('latin1');
  const commits = listed.split('\n').filter(Boolean);
  const ways = Math.max(1, Math.min(processes, Math.ceil(commits.length / BLOCK_COMMITS)));
  const inputs: string[][] = Array.from({ length: ways }, () => []);
  for (let block = 0; block * BLOCK_COMMITS < commits.length; block++) {
    const from = block * BLOCK_COMMITS;
    inputs[block % ways]?.push(...commits.slice(from, from + BLOCK_COMMITS));
  }
  // The j-th commit of stream k is in its (j / BLOCK)-th block, which is block k + ways * that of the log.
  return inputs.map((input, k) =>
    filePatches(root, ['--no-walk=unsorted', '--stdin'], stats, maxFileBytes, MAX_QUEUED_CHARS / ways, {
      input: `${input.join('\n')}\n`,
      order: (j) => (k + ways * Math.floor(j / BLOCK_COMMITS)) * BLOCK_COMMITS + (j % BLOCK_COMMITS),
    }),
  );
}

/**
 * Yields every file patch of the commits `revisions` selects, or of those given on standard input (`stdin`,
 * with `--stdin` among the revisions). git starts at once, not at the first read, so the caller's own setting
 * up overlaps git's start.
 */
function filePatches(
  root: string,
  revisions: readonly string[],
  stats: LogStats,
  maxFileBytes: number,
  maxQueuedChars: number,
  stdin?: { input: string; order: (index: number) => number },
): AsyncGenerator<FilePatch> {
  const args = [
    '-c',
    'core.quotePath=false',
    'log',
    '-p',
    '-U0',
    '--cc',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    '--full-history',
    '--submodule=short',
    FORMAT,
    ...revisions,
    '--',
  ];
  const child = spawn('git', args, { cwd: root, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  // git reads its whole input before it writes; if it dies first, its exit status says why.
  child.stdin?.on('error', () => {});
  child.stdin?.end(stdin?.input);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  exited.catch(() => {});
  const parser = new PatchParser(stats, maxFileBytes, false, stdin?.order);
  return streamPatches(child, exited, () => stderr, parser, maxQueuedChars);
}

async function* streamPatches(
  child: ChildProcess,
  exited: Promise<number | null>,
  stderr: () => string,
  parser: PatchParser,
  maxQueuedChars: number,
): AsyncGenerator<FilePatch> {
  const stdout = child.stdout as Readable;
  // git's output is taken as it comes, into a queue, and the event loop is given a turn after each chunk is
  // parsed and scanned: otherwise the pipe (64 KiB) fills while a chunk is scanned and git waits, so git and
  // the scan take turns instead of running side by side on two cores. The queue is bounded by pausing git.
  const queue: string[] = [];
  let queued = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > maxQueuedChars) stdout.pause();
    wake?.();
  });
  // A read error ends the stream; git's exit status then says what went wrong.
  const end = () => {
    ended = true;
    wake?.();
  };
  stdout.on('close', end);
  stdout.on('error', end);
  async function* chunks(): AsyncGenerator<string> {
    for (;;) {
      const chunk = queue.shift();
      if (chunk === undefined) {
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      queued -= chunk.length;
      if (stdout.isPaused() && queued < maxQueuedChars / 2) stdout.resume();
      yield chunk;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  let finished = false;
  try {
    let rest = '';
    for await (const chunk of chunks()) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const patch = parser.line(line);
        if (patch) yield patch;
      }
    }
    if (rest) {
      const patch = parser.line(rest);
      if (patch) yield patch;
    }
    const last = parser.flush();
    if (last) yield last;
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  let status: number | null;
  try {
    status = await exited;
  } catch (error) {
    throw new StagecraftError(GitCodes.GIT_UNAVAILABLE, `cannot run git: ${(error as Error).message}`, {
      hint: 'install git and make sure it is on PATH',
      cause: error,
    });
  }
  if (status !== 0) {
    throw new StagecraftError(
      GitCodes.GIT_FAILED,
      `git log failed: ${stderr().trim().split('\n')[0] ?? ''}`,
      {
        hint: 'check the revisions given and that the repository is complete (git fsck)',
      },
    );
  }
}

/** Every file patch of one diff held in memory (`git diff`), with its unchanged lines when `withContext`. */
export function parsePatches(
  diff: string,
  stats: LogStats,
  maxFileBytes: number,
  withContext: boolean,
): FilePatch[] {
  const parser = new PatchParser(stats, maxFileBytes, withContext);
  const patches: FilePatch[] = [];
  for (const line of diff.split('\n')) {
    const patch = parser.line(line);
    if (patch) patches.push(patch);
  }
  const last = parser.flush();
  if (last) patches.push(last);
  return patches;
}

/** A line-at-a-time state machine over `git log -p --cc -U0` output. */
class PatchParser {
  private commit: CommitMeta | undefined;
  private path: string | undefined;
  /** The path the current diff's header names: a binary change has no `+++` line to take it from. */
  private headerPath: string | undefined;
  private lines: string[] = [];
  private numbers: number[] = [];
  private bytes = 0;
  private truncated = false;
  /** Parents of the current diff: 1 for a plain diff, 2+ for a merge's combined diff. */
  private parents = 1;
  private next = 0;
  private inHunk = false;
  /** Commits seen so far, and the current one's place in the whole log. */
  private seen = 0;
  private order = 0;

  private added: Set<number> | undefined;

  /**
   * `withContext` keeps unchanged lines too (for one diff, not a merge's combined diff); `orderOf` maps the
   * n-th commit seen here to its place in the whole log when this is a part of it.
   */
  constructor(
    private readonly stats: LogStats,
    private readonly maxFileBytes: number,
    private readonly withContext = false,
    private readonly orderOf: (index: number) => number = (index) => index,
  ) {
    this.added = withContext ? new Set() : undefined;
  }

  line(line: string): FilePatch | undefined {
    if (line.startsWith(COMMIT_MARK)) {
      const done = this.flush();
      const [, sha = '', author = '', email = '', date = ''] = line.split('\0');
      this.commit = { sha, author, email, date };
      this.order = this.orderOf(this.seen++);
      this.stats.commits++;
      return done;
    }
    if (this.inHunk) {
      const prefix = line.slice(0, this.parents);
      if (prefix.length === this.parents && /^[ +-]+$/.test(prefix)) {
        this.hunkLine(prefix, line.slice(this.parents));
        return undefined;
      }
      this.inHunk = false;
      if (line.startsWith('\\')) return undefined; // "\ No newline at end of file"
    }
    if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      const done = this.flush();
      this.parents = line.startsWith('diff --git ') ? 1 : 2;
      this.headerPath = headerPath(line);
      return done;
    }
    if (line.startsWith('+++ ')) {
      const target = unquotePath(line.slice(4));
      this.path = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
      return undefined;
    }
    if (line.startsWith('@@')) {
      const marks = /^(@+) /.exec(line)?.[1]?.length ?? 2;
      this.parents = marks - 1;
      // The result's range is the last "+start[,count]" before the closing marks.
      const range = /\+(\d+)(?:,\d+)? @+/.exec(line);
      this.next = range ? Number(range[1]) : 0;
      if (this.lines.length) {
        this.lines.push('');
        this.numbers.push(0);
      }
      this.inHunk = true;
      return undefined;
    }
    // A deleted binary file adds nothing, so nothing of it goes unscanned.
    if (line.startsWith('Binary files ') && !line.endsWith(' and /dev/null differ')) {
      this.stats.binary++;
      this.stats.skipped.push({
        file: this.headerPath ?? '(unknown path)',
        reason: 'binary',
        ...(this.commit ? { commit: this.commit.sha } : {}),
      });
    }
    return undefined;
  }

  private hunkLine(prefix: string, content: string): void {
    if (prefix.includes('-')) return; // not in the result
    const line = this.next++;
    const unchanged = prefix.includes(' ');
    if ((unchanged && !this.withContext) || this.path === undefined || this.truncated) return; // or from a parent
    if (!unchanged) this.added?.add(line);
    const size = content.length + 1;
    if (this.bytes + size > this.maxFileBytes) {
      this.truncated = true;
      this.stats.oversized++;
      this.stats.skipped.push({
        file: this.path,
        reason: 'oversized',
        bytes: this.bytes + size,
        limit: this.maxFileBytes,
        partial: true,
        ...(this.commit ? { commit: this.commit.sha } : {}),
      });
      return;
    }
    this.lines.push(content);
    this.numbers.push(line);
    this.bytes += size;
  }

  flush(): FilePatch | undefined {
    const patch =
      this.path !== undefined && this.numbers.some((n) => n > 0)
        ? {
            commit: this.commit,
            path: this.path,
            text: this.lines.join('\n'),
            lineNumbers: this.numbers,
            added: this.added,
            bytes: this.bytes,
            order: this.order,
          }
        : undefined;
    if (patch) this.stats.bytes += patch.bytes;
    this.path = undefined;
    this.lines = [];
    this.numbers = [];
    this.bytes = 0;
    this.added = this.withContext ? new Set() : undefined;
    this.truncated = false;
    this.inHunk = false;
    this.headerPath = undefined;
    return patch;
  }
}

/**
 * The file a diff header names. `diff --cc PATH` names it once; `diff --git a/PATH b/PATH` twice, and with
 * renames off both halves are the same path, so the second half is the last (length + 2) characters even
 * when the path holds spaces. Quoted paths (`"a/…" "b/…"`) split the same way.
 */
function headerPath(line: string): string | undefined {
  if (line.startsWith('diff --cc ')) return unquotePath(line.slice('diff --cc '.length));
  if (line.startsWith('diff --combined ')) return unquotePath(line.slice('diff --combined '.length));
  const both = line.slice('diff --git '.length);
  if ((both.length - 1) % 2 !== 0) return undefined;
  const second = unquotePath(both.slice((both.length + 1) / 2));
  return second.startsWith('b/') ? second.slice(2) : undefined;
}
