/**
 * Package registries: npm, PyPI, RubyGems, NuGet, Docker Hub, JFrog, Sonatype Nexus, crates.io, Packagist, Hex
 * and Clojars. Checksums are verified where the vendor has one.
 */
import { assigned } from './_patterns.ts';
import { ALPHABETS, breakLastChar, type Gen, githubChecksum, hasGithubChecksum } from './gen.ts';
import type { RuleSpec } from './types.ts';

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}

/** A macaroon v2 field: type, length (both varints), data. */
function field(type: number, data: string | Uint8Array): number[] {
  const bytes = typeof data === 'string' ? [...Buffer.from(data)] : [...data];
  return [...varint(type), ...varint(bytes.length), ...bytes];
}

/** A PyPI API token: "pypi-" and a base64url macaroon (v2 binary format) issued by pypi.org. */
function pypiToken(gen: Gen, location = 'pypi.org'): string {
  const caveat = JSON.stringify([1, { projects: [gen.lower(8)] }]);
  const bytes = [
    2,
    ...field(1, location),
    ...field(2, gen.uuid()),
    0,
    ...field(2, caveat),
    0,
    0,
    ...field(6, gen.bytes(32)),
  ];
  return `pypi-${Buffer.from(bytes).toString('base64url')}`;
}

/**
 * Parses the macaroon v2 binary format (libmacaroons doc/format.txt): version 2, a section of fields
 * ending in an end-of-section byte, caveat sections, an empty section, then a 32-byte signature (type 6).
 */
function isMacaroonV2(bytes: Uint8Array): boolean {
  let i = 0;
  const readVarint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = bytes[i++];
      if (byte === undefined) return undefined;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  /** Reads one section; the types of its fields, or undefined when malformed. */
  const readSection = (): number[] | undefined => {
    const types: number[] = [];
    for (;;) {
      const type = readVarint();
      if (type === undefined) return undefined;
      if (type === 0) return types;
      const length = readVarint();
      if (length === undefined || i + length > bytes.length) return undefined;
      i += length;
      types.push(type);
    }
  };
  if (bytes[i++] !== 2) return false;
  const header = readSection();
  if (!header?.includes(2)) return false;
  for (let sections = 0; sections < 64; sections++) {
    const caveat = readSection();
    if (caveat === undefined) return false;
    if (caveat.length === 0) {
      return bytes[i] === 6 && bytes[i + 1] === 32 && i + 34 === bytes.length;
    }
  }
  return false;
}

function npmToken(gen: Gen): string {
  const random = gen.alnum(30);
  return `npm_${random}${githubChecksum(random)}`;
}

/** NuGet API keys: "oy2" and 43 lowercase base32-like characters with fixed bits (microsoft/security-utilities). */
function nugetKey(gen: Gen): string {
  const a = (chars: string): string => gen.pick([...chars]);
  const run = (n: number): string => gen.chars(ALPHABETS.lowerDigits, n);
  return `oy2${a('abcdefghijklmnop')}${run(15)}${a('aq')}${run(11)}${a('eu')}${a('bdfhjlnprtvxz357')}${a('abcdefghijklmnop')}${run(11)}${a('aeimquy4')}`;
}

function jfrogReferenceToken(gen: Gen): string {
  return Buffer.from(`reftkn:01:${gen.int(1700000000, 2100000000)}:${gen.alnum(27)}`).toString('base64');
}

export const registriesRules: RuleSpec[] = [
  {
    id: 'npm-access-token',
    description: 'npm access token',
    category: 'package-registry',
    keywords: ['npm_'],
    // 30 random base62 characters and GitHub's CRC32 checksum in the last six.
    pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validate: (secret) => hasGithubChecksum(secret.slice(4)),
    nearMiss: 'looks like an npm token; checksum fails — truncated or fake?',
    docs: 'https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/',
    samples: {
      positive: (gen) => `//registry.npmjs.org/:_authToken=${npmToken(gen)}`,
      negative: (gen) => `NPM_TOKEN=${breakLastChar(npmToken(gen))}`,
    },
  },
  {
    id: 'npmrc-auth-token',
    description: 'Registry auth token in an .npmrc (_authToken)',
    category: 'package-registry',
    keywords: ['_authtoken'],
    // Legacy npm tokens (UUIDs) and other registries' tokens have no prefix; the .npmrc key vouches for them.
    // npm_ tokens are the npm-access-token rule's, which checks their checksum.
    pattern:
      /_authToken\s{0,3}=\s{0,3}["']?(?!npm_)(?<secret>[A-Za-z0-9+/=._~-]{20,512})(?![A-Za-z0-9+/=._~-])/i,
    minEntropy: 3,
    docs: 'https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration',
    samples: {
      positive: (gen) =>
        gen.pick([
          `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${gen.uuid()}`,
          `@acme:registry=https://acme.jfrog.io/artifactory/api/npm/npm/\n//acme.jfrog.io/artifactory/api/npm/npm/:_authToken=${gen.base64(64)}`,
        ]),
      // The recommended form: the token comes from the environment.
      negative: () => '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    },
  },
  {
    id: 'pypi-api-token',
    description: 'PyPI API token',
    category: 'package-registry',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    // "pypi-" and a macaroon whose location is pypi.org (AgEIcHlwaS5vcmc) or test.pypi.org.
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,4000})(?![A-Za-z0-9_-])/,
    validate: (secret) => isMacaroonV2(Buffer.from(secret.slice(5), 'base64url')),
    docs: 'https://pypi.org/help/#apitoken',
    samples: {
      positive: (gen) =>
        `[pypi]\n  username = __token__\n  password = ${pypiToken(gen, gen.pick(['pypi.org', 'test.pypi.org']))}`,
      // A token cut short while pasting: the signature is incomplete.
      negative: (gen) => `TWINE_PASSWORD=${pypiToken(gen).slice(0, -6)}`,
    },
  },
  {
    id: 'rubygems-api-key',
    description: 'RubyGems API key',
    category: 'package-registry',
    keywords: ['rubygems_'],
    // "rubygems_" + SecureRandom.hex(24): rubygems.org app/controllers/concerns/api_keyable.rb.
    pattern: /(?<![A-Za-z0-9_])(?<secret>rubygems_[a-f0-9]{48})(?![A-Za-z0-9_])/,
    minEntropy: 3.2,
    docs: 'https://guides.rubygems.org/api-key-scopes/',
    samples: {
      positive: (gen) => `---\n:rubygems_api_key: rubygems_${gen.hex(48)}`,
      negative: (gen) => `GEM_HOST_API_KEY=rubygems_${gen.hex(32)}`,
    },
  },
  {
    id: 'nuget-api-key',
    description: 'NuGet.org API key',
    category: 'package-registry',
    keywords: ['oy2'],
    // Base32-like with fixed bits at known offsets, so a random "oy2…" string almost never fits; the layout is
    // Microsoft's own scanner's (microsoft/security-utilities SEC101_030_NuGetApiKey).
    pattern:
      /(?<![0-9a-z])(?<secret>oy2[a-p][0-9a-z]{15}[aq][0-9a-z]{11}[eu][bdfhjlnprtvxz357][a-p][0-9a-z]{11}[aeimquy4])(?![0-9a-z])/,
    minEntropy: 3.6,
    docs: 'https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys',
    samples: {
      positive: (gen) =>
        `dotnet nuget push ./out/Acme.Core.nupkg --api-key ${nugetKey(gen)} --source https://api.nuget.org/v3/index.json`,
      // One of the fixed positions is off: a lowercase id that merely starts with oy2.
      negative: (gen) => {
        const key = nugetKey(gen);
        return `NUGET_API_KEY=${key.slice(0, 19)}z${key.slice(20)}`;
      },
    },
  },
  {
    id: 'docker-hub-pat',
    description: 'Docker Hub personal access token',
    category: 'package-registry',
    keywords: ['dckr_pat_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/,
    minEntropy: 3.6,
    docs: 'https://docs.docker.com/security/for-developers/access-tokens/',
    samples: {
      positive: (gen) => `echo "dckr_pat_${gen.base64url(27)}" | docker login -u acmeci --password-stdin`,
      negative: () => 'DOCKERHUB_TOKEN=dckr_pat_<your-token>',
    },
  },
  {
    id: 'jfrog-api-key',
    description: 'JFrog Artifactory API key',
    category: 'package-registry',
    keywords: ['akcp'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>AKCp[A-Za-z0-9]{69})(?![A-Za-z0-9_])/,
    minEntropy: 4.5,
    docs: 'https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key',
    samples: {
      positive: (gen) =>
        `curl -H "X-JFrog-Art-Api: AKCp${gen.alnum(69)}" https://acme.jfrog.io/artifactory/api/repositories`,
      negative: (gen) => `ARTIFACTORY_API_KEY=AKCp${gen.alnum(40)}`,
    },
  },
  {
    id: 'jfrog-reference-token',
    description: 'JFrog Platform reference token',
    category: 'package-registry',
    keywords: ['cmvmdgtu'],
    // base64 of "reftkn:01:<expiry>:<random>", so the prefix decodes to "reftkn".
    pattern: /(?<![A-Za-z0-9+/])(?<secret>cmVmdGtu[A-Za-z0-9+/]{56})(?![A-Za-z0-9+/=])/,
    validate: (secret) =>
      /^reftkn:\d{2}:\d{10}:[A-Za-z0-9]+$/.test(Buffer.from(secret, 'base64').toString('latin1')),
    docs: 'https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens',
    samples: {
      positive: (gen) => `JFROG_ACCESS_TOKEN=${jfrogReferenceToken(gen)}`,
      // Starts like one, but the rest is not a reference token's fields.
      negative: (gen) => `artifactory_token: cmVmdGtu${gen.base64(56)}`,
    },
  },
  {
    id: 'sonatype-nexus-credentials',
    description: 'Sonatype Nexus Repository user token or password',
    category: 'package-registry',
    keywords: ['nexus'],
    // Nexus user tokens (name code and pass code) have no published format; only the Nexus name vouches.
    pattern: assigned(
      'nexus[\\w.-]{0,30}?(?:password|passcode|pass[_-]code|token)\\w{0,10}',
      '[A-Za-z0-9+/=_-]{12,64}',
      '(?![A-Za-z0-9+/=_-])',
    ),
    minEntropy: 3.5,
    docs: 'https://help.sonatype.com/en/user-tokens.html',
    samples: {
      positive: (gen) => `NEXUS_USERNAME=${gen.alnum(8)}\nNEXUS_PASSWORD=${gen.base64(44)}`,
      negative: () => 'NEXUS_PASSWORD=${NEXUS_PASSWORD}',
    },
  },
  {
    id: 'crates-io-api-token',
    description: 'crates.io API token',
    category: 'package-registry',
    keywords: ['cio'],
    // "cio" + 32 alphanumerics: rust-lang/crates.io crates_io_database/src/utils/token.rs.
    pattern: /(?<![A-Za-z0-9_])(?<secret>cio[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3.6,
    docs: 'https://github.com/rust-lang/crates.io/blob/main/crates/crates_io_database/src/utils/token.rs',
    samples: {
      positive: (gen) => `# ~/.cargo/credentials.toml\n[registry]\ntoken = "cio${gen.alnum(32)}"`,
      negative: (gen) => `CARGO_REGISTRY_TOKEN=cio${gen.alnum(31)}`,
    },
  },
  {
    id: 'packagist-token',
    description: 'Private Packagist authentication token',
    category: 'package-registry',
    keywords: ['packagist_'],
    // A prefix per token kind, 60 random hex characters and an 8-character hex checksum.
    pattern: /(?<![A-Za-z0-9_])(?<secret>packagist_[a-z]{3}_[a-f0-9]{68})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://packagist.com/docs/composer-authentication#token-format',
    samples: {
      positive: (gen) =>
        `composer config --global --auth http-basic.repo.packagist.com token packagist_${gen.pick(['ort', 'out', 'uut'])}_${gen.hex(68)}`,
      negative: (gen) => `COMPOSER_AUTH_TOKEN=packagist_out_${gen.hex(40)}`,
    },
  },
  {
    id: 'hex-api-key',
    description: 'Hex.pm API key',
    category: 'package-registry',
    keywords: ['hex_api_key', 'hexpm', 'hex.pm', 'hex_'],
    pattern: assigned(
      '(?<![A-Za-z])hex(?:pm|\\.pm)?[_.-][\\w.-]{0,20}?(?:api[_-]?)?key\\w{0,10}',
      '[a-f0-9]{32}',
    ),
    minEntropy: 3,
    docs: 'https://hex.pm/docs/publish',
    samples: {
      positive: (gen) => `- name: Publish to Hex\n  env:\n    HEX_API_KEY: ${gen.hex(32)}`,
      negative: (gen) => `HEX_PACKAGE_CHECKSUM=${gen.hex(64)}`,
    },
  },
  {
    id: 'clojars-deploy-token',
    description: 'Clojars deploy token',
    category: 'package-registry',
    keywords: ['clojars_'],
    // "CLOJARS_" + 60 lowercase hex: the server's own validator (clojars-web src/clojars/db.clj).
    pattern: /(?<![A-Za-z0-9_])(?<secret>CLOJARS_[a-f0-9]{60})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://github.com/clojars/clojars-web/wiki/Deploy-Tokens',
    samples: {
      positive: (gen) => `CLOJARS_USERNAME=acme\nCLOJARS_PASSWORD=CLOJARS_${gen.hex(60)}`,
      negative: () =>
        'CLOJARS_USERNAME=acme\nCLOJARS_PASSWORD=CLOJARS_DEPLOY_TOKEN_GOES_HERE_0000000000000000000000000000000',
    },
  },
];
