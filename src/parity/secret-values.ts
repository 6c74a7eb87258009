/**
 * Which values a parity report must not print: those whose name says they are a secret (`DB_PASSWORD`,
 * `apiKey`, `tls.key`) and those the secret scanner recognises wherever they stand (a connection string with
 * a password, a webhook URL, a vendor token, `password=` inside a properties file). Such a difference is
 * still reported, as "differs"; the values themselves are compared in memory and never leave it.
 */
import { ScanEngine } from '../scan/engine.ts';
import { buildRuleSet } from '../scan/rule-set.ts';

/** What a report shows in place of a secret value. */
export const NOT_SHOWN = '(not shown)';

/** Words that make a name a secret's wherever they stand in it, alone or as the end of a longer word. */
const SECRET_ENDINGS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
];
/** Words that make a name a secret's only as a whole word: `DB_PASS`, `HASH_SALT`, `REDIS_AUTH`, `tls.key`. */
const SECRET_WORDS = new Set(['pass', 'pwd', 'salt', 'key', 'keys', 'auth']);
/**
 * A last word that says the value is about a secret, not the secret: where it is, what it is called, how
 * long it lives (`DB_PASSWORD_FILE`, `KEYCLOAK_URL`, `PUBLIC_KEY_ID`, `TOKEN_TTL`, `AUTH_MODE`).
 */
const ABOUT_A_SECRET = new Set([
  'id',
  'ids',
  'name',
  'names',
  'ref',
  'arn',
  'url',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'path',
  'file',
  'dir',
  'mount',
  'prefix',
  'suffix',
  'header',
  'type',
  'kind',
  'format',
  'algorithm',
  'version',
  'provider',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'realm',
  'region',
  'user',
  'username',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'lifetime',
  'timeout',
  'rotation',
  'length',
  'size',
  'min',
  'max',
  'count',
  'enabled',
  'disabled',
  'required',
  'mode',
  'policy',
  'hash',
  'digest',
  'fingerprint',
]);

/** `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password` → [db, password]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether a name (an env var, a ConfigMap key, an attribute) says its value is a secret. A name whose last
 * word only describes a secret is not one; a `key` is a secret's unless it is a public key's.
 */
export function secretName(name: string): boolean {
  const list = words(name);
  const last = list[list.length - 1];
  if (last === undefined || ABOUT_A_SECRET.has(last)) return false;
  return list.some((word, index) => {
    if (SECRET_ENDINGS.some((ending) => word.endsWith(ending))) return true;
    if (!SECRET_WORDS.has(word)) return false;
    if (word === 'key' || word === 'keys') return list[index - 1] !== 'public' && list[index - 1] !== 'pub';
    // `auth` alone is often a mode or a service (`AUTH_SERVICE`); as the last word it is the credential.
    return word !== 'auth' || index === list.length - 1;
  });
}

let engine: ScanEngine | undefined;
const verdicts = new Map<string, string | undefined>();
/** Shorter than any credential a scanner rule accepts. */
const SHORTEST = 6;

/**
 * The scanner rule that recognises a secret in `value` (set under `name`), or undefined. The value is
 * scanned as its name assigned it, so rules that need a key see one, and on its own when it spans lines (a
 * properties or YAML file kept in a ConfigMap).
 */
export function scannerRule(name: string, value: string): string | undefined {
  if (value.length < SHORTEST) return undefined;
  const key = `${name}\u0000${value}`;
  if (verdicts.has(key)) return verdicts.get(key);
  engine ??= new ScanEngine(buildRuleSet([]));
  const found =
    engine.scan(`${name}: ${JSON.stringify(value)}\n`, 'value.yaml')[0] ??
    (value.includes('\n') ? engine.scan(value, /\.\w+$/.test(name) ? name : 'value.txt')[0] : undefined);
  // Reports repeat values (the same quantity, label or host at many places): each is scanned once.
  if (verdicts.size > 50_000) verdicts.clear();
  verdicts.set(key, found?.rule);
  return found?.rule;
}

/** Why a value must not be shown, or undefined: its name, or what the scanner recognises in it. */
export function secretReason(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return secretName(name) ? `${name} names a secret` : undefined;
  if (typeof value === 'string') {
    if (secretName(name)) return `${name} names a secret`;
    const rule = scannerRule(name, value);
    return rule ? `the value looks like a secret (${rule})` : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = secretReason(name, item);
      if (reason) return reason;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    // `{name: DB_PASSWORD, value: …}`, an env var in a list that could not be keyed by name.
    const named = (value as Record<string, unknown>)['name'];
    for (const [key, child] of Object.entries(value)) {
      const reason = secretReason(key === 'value' && typeof named === 'string' ? named : key, child);
      if (reason) return reason;
    }
  }
  return undefined;
}

/**
 * The name a value is set under, from its path in a manifest or a Terraform resource: an env var's for its
 * `value` (`env[DB_PASSWORD].value`), otherwise the last key (a ConfigMap key, an annotation, an attribute).
 */
export function valueName(path: readonly (string | number)[]): string {
  const last = path[path.length - 1] ?? '';
  const before = path[path.length - 2];
  const named = last === 'value' && typeof before === 'string' && before.startsWith('[') ? before : last;
  return String(named).replace(/^\[|\]$/g, '');
}

/**
 * Two values of one place (left and right, desired and live, before and after) as a report may show them:
 * both replaced by NOT_SHOWN when either names or looks like a secret — absent stays absent — with the
 * reason, which never quotes the value. Parity and drift reports both go through it.
 */
export function reportable(
  path: readonly (string | number)[],
  left: unknown,
  right: unknown,
): { left: unknown; right: unknown; notShown: string | undefined } {
  const name = valueName(path);
  const notShown = secretReason(name, left) ?? secretReason(name, right);
  if (!notShown) return { left, right, notShown };
  const hide = (value: unknown) => (value === undefined || value === null ? value : NOT_SHOWN);
  return { left: hide(left), right: hide(right), notShown };
}
