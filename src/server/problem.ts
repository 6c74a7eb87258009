/**
 * How an error becomes an HTTP answer: the status from its code (and else its outcome), the body the same
 * code, message and hint the CLI prints. The CLI turns the body back into the error (client.ts), so a refusal
 * reads and exits the same against the server as locally. An error that is no StagecraftError is a bug: its
 * message may hold anything, so the body says only that the log has it.
 */
import { isStagecraftError, type Outcome, type StagecraftError } from '@stagecraft/config/errors';
import { LedgerCodes } from '../ledger/errors.ts';
import { ServerCodes } from './errors.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export interface ErrorBody {
  error: { code: string; message: string; hint?: string | undefined; outcome: Outcome };
}

const BY_CODE: ReadonlyMap<string, ErrorStatus> = new Map<string, ErrorStatus>([
  [ServerCodes.SERVER_UNAUTHENTICATED, 401],
  [ServerCodes.SERVER_RATE_LIMITED, 429],
  [ServerCodes.SERVER_BAD_REQUEST, 400],
  [ServerCodes.SERVER_NOT_FOUND, 404],
  [LedgerCodes.LEDGER_UNKNOWN_SERVICE, 404],
  [LedgerCodes.LEDGER_UNKNOWN_ENVIRONMENT, 404],
  [LedgerCodes.LEDGER_UNKNOWN_TOKEN, 404],
  [LedgerCodes.LEDGER_UNKNOWN_DEPLOYMENT, 404],
  [LedgerCodes.LEDGER_NOT_A_DIGEST, 422],
  [LedgerCodes.LEDGER_WRONG_REPOSITORY, 422],
  [LedgerCodes.LEDGER_BAD_COMMIT, 422],
  [LedgerCodes.LEDGER_BAD_TOKEN_REQUEST, 422],
  [LedgerCodes.LEDGER_GATE_FAILED, 409],
  [LedgerCodes.LEDGER_ALREADY_DEPLOYED, 409],
  [LedgerCodes.LEDGER_DEPLOYMENT_IN_PROGRESS, 409],
  [LedgerCodes.LEDGER_DIGEST_CONFLICT, 409],
  [LedgerCodes.LEDGER_ARTIFACT_REJECTED, 409],
  [LedgerCodes.LEDGER_NOTHING_PENDING, 409],
]);

const BY_OUTCOME: Readonly<Record<Outcome, ErrorStatus>> = {
  refused: 403,
  invalid: 422,
  failed: 400,
  unavailable: 503,
};

export function problem(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  if (!isStagecraftError(error)) {
    return {
      status: 500,
      body: {
        error: {
          code: ServerCodes.SERVER_INTERNAL,
          message: 'the server met an unexpected error',
          hint: 'its log has the details',
          outcome: 'failed',
        },
      },
    };
  }
  return { status: statusOf(error), body: bodyOf(error) };
}

export function statusOf(error: StagecraftError): ErrorStatus {
  return BY_CODE.get(error.code) ?? BY_OUTCOME[error.outcome] ?? 400;
}

export function bodyOf(error: StagecraftError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      outcome: error.outcome,
    },
  };
}
