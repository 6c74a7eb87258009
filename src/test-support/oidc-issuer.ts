/**
 * An OpenID Connect issuer on 127.0.0.1, standing in for GitHub Actions': a discovery document, a JWKS with
 * one key generated at test time (rotated on demand), and tokens signed with it carrying GitHub's claims.
 * Requests are counted, so a test can tell when keys were fetched.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface FakeIssuer {
  /** The issuer, as its tokens' `iss` claim reads: http://127.0.0.1:PORT */
  url: string;
  jwksUrl: string;
  /** Requests answered (or refused) so far, by what was asked for. */
  requests: { discovery: number; jwks: number };
  /** The key tokens are signed with and the JWKS serves. */
  key: SigningKey;
  /** How the issuer answers: `serve` (the default), `fail` (HTTP 503) or `hang` (never). */
  mode: 'serve' | 'fail' | 'hang';
  /**
   * A token of a GitHub Actions workflow of acme/shop on main, signed with the current key (or `options.key`),
   * valid for five minutes; `claims` replace or (as undefined) remove the defaults.
   */
  sign(claims?: Record<string, unknown>, options?: { key?: SigningKey; kid?: string }): Promise<string>;
  /** Replaces the served key by a new one with a new key id. */
  rotate(): Promise<SigningKey>;
  jwks(): { keys: JWK[] };
  /** The discovery document served; replace it to serve another. */
  discovery(): Record<string, unknown>;
  /** Stops answering: connections are refused from now on. */
  close(): Promise<void>;
}

let keys = 0;

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `test-key-${++keys}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startOidcIssuer(t: { after(fn: () => unknown): void }): Promise<FakeIssuer> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = request.url ?? '';
    if (path === '/.well-known/openid-configuration') issuer.requests.discovery++;
    else if (path === '/.well-known/jwks') issuer.requests.jwks++;
    else return void response.writeHead(404).end();
    if (issuer.mode === 'hang') return;
    if (issuer.mode === 'fail') return void response.writeHead(503).end();
    if (path === '/.well-known/jwks') return json(issuer.jwks());
    json(issuer.discovery());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.after(close);

  const issuer: FakeIssuer = {
    url,
    jwksUrl: `${url}/.well-known/jwks`,
    requests: { discovery: 0, jwks: 0 },
    key: await newSigningKey(),
    mode: 'serve',
    async sign(claims = {}, options = {}) {
      const key = options.key ?? issuer.key;
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: url,
        aud: 'stagecraft',
        sub: 'repo:acme/shop:ref:refs/heads/main',
        repository: 'acme/shop',
        repository_owner: 'acme',
        ref: 'refs/heads/main',
        event_name: 'push',
        iat: now,
        nbf: now - 5,
        exp: now + 300,
      };
      for (const [name, value] of Object.entries(claims)) {
        if (value === undefined) delete payload[name];
        else payload[name] = value;
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid })
        .sign(key.privateKey);
    },
    async rotate() {
      issuer.key = await newSigningKey();
      return issuer.key;
    },
    jwks: () => ({ keys: [issuer.key.publicJwk] }),
    discovery: () => ({
      issuer: url,
      jwks_uri: `${url}/.well-known/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
    }),
    close,
  };
  return issuer;
}
