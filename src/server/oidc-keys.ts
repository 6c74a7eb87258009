/**
 * An issuer's signing keys, as jose's key resolver: from a JWKS URL (cached, fetched again when a token names
 * a key id it lacks, at most once per cooldown), from the `jwks_uri` of the issuer's discovery document, or
 * from a JWKS file (read again when it changes). Keys that cannot be had are an OidcError
 * SERVER_OIDC_JWKS_UNAVAILABLE; a token whose key is not among them is left to jose's own errors.
 */
import { stat } from 'node:fs/promises';
import { INPUT_LIMITS, readJsonFile } from '@stagecraft/config/input';
import { httpsUrlProblem, type OidcIssuer } from '@stagecraft/config/workspace';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';
import { ServerCodes } from './errors.ts';
import { OidcError, shown } from './oidc-error.ts';

export interface KeyFetchOptions {
  /** How long one request for a discovery document or a JWKS may take, in milliseconds. */
  timeoutMs: number;
  /** The least time between two JWKS fetches prompted by a key id the cached set lacks, in milliseconds. */
  cooldownMs: number;
  /** How long a fetched JWKS is used before it is fetched again, in milliseconds. */
  cacheMaxAgeMs: number;
}

/** Far above any real JWKS or discovery document (GitHub's are a few KiB), far below what would hurt. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

export function createKeySource(issuer: OidcIssuer, options: KeyFetchOptions): JWTVerifyGetKey {
  const { jwks } = issuer;
  const resolve =
    jwks.kind === 'file'
      ? fileKeys(jwks.path)
      : jwks.kind === 'url'
        ? remoteKeys(jwks.url, options)
        : discoveredKeys(issuer.issuer, jwks.url, options);
  const where = jwks.kind === 'file' ? jwks.path : jwks.url;
  return async (header, token) => {
    try {
      return await resolve(header, token);
    } catch (error) {
      // Whether the issuer has a key for the token (its kid, its alg) is the token's problem, not the keys'.
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported ||
        error instanceof OidcError
      ) {
        throw error;
      }
      throw new OidcError(
        ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE,
        `the signing keys of ${issuer.issuer} could not be read from ${where}: ${describeFailure(error, options)}`,
        {
          issuer: issuer.issuer,
          cause: error,
          hint:
            jwks.kind === 'file'
              ? 'check that the JWKS file exists, is readable and holds {"keys": [...]}'
              : `check that this server reaches ${where}; the token may be fine, so try again`,
        },
      );
    }
  };
}

function remoteKeys(url: string, options: KeyFetchOptions): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [customFetch]: fetchCapped,
  });
}

/**
 * Keys found through OpenID Connect Discovery: the document is fetched once, when the first token needs
 * keys; a failure is not remembered, so the next token tries again.
 */
function discoveredKeys(issuer: string, url: string, options: KeyFetchOptions): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  let pending: Promise<JWTVerifyGetKey> | undefined;
  const discover = async () => {
    const jwksUri = await discoverJwksUri(issuer, url, options.timeoutMs);
    keys = remoteKeys(jwksUri, options);
    return keys;
  };
  return async (header, token) => {
    if (keys === undefined) {
      pending ??= discover().finally(() => {
        pending = undefined;
      });
      await pending;
    }
    return (keys as JWTVerifyGetKey)(header, token);
  };
}

async function discoverJwksUri(issuer: string, url: string, timeoutMs: number): Promise<string> {
  const response = await fetchCapped(url, {
    method: 'GET',
    redirect: 'manual',
    headers: new Headers({ accept: 'application/json' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  let document: unknown;
  try {
    document = await response.json();
  } catch {
    throw new Error('the discovery document is not JSON');
  }
  const fields = (document ?? {}) as Record<string, unknown>;
  // OpenID Connect Discovery 1.0, section 4.3: the document names the issuer it was fetched for, exactly.
  if (fields['issuer'] !== issuer) {
    throw new Error(`the discovery document names the issuer ${shown(fields['issuer'])}`);
  }
  const jwksUri = fields['jwks_uri'];
  if (typeof jwksUri !== 'string') throw new Error('the discovery document has no jwks_uri');
  const problem = httpsUrlProblem(jwksUri);
  if (problem !== undefined) throw new Error(`its jwks_uri ${shown(jwksUri)} is refused: ${problem}`);
  return jwksUri;
}

/** A JWKS file, read when first needed and again whenever it is replaced or rewritten. */
function fileKeys(path: string): JWTVerifyGetKey {
  let cached: { version: string; keys: JWTVerifyGetKey } | undefined;
  return async (header, token) => {
    const stats = await stat(path);
    const version = `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    if (cached?.version !== version) {
      const json = readJsonFile(path, {
        what: 'JWKS file',
        maxBytes: INPUT_LIMITS.authored,
        code: ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE,
        hint: 'write the issuer’s JSON Web Key Set there',
      });
      cached = { version, keys: createLocalJWKSet(json as Parameters<typeof createLocalJWKSet>[0]) };
    }
    return cached.keys(header, token);
  };
}

/**
 * fetch, refusing anything but a 200 and a body larger than MAX_DOCUMENT_BYTES: an issuer that answers with
 * an endless stream must not take the server's memory with it.
 */
const fetchCapped: FetchImplementation = async (url, init) => {
  const response = await fetch(url, init);
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(
      `the answer was HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) break;
    size += chunk.value.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      await reader?.cancel();
      throw new Error(`the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(chunk.value);
  }
  return new Response(Buffer.concat(chunks), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

/** Why keys could not be had, in a few words: what a 503 body and the server's log say. */
function describeFailure(error: unknown, options: KeyFetchOptions): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'JWKSTimeout') {
    return `no answer within ${options.timeoutMs} ms`;
  }
  if (error.name === 'JWKSInvalid') return `it is not a JSON Web Key Set of public keys (${error.message})`;
  if (error.message === 'Failed to parse the JSON Web Key Set HTTP response as JSON') {
    return 'the answer is not JSON';
  }
  // Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND) in its cause.
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (error.message === 'fetch failed' && cause !== undefined) {
    return typeof cause.code === 'string'
      ? `${String(cause.message ?? '')} (${cause.code})`.trim()
      : String(cause.message);
  }
  return error.message;
}
