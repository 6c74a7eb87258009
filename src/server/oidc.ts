/**
 * OpenID Connect tokens as identities: CI (GitHub Actions, or any issuer stagecraft.yaml lists under
 * `server.oidc`) presents a token it was just issued instead of a stored secret. The token is verified with
 * jose (signature against the issuer's keys, `iss`, `aud`, `exp`, `nbf`), then its claims are matched
 * against the issuer's rules, which give it a role and the environments it acts in. This is how "CI on
 * merge to main" is proven rather than trusted.
 *
 * Any failure is an OidcError: `refused` with a reason a 401 body can show, or `unavailable` (503) when the
 * issuer's keys could not be had. The token itself never appears in a message.
 */
import type { Code } from '@stagecraft/config/errors';
import type { OidcIssuer, Workspace } from '@stagecraft/config/workspace';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { ServerCodes } from './errors.ts';
import type { Identity } from './identity.ts';
import { type OidcCode, OidcError, shown } from './oidc-error.ts';
import { createKeySource } from './oidc-keys.ts';
import { claimsSeen, describeClaims, findRule } from './oidc-rules.ts';

export interface OidcVerifierOptions {
  /** How long one request for a discovery document or a JWKS may take, in milliseconds; default 5000. */
  timeoutMs?: number;
  /**
   * The least time between two JWKS fetches prompted by a key id the cached set lacks (an issuer rotating its
   * keys), in milliseconds; default 30 000. Tokens naming unknown keys cannot make the server hammer the issuer.
   */
  cooldownMs?: number;
  /** How long a fetched JWKS is used before it is fetched again, in milliseconds; default 10 minutes. */
  cacheMaxAgeMs?: number;
  /** Clock difference tolerated when `exp` and `nbf` are checked, in seconds; default 30. */
  clockToleranceSeconds?: number;
  /** The time tokens are judged at; default the system clock. */
  now?: () => Date;
}

export interface OidcVerifier {
  /**
   * The identity a token proves: its `sub` as the name, with the role and environments of the first rule its
   * claims match. Throws an OidcError otherwise.
   */
  verify(jwt: string): Promise<Identity>;
}

/** Longer than any OIDC token (GitHub's are about 1 KiB): refused before anything is decoded. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * A verifier for the issuers of stagecraft.yaml's `server.oidc`. Keys are fetched when a token first needs
 * them and cached per issuer, so create one verifier per server, not one per request.
 *
 * @example
 * const verifier = createOidcVerifier(workspace.server.oidc);
 * const identity = await verifier.verify(bearerToken); // { name: 'repo:acme/shop:ref:refs/heads/main', role: 'ci', … }
 */
export function createOidcVerifier(
  settings: Workspace['server']['oidc'],
  options: OidcVerifierOptions = {},
): OidcVerifier {
  const fetchOptions = {
    timeoutMs: options.timeoutMs ?? 5000,
    cooldownMs: options.cooldownMs ?? 30_000,
    cacheMaxAgeMs: options.cacheMaxAgeMs ?? 600_000,
  };
  const issuers = new Map(
    settings.map((issuer) => [issuer.issuer, { issuer, keys: createKeySource(issuer, fetchOptions) }]),
  );
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  return {
    async verify(jwt) {
      const claimed = unverifiedIssuer(jwt);
      const entry = issuers.get(claimed);
      if (entry === undefined) {
        const known = [...issuers.keys()];
        throw new OidcError(
          ServerCodes.SERVER_OIDC_UNKNOWN_ISSUER,
          `the token's issuer ${shown(claimed)} is not one this server accepts`,
          {
            hint: known.length
              ? `present a token of ${known.join(' or ')}, or add its issuer under server.oidc in stagecraft.yaml`
              : 'this server accepts no OIDC tokens: list issuers under server.oidc in stagecraft.yaml',
          },
        );
      }
      const { issuer, keys } = entry;
      const verifyOptions: JWTVerifyOptions = {
        issuer: issuer.issuer,
        audience: [...issuer.audiences],
        algorithms: [...issuer.algorithms],
        requiredClaims: ['sub', 'exp'],
        clockTolerance,
        ...(options.now ? { currentDate: options.now() } : {}),
      };
      let payload: JWTPayload;
      try {
        payload = await verifySignedClaims(jwt, keys, verifyOptions);
      } catch (error) {
        throw refusal(error, jwt, issuer);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new OidcError(ServerCodes.SERVER_OIDC_MALFORMED, 'the token\'s "sub" claim is not a name', {
          issuer: issuer.issuer,
        });
      }
      const rule = findRule(issuer.rules, payload);
      if (rule === undefined) {
        const claims = claimsSeen(issuer.rules, payload);
        throw new OidcError(
          ServerCodes.SERVER_OIDC_NO_MATCHING_RULE,
          `no rule for ${issuer.issuer} matches the token of ${shown(payload.sub)}: ${describeClaims(claims)}`,
          {
            issuer: issuer.issuer,
            claims,
            hint: 'run the workflow from a repository, branch or environment a rule of server.oidc in stagecraft.yaml names, or add a rule',
          },
        );
      }
      return { name: payload.sub, role: rule.role, environments: rule.environments, via: 'oidc' };
    },
  };
}

/**
 * jwtVerify, trying each candidate key when the token names no key id and the issuer has several keys of its
 * type: jose leaves that choice to its caller.
 */
async function verifySignedClaims(
  jwt: string,
  keys: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(jwt, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    let last: unknown = error;
    for await (const key of error) {
      try {
        return (await jwtVerify(jwt, key, options)).payload;
      } catch (failure) {
        if (!(failure instanceof errors.JWSSignatureVerificationFailed)) throw failure;
        last = failure;
      }
    }
    throw last;
  }
}

/** The issuer a token says it is from, read before anything is verified, to know whose keys to verify with. */
function unverifiedIssuer(jwt: string): string {
  const malformed = (message: string) => new OidcError(ServerCodes.SERVER_OIDC_MALFORMED, message);
  if (jwt.length > MAX_TOKEN_LENGTH) {
    throw malformed(
      `the token is ${jwt.length} characters long, more than any OIDC token (${MAX_TOKEN_LENGTH})`,
    );
  }
  let payload: JWTPayload;
  try {
    payload = decodeJwt(jwt);
  } catch {
    throw malformed(
      'the bearer token is not a signed JWT (three base64url parts: header, claims, signature)',
    );
  }
  if (typeof payload.iss !== 'string') throw malformed('the token has no "iss" claim naming its issuer');
  return payload.iss;
}

/** The OidcError for a failure of jose's verification; the library's error is not kept (it holds the claims). */
function refusal(error: unknown, jwt: string, issuer: OidcIssuer): Error {
  if (error instanceof OidcError) return error;
  const refuse = (code: Code<OidcCode>, message: string, hint?: string) =>
    new OidcError(code, message, { issuer: issuer.issuer, hint });
  const header = safeHeader(jwt);
  if (error instanceof errors.JWTExpired) {
    return refuse(ServerCodes.SERVER_OIDC_EXPIRED, `the token expired at ${dateOf(error.payload['exp'])}`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const payload = error.payload;
    if (error.reason === 'missing' || error.reason === 'invalid') {
      if (error.claim === 'aud') {
        return refuse(
          ServerCodes.SERVER_OIDC_WRONG_AUDIENCE,
          `the token names no audience; ${accepted(issuer)}`,
        );
      }
      return refuse(
        ServerCodes.SERVER_OIDC_MALFORMED,
        error.reason === 'missing'
          ? `the token has no "${error.claim}" claim`
          : `the token's "${error.claim}" claim is not a time`,
      );
    }
    if (error.claim === 'nbf') {
      return refuse(
        ServerCodes.SERVER_OIDC_NOT_YET_VALID,
        `the token is not valid before ${dateOf(payload['nbf'])}`,
      );
    }
    if (error.claim === 'aud') {
      return refuse(
        ServerCodes.SERVER_OIDC_WRONG_AUDIENCE,
        `the token is for the audience ${audienceOf(payload['aud'])}; ${accepted(issuer)}`,
      );
    }
    return refuse(ServerCodes.SERVER_OIDC_MALFORMED, `the token's "${error.claim}" claim was refused`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return refuse(
      ServerCodes.SERVER_OIDC_ALGORITHM_REFUSED,
      `the token is signed with ${shown(header['alg'])}; tokens of ${issuer.issuer} are accepted signed with ${issuer.algorithms.join(', ')}`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse(
      ServerCodes.SERVER_OIDC_BAD_SIGNATURE,
      `the token's signature does not verify with the key of ${issuer.issuer} it names (kid ${shown(header['kid'])})`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSENotSupported) {
    return refuse(
      ServerCodes.SERVER_OIDC_BAD_SIGNATURE,
      `no key of ${issuer.issuer} verifies the token (kid ${shown(header['kid'])}, alg ${shown(header['alg'])})`,
      'present a token the issuer signed: none of its current keys is the one this token names',
    );
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return refuse(ServerCodes.SERVER_OIDC_MALFORMED, 'the bearer token is not a well-formed signed JWT');
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The token's header, for its `alg` and `kid`; empty when it cannot be read. */
function safeHeader(jwt: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(jwt);
  } catch {
    return {};
  }
}

function dateOf(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
    : '(an unreadable time)';
}

function audienceOf(aud: unknown): string {
  return Array.isArray(aud) ? aud.slice(0, 5).map(shown).join(', ') : shown(aud);
}

function accepted(issuer: OidcIssuer): string {
  return `tokens of ${issuer.issuer} are accepted for ${issuer.audiences.map((aud) => shown(aud)).join(' or ')}`;
}
