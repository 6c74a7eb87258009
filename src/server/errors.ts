/**
 * Codes of the server and of the CLI talking to it: who is asking (tokens, OIDC), what a request may carry,
 * and whether the server can be reached.
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
} as const;

export const ServerCodes: Catalog<keyof typeof codes> = defineErrors('server', codes);
