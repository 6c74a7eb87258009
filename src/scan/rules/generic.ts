/**
 * Generic credentials: a password, secret, token or API key assigned a literal value, in the syntaxes people
 * write — code, YAML, JSON, TOML, HCL, .env, INI, Dockerfile ENV/ARG, shell, CLI flags, XML, and Kubernetes
 * `- name: X` / `value: Y` pairs where the keyword is on the line above. With no vendor format to vouch for
 * the value, precision comes from context: which key, which syntax, and what the value looks like.
 */
import { shannonEntropy } from '../entropy.ts';
import { isDigestOrId, isPlaceholder, isPublicIdentifier, isReference, looksLikeName } from '../filters.ts';
import type { Gen } from './gen.ts';
import type { DetectContext, RawMatch, RuleSpec } from './types.ts';

type Kind = 'password' | 'secret';

const PASSWORD_KEY = /(?:password|passwd|passphrase|pwd|(?:^|[_.-])pass(?:$|[_.-]))/i;
const SECRET_KEY =
  /(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|client[_.-]?secret|credential)/i;
/** Keys that mention a secret but hold something else: its name, length, URL, a prompt for it. */
const NOT_A_SECRET_KEY =
  /(?:name|names|type|types|id|ids|path|file|dir|url|uri|endpoint|host|header|prompt|label|message|msg|hint|text|title|placeholder|description|desc|field|error|regex|pattern|policy|length|len|min|max|size|count|reset|forgot|confirm(?:ation)?|expiry|expires|expiration|ttl|timeout|lifetime|enabled|required|rotation|version|format|algorithm|alg|mode|strategy|provider|ref|reference|arn|env|var|variable|key_?id|kid|fingerprint|hash|digest|checksum|sha\d*|public|pub|test|example|sample|dummy|fake|mock)$/i;
/** `hashed_secret`, `sha256_token`: a digest of a secret (detect-secrets baselines are full of them). */
const HASH_OF_A_SECRET_KEY = /^(?:hashed|hash|sha\d*|md5|digest|checksum)_/i;

const CODE_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'tsx',
  'mts',
  'cts',
  'py',
  'rb',
  'go',
  'java',
  'kt',
  'kts',
  'scala',
  'cs',
  'php',
  'swift',
  'rs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'm',
  'dart',
  'groovy',
  'lua',
  'pl',
  'r',
  'ex',
  'exs',
  'clj',
  'vue',
  'svelte',
]);

// key = "value" in any syntax (code, JSON, YAML, TOML, HCL): the key may itself be quoted.
// A typed declaration (`API_KEY: string = '…'`, `val key: String = "…"`) may stand between key and `=`. A call
// (`env('DB_PASSWORD')`, `getSecret("name")`) is not a literal: its argument names where the value lives.
const QUOTED_ASSIGNMENT =
  /(?<![\w.-])["'`]?(?<key>[A-Za-z_$][\w.$-]{0,60}?)["'`]?(?:\s{0,2}:\s{0,2}[A-Za-z][\w<>[\]|.?]{0,30}(?=\s{0,2}=))?\s{0,4}(?::=|=>|->|\?\?=|\|\|=|[:=]|\bis\b)\s{0,4}(?<q>["'`])(?<secret>[^"'`\n\\]{4,240}?)\k<q>/g;
// key=value / key: value without quotes: literal in config syntaxes, an identifier in code.
const BARE_ASSIGNMENT =
  /^[ \t]*(?:export[ \t]+|ENV[ \t]+|ARG[ \t]+|set[ \t]+|-[ \t]+)?(?<key>[A-Za-z_][\w.-]{0,60})[ \t]*(?:=|:(?=[ \t]))[ \t]*(?<secret>[^\s"'`;,{}[\]()]{4,240})(?:[ \t]+[#;].*)?[ \t]*$/gm;
// Dockerfile's older `ENV KEY value` form, without `=`.
const DOCKERFILE_ENV =
  /^[ \t]*(?:ENV|ARG)[ \t]+(?<key>[A-Za-z_][\w.-]{0,60})[ \t]+(?<q>["']?)(?<secret>[^\s"']{4,240})\k<q>[ \t]*$/gm;
// --password value and --password=value. Starting with the literal `--` lets the regex engine skip ahead.
const CLI_FLAG =
  /--(?<flag>[\w-]{0,30}(?:password|passwd|pass|token|api-key|apikey|secret|access-key))(?:=|[ \t]+)(?:'(?<sq>[^'\n]{4,240})'|"(?<dq>[^"\n]{4,240})"|(?<secret>[^\s"'`|;&]{4,240}))/gi;
// htpasswd -b[c] FILE USER PASSWORD: the password is the last argument.
const HTPASSWD =
  /\bhtpasswd\b[^\n]{0,40}?[ \t]-[a-zA-Z]*b[a-zA-Z]*(?:[ \t]+-[a-zA-Z]+)*[ \t]+\S{1,200}[ \t]+\S{1,100}[ \t]+(?:'(?<sq>[^'\n]{4,240})'|"(?<dq>[^"\n]{4,240})"|(?<secret>[^\s"'|;&]{4,240}))/g;
// Tools whose flag takes a password: docker login's -p, sshpass's -p, redis-cli's -a, and curl's -u USER:PASSWORD.
const TOOL_PASSWORD_FLAG =
  /\b(?:docker[ \t]+login|podman[ \t]+login|helm[ \t]+registry[ \t]+login|sshpass|redis-cli|curl|wget|htpasswd)\b[^\n]{0,200}?[ \t](?:-[pa][ \t]?|--pass(?:word)?[ \t=]|-u[ \t]+[^\s:'"]{1,64}:|--user[ \t=]+[^\s:'"]{1,64}:)(?!-)(?:'(?<sq>[^'\n]{4,240})'|"(?<dq>[^"\n]{4,240})"|(?<secret>[^\s"'`|;&]{4,240}))/gi;
// MySQL's -pVALUE, only after a MySQL client: elsewhere -p is a port, a path flag or another option.
const MYSQL_PASSWORD_FLAG =
  /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mariadb)\b[^\n]{0,200}?\s-p(?!-)(?:'(?<sq>[^'\n]{4,240})'|"(?<dq>[^"\n]{4,240})"|(?<secret>[^\s"'`|;&]{4,240}))/gi;
// A literal standing in for a variable that is not set: `process.env.X || "…"` (or `??`), Python's
// `os.getenv("X", "…")` and `os.environ.get("X", "…")`, Ruby's `ENV.fetch("X", "…")`. The variable's name says
// what the literal is; it ships in the code, and runs wherever the variable is forgotten.
const JS_ENV_FALLBACK =
  /\b(?:process\.env|import\.meta\.env)(?:\.(?<key>[A-Za-z_$][\w$]{0,80})|\[\s{0,2}(?<kq>["'`])(?<key2>[A-Za-z_][\w.-]{0,80})\k<kq>\s{0,2}\])\s{0,4}(?:\|\||\?\?)\s{0,4}(?<q>["'`])(?<secret>[^"'`\n\\]{1,240}?)\k<q>/g;
const CALL_ENV_FALLBACK =
  /\b(?:os\.getenv|os\.environ\.get|getenv|ENV\.fetch)\(\s{0,4}(?<kq>["'])(?<key>[A-Za-z_][\w.-]{0,80})\k<kq>\s{0,4},\s{0,4}(?:default\s{0,2}=\s{0,2})?(?<q>["'])(?<secret>[^"'\n\\]{1,240}?)\k<q>\s{0,4}\)/g;
// The shell's `${X:-default}` (and `${X-…}`, `${X:=…}`), which Dockerfiles and compose files share.
const SHELL_DEFAULT =
  /\$\{(?<key>[A-Za-z_][A-Za-z0-9_]{0,80}):?[-=](?<q>["']?)(?<secret>[^\s}"'$`]{1,240})\k<q>\}/g;
/**
 * Fallbacks that are development defaults, not credentials: one that points at this machine (a host's default,
 * whatever the variable is called), and a single lower-case word (`postgres`, `fallback`, `secret`).
 */
const DEVELOPMENT_DEFAULT =
  /^(?:(?:localhost|LOCALHOST|127\.0\.0\.1|0\.0\.0\.0|::1|host\.docker\.internal)(?::\d+)?|[a-z]+)$/;

// Java .properties: `key=value`, `key:value` and `key value`; the whole rest of the line is the value.
const PROPERTIES_ASSIGNMENT =
  /^[ \t]*(?<key>[A-Za-z_][\w.-]{0,80})(?:[ \t]*[=:][ \t]*|[ \t]+)(?<secret>[^\s]{4,240})[ \t]*$/gm;
// <password>value</password> and password="value" attributes.
const XML_ELEMENT =
  /<(?<key>[\w:.-]{0,40}(?:password|passwd|pwd|pass|secret|token|apikey|api-key)[\w:.-]{0,20})>(?<secret>[^<\n]{4,240})<\/\k<key>>/gi;
// Kubernetes / compose env lists: the key on one line, its value on the next.
const NAME_VALUE_PAIR =
  /name:[ \t]*["']?(?<key>[\w.-]{1,80})["']?[ \t]*\r?\n[ \t]*value:[ \t]*(?<q>["']?)(?<secret>[^"'\n]{4,240})\k<q>[ \t]*$/gm;

function keyKind(key: string): Kind | undefined {
  // `dbPass` reads as `db_pass`, so word boundaries work the same in every naming style.
  const last = (key.split(/[.$]/).pop() ?? key).replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  const normalized = last.replace(/[-_]/g, '_');
  if (NOT_A_SECRET_KEY.test(normalized) || HASH_OF_A_SECRET_KEY.test(normalized)) return undefined;
  if (PASSWORD_KEY.test(last)) return 'password';
  if (SECRET_KEY.test(last)) return 'secret';
  return undefined;
}

/**
 * Values in a vendor's format: the vendor's rule has judged them (checksum, length) and, if it did not report
 * them, they are near misses that a generic rule must not take up.
 */
const VENDOR_PREFIX =
  /^(?:gh[pousr]_|github_pat_|glpat-|gl[a-z]{1,4}-|npm_|pypi-|dckr_pat_|sk_(?:live|test)_|rk_(?:live|test)_|whsec_|xox[abeprs]-|xapp-|SG\.|AKIA|ASIA|sk-(?:proj|ant|svcacct|or)-|hf_|shp(?:at|ss|ca|pa)_|hv[sbr]\.|dp\.(?:pt|st|sa|ct)\.|ops_|tskey-|AIza|ya29\.|eyJ|-----BEGIN)/;

/** Whether a value, given what its key says, looks like a real credential rather than anything else. */
export function plausibleValue(value: string, kind: Kind): boolean {
  const trimmed = value.trim();
  if (trimmed.length < (kind === 'password' ? 6 : 8)) return false;
  // Random hex is how many keys are encoded: under a secret's name it is a secret, not a digest.
  const hexSecret = kind === 'secret' && /^[0-9a-f]{16,128}$/i.test(trimmed);
  if (
    isPlaceholder(trimmed) ||
    isReference(trimmed) ||
    (!hexSecret && isDigestOrId(trimmed)) ||
    isPublicIdentifier(trimmed) ||
    looksLikeName(trimmed) ||
    VENDOR_PREFIX.test(trimmed)
  ) {
    return false;
  }
  if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return false;
  // Prose ("Please enter your password"), markup and code (calls, regexes) are not credentials.
  if ((trimmed.match(/\s/g)?.length ?? 0) >= 2 || /[<>()]/.test(trimmed)) return false;
  if (kind === 'secret') {
    if (shannonEntropy(trimmed) < 3) return false;
    // Random tokens mix character classes; an all-lowercase word with dashes is a name (`db-credentials`).
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(trimmed)).length;
    if (classes < 2 || /^[a-z]+(?:[-_][a-z]+)+$/.test(trimmed)) return false;
  }
  return true;
}

function extension(path: string): string {
  const base = path.split('/').pop() ?? path;
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function detectGeneric(kind: Kind) {
  return (text: string, context: DetectContext): RawMatch[] => {
    const code = CODE_EXTENSIONS.has(extension(context.path));
    const matches: RawMatch[] = [];
    const consider = (found: RegExpMatchArray, key: string | undefined) => {
      // Quoted values may hold anything but their quote; bare ones stop at shell punctuation.
      const secret = found.groups?.['secret'] ?? found.groups?.['sq'] ?? found.groups?.['dq'];
      if (secret === undefined || found.index === undefined) return;
      const keyIsKind = key === undefined ? kind === 'password' || kind === 'secret' : keyKind(key) === kind;
      if (!keyIsKind || !plausibleValue(secret, kind)) return;
      const start = found.index;
      matches.push({
        start,
        end: start + found[0].length,
        secret,
        secretStart: start + found[0].lastIndexOf(secret),
      });
    };
    for (const found of text.matchAll(QUOTED_ASSIGNMENT)) {
      // `cond ? 'DB_PASSWORD' : 'fallback'` is a ternary choosing between two strings, not a key and its value.
      if (code && /\?\s*$/.test(text.slice(Math.max(0, (found.index ?? 0) - 8), found.index))) continue;
      consider(found, found.groups?.['key']);
    }
    const fallback = (found: RegExpMatchArray, key: string | undefined) => {
      if (!DEVELOPMENT_DEFAULT.test(found.groups?.['secret'] ?? '')) consider(found, key);
    };
    for (const found of text.matchAll(JS_ENV_FALLBACK))
      fallback(found, found.groups?.['key'] ?? found.groups?.['key2']);
    for (const found of text.matchAll(CALL_ENV_FALLBACK)) fallback(found, found.groups?.['key']);
    for (const found of text.matchAll(SHELL_DEFAULT)) fallback(found, found.groups?.['key']);
    if (extension(context.path) === 'properties')
      for (const found of text.matchAll(PROPERTIES_ASSIGNMENT)) consider(found, found.groups?.['key']);
    if (!code) {
      for (const found of text.matchAll(BARE_ASSIGNMENT)) consider(found, found.groups?.['key']);
      for (const found of text.matchAll(DOCKERFILE_ENV)) consider(found, found.groups?.['key']);
    }
    for (const found of text.matchAll(NAME_VALUE_PAIR)) consider(found, found.groups?.['key']);
    for (const found of text.matchAll(XML_ELEMENT)) consider(found, found.groups?.['key']);
    for (const found of text.matchAll(CLI_FLAG)) {
      const flagKind: Kind = (found.groups?.['flag'] ?? '').toLowerCase().includes('pass')
        ? 'password'
        : 'secret';
      if (flagKind === kind) consider(found, undefined);
    }
    if (kind === 'password') {
      for (const found of text.matchAll(MYSQL_PASSWORD_FLAG)) consider(found, undefined);
      for (const found of text.matchAll(TOOL_PASSWORD_FLAG)) consider(found, undefined);
      for (const found of text.matchAll(HTPASSWD)) consider(found, undefined);
    }
    return matches;
  };
}

// MySQL clients take -pSECRET, a flag with no other keyword.
const PASSWORD_KEYWORDS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'mysql',
  'mariadb',
  'login',
  'sshpass',
  'redis-cli',
  'curl',
  'wget',
]; // htpasswd contains 'passwd'
const SECRET_KEYWORDS = [
  'masterkey',
  'master_key',
  'encryption',
  'signing',
  'jwt',
  'secret',
  'token',
  'api_key',
  'apikey',
  'api-key',
  'access_key',
  'accesskey',
  'auth_key',
  'private_key',
  'credential',
];

const humanPassword = (gen: Gen) =>
  `${gen.pick(['Summer', 'Winter', 'Autumn', 'Spring', 'Monday', 'Dragon', 'Falcon'])}${gen.int(1990, 2030)}${gen.pick(['!', '#', '$', '?', '@'])}${gen.alnum(2)}`;

export const genericRules: RuleSpec[] = [
  {
    id: 'generic-password',
    description: 'Password assigned a literal value',
    category: 'generic',
    keywords: PASSWORD_KEYWORDS,
    detect: detectGeneric('password'),
    detectScope: 'window',
    docs: 'https://cwe.mitre.org/data/definitions/798.html',
    samples: {
      positive: (gen) =>
        gen.pick([
          `DB_PASSWORD=${humanPassword(gen)}`,
          `  password: "${humanPassword(gen)}"`,
          `db_password = '${humanPassword(gen)}'`,
          `{"password": "${humanPassword(gen)}"}`,
          `mysql -u root -p'${humanPassword(gen)}' shop`,
          `env:\n  - name: DB_PASSWORD\n    value: "${humanPassword(gen)}"`,
          `<password>${humanPassword(gen)}</password>`,
          `const dbPassword = process.env.DB_PASSWORD || "${humanPassword(gen)}";`,
          `password = os.getenv("DB_PASSWORD", "${humanPassword(gen)}")`,
          `      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-${humanPassword(gen)}}`,
        ]),
      negative: (gen) =>
        gen.pick([
          'password = get_password()',
          'DB_PASSWORD=${DB_PASSWORD}',
          'password: "changeme"',
          `password_reset_url: "https://example.com/reset/${gen.alnum(6)}"`,
          'const password = process.env.DB_PASSWORD;',
          'password: "<your-password>"',
          'passwordPrompt = "Please enter your password"',
          "const password = process.env.DB_PASSWORD || '';",
          'DB_PASSWORD=${DB_PASSWORD:-changeme}',
        ]),
    },
  },
  {
    id: 'generic-secret',
    description: 'Secret, token or API key assigned a literal value',
    category: 'generic',
    keywords: SECRET_KEYWORDS,
    detect: detectGeneric('secret'),
    detectScope: 'window',
    docs: 'https://cwe.mitre.org/data/definitions/798.html',
    samples: {
      positive: (gen) =>
        gen.pick([
          `API_KEY=${gen.alnum(32)}`,
          `client_secret: "${gen.alnum(24)}"`,
          `const apiKey = "${gen.base64url(40)}";`,
          `"auth_token": "${gen.alnum(20)}${gen.digits(4)}"`,
          `curl --token ${gen.alnum(28)} https://api.example.com`,
          `secret_key = "${gen.alnum(16)}${gen.digits(6)}"`,
          `const apiKey = process.env.API_KEY ?? '${gen.base64url(32)}';`,
          `api_key = os.environ.get("API_KEY", "${gen.alnum(32)}")`,
        ]),
      negative: (gen) =>
        gen.pick([
          `secret_name: db-credentials`,
          `token_type: "bearer"`,
          `api_key_header = "X-API-Key"`,
          `token_sha256 = "${gen.hex(64)}"`,
          `access_key_id: ${gen.uuid()}`,
          'API_KEY=your_api_key_here',
          'secret = os.environ["APP_SECRET"]',
          "const apiToken = process.env.API_TOKEN ?? 'development-token';",
        ]),
    },
  },
];
