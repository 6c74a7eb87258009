/**
 * Why an OIDC token was not accepted, as data a 401 or 503 body can carry. Messages quote claims and header
 * fields (an issuer, a key id, a repository: none of them secret), never the token or any part of its
 * signature, and carry no error of the JOSE library as their cause, since those hold the token's claims set.
 */
import { type Code, StagecraftError, type StagecraftErrorOptions } from '@stagecraft/config/errors';
import type { ServerCodes } from './errors.ts';

/** Why a token was not accepted, in a word or three, for a response body and the audit log. */
export type OidcReason =
  | 'malformed token'
  | 'unknown issuer'
  | 'algorithm not allowed'
  | 'bad signature'
  | 'expired'
  | 'not yet valid'
  | 'wrong audience'
  | 'no matching rule'
  | 'jwks unavailable';

/** The server's codes for OIDC tokens. */
export type OidcCode = Extract<keyof typeof ServerCodes, `SERVER_OIDC_${string}`>;

/** Keyed by the catalog's names, so a code added there without a reason here does not compile. */
const REASONS: Readonly<Record<OidcCode, OidcReason>> = {
  SERVER_OIDC_MALFORMED: 'malformed token',
  SERVER_OIDC_UNKNOWN_ISSUER: 'unknown issuer',
  SERVER_OIDC_ALGORITHM_REFUSED: 'algorithm not allowed',
  SERVER_OIDC_BAD_SIGNATURE: 'bad signature',
  SERVER_OIDC_EXPIRED: 'expired',
  SERVER_OIDC_NOT_YET_VALID: 'not yet valid',
  SERVER_OIDC_WRONG_AUDIENCE: 'wrong audience',
  SERVER_OIDC_NO_MATCHING_RULE: 'no matching rule',
  SERVER_OIDC_JWKS_UNAVAILABLE: 'jwks unavailable',
};

export interface OidcErrorOptions extends StagecraftErrorOptions {
  /** The issuer the token was checked against, when it is one stagecraft.yaml lists. */
  issuer?: string | undefined;
  /** The claims a rule could have matched on, as the token carries them (null: absent). */
  claims?: Readonly<Record<string, string | null>> | undefined;
}

/**
 * A token that proves no identity (outcome `refused`: 401), or could not be judged (`unavailable`: 503, for
 * SERVER_OIDC_JWKS_UNAVAILABLE).
 */
export class OidcError extends StagecraftError<OidcCode> {
  readonly reason: OidcReason;
  readonly issuer: string | undefined;
  readonly claims: Readonly<Record<string, string | null>> | undefined;

  constructor(code: Code<OidcCode>, message: string, options: OidcErrorOptions = {}) {
    super(code, message, options);
    this.name = 'OidcError';
    this.reason = REASONS[code as OidcCode];
    this.issuer = options.issuer;
    this.claims = options.claims;
  }
}

const MAX_SHOWN = 100;

/**
 * A value from a token (a claim, a header field) fit for a message: quoted with escapes, so a control
 * character cannot forge a log line, and cut short, so a token cannot fill the log.
 */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return Array.isArray(value) ? 'a list' : 'a map';
  return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 3)}...` : value);
}
