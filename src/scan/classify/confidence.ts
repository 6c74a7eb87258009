/**
 * How sure a finding is, and which values are no secret at all.
 *
 * - `high`: a vendor format whose checksum or structure was verified, or whose distinctive prefix the value
 *   carries; a parsed private key; a connection string or URL with a real-looking password.
 * - `medium`: a generic secret with high entropy; a value only a vendor's keyword nearby vouches for, when it
 *   looks random; a signed JWT (its structure is checked, but tests are full of them).
 * - `low`: a generic value that partly reads as words or has little entropy; a vendor near miss (right prefix,
 *   checksum fails).
 */
import { shannonEntropy } from '../entropy.ts';
import type { RuleSpec } from '../rules/types.ts';
import type { FindingContext } from './context.ts';
import { isEnglishWord } from './english-words.ts';

export type Confidence = 'high' | 'medium' | 'low';

/** Lowest first. */
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

export function confidenceRank(confidence: Confidence): number {
  return CONFIDENCES.indexOf(confidence);
}

export interface Candidate {
  secret: string;
  /** The rule that found it; undefined for a rule this build does not know. */
  rule: RuleSpec | undefined;
  /** The name the value is assigned to, when the line shows one (`db_password` in `db_password = "…"`). */
  key?: string | undefined;
}

/** Rules that find a password inside a URL or connection string: high when the password looks real. */
const PASSWORD_IN_URL = new Set(['database-connection-string', 'basic-auth-url', 'basic-auth-credentials']);

export function confidenceOf(candidate: Candidate): Confidence {
  const { secret, rule } = candidate;
  if (rule === undefined || rule.category === 'custom') return 'medium';
  if (rule.category === 'private-key') return 'high';
  if (PASSWORD_IN_URL.has(rule.id)) {
    const password = rule.id === 'basic-auth-credentials' ? decodedPassword(secret) : secret;
    if (readsAsWords(password, candidate.key) || isKnownExample(password) || isElided(password)) return 'low';
    // `tobi:ferret`: one dictionary word, or a short simple value, is a fixture's password.
    if (isEnglishWord(password) || (password.length < 8 && !mixesClasses(password, 3))) return 'low';
    return looksRandom(password) ? 'high' : 'medium';
  }
  if (rule.id === 'jwt') return 'medium';
  if (rule.category === 'generic') return genericConfidence(candidate);
  if (rule.validate !== undefined) return 'high';
  // A distinctive prefix (`ghp_`, `xoxb-`, `AKIA`) is the format's structure; a keyword elsewhere on the line
  // (`heroku … <uuid>`) only says what the value might be.
  const lower = secret.toLowerCase();
  if (rule.keywords.some((keyword) => lower.includes(keyword))) return 'high';
  return randomEnough(secret) ? 'medium' : 'low';
}

/** `key_1234…`: a value shown cut short, as documentation does; an ellipsis character is in no real secret. */
function isElided(value: string): boolean {
  return value.includes('\u2026');
}

/** Entropy near what the value's alphabet allows: hex tops out at 4 bits a character, base62 near 6. */
function randomEnough(value: string): boolean {
  return shannonEntropy(value) >= (/^[0-9a-f]+$/i.test(value) ? 3 : 3.5);
}

/** `node scripts/reset.js`, `npm run build`: a command, as package.json scripts and CI files hold them. */
const COMMAND_LINE =
  /^(?:node|npm|npx|yarn|pnpm|bun|deno|tsx|ts-node|python3?|bash|sh|make|docker|go|cargo|java)\s+[\w.@/-]/;
/** `.deploystack/creds.json`, `./certs/tls.key`, `/etc/app/key.pem`: where a secret is, not the secret. */
const FILE_PATH = /^(?:~|\.{1,2})?\/?[\w.-]+(?:\/[\w.-]+)+\.[A-Za-z][A-Za-z0-9]{0,4}$|^\.{1,2}\/[\w./-]+$/;
/** bcrypt, argon2, scrypt and crypt(3) hashes: a stored password's hash, not a credential to use. */
const PASSWORD_HASH = /^\$(?:2[abxy]|argon2(?:id|i|d)|scrypt|[156])\$/;
/** Names of user-interface texts: `errors.password`, `passwordLabel`, `password_placeholder`. */
const MESSAGE_NAMES = new Set(
  'error errors message messages msg label labels placeholder hint title text tooltip description caption prompt'.split(
    ' ',
  ),
);

function isMessageName(key: string): boolean {
  return tokensOf(key).some((token) => MESSAGE_NAMES.has(token.toLowerCase()));
}

function genericConfidence({ secret, rule, key }: Candidate): Confidence {
  if (PASSWORD_HASH.test(secret)) return 'low';
  // People choose passwords with words in them (`Summer2024!x`, `autumn-coffee-falcon-1`); a token or key
  // made of words is a name.
  if (rule?.id === 'generic-password')
    return readsAsWords(secret, key) ||
      shannonEntropy(secret) < 2.5 ||
      (secret.length < 8 && !mixesClasses(secret, 3))
      ? 'low'
      : 'medium';
  if (partlyWords(secret, key)) return 'low';
  // Random hex is how many keys are written: one character class, but random.
  const random =
    (randomEnough(secret) && (mixesClasses(secret, 2) || /^[0-9a-f]{16,}$/i.test(secret))) ||
    (shannonEntropy(secret) >= 3 && mixesClasses(secret, 3));
  return random ? 'medium' : 'low';
}

function mixesClasses(value: string, count: number): boolean {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length >= count;
}

/** Long enough, varied enough, and not words: how generated passwords and keys look. */
function looksRandom(value: string): boolean {
  return value.length >= 8 && shannonEntropy(value) >= 3 && mixesClasses(value, 2) && !partlyWords(value);
}

/**
 * The password of Basic credentials: the rule reports the base64 `user:password`, but a docker config's
 * decoded `auth` arrives as the password itself.
 */
function decodedPassword(secret: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) return secret;
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 || !/^[\x20-\x7e]+$/.test(decoded) ? secret : decoded.slice(colon + 1);
}

/** The words of a name or value: split at separators, case changes and digit runs. */
export function tokensOf(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/**
 * Words that say what a value is for rather than being it: a value made of these, of the name it is assigned
 * to, and dictionary words (`invalid-token`, `my-secret`, `wrong-password-here`) names a secret; it is not one.
 */
const NAMING_WORDS = new Set(
  (
    'password passwd pass pwd passphrase secret secrets token tokens key keys apikey api auth access refresh ' +
    'credential credentials cred creds login session cookie jwt bearer basic client server user username admin ' +
    'root guest invalid valid wrong bad good correct incorrect expired revoked missing unknown other another ' +
    'test tests testing dummy fake mock mocked example sample demo default placeholder temp tmp my your our ' +
    'the some any new old real dev local prod staging value here foo bar baz qux hello world super top very not ' +
    'private public shared signing sign encryption encrypt hash salt code id app service'
  ).split(' '),
);

/**
 * A value made of words that name a secret (see NAMING_WORDS), of the name it is assigned to, and dictionary
 * words, with at least one of the first two, perhaps one short other word (a project's name: `hono-password`)
 * and a short number (`admin123`). Passphrases of ordinary words (`autumn-coffee-falcon-1`) are not: people
 * choose real passwords that way.
 */
export function readsAsWords(value: string, key?: string): boolean {
  if (value.length > 64 || !/^[A-Za-z0-9 _.-]+$/.test(value) || !/[A-Za-z]{2}/.test(value)) return false;
  const own = new Set(tokensOf(key ?? '').map((token) => token.toLowerCase()));
  let odd = 0;
  let naming = 0;
  for (const token of tokensOf(value)) {
    const lower = token.toLowerCase();
    if (/^\d+$/.test(token)) {
      if (token.length > 4) return false;
      continue;
    }
    if (own.has(lower) || NAMING_WORDS.has(lower) || namingCompound(lower)) {
      naming++;
      continue;
    }
    if (isEnglishWord(lower)) continue;
    // One short other word: a product or project name (`hono-password`), an abbreviation.
    if (odd === 0 && token.length <= 6 && /^[a-z]+$/i.test(token)) {
      odd++;
      continue;
    }
    return false;
  }
  return naming > 0;
}

/** `secretpassword`, `mytoken`: a naming word glued to another word. */
function namingCompound(run: string): boolean {
  if (run.length > 30 || !/^[a-z]+$/.test(run)) return false;
  for (let cut = 2; cut <= run.length - 2; cut++) {
    const head = run.slice(0, cut);
    const tail = run.slice(cut);
    const headNames = NAMING_WORDS.has(head);
    const tailNames = NAMING_WORDS.has(tail);
    if ((headNames && (tailNames || isEnglishWord(tail))) || (tailNames && isEnglishWord(head))) return true;
  }
  return false;
}

/** More than half of the value's letters are in dictionary words: a human-chosen value, not a generated one. */
function partlyWords(value: string, key?: string): boolean {
  if (readsAsWords(value, key)) return true;
  const letters = value.replace(/[^A-Za-z]/g, '').length;
  if (letters < 6) return false;
  let inWords = 0;
  for (const token of tokensOf(value)) if (token.length >= 4 && isEnglishWord(token)) inWords += token.length;
  return inWords / letters > 0.5 && value.length <= 24;
}

// Values tutorials and frameworks' docs made famous. Vendors' documentation keys are assembled from pieces,
// so this file is not itself a finding.
const KNOWN_EXAMPLES = new Set(
  [
    'keyboard cat',
    'changeme',
    'change-me',
    'password123',
    'password1',
    'p@ssw0rd',
    'p@ssword',
    'passw0rd',
    'pa$$word',
    'pa55word',
    'admin123',
    'letmein',
    'qwerty',
    'qwerty123',
    '123456',
    '12345678',
    '123456789',
    'secret123',
    'hunter2',
    'opensesame',
    'open sesame',
    'supersecret',
    'super-secret',
    'super_secret',
    'topsecret',
    's3cr3t',
    's3cret',
    'secr3t',
    'trustno1',
    'iloveyou',
    'abc123',
    'abcdef',
    'root',
    'toor',
    'admin',
    'guest',
    'shhhhh',
    'shhhhhhared-secret',
    `AKIAIOSFODNN7${'EXAMPLE'}`,
    `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`,
    // GitHub's OAuth documentation's sample response (its checksum fails: never issued).
    `gho_16C7e42F292c6912${'E7710c838347Ae178B4a'}`,
  ].map((value) => value.toLowerCase()),
);

export function isKnownExample(value: string): boolean {
  const lower = value.toLowerCase();
  return KNOWN_EXAMPLES.has(lower) || /example/i.test(value) || /^(?:x{4,}|\*{4,}|0{6,})$/i.test(value);
}

/** Regular expressions and character classes: `[A-Za-z0-9]{32}`, `^ghp_\w+$`, `(?:token|key)`. */
export function looksLikeRegex(value: string): boolean {
  return /\[[^\]]*-[^\]]*\]|\\[dwsbDWSB]|\(\?[:=!<]|\.\*|\.\+|\{\d+(?:,\d*)?\}|^\^.*\$$|\[\^/.test(value);
}

/** Prose in any language (`Unerwartetes Token.`): letters and spaces, perhaps ending in punctuation. */
export function looksLikeProse(value: string): boolean {
  return /\s/.test(value.trim()) && /^[\p{L}\p{M}\s'’,.!?:;()«»“”"-]+$/u.test(value);
}

const DOCUMENTATION_HOST =
  /@(?:(?:www\.)?example\.(?:com|org|net)|localhost|127\.0\.0\.1|\[::1\])(?=[:/?#'"`\s)]|$)/i;

export interface Place {
  context: FindingContext;
  /** Whether the finding sits in a comment. */
  inComment: boolean;
  /** The text from the finding's start to the end of its line. */
  rest: string;
  /** Whether the file is a message catalogue (translations by key). */
  catalogue?: boolean;
}

/**
 * Why a value is no secret at all, or undefined when it may be one. Never for `high` findings other than a
 * password in a documentation URL: a checksummed token or a parsed private key is reported in any context.
 */
export function notASecret(candidate: Candidate, confidence: Confidence, place: Place): string | undefined {
  const { secret, rule, key } = candidate;
  // A password in a URL is no verified format: on a documentation host, in documentation, it is an example.
  if (PASSWORD_IN_URL.has(rule?.id ?? '') && (place.context === 'docs' || place.inComment)) {
    if (DOCUMENTATION_HOST.test(place.rest)) return 'a URL on a documentation host, in documentation';
  }
  if (confidence === 'high') return undefined;
  if (isKnownExample(secret)) return 'a well-known example value';
  if (rule?.category !== 'generic' && !PASSWORD_IN_URL.has(rule?.id ?? '')) return undefined;
  if (place.catalogue) return 'a message in a translation catalogue';
  if (COMMAND_LINE.test(secret)) return 'a command line';
  if (FILE_PATH.test(secret)) return 'a path to a file';
  if (key !== undefined && isMessageName(key) && /^\p{L}[\p{L}\p{M} '’.,!?-]*$/u.test(secret))
    return 'a message or label, by the name it is assigned to';
  if (looksLikeRegex(secret)) return 'a regular expression';
  if (looksLikeProse(secret)) return 'prose (a message, a translation)';
  const password = rule?.id === 'basic-auth-credentials' ? decodedPassword(secret) : secret;
  if (readsAsWords(password, key)) return 'made of words or of the name it is assigned to';
  return undefined;
}
