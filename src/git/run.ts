/**
 * Running git for every domain that needs it (the scanner's git modes, hooks, the ledger): one place that turns
 * git's failures into clear errors.
 */
import { spawn, spawnSync } from 'node:child_process';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { GitCodes } from '../scan/errors.ts';

export type GitEnvironment = Readonly<Record<string, string | undefined>>;

type GitOptions = {
  input?: string;
  acceptedStatuses?: readonly number[];
  /** git's environment (the command's, which may not be this process's); default: this process's. */
  env?: GitEnvironment;
};

/**
 * Runs git and returns its standard output. `acceptedStatuses` lists non-zero exits that are answers, not
 * failures (`git check-ignore` exits 1 when nothing matched).
 */
export function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Buffer {
  const result = spawnSync('git', args, {
    cwd,
    ...(options.env ? { env: options.env } : {}),
    maxBuffer: 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return checked(args, options, result.error, result.status, result.stderr, result.stdout);
}

/** `runGit` without blocking: the caller does other work (compiling rules) while git runs. */
export function runGitAsync(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      ...(options.env ? { env: options.env } : {}),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      try {
        checked(args, options, error, null, Buffer.alloc(0), Buffer.alloc(0));
      } catch (failure) {
        reject(failure);
      }
    });
    child.on('close', (status) => {
      try {
        resolve(checked(args, options, undefined, status, Buffer.concat(err), Buffer.concat(out)));
      } catch (failure) {
        reject(failure);
      }
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

function checked(
  args: readonly string[],
  options: GitOptions,
  error: Error | undefined,
  status: number | null,
  stderr: Buffer,
  stdout: Buffer,
): Buffer {
  if (error) {
    throw new StagecraftError(GitCodes.GIT_UNAVAILABLE, `cannot run git: ${error.message}`, {
      hint: 'install git and make sure it is on PATH',
      cause: error,
    });
  }
  if (status !== 0 && !options.acceptedStatuses?.includes(status ?? -1)) {
    const reason = stderr.toString().trim().split('\n')[0] ?? '';
    // Name the subcommand, not a leading `-c key=value`.
    const command = args.find((arg, index) => !arg.startsWith('-') && args[index - 1] !== '-c') ?? '';
    throw new StagecraftError(GitCodes.GIT_FAILED, `git ${command} failed: ${reason}`, {
      hint: 'check that this is a healthy git repository',
    });
  }
  return stdout;
}

const roots = new Map<string, string>();

/** The repository's top level; asked of git once per folder, since a hook run needs it several times. */
export function repositoryRoot(cwd: string, env?: GitEnvironment): string {
  const known = roots.get(cwd);
  if (known !== undefined) return known;
  try {
    const root = runGit(cwd, ['rev-parse', '--show-toplevel'], env ? { env } : {})
      .toString('utf8')
      .trim();
    roots.set(cwd, root);
    return root;
  } catch (error) {
    if (isStagecraftError(error, GitCodes.GIT_UNAVAILABLE)) throw error;
    throw new StagecraftError(GitCodes.GIT_NOT_A_REPOSITORY, `${cwd} is not inside a git repository`, {
      hint: 'run this in a clone, or `git init` first; git must be installed and on PATH',
      cause: error,
    });
  }
}

/**
 * Several blobs in one `git cat-file --batch` call (`HEAD:path`, `:path` for the index): a process per file
 * would cost a pre-commit hook most of its time budget. Returns undefined for a spec git cannot find; a spec
 * with a newline cannot be named in batch input and gets its own call.
 */
export function readBlobs(root: string, specs: readonly string[]): (Buffer | undefined)[] {
  const batchable = specs.filter((spec) => !spec.includes('\n'));
  const blobs = new Map<string, Buffer | undefined>();
  if (batchable.length) {
    const output = runGit(root, ['cat-file', '--batch'], { input: `${batchable.join('\n')}\n` });
    let offset = 0;
    for (const spec of batchable) {
      const headerEnd = output.indexOf(10, offset);
      const header = output.subarray(offset, headerEnd).toString('utf8');
      offset = headerEnd + 1;
      const size = Number(header.split(' ')[2]);
      if (header.endsWith(' missing') || !Number.isInteger(size)) {
        blobs.set(spec, undefined);
        continue;
      }
      blobs.set(spec, output.subarray(offset, offset + size));
      offset += size + 1;
    }
  }
  return specs.map((spec) =>
    blobs.has(spec) ? blobs.get(spec) : runGit(root, ['cat-file', 'blob', spec], { acceptedStatuses: [128] }),
  );
}

/** git's C-style quoting of unusual paths (`"b/tab\there"`), undone. */
export function unquotePath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = Buffer.from(path.slice(1, -1), 'utf8');
  const escapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte !== 92) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? (body[i + 1] as number));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
