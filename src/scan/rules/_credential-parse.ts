/**
 * Finders and checks for credentials without a vendor format: connection-string passwords, URL userinfo,
 * HTTP Basic values and JWTs. Kept apart from the rule list so the rules read as data.
 */
import { shannonEntropy } from '../entropy.ts';
import { isPlaceholder } from '../filters.ts';
import { decodeJsonSegment } from './_codec.ts';
import type { RawMatch } from './types.ts';

// Schemes whose URLs carry a database or broker password; `+driver` suffixes (`postgresql+psycopg2`,
// `mongodb+srv`) and a `jdbc:` prefix are allowed around them.
export const DB_SCHEME: string = String.raw`(?:jdbc:)?(?:postgres(?:ql)?|mysqlx?|mariadb|mongodb|rediss?|amqps?|mssql|sqlserver)(?:\+[a-z0-9]{1,20})?://`;

// RFC 3986 §3.2.1 userinfo, minus what ends a value in code and config (quotes, brackets, whitespace).
export const USER: string = String.raw`[^\s:@/?#"'\x60<>\[\]]{0,128}`;
export const PASSWORD: string = String.raw`[^\s@/?#"'\x60<>\[\]]{1,256}`;
// Any host, documentation hosts included: people sanitise the host of a copied URL and forget its password,
// and a placeholder password is caught by the placeholder checks whatever the host.
export const NOT_EXAMPLE_HOST: string = '';

// Anchored on the literal `://`, the scheme checked behind it: a leading alternation of schemes would be tried
// at every character of a file that mentions postgres or redis anywhere (this rule reads whole files).
const DB_URL = new RegExp(
  String.raw`:\/\/(?<=(?<scheme>(?<![A-Za-z0-9+.-])${DB_SCHEME}))(?<user>${USER}):(?<secret>${PASSWORD})@${NOT_EXAMPLE_HOST}(?=[A-Za-z0-9\[_%-])`,
  'gid',
);

// `Password=…` in ADO.NET / ODBC (`Server=…;Pwd=…;`), Npgsql (`Host=…;Password=…`), libpq keyword strings
// (`host=… password=…`) and JDBC (`;password=…`, `?password=…`).
const KEY_VALUE_PASSWORD =
  /(?:password|pwd)(?<=(?:^|[\s;?&"'\x60])(?:password|pwd))\s{0,4}=\s{0,4}(?:'(?<quoted>[^'\n]{1,256})'|(?<secret>[^;&\s"'\x60<>]{1,256}))/dgim;
const CONNECTION_CONTEXT = new RegExp(
  String.raw`(?<![^\s;"'\x60])(?:server|data source|host|addr(?:ess)?|network address)\s{0,4}=|jdbc:[a-z]|${DB_SCHEME}`,
  'gi',
);
/** How far (same line) a `Password=` pair may sit from the server, host or URL that makes it a connection string. */
const CONTEXT_REACH = 1024;

/** Passwords that documentation and local setups use: no secret, even when not templated. */
const WELL_KNOWN_PASSWORDS = new Set([
  'pass',
  'pwd',
  'pw',
  'foo',
  'bar',
  'baz',
  'qux',
  'hunter2',
  'passw0rd',
  'p4ssw0rd',
  'p@ssw0rd',
  'pa55word',
  's3cr3t',
  'secret123',
  'password1',
  'password123',
  'admin',
  'root',
  'guest',
  'postgres',
  'mysql',
]);

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A password worth reporting: not a template or placeholder (also once percent-decoded), not a well-known one. */
export function isRealPassword(value: string): boolean {
  const decoded = percentDecode(value);
  return !isPlaceholder(value) && !isPlaceholder(decoded) && !WELL_KNOWN_PASSWORDS.has(decoded.toLowerCase());
}

function groupMatch(found: RegExpExecArray, group: string): RawMatch | undefined {
  const secret = found.groups?.[group];
  const at = found.indices?.groups?.[group]?.[0];
  if (secret === undefined || at === undefined) return undefined;
  return { start: found.index, end: found.index + found[0].length, secret, secretStart: at };
}

/** Connection URLs with a password (a user is optional: `redis://:pass@host`), and `Password=` pairs. */
export function findConnectionPasswords(text: string): RawMatch[] {
  const matches: RawMatch[] = [];
  for (const found of text.matchAll(DB_URL)) {
    const match = groupMatch(found, 'secret');
    // The match shown starts at the scheme, which the pattern only looked back at.
    const scheme = found.indices?.groups?.['scheme']?.[0];
    if (match && scheme !== undefined) match.start = scheme;
    // `postgres:postgres@`, `guest:guest@`: a local default, not a secret.
    if (match && found.groups?.['user'] !== match.secret) matches.push(match);
  }
  let contexts: number[] | undefined;
  for (const found of text.matchAll(KEY_VALUE_PASSWORD)) {
    const match = groupMatch(found, 'secret') ?? groupMatch(found, 'quoted');
    // Found once per file, and only when a pair is: minified files hold thousands of pairs on one line.
    contexts ??= Array.from(text.matchAll(CONNECTION_CONTEXT), (context) => context.index);
    if (match && hasContext(text, contexts, found.index)) matches.push(match);
  }
  return matches;
}

/** Whether a connection-string marker lies on the same line as `at`, within CONTEXT_REACH characters. */
function hasContext(text: string, contexts: readonly number[], at: number): boolean {
  let low = 0;
  let high = contexts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((contexts[mid] as number) < at) low = mid + 1;
    else high = mid;
  }
  for (const near of [contexts[low - 1], contexts[low]]) {
    if (near === undefined || Math.abs(near - at) > CONTEXT_REACH) continue;
    if (!text.slice(Math.min(near, at), Math.max(near, at)).includes('\n')) return true;
  }
  return false;
}

/** Minimum signature size per JWS algorithm (RFC 7518 §3.1): HMAC output, ECDSA r‖s, EdDSA, RSA modulus. */
const SIGNATURE_BYTES: Record<string, number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
  ES256: 64,
  ES384: 96,
  ES512: 132,
  ES256K: 64,
  EdDSA: 64,
  Ed25519: 64,
  Ed448: 114,
};

/**
 * A signed JWT: header and payload are JSON objects, the header names an algorithm other than `none`, and
 * the signature has the size that algorithm produces (so a token cut short is not reported).
 */
export function isSignedJwt(token: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || signature.length % 4 === 1)
    return false;
  const alg = decodeJsonSegment(header)?.['alg'];
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || !decodeJsonSegment(payload)) return false;
  const size = Math.floor((signature.length * 3) / 4);
  const expected = SIGNATURE_BYTES[alg];
  if (expected !== undefined) return size === expected;
  return /^[RP]S\d{3}$/.test(alg) ? size >= 64 : size >= 16;
}

/** RFC 7617: base64 of `user-id:password`. An empty password counts when the user-id is itself a key. */
export function isBasicCredentials(value: string): boolean {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const pair = /^(?<user>[^:\x00-\x1f\x7f]{0,128}):(?<password>[^\x00-\x1f\x7f]{0,256})$/.exec(decoded);
  if (!pair?.groups) return false;
  const user = pair.groups['user'] as string;
  const secret = pair.groups['password'] as string;
  // API keys sent as the user-id with no password (Stripe-style `sk_…:`).
  if (secret === '') return user.length >= 16 && shannonEntropy(user) >= 3.5 && !isPlaceholder(user);
  return secret.length >= 6 && secret !== user && isRealPassword(secret);
}
