/**
 * Cloud and hosting providers: AWS, Google Cloud, Azure, DigitalOcean, Alibaba, IBM, Oracle, Akamai/Linode,
 * Cloudflare, Fastly, Heroku, Netlify, Vercel, Fly.io, Render, Supabase, Firebase, Scaleway, Hetzner, OVH and
 * Tencent. Prefixed formats stand alone; unprefixed ones are only trusted next to the vendor's name.
 */
import { ALPHABETS, crc32, type Gen } from './gen.ts';
import type { RawMatch, RuleSpec } from './types.ts';

const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';
/** Characters Azure AD uses in client secrets. */
const AAD_CHARSET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';

/**
 * `<name>… = <value>`: a variable, key or flag named for the vendor, an assignment (`=`, `:`, `=>`, `:=`),
 * then the value. Every gap is bounded, so the pattern stays linear on long lines.
 */
function assigned(name: string, value: string, end = '(?![A-Za-z0-9_\\-])'): RegExp {
  return new RegExp(`${name}["'\`]?\\s{0,3}(?:=>|:=|=|:)\\s{0,3}["'\`]?(?<secret>${value})${end}`, 'i');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The JSON object a base64url segment encodes, if it encodes one. */
function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT-shaped string with the given payload and a random signature (HS256). */
function fakeJwt(gen: Gen, payload: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  return `${header}.${base64url(JSON.stringify(payload))}.${gen.base64url(43)}`;
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/**
 * Marvin32, the seeded hash .NET uses for strings; Azure AD checksums client secrets with it.
 * Ported from microsoft/security-utilities `Marvin.cs` (itself from dotnet/runtime).
 */
function marvin32(bytes: Uint8Array, seedLow: number, seedHigh: number): number {
  let p0 = seedLow >>> 0;
  let p1 = seedHigh >>> 0;
  const block = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  const at = (i: number): number => bytes[i] as number;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    p0 = (p0 + ((at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24)) >>> 0)) >>> 0;
    block();
  }
  const rest = bytes.length - i;
  let last = 0x80;
  if (rest === 1) last = 0x8000 | at(i);
  else if (rest === 2) last = 0x800000 | (at(i + 1) << 8) | at(i);
  else if (rest === 3) last = (0x80000000 | (at(i + 2) << 16) | (at(i + 1) << 8) | at(i)) >>> 0;
  p0 = (p0 + last) >>> 0;
  block();
  block();
  return (p0 ^ p1) >>> 0;
}

/** Most significant digit first, no padding: Microsoft's `CustomAlphabetEncoder.Encode`. */
function encodeInAlphabet(value: number, alphabet: string): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = alphabet[rest % alphabet.length] + out;
    rest = Math.floor(rest / alphabet.length);
  }
  return out;
}

/** The first three characters of the Marvin32 checksum (seed `AadPwd00`) that end an `8Q~` secret. */
function aadChecksum(body: string): string {
  const hash = marvin32(Buffer.from(body, 'latin1'), 0x77643030, 0x41616450);
  return encodeInAlphabet(hash, AAD_CHARSET).slice(0, 3);
}

/**
 * Azure AD client secrets: three characters, a version (`7` has no checksum, `8` has one), `Q~`, then the
 * random part; `8Q~` secrets end with three characters of a Marvin32 checksum over the rest.
 */
function isAadClientSecret(secret: string): boolean {
  if (secret[3] === '7') return new Set(secret).size > 12;
  return secret.length === 40 && aadChecksum(secret.slice(0, -3)) === secret.slice(-3);
}

function base32Decode(text: string, alphabet: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8 && index < out.length) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
    buffer &= 0xff;
  }
  return out;
}

function base32Encode(bytes: Uint8Array, alphabet: string, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out.padEnd(length, alphabet[0]);
}

/** Seeds XORed into the CRC32 of legacy Azure DevOps PATs, for user and for application tokens. */
const ADO_PAT_SEEDS = [0xe0b9692d, 0x1019f92e];
/** Where the four checksum bytes sit among the 32 a legacy PAT decodes to (little-endian order). */
const ADO_CHECKSUM_BYTES = [22, 8, 7, 2];

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** The 28 token bytes of a decoded legacy PAT, with the checksum bytes taken out. */
function adoTokenBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from([
    ...bytes.subarray(0, 2),
    ...bytes.subarray(3, 7),
    ...bytes.subarray(9, 22),
    ...bytes.subarray(23, 32),
  ]);
}

/**
 * Legacy Azure DevOps PATs are 52 base32 characters carrying a CRC32 of their own bytes, XORed with a seed
 * (microsoft/security-utilities `SEC101_102_AdoPat.cs`).
 */
function hasAdoPatChecksum(secret: string): boolean {
  const bytes = base32Decode(secret.toLowerCase(), BASE32_LOWER);
  const embedded = ADO_CHECKSUM_BYTES.reduce(
    (value, position, i) => value + (bytes[position] as number) * 2 ** (8 * i),
    0,
  );
  const crc = crc32(latin1(adoTokenBytes(bytes)));
  return ADO_PAT_SEEDS.some((seed) => (crc ^ seed) >>> 0 === embedded);
}

function legacyAdoPat(gen: Gen): string {
  const bytes = gen.bytes(32);
  const checksum = (crc32(latin1(adoTokenBytes(bytes))) ^ (ADO_PAT_SEEDS[0] as number)) >>> 0;
  ADO_CHECKSUM_BYTES.forEach((position, i) => {
    bytes[position] = (checksum >>> (8 * i)) & 0xff;
  });
  return base32Encode(bytes, BASE32_LOWER, 52);
}

function aadClientSecret(gen: Gen): string {
  const body = `${gen.chars(AAD_CHARSET, 3)}8Q~${gen.chars(AAD_CHARSET, 31)}`;
  return body + aadChecksum(body);
}

function gcpServiceAccountKey(text: string): RawMatch[] {
  const isKeyFile =
    /"type"\s*:\s*"service_account"/.test(text) && /"private_key"\s*:\s*"-----BEGIN/.test(text);
  if (!isKeyFile) return [];
  const matches: RawMatch[] = [];
  for (const found of text.matchAll(/"private_key_id"\s*:\s*"(?<secret>[0-9a-f]{40})"/g)) {
    const secret = found.groups?.['secret'] as string;
    const start = found.index as number;
    matches.push({
      start,
      end: start + found[0].length,
      secret,
      secretStart: start + found[0].indexOf(secret),
    });
  }
  return matches;
}

function serviceAccountJson(gen: Gen, keyId: string, privateKey: string): string {
  const project = `${gen.lower(6)}-${gen.digits(6)}`;
  return [
    '{',
    '  "type": "service_account",',
    `  "project_id": "${project}",`,
    `  "private_key_id": "${keyId}",`,
    `  "private_key": "${privateKey}",`,
    `  "client_email": "deployer@${project}.iam.gserviceaccount.com",`,
    `  "client_id": "${gen.digits(21)}"`,
    '}',
  ].join('\n');
}

function fakePrivateKey(gen: Gen): string {
  const lines = Array.from({ length: 4 }, () => gen.base64(64));
  return `-----BEGIN PRIVATE KEY-----\\n${lines.join('\\n')}\\n-----END PRIVATE KEY-----\\n`;
}

function sasUrl(signature: string): string {
  return (
    'https://stagecraftassets.blob.core.windows.net/releases/app.zip?sv=2022-11-02&ss=b&srt=co&sp=rl' +
    `&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(signature)}`
  );
}

/** A SAS `sig` is the base64 of an HMAC-SHA256: 32 bytes, 44 characters with padding. */
function isSasSignature(secret: string): boolean {
  try {
    const plain = decodeURIComponent(secret);
    return /^[A-Za-z0-9+/]{43}=$/.test(plain) && Buffer.from(plain, 'base64').length === 32;
  } catch {
    return false;
  }
}

function digitalOcean(id: string, prefix: string, description: string, variable: string): RuleSpec {
  return {
    id,
    description,
    category: 'cloud',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}[a-f0-9]{64})(?![A-Za-z0-9_])`),
    minEntropy: 3.3,
    docs: 'https://docs.digitalocean.com/reference/api/create-personal-access-token/',
    samples: {
      positive: (gen) => `${variable}=${prefix}${gen.hex(64)}`,
      // The README placeholder people copy.
      negative: () => `${variable}=${prefix}${'x'.repeat(64)}`,
    },
  };
}

/** Cloudflare's scannable credentials: a prefix, 40 alphanumerics and a checksum (8 hex characters). */
function cloudflareScannable(
  id: string,
  prefixes: readonly string[],
  description: string,
  variable: string,
): RuleSpec {
  return {
    id,
    description,
    category: 'cloud',
    keywords: [...prefixes],
    pattern: new RegExp(
      `(?<![A-Za-z0-9_])(?<secret>(?:${prefixes.join('|')})[A-Za-z0-9]{40}[0-9a-f]{8})(?![A-Za-z0-9_])`,
    ),
    minEntropy: 4,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/',
    samples: {
      positive: (gen) => `${variable}=${gen.pick(prefixes)}${gen.alnum(40)}${gen.hex(8)}`,
      // The checksum is cut off: a truncated paste.
      negative: (gen) => `${variable}=${gen.pick(prefixes)}${gen.alnum(40)}`,
    },
  };
}

export const cloudRules: RuleSpec[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ID',
    category: 'cloud',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    // A four-letter kind (AKIA long-term, ASIA STS, ABIA bearer, ACCA context) and 16 base32 characters: the
    // digits 0, 1, 8 and 9 never occur, which rules out most uppercase words and identifiers.
    pattern: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/,
    minEntropy: 3,
    documentedExamples: ['AKIAIOSFODNN7EXAMPLE'],
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
    samples: {
      positive: (gen) =>
        `[default]\naws_access_key_id = ${gen.pick(['AKIA', 'ASIA'])}${gen.chars(BASE32_UPPER, 16)}\nregion = eu-west-1`,
      // A digit outside base32: an identifier that merely starts with AKIA.
      negative: (gen) =>
        `aws_access_key_id = AKIA${gen.chars(BASE32_UPPER, 15)}${gen.pick(['0', '1', '8', '9'])}`,
    },
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    category: 'cloud',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key', 'awssecretkey'],
    // 40 base64 characters are everywhere (hashes, blobs); only the variable names AWS tools read vouch for them.
    pattern: assigned(
      '(?:aws[_-]?secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key|secret[_-]?access[_-]?key)',
      '[A-Za-z0-9/+]{40}',
      '(?![A-Za-z0-9/+=])',
    ),
    minEntropy: 4,
    documentedExamples: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
    samples: {
      positive: (gen) =>
        `[default]\naws_access_key_id = AKIA${gen.chars(BASE32_UPPER, 16)}\naws_secret_access_key = ${gen.base64(40)}`,
      // The key from AWS's own documentation, pasted into a README.
      negative: () => 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  },
  {
    id: 'aws-session-token',
    description: 'AWS temporary session token',
    category: 'cloud',
    keywords: ['session_token', 'sessiontoken', 'security_token', 'x-amz-security-token'],
    pattern: new RegExp(
      '(?:aws_session_token|AWS_SESSION_TOKEN|aws_security_token|AWS_SECURITY_TOKEN|awsSessionToken|SessionToken|' +
        `[Xx]-[Aa]mz-[Ss]ecurity-[Tt]oken)["'\`]?\\s{0,3}(?:=|:)\\s{0,3}["'\`]?` +
        '(?<secret>[A-Za-z0-9/+]{100,4096}={0,2})(?![A-Za-z0-9/+=])',
    ),
    minEntropy: 4.5,
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html',
    samples: {
      positive: (gen) =>
        `export AWS_ACCESS_KEY_ID=ASIA${gen.chars(BASE32_UPPER, 16)}\n` +
        `export AWS_SESSION_TOKEN=${base64(gen.bytes(gen.int(300, 600)))}`,
      // Too short for an STS token: an unrelated value under the same name in a test fixture.
      negative: (gen) => `AWS_SESSION_TOKEN=${gen.base64(40)}`,
    },
  },
  {
    id: 'gcp-api-key',
    description: 'Google Cloud API key',
    category: 'cloud',
    keywords: ['aiza'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://cloud.google.com/docs/authentication/api-keys',
    samples: {
      positive: (gen) =>
        `const firebaseConfig = { apiKey: "AIza${gen.base64url(35)}", projectId: "shop-prod" };`,
      negative: (gen) => `GOOGLE_MAPS_KEY=AIza${gen.base64url(33)}`,
    },
  },
  {
    id: 'gcp-oauth-client-secret',
    description: 'Google OAuth client secret',
    category: 'cloud',
    keywords: ['gocspx-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    docs: 'https://support.google.com/cloud/answer/15549257',
    samples: {
      positive: (gen) =>
        `{"web": {"client_id": "${gen.digits(12)}-${gen.chars(ALPHABETS.lowerDigits, 32)}.apps.googleusercontent.com", ` +
        `"client_secret": "GOCSPX-${gen.base64url(28)}"}}`,
      negative: () => `GOOGLE_CLIENT_SECRET=GOCSPX-${'X'.repeat(28)}`,
    },
  },
  {
    id: 'gcp-service-account-key',
    description: 'Google Cloud service account key file (reported at its private_key_id)',
    category: 'cloud',
    keywords: ['service_account'],
    // A key file is a JSON object: "type" and "private_key_id" sit several lines apart, out of reach of a
    // windowed pattern, so the whole text is checked. The private key itself is the private-key rule's.
    detect: gcpServiceAccountKey,
    minEntropy: 3,
    docs: 'https://cloud.google.com/iam/docs/keys-create-delete',
    samples: {
      positive: (gen) => serviceAccountJson(gen, gen.hex(40), fakePrivateKey(gen)),
      // A template committed with the key removed but the key id left in.
      negative: (gen) => serviceAccountJson(gen, gen.hex(40), ''),
    },
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure Storage (or Cosmos DB) account key in a connection string',
    category: 'cloud',
    keywords: ['accountkey='],
    // 64 random bytes in base64; identifiable keys carry "+ASt" at offset 76, legacy ones nothing.
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/i,
    minEntropy: 4.7,
    // Azurite's well-known development key: it opens only the local emulator.
    documentedExamples: [
      'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    ],
    docs: 'https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string',
    samples: {
      positive: (gen) =>
        `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=${gen.lower(10)};` +
        `AccountKey=${base64(gen.bytes(64))};EndpointSuffix=core.windows.net"`,
      negative: () =>
        'AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
        'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
        'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"',
    },
  },
  {
    id: 'azure-sas-token',
    description: 'Azure shared access signature (SAS) token',
    category: 'cloud',
    keywords: ['sig='],
    // A SAS is a query string with a service version (sv=) and, later, the HMAC-SHA256 signature (sig=).
    pattern:
      /(?<![A-Za-z0-9])sv=\d{4}-\d{2}-\d{2}&(?:[A-Za-z]{1,6}=[^&\s"'<>]{0,120}&){0,15}?sig=(?<secret>[A-Za-z0-9%+/]{40,70}(?:=|%3[Dd])?)(?![A-Za-z0-9%+/=])/,
    validate: isSasSignature,
    docs: 'https://learn.microsoft.com/en-us/rest/api/storageservices/create-service-sas',
    samples: {
      positive: (gen) => `curl -o app.zip "${sasUrl(base64(gen.bytes(32)))}"`,
      // A 16-byte signature: another service's signed URL that happens to use sv= and sig=.
      negative: (gen) => `curl -o app.zip "${sasUrl(base64(gen.bytes(20)))}"`,
    },
  },
  {
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret',
    category: 'cloud',
    keywords: ['7q~', '8q~'],
    pattern:
      /(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
    validate: isAadClientSecret,
    docs: 'https://learn.microsoft.com/en-us/purview/sit-defn-azure-ad-client-secret',
    samples: {
      positive: (gen) => `AZURE_CLIENT_ID=${gen.uuid()}\nAZURE_CLIENT_SECRET=${aadClientSecret(gen)}`,
      // Right shape, wrong checksum: a secret with its last characters mistyped.
      negative: (gen) => {
        const secret = aadClientSecret(gen);
        const last = secret.slice(-1) === 'a' ? 'b' : 'a';
        return `AZURE_CLIENT_SECRET=${secret.slice(0, -1)}${last}`;
      },
    },
  },
  {
    id: 'azure-devops-pat',
    description: 'Azure DevOps personal access token',
    category: 'cloud',
    keywords: ['azdo'],
    // 84 base62 characters in Microsoft's annotated key layout: 52 random, the fixed "JQQJ99", a creation
    // date (year, month A-L), 16 reserved characters, the "AZDO" signature and a 4-character checksum.
    pattern:
      /(?<![A-Za-z0-9])(?<secret>[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9][A-L][A-Za-z0-9]{16}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9])/,
    minEntropy: 4,
    docs: 'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    samples: {
      positive: (gen) =>
        `git clone https://build:${gen.alnum(52)}JQQJ99A${gen.pick(['A', 'F', 'L'])}${gen.alnum(16)}AZDO${gen.alnum(4)}` +
        '@dev.azure.com/contoso/web/_git/web',
      // A month letter past L: not a date this layout can hold.
      negative: (gen) => `AZURE_DEVOPS_EXT_PAT=${gen.alnum(52)}JQQJ99AZ${gen.alnum(16)}AZDO${gen.alnum(4)}`,
    },
  },
  {
    id: 'azure-devops-pat-legacy',
    description: 'Azure DevOps personal access token (52-character format)',
    category: 'cloud',
    keywords: ['devops', 'azdo', 'vsts', 'dev.azure.com', 'visualstudio.com'],
    // 52 lowercase base32 characters are common (hashes, ids), so the vendor must be named nearby, and the
    // embedded CRC32 must check out.
    pattern:
      /(?:devops|azdo|vsts|dev\.azure\.com|visualstudio\.com|\bado)[^\n]{0,60}?(?<![a-z2-7])(?<secret>[a-z2-7]{52})(?![a-z2-7A-Z0-9])/i,
    validate: hasAdoPatChecksum,
    docs: 'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    samples: {
      positive: (gen) => `AZURE_DEVOPS_EXT_PAT=${legacyAdoPat(gen)}`,
      // The same shape without a valid checksum: a base32 hash stored next to the word DevOps.
      negative: (gen) => `AZURE_DEVOPS_CACHE_KEY=${gen.chars(BASE32_LOWER, 52)}`,
    },
  },
  digitalOcean(
    'digitalocean-pat',
    'dop_v1_',
    'DigitalOcean personal access token',
    'DIGITALOCEAN_ACCESS_TOKEN',
  ),
  digitalOcean('digitalocean-oauth-token', 'doo_v1_', 'DigitalOcean OAuth access token', 'DO_OAUTH_TOKEN'),
  digitalOcean(
    'digitalocean-refresh-token',
    'dor_v1_',
    'DigitalOcean OAuth refresh token',
    'DO_REFRESH_TOKEN',
  ),
  {
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud AccessKey ID',
    category: 'cloud',
    keywords: ['ltai'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair',
    samples: {
      positive: (gen) => `ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${gen.alnum(20)}`,
      negative: () => 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxxxxxx',
    },
  },
  {
    id: 'alibaba-access-key-secret',
    description: 'Alibaba Cloud AccessKey secret',
    category: 'cloud',
    keywords: ['accesskeysecret', 'access_key_secret', 'access-key-secret', 'alibaba', 'aliyun'],
    pattern: assigned(
      '(?:(?:alibaba|aliyun|alicloud)[\\w.-]{0,30}?)?access[_-]?key[_-]?secret\\w{0,10}',
      '[A-Za-z0-9]{30}',
    ),
    minEntropy: 3.8,
    docs: 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair',
    samples: {
      positive: (gen) =>
        `ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${gen.alnum(20)}\nALIBABA_CLOUD_ACCESS_KEY_SECRET=${gen.alnum(30)}`,
      negative: (gen) => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${gen.alnum(24)}`,
    },
  },
  {
    id: 'ibm-cloud-api-key',
    description: 'IBM Cloud API key',
    category: 'cloud',
    keywords: ['ibm'],
    // IBM Cloud API keys have no prefix: 44 base64url characters next to an IBM variable name.
    pattern: assigned('(?<![A-Za-z])ibm[\\w.-]{0,30}?(?:api[_-]?key|apikey)\\w{0,10}', '[A-Za-z0-9_-]{44}'),
    minEntropy: 4,
    docs: 'https://cloud.ibm.com/docs/account?topic=account-userapikey',
    samples: {
      positive: (gen) => `IBMCLOUD_API_KEY=${gen.base64url(44)}`,
      negative: (gen) => `Write-Host "uploading with IBM key ${gen.base64url(44)}"`,
    },
  },
  {
    id: 'oracle-oci-auth-token',
    description: 'Oracle Cloud Infrastructure auth token or customer secret key',
    category: 'cloud',
    keywords: ['oci_', 'oci-', 'oracle'],
    // OCI generates these strings and publishes no format; only the name beside them identifies them.
    pattern: assigned(
      '(?<![A-Za-z])(?:oci|oracle)[\\w.-]{0,30}?(?:auth[_-]?token|secret[_-]?key|password)\\w{0,10}',
      '[A-Za-z0-9+/(){}\\[\\];:.<>#_=-]{20,64}',
      '(?![^\\s"\'`,])',
    ),
    minEntropy: 3.8,
    docs: 'https://docs.oracle.com/en-us/iaas/Content/Identity/Tasks/managingcredentials.htm',
    samples: {
      positive: (gen) =>
        `docker login fra.ocir.io -u tenancy/user -p "$OCI_AUTH_TOKEN"\nOCI_AUTH_TOKEN=${gen.alnum(12)}(${gen.alnum(3)};${gen.alnum(3)}`,
      negative: () => 'OCI_AUTH_TOKEN=<paste-your-auth-token-here>',
    },
  },
  {
    id: 'linode-api-token',
    description: 'Linode (Akamai Cloud) personal access token',
    category: 'cloud',
    keywords: ['linode'],
    pattern: assigned('linode[\\w.-]{0,30}?(?:token|key|pat)\\w{0,10}', '[a-f0-9]{64}'),
    minEntropy: 3.3,
    docs: 'https://techdocs.akamai.com/linode-api/reference/get-started#personal-access-tokens',
    samples: {
      positive: (gen) => `provider "linode" {\n  token = "${gen.hex(64)}"\n}\nLINODE_TOKEN="${gen.hex(64)}"`,
      negative: (gen) => `LINODE_IMAGE_SHA256=${gen.hex(64)}`,
    },
  },
  {
    id: 'akamai-edgegrid-client-secret',
    description: 'Akamai EdgeGrid client secret (.edgerc)',
    category: 'cloud',
    keywords: ['akab-', 'edgerc'],
    pattern: /client_secret\s{0,3}[=:]\s{0,3}["']?(?<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/i,
    minEntropy: 4,
    docs: 'https://techdocs.akamai.com/developer/docs/set-up-authentication-credentials',
    samples: {
      positive: (gen) =>
        `[default]\nclient_secret = ${base64(gen.bytes(32))}\nhost = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}-${gen.chars(ALPHABETS.lowerDigits, 16)}.luna.akamaiapis.net\n` +
        `access_token = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}-${gen.chars(ALPHABETS.lowerDigits, 16)}`,
      negative: (gen) =>
        `[default]\nclient_secret = ${base64(gen.bytes(16))}\nhost = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}.luna.akamaiapis.net`,
    },
  },
  cloudflareScannable(
    'cloudflare-api-token',
    ['cfut_', 'cfat_'],
    'Cloudflare API token',
    'CLOUDFLARE_API_TOKEN',
  ),
  cloudflareScannable(
    'cloudflare-global-api-key',
    ['cfk_'],
    'Cloudflare Global API key',
    'CLOUDFLARE_API_KEY',
  ),
  {
    id: 'cloudflare-api-token-legacy',
    description: 'Cloudflare API token (unprefixed format)',
    category: 'cloud',
    keywords: ['cloudflare', 'cf_api_token', 'cf_token'],
    pattern: assigned('(?:cloudflare|\\bcf)[\\w.-]{0,30}?token\\w{0,10}', '[A-Za-z0-9_-]{40}'),
    minEntropy: 4,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/',
    samples: {
      positive: (gen) => `CLOUDFLARE_API_TOKEN=${gen.base64url(40)}`,
      negative: (gen) => `CLOUDFLARE_ZONE_ID=${gen.hex(32)}`,
    },
  },
  {
    id: 'cloudflare-global-api-key-legacy',
    description: 'Cloudflare Global API key (unprefixed format)',
    category: 'cloud',
    keywords: ['cloudflare', 'cf_api_key', 'x-auth-key'],
    pattern: assigned(
      '(?:cloudflare[\\w.-]{0,30}?(?:api[_-]?key|auth[_-]?key)|\\bcf[_-]api[_-]key|x-auth-key)\\w{0,10}',
      '[a-f0-9]{37}',
    ),
    minEntropy: 3,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/keys/',
    samples: {
      positive: (gen) => `CLOUDFLARE_EMAIL=ops@example.com\nCLOUDFLARE_API_KEY=${gen.hex(37)}`,
      // A 32-character zone id under a Cloudflare name.
      negative: (gen) => `CLOUDFLARE_API_KEY_ZONE=${gen.hex(32)}`,
    },
  },
  {
    id: 'cloudflare-origin-ca-key',
    description: 'Cloudflare Origin CA key',
    category: 'cloud',
    keywords: ['v1.0-'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?![A-Za-z0-9_-])/,
    minEntropy: 3.3,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/',
    samples: {
      positive: (gen) => `X-Auth-User-Service-Key: v1.0-${gen.hex(24)}-${gen.hex(146)}`,
      negative: (gen) => `image: registry.example.com/app:v1.0-${gen.hex(24)}`,
    },
  },
  {
    id: 'fastly-api-token',
    description: 'Fastly API token',
    category: 'cloud',
    keywords: ['fastly'],
    pattern: assigned('fastly[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '[A-Za-z0-9_-]{32}'),
    minEntropy: 3.6,
    docs: 'https://www.fastly.com/documentation/reference/api/auth-tokens/',
    samples: {
      positive: (gen) => `FASTLY_API_TOKEN=${gen.base64url(32)}`,
      negative: (gen) => `FASTLY_SERVICE_ID=${gen.alnum(22)}`,
    },
  },
  {
    id: 'heroku-api-key',
    description: 'Heroku API key',
    category: 'cloud',
    keywords: ['heroku'],
    // Heroku API keys are UUIDs, and UUIDs alone are identifiers: the Heroku name must sit beside them.
    pattern: assigned(
      'heroku[\\w.-]{0,30}?(?:key|token)\\w{0,20}',
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ),
    minEntropy: 3,
    docs: 'https://devcenter.heroku.com/articles/authentication',
    samples: {
      positive: (gen) => `HEROKU_API_KEY=${gen.uuid()}`,
      // An app id is a UUID too, and not a credential.
      negative: (gen) => `HEROKU_APP_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'heroku-api-key-v2',
    description: 'Heroku API key (HRKU- format)',
    category: 'cloud',
    keywords: ['hrku-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://devcenter.heroku.com/articles/authentication',
    samples: {
      positive: (gen) => `heroku config:set --app api HEROKU_API_KEY=HRKU-AA${gen.base64url(58)}`,
      negative: () => `HEROKU_API_KEY=HRKU-${'*'.repeat(60)}`,
    },
  },
  {
    id: 'netlify-access-token',
    description: 'Netlify personal access token',
    category: 'cloud',
    keywords: ['netlify'],
    pattern: assigned('netlify[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '(?:nfp_)?[A-Za-z0-9_-]{40,46}'),
    minEntropy: 4,
    docs: 'https://docs.netlify.com/api/get-started/#authentication',
    samples: {
      positive: (gen) => `netlify deploy --prod\nNETLIFY_AUTH_TOKEN=${gen.base64url(43)}`,
      negative: (gen) => `NETLIFY_SITE_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'vercel-access-token',
    description: 'Vercel access token',
    category: 'cloud',
    keywords: ['vercel'],
    // Newer tokens carry a vcp_/vci_/vca_/vcr_/vck_ prefix whose length Vercel does not publish.
    pattern: assigned('vercel[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '(?:vc[pikar]_)?[A-Za-z0-9]{24,80}'),
    minEntropy: 3.6,
    docs: 'https://vercel.com/docs/accounts/access-tokens',
    samples: {
      positive: (gen) => `VERCEL_TOKEN=${gen.pick(['', 'vcp_'])}${gen.alnum(24)}`,
      negative: (gen) => `VERCEL_ORG_ID=team_${gen.alnum(24)}`,
    },
  },
  {
    id: 'flyio-access-token',
    description: 'Fly.io access token (fo1_)',
    category: 'cloud',
    keywords: ['fo1_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>fo1_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://fly.io/docs/security/tokens/',
    samples: {
      positive: (gen) => `FLY_API_TOKEN=fo1_${gen.base64url(43)}`,
      negative: (gen) => `FLY_API_TOKEN=fo1_${gen.base64url(20)}`,
    },
  },
  {
    id: 'flyio-macaroon-token',
    description: 'Fly.io macaroon token (fm1r_/fm1a_/fm2_)',
    category: 'cloud',
    keywords: ['fm2_', 'fm1r_', 'fm1a_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>(?:fm2|fm1r|fm1a)_[A-Za-z0-9+/]{64,4096}={0,2})(?![A-Za-z0-9+/=])/,
    // The body is standard base64 of a msgpack-encoded macaroon, whose first byte is an array header.
    validate: (secret) => {
      const body = secret.slice(secret.indexOf('_') + 1);
      if (body.length % 4 !== 0) return false;
      const first = Buffer.from(body, 'base64')[0];
      return first !== undefined && first >= 0x90 && first <= 0x9f;
    },
    docs: 'https://fly.io/docs/security/tokens/',
    samples: {
      positive: (gen) => {
        const bytes = gen.bytes(gen.int(90, 180));
        bytes[0] = 0x94;
        bytes[1] = 0x93;
        return `FLY_API_TOKEN="FlyV1 fm2_${base64(bytes)}"`;
      },
      // Base64 that is not a macaroon: a random blob someone labelled fm2_.
      negative: (gen) => {
        const bytes = gen.bytes(120);
        bytes[0] = 0x7b;
        return `cache_key: fm2_${base64(bytes)}`;
      },
    },
  },
  {
    id: 'render-api-key',
    description: 'Render API key',
    category: 'cloud',
    keywords: ['rnd_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>rnd_[A-Za-z0-9]{24,48})(?![A-Za-z0-9_])/,
    minEntropy: 3.6,
    docs: 'https://render.com/docs/api#1-create-an-api-key',
    samples: {
      positive: (gen) => `RENDER_API_KEY=rnd_${gen.alnum(gen.int(24, 32))}`,
      negative: () => 'RENDER_API_KEY=rnd_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    },
  },
  {
    id: 'supabase-access-token',
    description: 'Supabase personal access token',
    category: 'cloud',
    keywords: ['sbp_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>sbp_[A-Za-z0-9_]{40,60})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://supabase.com/docs/guides/platform/personal-access-tokens',
    samples: {
      positive: (gen) => `SUPABASE_ACCESS_TOKEN=sbp_${gen.hex(40)}`,
      negative: (gen) => `SUPABASE_ACCESS_TOKEN=sbp_${gen.hex(24)}`,
    },
  },
  {
    id: 'supabase-secret-key',
    description: 'Supabase secret API key',
    category: 'cloud',
    keywords: ['sb_secret_'],
    // sb_publishable_ keys are meant for browsers and are not flagged.
    pattern: /(?<![A-Za-z0-9_])(?<secret>sb_secret_[A-Za-z0-9_-]{30,64})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://supabase.com/docs/guides/api/api-keys',
    samples: {
      positive: (gen) => `SUPABASE_SECRET_KEY=sb_secret_${gen.base64url(22)}_${gen.base64url(8)}`,
      negative: (gen) =>
        `NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY=sb_publishable_${gen.base64url(22)}_${gen.base64url(8)}`,
    },
  },
  {
    id: 'supabase-service-role-key',
    description: 'Supabase service_role key (JWT that bypasses row-level security)',
    category: 'cloud',
    keywords: ['supabase', 'service_role'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,200}\.eyJ[A-Za-z0-9_-]{20,1000}\.[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_-])/,
    // The anon key has the same shape and is public by design; only role=service_role is a secret.
    validate: (secret) => {
      const payload = decodeJsonSegment(secret.split('.')[1] as string);
      return payload?.['role'] === 'service_role';
    },
    docs: 'https://supabase.com/docs/guides/api/api-keys',
    samples: {
      positive: (gen) =>
        `SUPABASE_URL=https://${gen.lower(20)}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${fakeJwt(gen, {
          iss: 'supabase',
          ref: gen.lower(20),
          role: 'service_role',
          iat: 1700000000,
          exp: 2015576000,
        })}`,
      negative: (gen) =>
        `NEXT_PUBLIC_SUPABASE_ANON_KEY=${fakeJwt(gen, { iss: 'supabase', ref: gen.lower(20), role: 'anon', iat: 1700000000 })}`,
    },
  },
  {
    id: 'firebase-cloud-messaging-server-key',
    description: 'Firebase Cloud Messaging legacy server key',
    category: 'cloud',
    keywords: ['apa91b'],
    // Server keys are "AAAA" + 7 characters, a colon and an APA91b token; device registration tokens share
    // the APA91b part but start with a longer instance id.
    pattern: /(?<![A-Za-z0-9_-])(?<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?![A-Za-z0-9_-])/,
    minEntropy: 4.5,
    docs: 'https://firebase.google.com/docs/cloud-messaging/auth-server',
    samples: {
      positive: (gen) => `FCM_SERVER_KEY=AAAA${gen.base64url(7)}:APA91b${gen.base64url(134)}`,
      negative: (gen) =>
        `{"to": "${gen.base64url(22)}:APA91b${gen.base64url(134)}", "notification": {"title": "Hi"}}`,
    },
  },
  {
    id: 'scaleway-secret-key',
    description: 'Scaleway API secret key',
    category: 'cloud',
    keywords: ['scaleway', 'scw_secret', 'scw'],
    // The secret key is a UUID; the access key (SCW + 17) is not sensitive but marks a Scaleway config.
    pattern: assigned(
      // The lookbehind runs only once "secret_key" has matched, so it costs nothing on other text.
      '(?:(?:scaleway|\\bscw)[\\w.-]{0,30}?secret[\\w-]{0,10}|secret[_-]?key(?<=\\bSCW[A-Z0-9]{17}\\b[\\s\\S]{0,160}secret[_-]?key))',
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    ),
    minEntropy: 3,
    docs: 'https://www.scaleway.com/en/docs/iam/concepts/#api-key',
    samples: {
      positive: (gen) =>
        gen.pick([
          `SCW_ACCESS_KEY=SCW${gen.chars(ALPHABETS.upperDigits, 17)}\nSCW_SECRET_KEY=${gen.uuid()}`,
          `const client = createClient({\n  accessKey: 'SCW${gen.chars(ALPHABETS.upperDigits, 17)}',\n  secretKey: '${gen.uuid()}',\n})`,
        ]),
      // The project id is a UUID as well, and not a secret.
      negative: (gen) => `SCW_DEFAULT_PROJECT_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'hetzner-cloud-api-token',
    description: 'Hetzner Cloud API token',
    category: 'cloud',
    keywords: ['hcloud', 'hetzner'],
    pattern: assigned('(?:hcloud|hetzner)[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '[A-Za-z0-9]{64}'),
    minEntropy: 4.3,
    docs: 'https://docs.hetzner.cloud/#authentication',
    samples: {
      positive: (gen) => `export HCLOUD_TOKEN=${gen.alnum(64)}`,
      negative: (gen) => `HCLOUD_SSH_KEY_FINGERPRINT=${gen.hex(32)}`,
    },
  },
  {
    id: 'ovh-api-credentials',
    description: 'OVHcloud API application secret or consumer key',
    category: 'cloud',
    keywords: ['ovh'],
    pattern: assigned(
      '(?<![A-Za-z])ovh[\\w.-]{0,30}?(?:application[_-]?secret|app[_-]?secret|consumer[_-]?key)\\w{0,10}',
      '[A-Za-z0-9]{32}',
    ),
    minEntropy: 3.6,
    docs: 'https://help.ovhcloud.com/csm/en-gb-api-getting-started-ovhcloud-api',
    samples: {
      positive: (gen) =>
        `OVH_ENDPOINT=ovh-eu\nOVH_APPLICATION_KEY=${gen.alnum(16)}\nOVH_APPLICATION_SECRET=${gen.alnum(32)}\nOVH_CONSUMER_KEY=${gen.alnum(32)}`,
      // The application key is the public half of the pair.
      negative: (gen) => `OVH_APPLICATION_KEY=${gen.alnum(16)}`,
    },
  },
  {
    id: 'tencent-cloud-secret-id',
    description: 'Tencent Cloud SecretId',
    category: 'cloud',
    keywords: ['akid'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>AKID[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3.8,
    docs: 'https://www.tencentcloud.com/document/product/598/40488',
    samples: {
      positive: (gen) => `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(32)}`,
      negative: (gen) => `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(20)}`,
    },
  },
  {
    id: 'tencent-cloud-secret-key',
    description: 'Tencent Cloud SecretKey',
    category: 'cloud',
    keywords: ['tencent', 'secretkey', 'secret_key'],
    pattern: assigned(
      '(?:tencent(?:cloud)?[\\w.-]{0,30}?secret[_-]?key|secret[_-]?key(?<=AKID[A-Za-z0-9]{32}[\\s\\S]{0,120}secret[_-]?key))\\w{0,10}',
      '[A-Za-z0-9]{32}',
    ),
    minEntropy: 3.8,
    docs: 'https://www.tencentcloud.com/document/product/598/40488',
    samples: {
      positive: (gen) =>
        `TENCENTCLOUD_SECRET_ID=AKID${gen.alnum(32)}\nTENCENTCLOUD_SECRET_KEY=${gen.alnum(32)}`,
      negative: (gen) => `TENCENTCLOUD_REGION=ap-guangzhou\nSECRET_KEY=${gen.alnum(32)}`,
    },
  },
];
