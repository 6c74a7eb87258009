/**
 * Base64 and JSON-in-base64 helpers for rules whose tokens carry structure (JWTs, Supabase keys, 1Password and
 * Grafana Cloud tokens, Sentry and Mapbox claims): validators decode a segment to check it, sample generators
 * encode one. Kept in one place so every rule decodes the same way.
 */
import type { Gen } from './gen.ts';

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

export function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/**
 * The JSON object a base64url segment encodes, if it encodes one (not an array or a scalar). Node's base64url
 * decoder also reads standard base64, so this serves both alphabets.
 */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface FakeJwtParts {
  /** The JOSE header; HS256 by default. */
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Base64url characters of the random signature: 43 for HS256's 32 bytes (the default), 86 for ES256's 64. */
  signatureLength?: number;
}

/** A JWT-shaped string for samples: the given header and payload, and a random (unverifiable) signature. */
export function fakeJwt(gen: Gen, parts: FakeJwtParts): string {
  const header = parts.header ?? { alg: 'HS256', typ: 'JWT' };
  const signature = gen.base64url(parts.signatureLength ?? 43);
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(parts.payload))}.${signature}`;
}
