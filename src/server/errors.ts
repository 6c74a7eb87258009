/**
 * Codes of the stagecraft server (`stagecraft serve`). An OIDC token that does not prove who presents it is
 * `refused` (the server answers 401 and says why); keys that cannot be had are `unavailable` (503: the token
 * could not be judged, and may be fine).
 */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
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
