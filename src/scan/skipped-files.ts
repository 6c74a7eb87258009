/**
 * Files a scan did not read, each with why: binary, over the size limit, or in an encoding it cannot decode.
 * Every one is reported by name (a warning, and data in JSON and SARIF), so a skipped file never lets a scan
 * read as clean without saying so; `--fail-on-skipped` makes any of them an error.
 */
import type { DecodedText } from './decode-text.ts';

export type SkipReason = 'binary' | 'oversized' | 'undecodable';

export interface SkippedFile {
  /** As reports show paths: relative to the scan root (working tree) or the repository (git modes). */
  file: string;
  reason: SkipReason;
  /** Oversized: the file's size, or for a change in git, how far its added lines reached before the cut. */
  bytes?: number;
  /** Oversized: the limit in force (scan.maxFileSize). */
  limit?: number;
  /** Undecodable: the encoding its byte-order mark declares. */
  encoding?: string;
  /** Git modes: the commit whose change was skipped (absent for staged changes). */
  commit?: string;
  /** Git modes, oversized: the lines up to the limit were scanned, the rest were not. */
  partial?: boolean;
}

export interface Skipped {
  /** Excluded by .gitignore: on purpose, so counted, not listed. */
  ignored: number;
  binary: number;
  oversized: number;
  undecodable: number;
  /** Paths that could not be read at all, with the error code: these make the scan fail. */
  unreadable: string[];
  files: SkippedFile[];
}

export function emptySkipped(): Skipped {
  return { ignored: 0, binary: 0, oversized: 0, undecodable: 0, unreadable: [], files: [] };
}

export function recordSkip(skipped: Skipped, file: SkippedFile): void {
  skipped[file.reason]++;
  skipped.files.push(file);
}

/** Adds what a worker (or another part of a scan) skipped. Entry by entry: the lists can be long. */
export function mergeSkipped(into: Skipped, from: Skipped): void {
  into.ignored += from.ignored;
  for (const path of from.unreadable) into.unreadable.push(path);
  for (const file of from.files) recordSkip(into, file);
}

/** The entry for a file whose bytes did not decode to text. */
export function undecodedFile(file: string, decoded: Exclude<DecodedText, { text: string }>): SkippedFile {
  return decoded.skip === 'undecodable'
    ? { file, reason: 'undecodable', encoding: decoded.encoding }
    : { file, reason: 'binary' };
}
