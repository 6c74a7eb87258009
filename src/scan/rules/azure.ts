/**
 * Microsoft Azure: storage account keys, SAS tokens, Azure AD client secrets and Azure DevOps PATs. Most of
 * this module is the checksum code Microsoft's formats carry (Marvin32 for `8Q~` client secrets, a seeded
 * CRC32 for legacy DevOps PATs), so a random lookalike is not reported.
 */
import { base64 } from './_codec.ts';
import { ALPHABETS, crc32, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

/** Characters Azure AD uses in client secrets. */
const AAD_CHARSET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';

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
  const bytes = base32Decode(secret.toLowerCase(), ALPHABETS.base32Lower);
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
  return base32Encode(bytes, ALPHABETS.base32Lower, 52);
}

function aadClientSecret(gen: Gen): string {
  const body = `${gen.chars(AAD_CHARSET, 3)}8Q~${gen.chars(AAD_CHARSET, 31)}`;
  return body + aadChecksum(body);
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

export const azureRules: RuleSpec[] = [
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
      negative: (gen) => `AZURE_DEVOPS_CACHE_KEY=${gen.chars(ALPHABETS.base32Lower, 52)}`,
    },
  },
];
