/**
 * Secret references, in the syntax helmfile/vals users already write:
 *
 *   ref+<backend>://<path>[?key=value&…][#/json/pointer]     (or secretref+…, an alias)
 *
 * A whole value may be one reference (a trailing `+` is allowed). Inside a longer string every reference
 * must end with `+` (`postgres://app:ref+env://DB_PASSWORD+@db/shop`), since otherwise nothing says where the
 * reference stops. Anything that could be read two ways is an error that says how to write it, never a guess.
 * A reference names where a secret is, not the secret, so it may appear in errors and reports.
 */
import { closestMatch } from '../text/suggest.ts';

/** vals' backend names, plus `dotenv` for the local developer's `.env`. */
export const BACKENDS: readonly string[] = [
  'env',
  'dotenv',
  'file',
  'k8s',
  'vault',
  'openbao',
  'awssecrets',
  'awsssm',
];

/**
 * The backends this version reads. A name of BACKENDS missing here is reserved: a reference to it says it is
 * not available yet (none is, today).
 */
export const AVAILABLE_BACKENDS: readonly string[] = BACKENDS;

/** What to write instead of a backend that is not available: the ones that work, each for what it reads. */
export const AVAILABLE_ADVICE: string =
  'ref+env://NAME (a CI secret variable), ref+k8s://SECRET/KEY (a mounted Kubernetes Secret), ref+file://PATH (a mounted file), ref+vault://PATH#/KEY (HashiCorp Vault or OpenBao), ref+awssecrets://NAME (AWS Secrets Manager) or ref+awsssm://PATH (AWS SSM Parameter Store)';

export interface SecretReference {
  /** The reference as written. */
  text: string;
  backend: string;
  /** The path, percent-decoded. */
  path: string;
  params: Readonly<Record<string, string>>;
  /** JSON pointer segments (RFC 6901, unescaped) into what the backend read; undefined for the whole value. */
  pointer: readonly string[] | undefined;
}

/** A string holding references: literal text and references, in order. */
export type ReferenceParts = (string | SecretReference)[];

export type ParsedValue =
  | { kind: 'plain' }
  | { kind: 'whole'; reference: SecretReference }
  | { kind: 'embedded'; parts: ReferenceParts }
  | { kind: 'invalid'; message: string; hint: string };

// What starts a reference, or an attempt at one worth an error: `ref+`, a backend-like word and a colon.
const START = /(?<![A-Za-z0-9_])(?:secret)?ref\+[A-Za-z0-9_-]+:/g;
const HEAD = /^(?:secret)?ref\+([A-Za-z0-9_-]*)(:\/\/)?/;

/** Whether a value may hold a reference at all: the cheap test run on every loaded value. */
export function mayHoldReference(value: unknown): value is string {
  return typeof value === 'string' && value.includes('ref+');
}

export function parseValue(text: string): ParsedValue {
  if (!text.includes('ref+')) return { kind: 'plain' };
  const starts = [...text.matchAll(START)].map((match) => match.index);
  if (starts.length === 0) return { kind: 'plain' };
  const trimmed = text.trim();
  // One reference making up the whole value (surrounding whitespace aside, as YAML block scalars leave it).
  if (starts.length === 1 && text.indexOf(trimmed) === starts[0] && !/\s/.test(trimmed)) {
    const body = trimmed.endsWith('+') ? trimmed.slice(0, -1) : trimmed;
    const reference = parseReference(body, trimmed);
    if ('message' in reference) return { kind: 'invalid', ...reference };
    if (body.slice(body.indexOf('+') + 1).includes('+')) {
      return {
        kind: 'invalid',
        message: `${trimmed} is ambiguous: a + inside a reference could also end it`,
        hint: 'percent-encode a + that belongs to the path or a parameter as %2B',
      };
    }
    return { kind: 'whole', reference };
  }
  const parts: ReferenceParts = [];
  let position = 0;
  for (const start of starts) {
    if (start < position) {
      return {
        kind: 'invalid',
        message: `a reference in "${text}" starts inside another one`,
        hint: 'end each reference with + before the next begins',
      };
    }
    const end = text.indexOf('+', text.indexOf('+', start) + 1);
    const candidate = end === -1 ? text.slice(start) : text.slice(start, end);
    if (end === -1 || /\s/.test(candidate)) {
      const shown = candidate.split(/\s/)[0] ?? candidate;
      return {
        kind: 'invalid',
        message: `the reference ${shown} inside a longer value does not end with +`,
        hint: `write ${shown}+ so it is clear where the reference stops`,
      };
    }
    const reference = parseReference(candidate, `${candidate}+`);
    if ('message' in reference) return { kind: 'invalid', ...reference };
    if (start > position) parts.push(text.slice(position, start));
    parts.push(reference);
    position = end + 1;
  }
  if (position < text.length) parts.push(text.slice(position));
  return { kind: 'embedded', parts };
}

/** Parses one reference without its terminating `+`; `written` is how it appeared, for messages. */
function parseReference(body: string, written: string): SecretReference | { message: string; hint: string } {
  const head = HEAD.exec(body);
  const backend = head?.[1] ?? '';
  if (!head || backend === '' || head[2] === undefined) {
    return {
      message: `${written} is not a secret reference`,
      hint: 'write ref+<backend>://<path>[?params][#/pointer], e.g. ref+env://DB_PASSWORD',
    };
  }
  if (!BACKENDS.includes(backend)) {
    // Only a backend that works is suggested: following the hint must not lead to "not available yet".
    const suggestion = closestMatch(backend, AVAILABLE_BACKENDS);
    const reserved = closestMatch(backend, BACKENDS);
    return {
      message: `${written} names an unknown secret backend "${backend}"`,
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : reserved && !AVAILABLE_BACKENDS.includes(reserved)
          ? `${reserved} is reserved but not available yet; read the secret with ${AVAILABLE_ADVICE}`
          : `the backends are ${AVAILABLE_BACKENDS.join(', ')}`,
    };
  }
  const rest = body.slice(head[0].length);
  const hash = rest.indexOf('#');
  const beforeFragment = hash === -1 ? rest : rest.slice(0, hash);
  const fragment = hash === -1 ? undefined : rest.slice(hash + 1);
  const question = beforeFragment.indexOf('?');
  const rawPath = question === -1 ? beforeFragment : beforeFragment.slice(0, question);
  const query = question === -1 ? '' : beforeFragment.slice(question + 1);
  const path = decode(rawPath);
  if (path === undefined || path === '') {
    return {
      message: `${written} has ${path === '' ? 'no path' : 'a malformed %-escape in its path'}`,
      hint: `name what to read after ${backend}://, e.g. ref+${backend}://${backend === 'env' ? 'DB_PASSWORD' : 'path/to/secret'}`,
    };
  }
  const params: Record<string, string> = {};
  for (const pair of query === '' ? [] : query.split('&')) {
    const equals = pair.indexOf('=');
    const key = equals === -1 ? pair : pair.slice(0, equals);
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1));
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key) || value === undefined || key in params) {
      return {
        message: `${written} has a malformed or repeated parameter "${pair}"`,
        hint: 'write parameters as ?name=value&other=value, each name once',
      };
    }
    params[key] = value;
  }
  let pointer: string[] | undefined;
  if (fragment !== undefined) {
    if (!fragment.startsWith('/') || fragment === '/') {
      return {
        message: `${written} has a fragment that is not a JSON pointer: #${fragment}`,
        hint: `a fragment selects a key with a JSON pointer starting with /, e.g. #/${fragment.replace(/^\/+/, '') || 'password'}`,
      };
    }
    const segments = fragment
      .slice(1)
      .split('/')
      .map((segment) => decode(segment)?.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments.some((segment) => segment === undefined)) {
      return { message: `${written} has a malformed %-escape in its pointer`, hint: 'escape % as %25' };
    }
    pointer = segments as string[];
  }
  return { text: body, backend, path, params, pointer };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Every reference in a value (strings inside lists and maps included), and the first malformed one. */
export function collectReferences(
  raw: unknown,
  found: SecretReference[] = [],
): { references: SecretReference[]; invalid?: { message: string; hint: string } } {
  if (typeof raw === 'string') {
    const parsed = parseValue(raw);
    if (parsed.kind === 'whole') found.push(parsed.reference);
    else if (parsed.kind === 'embedded') {
      for (const part of parsed.parts) if (typeof part !== 'string') found.push(part);
    } else if (parsed.kind === 'invalid') {
      return { references: found, invalid: { message: parsed.message, hint: parsed.hint } };
    }
    return { references: found };
  }
  const children = Array.isArray(raw)
    ? raw
    : raw !== null && typeof raw === 'object'
      ? Object.values(raw)
      : [];
  for (const child of children) {
    const result = collectReferences(child, found);
    if (result.invalid) return result;
  }
  return { references: found };
}
