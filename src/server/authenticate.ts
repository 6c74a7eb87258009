/**
 * Who is asking. Every API request carries `Authorization: Bearer …`: a stagecraft token (kept as a hash in
 * the ledger, checked on every request so revocation and expiry count at once) or, where stagecraft.yaml
 * configures an issuer, an OIDC token such as a GitHub Actions job's, verified against the issuer's keys and
 * mapped to a role by the rules there. Nothing else is believed — no header, no STAGECRAFT_ROLE.
 *
 * A failure is answered 401 with why (no token, unknown, expired, revoked, or the OIDC check that failed),
 * audited, and counted against the client: past the limit it is answered 429 until its window passes. The
 * token itself never appears in an answer, a log line or the audit log.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { Context, MiddlewareHandler } from 'hono';
import { type Ledger, Refusal } from '../ledger/ledger.ts';
import { ISSUED_MARK } from '../ledger/tokens.ts';
import { ServerCodes } from './errors.ts';
import type { Identity } from './identity.ts';
import { bodyOf } from './problem.ts';
import type { FailureLimiter } from './rate-limit.ts';

/** Verifies an OIDC token: the identity its claims map to, or a StagecraftError saying why not. */
export interface TokenVerifier {
  verify(jwt: string): Promise<Identity>;
}

export interface AuthenticationOptions {
  ledger: Ledger;
  limiter: FailureLimiter;
  oidc?: TokenVerifier | undefined;
}

export type AuthenticatedEnv = { Variables: { identity: Identity; client: string } };

const JWT_FORM = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function authenticate(options: AuthenticationOptions): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    const client = clientAddress(c);
    // A limited client is refused before its token is looked at, a valid token included: were a valid one let
    // through, 200 against 429 would still tell a guesser which guess was right, and the limit would bound
    // nothing. The price: clients behind one address (a NAT, a pool of CI runners) wait out the rest of the
    // window together, at most a minute, and the failures that caused it are in the audit log. Answers to a
    // limited client are neither audited nor counted, so a flood neither fills the log nor extends the window.
    const wait = options.limiter.retryAfter(client);
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      const error = new StagecraftError(
        ServerCodes.SERVER_RATE_LIMITED,
        `too many failed authentications from ${client}; try again in ${wait}s`,
        { hint: 'use a valid token; the limit counts failures only' },
      );
      return c.json(bodyOf(error), 429);
    }
    let identity: Identity;
    try {
      identity = await identify(c.req.header('authorization'), options);
    } catch (error) {
      if (!isStagecraftError(error) || error.outcome !== 'refused') throw error;
      const lockedOut = options.limiter.fail(client);
      // Audited as a refusal like every other; the subject says what was asked, never with what token.
      const who = { name: '(unauthenticated)', role: 'none' };
      const subject = `${c.req.method} ${c.req.path} from ${client}`;
      const action = lockedOut ? 'authenticate (client now rate limited)' : 'authenticate';
      await options.ledger.refuse(who, action, subject, error).catch(() => {});
      c.header('WWW-Authenticate', 'Bearer realm="stagecraft"');
      return c.json(bodyOf(error), 401);
    }
    c.set('identity', identity);
    await next();
  };
}

async function identify(header: string | undefined, options: AuthenticationOptions): Promise<Identity> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const presented = match?.[1];
  if (!presented) {
    throw refused(
      header === undefined ? 'no token was sent' : 'the Authorization header is not "Bearer TOKEN"',
    );
  }
  if (presented.startsWith(ISSUED_MARK)) {
    const check = await options.ledger.checkToken(presented);
    if ('actor' in check) return { ...check.actor, via: 'token' };
    const named = check.name ? ` (${check.name})` : '';
    const why = {
      unknown: 'the token is unknown',
      expired: `the token${named} has expired`,
      revoked: `the token${named} was revoked`,
    };
    throw refused(why[check.refused]);
  }
  if (JWT_FORM.test(presented)) {
    if (!options.oidc) {
      throw refused('an OIDC token was sent, but stagecraft.yaml configures no issuer (server.oidc)');
    }
    return options.oidc.verify(presented);
  }
  throw refused('the token is neither a stagecraft token nor an OIDC token');
}

function refused(why: string): Refusal {
  return new Refusal(ServerCodes.SERVER_UNAUTHENTICATED, `not authenticated: ${why}`, {
    hint: 'send Authorization: Bearer with a token from `stagecraft token create`, or the CI job’s OIDC token',
  });
}

/**
 * Who is connecting, for the rate limit and the audit log. By default the peer's address: a forwarding header
 * is believed only from the `trustedProxies` hops in front of the server (a load balancer appends the address
 * it saw to X-Forwarded-For; what a client wrote before it is not believed).
 */
export function clientAddressing(trustedProxies: number): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    let address = peerAddress(c);
    if (trustedProxies > 0) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((hop) => hop.trim())
        .filter(Boolean);
      address = hops[Math.max(0, hops.length - trustedProxies)] ?? address;
    }
    c.set('client', address);
    await next();
  };
}

export function clientAddress(c: Context<AuthenticatedEnv>): string {
  return c.get('client') ?? peerAddress(c);
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
