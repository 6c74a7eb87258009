/**
 * Codes of the server and of the CLI talking to it: who is asking (tokens, OIDC), what a request may carry,
 * and whether the server can be reached. An OIDC token that does not prove who presents it is
 * `refused` (the server answers 401 and says why); keys that cannot be had are `unavailable` (503: the token
 * could not be judged, and may be fine).
 */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  SERVER_UNAUTHENTICATED: {
    outcome: 'refused',
    meaning:
      'The request carries no identity the server accepts: no token, or one that is unknown, expired or revoked, or an OIDC token that does not verify.',
    hint: 'Set STAGECRAFT_TOKEN to a token from `stagecraft token create`, or to the CI job’s OIDC token.',
  },
  SERVER_RATE_LIMITED: {
    outcome: 'refused',
    meaning: 'Too many failed authentications came from this client; it must wait before trying again.',
    hint: 'Wait for the time the Retry-After header gives, then use a valid token.',
  },
  SERVER_BAD_REQUEST: {
    outcome: 'failed',
    meaning: 'A request body is not JSON, too large, or not what the API’s schema describes (/openapi.json).',
    hint: 'Compare the request with /openapi.json; a body may be at most 1 MiB.',
  },
  SERVER_NOT_FOUND: {
    outcome: 'failed',
    meaning: 'No API route answers this method and path.',
    hint: 'GET /openapi.json lists the routes.',
  },
  SERVER_UNREACHABLE: {
    outcome: 'unavailable',
    meaning: 'The CLI could not reach the server at STAGECRAFT_URL, or it did not answer in time.',
    hint: 'Check STAGECRAFT_URL and that `stagecraft serve` runs there; unset STAGECRAFT_URL to use a local ledger.',
  },
  SERVER_BAD_RESPONSE: {
    outcome: 'failed',
    meaning:
      'The server answered with something that is not the API’s JSON: another service, or a proxy’s error page.',
    hint: 'Check that STAGECRAFT_URL points at `stagecraft serve` itself.',
  },
  SERVER_BAD_URL: {
    outcome: 'failed',
    meaning: 'STAGECRAFT_URL is not an http:// or https:// URL, or STAGECRAFT_TOKEN is missing beside it.',
    hint: 'Use STAGECRAFT_URL=https://stagecraft.example.com with STAGECRAFT_TOKEN set.',
  },
  SERVER_LOCAL_ONLY: {
    outcome: 'failed',
    meaning:
      'The command works on a local ledger only (it reads the database itself, or rehearses with a clock the server never takes).',
    hint: 'Run it where the database is, without STAGECRAFT_URL.',
  },
  SERVER_INTERNAL: {
    outcome: 'failed',
    meaning: 'The server met an error it did not expect; its log has the details.',
    hint: 'Report it with the server’s log lines for the request.',
  },
  SERVER_CANNOT_LISTEN: {
    outcome: 'unavailable',
    meaning: 'The server cannot listen on the host and port given (in use, or not allowed).',
    hint: 'Choose another --port, or stop what listens there.',
  },
  SERVER_OIDC_MALFORMED: {
    outcome: 'refused',
    meaning:
      'The bearer token is not a well-formed JWT, or lacks a claim every OIDC token must carry (iss, sub, exp).',
    hint: 'Send the token exactly as the CI provider issued it (GitHub Actions: core.getIDToken), in an Authorization: Bearer header.',
  },
  SERVER_OIDC_UNKNOWN_ISSUER: {
    outcome: 'refused',
    meaning: 'The token was issued by an issuer stagecraft.yaml does not list under server.oidc.',
    hint: 'Add the issuer under server.oidc, or present a token of a listed issuer.',
  },
  SERVER_OIDC_ALGORITHM_REFUSED: {
    outcome: 'refused',
    meaning:
      'The token is signed with an algorithm the issuer’s entry does not accept: none, a symmetric one (HS256), or one left out of its algorithms.',
    hint: 'Present a token signed by the issuer itself; CI providers sign with RS256 or ES256.',
  },
  SERVER_OIDC_BAD_SIGNATURE: {
    outcome: 'refused',
    meaning:
      'The token’s signature does not verify against the issuer’s keys, or no key of the issuer matches the token.',
    hint: 'Present a token the issuer signed; a token signed by anyone else is refused.',
  },
  SERVER_OIDC_EXPIRED: {
    outcome: 'refused',
    meaning: 'The token has expired (its exp claim has passed, beyond a small tolerance for clock skew).',
    hint: 'Request a fresh token just before calling the server; CI tokens live for minutes.',
  },
  SERVER_OIDC_NOT_YET_VALID: {
    outcome: 'refused',
    meaning: 'The token is not valid yet (its nbf claim is in the future, beyond a small tolerance).',
    hint: 'Check the clocks of the CI runner and of the server.',
  },
  SERVER_OIDC_WRONG_AUDIENCE: {
    outcome: 'refused',
    meaning: 'The token was issued for another audience than the one server.oidc accepts.',
    hint: 'Request the token for the audience stagecraft.yaml names (GitHub Actions: core.getIDToken(audience)).',
  },
  SERVER_OIDC_NO_MATCHING_RULE: {
    outcome: 'refused',
    meaning:
      'The token is genuine, but no rule of its issuer in stagecraft.yaml matches its claims (the repository, ref or environment it was issued for).',
    hint: 'Run the workflow from a repository, branch or environment a rule names, or add a rule under server.oidc.',
  },
  SERVER_OIDC_JWKS_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning:
      'The issuer’s signing keys could not be had: its discovery document or JWKS did not answer, answered with an error or with something else than keys, or the JWKS file cannot be read. The token could not be judged.',
    hint: 'Check that the server reaches the issuer (or that the JWKS file is readable), then try again.',
  },
} as const;

export const ServerCodes: Catalog<keyof typeof codes> = defineErrors('server', codes);
