/**
 * Vendor tokens of cloud providers, code hosts, package registries, secret managers and PaaS, each made from
 * the format its vendor publishes (the URL above each kind). Where a vendor documents only a prefix, the rest follows the shape of the keys the vendor
 * issues, as described in the cited page or announcement; that is noted per kind.
 *
 * A kind is `{ kind, names, make(rng) → value }`, planted as `NAME = value` in any syntax; `items(rng)`
 * instead returns ready items (pairs). `count` is per unit of scale.
 */

import { ASSIGN_SYNTAXES } from './credential-values.mjs';
import { groupItem, valueItem } from './doc.mjs';
import { ALNUM, BASE64, BASE64URL, base62, crc32, DIGITS, LOWER, UPPER } from './prng.mjs';

const BASE32_UPPER = `${UPPER}234567`;

/** GitHub's and npm's checksummed tokens: 30 random base62 characters and the CRC-32 of them in base62. */
export function checksummedToken(rng, prefix) {
  const entropy = rng.alnum(30);
  return `${prefix}${entropy}${base62(crc32(entropy), 6)}`;
}

/** Macaroon V2 binary field: type byte, varint length, data (libmacaroons doc/format.txt). */
function macaroonField(type, data) {
  const bytes = Buffer.from(data);
  const length = [];
  let n = bytes.length;
  while (n >= 0x80) {
    length.push((n & 0x7f) | 0x80);
    n >>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from([type, ...length]), bytes]);
}

function pair(rng, first, second) {
  return [
    valueItem({ kind: first.kind, secret: true, words: rng.pick(first.names), value: first.value }),
    valueItem({ kind: second.kind, secret: true, words: rng.pick(second.names), value: second.value }),
  ];
}

export const PLATFORM_KINDS = [
  {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
    // (AKIA = access key; 16 base32 characters) and
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html (40-character secret).
    // Planted as a pair on consecutive lines, each its own truth entry; sometimes the id alone.
    kind: 'aws-access-key-id',
    count: 8,
    items(rng) {
      const id = {
        kind: 'aws-access-key-id',
        names: [
          ['aws', 'access', 'key', 'id'],
          ['access', 'key', 'id'],
          ['aws', 'key', 'id'],
        ],
        value: `AKIA${rng.chars(BASE32_UPPER, 16)}`,
      };
      const secret = {
        kind: 'aws-secret-access-key',
        names: [
          ['aws', 'secret', 'access', 'key'],
          ['secret', 'access', 'key'],
          ['aws', 'secret', 'key'],
        ],
        value: rng.chars(BASE64, 40),
      };
      if (rng.chance(0.2))
        return [
          valueItem({
            ...id,
            secret: true,
            words: rng.pick(id.names),
            syntaxes: [...ASSIGN_SYNTAXES, 'aws-ini'],
          }),
        ];
      return [groupItem(pair(rng, id, secret), [...ASSIGN_SYNTAXES, 'aws-ini', 'aws-ini', 'aws-ini'])];
    },
  },
  {
    // https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string
    // (account key: 512-bit, base64)
    kind: 'azure-storage-connection-string',
    count: 6,
    names: [
      ['azure', 'storage', 'connection', 'string'],
      ['storage', 'connection', 'string'],
      ['azure', 'storage'],
    ],
    make: (rng) =>
      `DefaultEndpointsProtocol=https;AccountName=${rng.chars(LOWER + DIGITS, rng.range(8, 16))};` +
      `AccountKey=${rng.bytes(64).toString('base64')};EndpointSuffix=core.windows.net`,
  },
  {
    // https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
    // (ghp_ + 30 base62 + CRC-32 checksum in 6 base62 characters)
    kind: 'github-classic-pat',
    count: 8,
    names: [
      ['github', 'token'],
      ['gh', 'token'],
      ['github', 'pat'],
      ['git', 'token'],
    ],
    make: (rng) => checksummedToken(rng, 'ghp_'),
  },
  {
    // https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/
    // (github_pat_ + 22 base62 + _ + 59 base62, as issued)
    kind: 'github-fine-grained-pat',
    count: 8,
    names: [
      ['github', 'token'],
      ['gh', 'pat'],
      ['github', 'access', 'token'],
    ],
    make: (rng) => `github_pat_${rng.alnum(22)}_${rng.alnum(59)}`,
  },
  {
    // https://docs.gitlab.com/security/tokens/#token-prefixes (glpat- + 20 characters)
    kind: 'gitlab-pat',
    count: 8,
    names: [
      ['gitlab', 'token'],
      ['gitlab', 'private', 'token'],
      ['gl', 'token'],
    ],
    make: (rng) => `glpat-${rng.chars(`${ALNUM}_-`, 20)}`,
  },
  {
    // https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/ (npm_, GitHub's checksum)
    kind: 'npm-token',
    count: 8,
    names: [
      ['npm', 'token'],
      ['npm', 'auth', 'token'],
      ['node', 'auth', 'token'],
    ],
    make: (rng) => checksummedToken(rng, 'npm_'),
  },
  {
    // https://pypi.org/help/#apitoken (pypi- + a base64url macaroon whose location is pypi.org); binary layout
    // from https://github.com/rescrv/libmacaroons/blob/master/doc/format.txt (V2).
    kind: 'pypi-token',
    count: 6,
    names: [
      ['pypi', 'token'],
      ['twine', 'password'],
      ['pypi', 'api', 'token'],
    ],
    make(rng) {
      const caveat = JSON.stringify({ version: 1, permissions: { projects: [`acme-${rng.hex(4)}`] } });
      const bytes = Buffer.concat([
        Buffer.from([2]),
        macaroonField(1, 'pypi.org'),
        macaroonField(2, rng.uuid()),
        Buffer.from([0]),
        macaroonField(2, caveat),
        Buffer.from([0, 0]),
        macaroonField(6, rng.bytes(32)),
      ]);
      return `pypi-${bytes.toString('base64url')}`;
    },
  },
  {
    // https://docs.docker.com/security/for-developers/access-tokens/ (dckr_pat_ + 27 characters as issued)
    kind: 'dockerhub-pat',
    count: 6,
    names: [
      ['docker', 'hub', 'token'],
      ['dockerhub', 'pat'],
      ['registry', 'token'],
    ],
    make: (rng) => `dckr_pat_${rng.chars(BASE64URL, 27)}`,
  },
  {
    // https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes (hvs. service tokens; the
    // body is a base64 protobuf, ~90 characters)
    kind: 'vault-service-token',
    count: 5,
    names: [['vault', 'token']],
    make: (rng) => `hvs.CAESI${rng.chars(BASE64URL, 86)}`,
  },
  {
    // https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes (hvb. batch tokens)
    kind: 'vault-batch-token',
    count: 4,
    names: [
      ['vault', 'token'],
      ['vault', 'batch', 'token'],
    ],
    make: (rng) => `hvb.AAAAAQ${rng.chars(BASE64URL, 132)}`,
  },
  {
    // https://docs.doppler.com/reference/auth-token-formats (service tokens: dp.st.[config.] + 40+ chars)
    kind: 'doppler-service-token',
    count: 4,
    names: [['doppler', 'token']],
    make: (rng) => `dp.st.${rng.pick(['', 'prd.', 'dev.', 'stg.'])}${rng.alnum(43)}`,
  },
  {
    // https://developer.1password.com/docs/service-accounts/security/ (ops_ + base64url of a JSON object with
    // the account's sign-in address, SRP and key material)
    kind: 'onepassword-service-account-token',
    count: 4,
    names: [['op', 'service', 'account', 'token']],
    make(rng) {
      const body = {
        signInAddress: 'my.1password.com',
        userAuth: {
          method: 'SRPg-4096',
          alg: 'PBES2g-HS256',
          iterations: 650000,
          salt: rng.bytes(16).toString('base64url'),
        },
        email: `${rng.chars(LOWER, 12)}@1passwordserviceaccounts.com`,
        srpX: rng.hex(64),
        muk: {
          alg: 'A256GCM',
          ext: true,
          k: rng.bytes(32).toString('base64url'),
          key_ops: ['encrypt', 'decrypt'],
          kty: 'oct',
          kid: 'mp',
        },
        secretKey: `A3-${rng.chars(UPPER + DIGITS, 6)}-${rng.chars(UPPER + DIGITS, 6)}-${rng.chars(UPPER + DIGITS, 5)}-${rng.chars(UPPER + DIGITS, 5)}-${rng.chars(UPPER + DIGITS, 5)}-${rng.chars(UPPER + DIGITS, 5)}`,
        throttleSecret: { seed: rng.hex(64), uuid: rng.chars(UPPER + DIGITS, 26) },
        deviceUuid: rng.chars(LOWER + DIGITS, 26),
      };
      return `ops_${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
    },
  },
  {
    // https://devcenter.heroku.com/articles/authentication (API key: a UUID; no prefix, so context)
    kind: 'heroku-api-key',
    count: 5,
    names: [['heroku', 'api', 'key']],
    make: (rng) => rng.uuid(),
  },
];
