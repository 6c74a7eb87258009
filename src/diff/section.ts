/** What every section of the diff report shares: its status, its error, and what the builder is given. */
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import type { GitEnvironment } from '../git/run.ts';
import type { LedgerApi } from '../ledger/api.ts';
import { DiffCodes } from './errors.ts';

export type SectionStatus = 'same' | 'differs' | 'error' | 'skipped';

/** Why a section could not be evaluated: a StagecraftError's code, message and hint. */
export interface SectionError {
  code: string;
  message: string;
  hint: string | null;
}

export interface Section<T> {
  status: SectionStatus;
  /** One line: what differs, or why the section was skipped or failed. */
  summary: string;
  data: T | null;
  error: SectionError | null;
}

export type DiffLedger = Pick<LedgerApi, 'status' | 'history' | 'rehearsal'>;

export interface DiffInputs {
  workspace: Workspace;
  left: string;
  right: string;
  /** The ledger (local or a server's), or why it could not be opened. */
  ledger: DiffLedger | StagecraftError;
  /** The git repository's top level, or why there is none. */
  repository: string | StagecraftError;
  gitEnv?: GitEnvironment | undefined;
  /**
   * The config fields the app's definition declares secret (`db.password`), or undefined when the definition
   * could not be loaded: then values whose key names a secret (password, token, key…) are treated as secret.
   */
  secretFields?: ReadonlySet<string> | undefined;
}

export function sectionError(error: unknown, section: string): SectionError {
  const known = isStagecraftError(error)
    ? error
    : new StagecraftError(
        DiffCodes.DIFF_SECTION_FAILED,
        `internal error in the ${section} section: ${error instanceof Error ? error.message : String(error)}; this is a bug in stagecraft`,
        { hint: 'please report it with the command you ran; the other sections were still compared' },
      );
  return { code: known.code, message: known.message, hint: known.hint ?? null };
}

export function failed<T>(error: unknown, section: string): Section<T> {
  const shown = sectionError(error, section);
  return {
    status: 'error',
    summary: shown.message.split('\n')[0] ?? shown.message,
    data: null,
    error: shown,
  };
}

export function skipped<T>(summary: string): Section<T> {
  return { status: 'skipped', summary, data: null, error: null };
}
