/**
 * What looks like a secret but is not: placeholders, templates, references to where the real value lives,
 * digests and identifiers. Vendor rules consult the placeholder filters; generic rules consult all of them,
 * since a bare `token = "…"` has no format to vouch for it.
 */

// `${X}`, `$X`, `{{ x }}` (or its opening, when a quote cut it), `{% x %}`, `{x}`, `%(x)s`, `%X%`, `<x>`, `[x]`,
// `#{x}`, `@x@`, `__X__`: templates and references.
const TEMPLATE =
  /\$\{[^}]*\}|\{\{|\{%|^%[\w.-]+%$|\$\(|^\$[A-Za-z_]|\{\{.*\}\}|^\{[\w.-]+\}$|%\([\w.-]+\)[sd]|^<[^<>]+>$|^\[[^\]]+\]$|#\{[^}]*\}|^@[\w.-]+@$|^__[\w]+__$/;

// Words people put where a secret will go. Matched against the whole value, lowercased, minus punctuation.
const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change_me',
  'changeit',
  'password',
  'passwd',
  'pass',
  'secret',
  'token',
  'apikey',
  'api_key',
  'example',
  'sample',
  'dummy',
  'placeholder',
  'redacted',
  'removed',
  'hidden',
  'notset',
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'todo',
  'tbd',
  'fixme',
  'xxx',
  'test',
  'testing',
  'default',
  'secretkey',
  'secret_key',
  'mysecret',
  'mypassword',
  'yourpassword',
  'your_password',
  'yoursecret',
  'your_secret',
  'yourtoken',
  'your_token',
  'youraccesstoken',
  'true',
  'false',
  'value',
  'values',
  'string',
  'str',
  'secretvalue',
  'tokenvalue',
]);

const PLACEHOLDER_FRAGMENTS =
  /example(?:key)?$|^(?:test|testing|dummy|fake|foo|bar|baz|qux|demo|sample|mock)[-_]?(?:token|pass(?:word)?|secret|key|user|value|bar|123|1234)?$|replace[-_ ]?me|(?:^|[^a-z])(?:your|my|insert|enter|put|replace|fill)[-_ ]?(?:own[-_ ]?)?(?:api|access|secret|auth|app)?[-_ ]?(?:key|token|secret|password|pass|here)|_here$|^example[-_]|[-_]example$|placeholder|redacted|changeme|dummy|fake[-_]?(?:key|token|secret|password)|not[-_]?a[-_]?(?:real|secret)/i;

/** A value made of one repeated character (`xxxxxxxx`, `********`, `00000000`) or a simple run (`12345678`). */
function isRepetitive(value: string): boolean {
  if (value.length === 0) return true;
  const distinct = new Set(value.toLowerCase()).size;
  if (distinct <= 2) return true;
  return (
    '0123456789abcdefghijklmnopqrstuvwxyz'.includes(value.toLowerCase()) ||
    value.replace(/[x*•.#-]/gi, '') === ''
  );
}

export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  if (TEMPLATE.test(trimmed)) return true;
  if (PLACEHOLDER_WORDS.has(trimmed.toLowerCase().replace(/[^a-z_]/g, ''))) return true;
  if (PLACEHOLDER_FRAGMENTS.test(trimmed)) return true;
  return isRepetitive(trimmed);
}

// References to where the value really lives: environment variables, secret managers, functions.
const REFERENCE =
  /(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|ENV\[|System\.getenv|Environment\.GetEnvironmentVariable|env\(|secrets\.|vault:|ref\+|secretref\+|arn:aws:secretsmanager|\bkeyring\b)/i;

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SRI = /^(?:sha(?:1|256|384|512))-[A-Za-z0-9+/]+=*$/;
const DIGEST_REFERENCE = /^(?:sha(?:1|256|384|512)|md5):[0-9a-f]+$/i;

/** Hashes and ids that are public by nature: git SHAs, content digests, SRI integrity, UUIDs. */
export function isDigestOrId(value: string): boolean {
  return HEX_DIGEST.test(value) || UUID.test(value) || SRI.test(value) || DIGEST_REFERENCE.test(value);
}

/** File paths, URLs without credentials, URNs and dotted identifiers: values that name things rather than unlock them. */
export function looksLikeName(value: string): boolean {
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)[\w./\\-]+$/.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]+$/i.test(value)) return true;
  // Uniform resource names (RFC 8141): `urn:uuid:…` lock tokens, `urn:oid:…`.
  if (/^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+$/i.test(value)) return true;
  return /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+$/i.test(value);
}

// Identifiers that are public by design: publishable keys ship to browsers, ARNs and account SIDs name things.
const PUBLIC_IDENTIFIER =
  /^(?:pk_(?:live|test)_[A-Za-z0-9]+|arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+|AC[0-9a-f]{32}|pk\.eyJ[A-Za-z0-9_.-]+|AIza[\w-]{35}|G-[A-Z0-9]{6,12}|UA-\d{4,10}-\d{1,4}|data:[\w/+.-]+;base64,.*|ssh-(?:rsa|ed25519|dss) AAAA.*|ecdsa-sha2-nistp\d+ AAAA.*)$/;

export function isPublicIdentifier(value: string): boolean {
  return PUBLIC_IDENTIFIER.test(value);
}
