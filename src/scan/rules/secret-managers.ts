/**
 * Secret managers and encryption keys: HashiCorp Vault, Doppler, 1Password, Infisical, Akeyless and age. The
 * age checksum (bech32) and 1Password's embedded JSON are verified.
 */
import { base64, base64url, decodeJsonSegment, fakeJwt } from './_codec.ts';
import { assigned } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    BECH32_GENERATOR.forEach((generator, i) => {
      if ((top >>> i) & 1) checksum ^= generator;
    });
  }
  return checksum >>> 0;
}

function bech32HrpExpand(hrp: string): number[] {
  const codes = [...hrp].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >>> 5), 0, ...codes.map((code) => code & 31)];
}

/** BIP-173 bech32 (age keys use bech32, not bech32m): the checksum constant is 1. */
function hasBech32Checksum(text: string): boolean {
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf('1');
  const data = [...lower.slice(separator + 1)].map((char) => BECH32.indexOf(char));
  if (separator < 1 || data.length < 6 || data.includes(-1)) return false;
  return bech32Polymod([...bech32HrpExpand(lower.slice(0, separator)), ...data]) === 1;
}

function toFiveBits(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((buffer >>> bits) & 31);
    }
  }
  if (bits > 0) out.push((buffer << (5 - bits)) & 31);
  return out;
}

function ageSecretKey(gen: Gen): string {
  const hrp = 'age-secret-key-';
  const data = toFiveBits(gen.bytes(32));
  const mod = bech32Polymod([...bech32HrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((value) => BECH32[value]).join('')}`.toUpperCase();
}

function onePasswordServiceAccountToken(gen: Gen): string {
  const json = JSON.stringify({
    signInAddress: 'my.1password.com',
    userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: gen.base64url(22) },
    email: `${gen.lower(13)}@1passwordserviceaccounts.com`,
    srpX: gen.hex(64),
    muk: {
      alg: 'A256GCM',
      ext: false,
      k: gen.base64url(43),
      key_ops: ['decrypt', 'encrypt'],
      kty: 'oct',
      kid: 'mp',
    },
    secretKey: `A3-${gen.upper(6)}-${gen.upper(6)}-${gen.upper(5)}-${gen.upper(5)}-${gen.upper(5)}-${gen.upper(5)}`,
    throttleSecret: { seed: gen.hex(64), uuid: gen.upper(26) },
    deviceUuid: gen.chars(ALPHABETS.lowerDigits, 26),
  });
  return `ops_${base64url(json)}`;
}

function vaultToken(
  id: string,
  prefix: string,
  description: string,
  line: (token: string) => string,
  minLength: number,
): RuleSpec {
  const escaped = prefix.replace('.', '\\.');
  return {
    id,
    description,
    category: 'secret-manager',
    keywords: [prefix],
    // Local tokens carry 24 random characters (and, in a namespace, ".<namespace id>"); HCP and batch tokens
    // are longer encoded blobs.
    pattern: new RegExp(
      `(?<![A-Za-z0-9_.-])(?<secret>${escaped}[A-Za-z0-9_-]{${minLength},400}(?:\\.[A-Za-z0-9]{5})?)(?![A-Za-z0-9_.-])`,
    ),
    minEntropy: 3.5,
    docs: 'https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes',
    samples: {
      positive: (gen) => line(`${prefix}${gen.alnum(minLength)}${gen.pick(['', `.${gen.alnum(5)}`])}`),
      negative: () => line(`${prefix}${'X'.repeat(minLength)}`),
    },
  };
}

function dopplerToken(id: string, kind: string, description: string, variable: string): RuleSpec {
  // Service tokens may carry the config name: dp.st.<config>.<random>.
  const scope = kind === 'st' ? '(?:[a-z0-9_-]{2,35}\\.)?' : '';
  return {
    id,
    description,
    category: 'secret-manager',
    keywords: [`dp.${kind}.`],
    pattern: new RegExp(
      `(?<![A-Za-z0-9_.])(?<secret>dp\\.${kind}\\.${scope}[A-Za-z0-9]{40,44})(?![A-Za-z0-9_])`,
    ),
    minEntropy: 4,
    docs: 'https://docs.doppler.com/reference/auth-token-formats',
    samples: {
      positive: (gen) =>
        `${variable}=dp.${kind}.${kind === 'st' ? gen.pick(['', 'prd.', 'dev_personal.']) : ''}${gen.alnum(43)}`,
      negative: () => `${variable}=dp.${kind}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
    },
  };
}

export const secretManagersRules: RuleSpec[] = [
  {
    // Our own: `stagecraft token create` and `serve --init-admin` mint 32 random bytes, base64url, marked.
    id: 'stagecraft-api-token',
    description: 'stagecraft server API token',
    category: 'secret-manager',
    keywords: ['stagecraft_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>stagecraft_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'README.md#identities-tokens-and-ci-oidc',
    samples: {
      positive: (gen) =>
        `export STAGECRAFT_TOKEN=stagecraft_${Buffer.from(gen.bytes(32)).toString('base64url')}`,
      negative: () => `export STAGECRAFT_TOKEN=stagecraft_${'A'.repeat(43)}`,
    },
  },
  vaultToken(
    'vault-service-token',
    'hvs.',
    'HashiCorp Vault service token',
    (t) => `export VAULT_TOKEN=${t}`,
    24,
  ),
  vaultToken('vault-batch-token', 'hvb.', 'HashiCorp Vault batch token', (t) => `X-Vault-Token: ${t}`, 90),
  vaultToken(
    'vault-recovery-token',
    'hvr.',
    'HashiCorp Vault recovery token',
    (t) => `vault operator raft snapshot save -token=${t}`,
    24,
  ),
  {
    id: 'vault-legacy-token',
    description: 'HashiCorp Vault token (pre-1.10 "s." format)',
    category: 'secret-manager',
    keywords: ['vault'],
    // "s." + 24 characters is far too short and common to trust alone: only next to a Vault name.
    pattern: assigned(
      '(?:vault[\\w.-]{0,30}?token|x-vault-token)\\w{0,10}',
      's\\.[A-Za-z0-9]{24}',
      '(?![A-Za-z0-9_.-])',
    ),
    minEntropy: 3.5,
    docs: 'https://developer.hashicorp.com/vault/docs/concepts/tokens',
    samples: {
      positive: (gen) =>
        `export VAULT_ADDR=https://vault.internal:8200\nexport VAULT_TOKEN=s.${gen.alnum(24)}`,
      negative: (gen) => `vault_token_file: s.${gen.alnum(8)}.json`,
    },
  },
  dopplerToken('doppler-personal-token', 'pt', 'Doppler personal token', 'DOPPLER_TOKEN'),
  dopplerToken('doppler-service-token', 'st', 'Doppler service token', 'DOPPLER_TOKEN'),
  dopplerToken('doppler-service-account-token', 'sa', 'Doppler service account token', 'DOPPLER_TOKEN'),
  dopplerToken('doppler-cli-token', 'ct', 'Doppler CLI token', 'DOPPLER_TOKEN'),
  dopplerToken('doppler-scim-token', 'scim', 'Doppler SCIM token', 'DOPPLER_SCIM_TOKEN'),
  dopplerToken('doppler-audit-token', 'audit', 'Doppler audit API token', 'DOPPLER_AUDIT_TOKEN'),
  {
    id: '1password-service-account-token',
    description: '1Password service account token',
    category: 'secret-manager',
    keywords: ['ops_ey'],
    // "ops_" and base64url JSON (sign-in address, account key material).
    pattern: /(?<![A-Za-z0-9_])(?<secret>ops_eyJ[A-Za-z0-9_\-+/.]{100,8000}={0,3})(?![A-Za-z0-9_\-+/=.])/,
    validate: (secret) => decodeJsonSegment(secret.slice(4).split('.')[0] as string) !== undefined,
    docs: 'https://developer.1password.com/docs/service-accounts/use-with-1password-cli/',
    samples: {
      positive: (gen) => `export OP_SERVICE_ACCOUNT_TOKEN=${onePasswordServiceAccountToken(gen)}`,
      // Looks like one, but the payload is not JSON: a corrupted paste.
      negative: (gen) => `export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ${gen.base64url(180)}`,
    },
  },
  {
    id: '1password-connect-token',
    description: '1Password Connect server access token',
    category: 'secret-manager',
    keywords: ['op_connect_token', 'onepassword_connect_token', 'connect_token'],
    pattern: assigned(
      '(?:op|onepassword)[_-]connect[_-]token\\w{0,10}',
      // The payload's first claim is "1password.com/auuid", so it starts "eyIx", not "eyJ".
      'eyJ[A-Za-z0-9_-]{10,400}\\.ey[A-Za-z0-9_-]{10,4000}\\.[A-Za-z0-9_-]{20,1000}',
    ),
    validate: (secret) => decodeJsonSegment(secret.split('.')[0] as string)?.['alg'] !== undefined,
    docs: 'https://developer.1password.com/docs/connect/manage-connect/',
    samples: {
      positive: (gen) =>
        `OP_CONNECT_HOST=http://localhost:8080\nOP_CONNECT_TOKEN=${fakeJwt(gen, { header: { alg: 'ES256', kid: gen.chars(ALPHABETS.lowerDigits, 26), typ: 'JWT' }, payload: { '1password.com/auuid': gen.upper(26), sub: gen.upper(26), aud: ['com.1password.connect'], iss: 'com.1password.b5' }, signatureLength: 86 })}`,
      negative: (gen) =>
        `OP_CONNECT_TOKEN=eyJ${gen.base64url(30)}.eyJ${gen.base64url(60)}.${gen.base64url(86)}`,
    },
  },
  {
    id: '1password-secret-key',
    description: '1Password account Secret Key',
    category: 'secret-manager',
    keywords: ['a3-'],
    pattern:
      /(?<![A-Za-z0-9-])(?<secret>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![A-Za-z0-9-])/,
    minEntropy: 3.5,
    docs: 'https://support.1password.com/secret-key-security/',
    samples: {
      positive: (gen) => {
        const part = (n: number): string => gen.chars('23456789ABCDEFGHJKLMNPQRSTVWXYZ', n);
        return `Emergency kit: secret key ${`A3-${part(6)}-${part(6)}-${part(5)}-${part(5)}-${part(5)}-${part(5)}`}`;
      },
      negative: () => 'Your Secret Key looks like A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
    },
  },
  {
    id: 'infisical-service-token',
    description: 'Infisical service token',
    category: 'secret-manager',
    keywords: ['st.'],
    // "st.<token id>.<secret>.<key>": everything before the last dot authenticates, the hex after it decrypts.
    pattern: /(?<![A-Za-z0-9_.])(?<secret>st\.[a-z0-9-]{24,36}\.[a-f0-9]{32}\.[a-f0-9]{32})(?![A-Za-z0-9_.])/,
    minEntropy: 3.3,
    docs: 'https://infisical.com/docs/internals/service-tokens',
    samples: {
      positive: (gen) => `INFISICAL_TOKEN=st.${gen.hex(24)}.${gen.hex(32)}.${gen.hex(32)}`,
      negative: (gen) => `INFISICAL_TOKEN=st.${gen.hex(24)}.${gen.hex(32)}`,
    },
  },
  {
    id: 'akeyless-access-key',
    description: 'Akeyless API access key',
    category: 'secret-manager',
    keywords: ['akeyless'],
    pattern: new RegExp(
      '(?:akeyless[\\w.-]{0,30}?access[_-]?key\\w{0,10}["\'`]?\\s{0,3}[:=]|akeyless\\b[^\\n]{0,160}?--access-key(?:=|\\s+))' +
        '\\s{0,3}["\'`]?(?<secret>[A-Za-z0-9+/]{30,64}={0,2})(?![A-Za-z0-9+/=])',
      'i',
    ),
    minEntropy: 4,
    docs: 'https://docs.akeyless.io/docs/api-key',
    samples: {
      positive: (gen) =>
        gen.pick([
          `AKEYLESS_ACCESS_ID=p-${gen.chars(ALPHABETS.lowerDigits, 12)}\nAKEYLESS_ACCESS_KEY=${base64(gen.bytes(32))}`,
          `akeyless configure --profile default --access-id p-${gen.chars(ALPHABETS.lowerDigits, 12)} --access-key ${base64(gen.bytes(32))}`,
        ]),
      // The access id names the key; it is not the secret.
      negative: (gen) => `AKEYLESS_ACCESS_ID=p-${gen.chars(ALPHABETS.lowerDigits, 12)}`,
    },
  },
  {
    id: 'age-secret-key',
    description: 'age encryption secret key',
    category: 'private-key',
    keywords: ['age-secret-key-1'],
    // Bech32 with the human-readable part "age-secret-key-": 32 key bytes and a 6-character checksum.
    pattern:
      /(?<![A-Za-z0-9])(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/,
    validate: hasBech32Checksum,
    docs: 'https://age-encryption.org/v1',
    samples: {
      positive: (gen) =>
        `# created: 2024-05-01T10:00:00Z\n# public key: age1${gen.chars(BECH32, 58)}\n${ageSecretKey(gen)}`,
      negative: (gen) => {
        const key = ageSecretKey(gen);
        const swapped = key.endsWith('Q') ? 'P' : 'Q';
        return `SOPS_AGE_KEY=${key.slice(0, -1)}${swapped}`;
      },
    },
  },
];
