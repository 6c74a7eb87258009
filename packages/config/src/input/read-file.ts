/**
 * The one way stagecraft reads a file it was given: only a regular file, only up to a cap, and every failure a
 * StagecraftError naming the file. A FIFO would block the read forever, `/dev/zero` (or a link to it) would
 * never end, and a 10 GiB file would exhaust memory long before a parser could object.
 *
 * Errors name the file in their message rather than as a location: they are about the file, not a line in it.
 *
 * Symbolic links are followed — config mounted from a Kubernetes ConfigMap is a chain of links — but what they
 * lead to must be a regular file, and a link that loops is an error, not a crash.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { type Code, isStagecraftError, StagecraftError } from '../errors.ts';
import { InputCodes } from './errors.ts';

const MiB = 1024 * 1024;

/**
 * Caps by what a file holds, each far above any real file of its kind and far below what would hurt. YAML
 * costs the parser up to a few hundred bytes of memory per byte of input (a file of nothing but tiny
 * values), JSON a few, which is why only JSON is allowed the largest cap:
 * - `authored`: files people write — stagecraft.yaml, config YAML, `.env`, a parity policy, facts.json,
 *   `.gitleaks.toml`, hook configs. The largest real ones are tens of KiB.
 * - `rendered`: one file of rendered manifests (a chart's CRDs run to a few MiB), or a scan baseline.
 * - `generated`: JSON that tools write about a whole system — `terraform show -json` of a plan or state,
 *   and live objects from `kubectl get -o json`, which for a large cluster run to tens of MiB.
 */
export const INPUT_LIMITS: { authored: number; rendered: number; generated: number } = {
  authored: 1 * MiB,
  rendered: 16 * MiB,
  generated: 256 * MiB,
};

export interface ReadInputOptions {
  /** What the file is, for messages: `workspace file`, `Terraform plan`. */
  what: string;
  /** Larger files are refused: one of INPUT_LIMITS. */
  maxBytes: number;
  /**
   * The code for a file that is missing or cannot be opened, where a command already had one (its codes are
   * part of its API); INPUT_NOT_FOUND and INPUT_UNREADABLE otherwise. Refusals keep their own codes.
   */
  code?: Code;
  /** What to do about a missing or unopenable file, when the command knows better than "check the path". */
  hint?: string;
}

// Never block on a FIFO's open (O_NONBLOCK), never make a terminal our controlling one (O_NOCTTY); both are
// POSIX-only and mean nothing for a regular file.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Whether anything is there by that name, even a link that loops or leads nowhere. Optional inputs (a `.env`,
 * a config layer) are skipped when absent; a broken link in their place is an error to report, not absence.
 */
export function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A file's text (UTF-8), read under the rules above. */
export function readInputFile(file: string, options: ReadInputOptions): string {
  return readInputBytes(file, options).toString('utf8');
}

export function readInputBytes(file: string, options: ReadInputOptions): Buffer {
  // The path is checked before opening, so a device is never even opened (opening some has side effects);
  // the open descriptor is checked again, so a file swapped in between cannot slip through.
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    throw cannotOpen(file, error, options);
  }
  refuseIrregular(file, stat, options);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw cannotOpen(file, error, options);
  }
  try {
    const opened = fstatSync(fd);
    refuseIrregular(file, opened, options);
    return readCapped(fd, file, opened.size, options);
  } catch (error) {
    if (isStagecraftError(error)) throw error;
    throw cannotOpen(file, error, options);
  } finally {
    closeSync(fd);
  }
}

function refuseIrregular(file: string, stat: Stats, options: ReadInputOptions): void {
  if (!stat.isFile()) {
    throw new StagecraftError(InputCodes.INPUT_NOT_A_FILE, `${options.what} ${file} is ${kindOf(stat)}`, {
      hint: stat.isDirectory()
        ? 'give the path of a file inside it'
        : 'stagecraft reads its inputs from regular files only: write the input to a file and give that path',
    });
  }
  if (stat.size > options.maxBytes) throw tooLarge(file, `${stat.size} bytes`, options);
}

/**
 * Reads to the end, never more than the cap plus one byte: the size fstat reports may be stale (a file still
 * being written) or zero (files under /proc), so it only sizes the first read.
 */
function readCapped(fd: number, file: string, size: number, options: ReadInputOptions): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let next = Math.min(Math.max(size + 1, 64 * 1024), options.maxBytes + 1);
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(next, options.maxBytes + 1 - total));
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    chunks.push(buffer.subarray(0, read));
    total += read;
    if (total > options.maxBytes) throw tooLarge(file, 'more than that', options);
    next = 1024 * 1024;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

function tooLarge(file: string, size: string, options: ReadInputOptions): StagecraftError {
  return new StagecraftError(
    InputCodes.INPUT_TOO_LARGE,
    `${options.what} ${file} is over the ${formatLimit(options.maxBytes)} limit for a ${options.what} (${size})`,
    {
      hint: 'check that this is the right file; a file this size is not what this input should hold',
    },
  );
}

function cannotOpen(file: string, error: unknown, options: ReadInputOptions): StagecraftError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') {
    return new StagecraftError(
      InputCodes.INPUT_SYMLINK_LOOP,
      `${options.what} ${file} is a symbolic link that leads back to itself`,
      {
        hint: 'fix or remove the link (ls -l shows where each link points)',
        cause: error,
      },
    );
  }
  if (code === 'ENXIO' || code === 'ENODEV') {
    // Opening a socket, or a device with nothing behind it.
    return new StagecraftError(InputCodes.INPUT_NOT_A_FILE, `${options.what} ${file} is a socket or device`, {
      hint: 'stagecraft reads its inputs from regular files only: write the input to a file and give that path',
      cause: error,
    });
  }
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  const target = missing ? danglingTarget(file) : undefined;
  return new StagecraftError(
    options.code ?? (missing ? InputCodes.INPUT_NOT_FOUND : InputCodes.INPUT_UNREADABLE),
    target !== undefined
      ? `${options.what} ${file} is a symbolic link to ${target}, which does not exist`
      : missing
        ? `${options.what} ${file} does not exist`
        : `cannot read ${options.what} ${file}: ${code ?? (error as Error).message}`,
    {
      hint: options.hint ?? (missing ? 'check the path' : 'check that the file is readable by this user'),
      cause: error,
    },
  );
}

function danglingTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory, not a file';
  if (stat.isFIFO()) return 'a named pipe (FIFO), not a regular file';
  if (stat.isCharacterDevice()) return 'a character device, not a regular file';
  if (stat.isBlockDevice()) return 'a block device, not a regular file';
  if (stat.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

function formatLimit(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}
