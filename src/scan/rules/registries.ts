/**
 * Package registries and the forges and code-quality services around them: npm, PyPI, RubyGems, NuGet,
 * Docker Hub, GitLab, Bitbucket, JFrog, Sonatype Nexus, crates.io, Packagist, Hex, Clojars, Pulumi,
 * Terraform Cloud, Snyk, Codecov, SonarQube and Gitea. Checksums are verified where the vendor has one.
 */
import { crc32, type Gen, githubChecksum, hasGithubChecksum } from './gen.ts';
import type { RuleSpec } from './types.ts';

const GITLAB_TOKENS = 'https://docs.gitlab.com/security/tokens/#token-prefixes';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * `<name>… = <value>`: a variable, key or flag named for the vendor, an assignment (`=`, `:`, `=>`, `:=`),
 * then the value. Every gap is bounded, so the pattern stays linear on long lines.
 */
function assigned(name: string, value: string, end = '(?![A-Za-z0-9_\\-])'): RegExp {
  return new RegExp(`${name}["'\`]?\\s{0,3}(?:=>|:=|=|:)\\s{0,3}["'\`]?(?<secret>${value})${end}`, 'i');
}

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

function legacyGitlabToken(
  id: string,
  prefix: string,
  length: number,
  description: string,
  line: (token: string) => string,
): RuleSpec {
  return {
    id,
    description,
    category: 'vcs',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>${prefix}[A-Za-z0-9_-]{${length}})(?![A-Za-z0-9_.-])`),
    minEntropy: length >= 40 ? 4 : 3.2,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) => line(`${prefix}${gen.base64url(length)}`),
      // The placeholder GitLab's own docs and READMEs show.
      negative: () => line(`${prefix}${'x'.repeat(length)}`),
    },
  };
}

/**
 * GitLab's routable tokens: prefix, base64url payload, ".", an optional 2-character version and ".", the
 * payload length (2 base36 characters) and the CRC32 of everything before it (7 base36 characters).
 * gitlab-org/gitlab `lib/authn/token_field/generator/routable_token.rb`.
 */
function hasRoutableChecksum(secret: string): boolean {
  const body = secret.slice(0, -7);
  return crc32(body).toString(36).padStart(7, '0') === secret.slice(-7);
}

function routableToken(gen: Gen, prefix: string): string {
  const routing = `c:1\no:${gen.int(1, 2 ** 30).toString(36)}\nu:${gen.int(1, 2 ** 30).toString(36)}`;
  const payload = Buffer.from([...gen.bytes(16), ...Buffer.from(routing), routing.length]).toString(
    'base64url',
  );
  const body = `${prefix}${payload}.01.${payload.length.toString(36).padStart(2, '0')}`;
  return body + crc32(body).toString(36).padStart(7, '0');
}

function breakLastChar(token: string): string {
  return token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
}

function npmToken(gen: Gen): string {
  const random = gen.alnum(30);
  return `npm_${random}${githubChecksum(random)}`;
}

/** NuGet API keys: "oy2" and 43 lowercase base32-like characters with fixed bits (microsoft/security-utilities). */
function nugetKey(gen: Gen): string {
  const a = (chars: string): string => gen.pick([...chars]);
  const run = (n: number): string => gen.chars('abcdefghijklmnopqrstuvwxyz0123456789', n);
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
  legacyGitlabToken(
    'gitlab-pat',
    'glpat-',
    20,
    'GitLab personal, project or group access token',
    (t) => `GITLAB_TOKEN=${t}`,
  ),
  {
    id: 'gitlab-pat-routable',
    description: 'GitLab personal, project or group access token (routable format)',
    category: 'vcs',
    keywords: ['glpat-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_-])/,
    validate: hasRoutableChecksum,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `git remote add origin https://oauth2:${routableToken(gen, 'glpat-')}@gitlab.com/acme/web.git`,
      negative: (gen) => `GITLAB_TOKEN=${breakLastChar(routableToken(gen, 'glpat-'))}`,
    },
  },
  legacyGitlabToken(
    'gitlab-deploy-token',
    'gldt-',
    20,
    'GitLab deploy token',
    (t) => `DEPLOY_TOKEN_PASSWORD=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-runner-auth-token',
    'glrt-',
    20,
    'GitLab runner authentication token',
    (t) => `[[runners]]\n  url = "https://gitlab.com"\n  token = "${t}"`,
  ),
  {
    id: 'gitlab-runner-auth-token-routable',
    description: 'GitLab runner authentication token (routable format)',
    category: 'vcs',
    keywords: ['glrt-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>glrt-t\d_[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_-])/,
    validate: hasRoutableChecksum,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) => `gitlab-runner register --token ${routableToken(gen, `glrt-t${gen.int(1, 3)}_`)}`,
      negative: (gen) => `gitlab-runner register --token ${breakLastChar(routableToken(gen, 'glrt-t1_'))}`,
    },
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    description: 'GitLab pipeline trigger token',
    category: 'vcs',
    keywords: ['glptt-'],
    // "glptt-" + SecureRandom.hex(20): gitlab-org/gitlab app/models/ci/trigger.rb.
    pattern: /(?<![A-Za-z0-9_-])(?<secret>glptt-[a-f0-9]{40})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `curl -X POST --fail -F token=glptt-${gen.hex(40)} -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
      negative: (gen) =>
        `curl -X POST -F token=glptt-${gen.hex(20)} -F ref=main https://gitlab.example.com/api/v4/projects/42/trigger/pipeline`,
    },
  },
  {
    id: 'gitlab-runner-registration-token',
    description: 'GitLab runner registration token (deprecated)',
    category: 'vcs',
    keywords: ['gr1348941'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.3,
    docs: 'https://docs.gitlab.com/ci/runners/new_creation_workflow/',
    samples: {
      positive: (gen) =>
        `gitlab-runner register --url https://gitlab.com --registration-token GR1348941${gen.base64url(20)}`,
      negative: () => 'gitlab-runner register --registration-token GR1348941XXXXXXXXXXXXXXXXXXXX',
    },
  },
  {
    id: 'gitlab-cicd-job-token',
    description: 'GitLab CI/CD job token',
    category: 'vcs',
    keywords: ['glcbt-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>glcbt-[0-9A-Za-z]{1,5}_[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.2,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `curl --header "JOB-TOKEN: glcbt-${gen.hex(2)}_${gen.base64url(20)}" https://gitlab.com/api/v4/jobs/1/artifacts`,
      negative: () =>
        'curl --header "JOB-TOKEN: $CI_JOB_TOKEN" https://gitlab.com/api/v4/jobs/1/artifacts\n# glcbt-64_xxxxxxxxxxxxxxxxxxxx',
    },
  },
  legacyGitlabToken('gitlab-scim-token', 'glsoat-', 20, 'GitLab SCIM token', (t) => `SCIM_TOKEN=${t}`),
  legacyGitlabToken(
    'gitlab-feed-token',
    'glft-',
    20,
    'GitLab feed token',
    (t) => `https://gitlab.com/dashboard/issues.atom?feed_token=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-incoming-mail-token',
    'glimt-',
    25,
    'GitLab incoming mail token',
    (t) => `incoming_email_token: ${t}`,
  ),
  legacyGitlabToken(
    'gitlab-agent-token',
    'glagent-',
    50,
    'GitLab agent for Kubernetes token',
    (t) => `helm upgrade --install agent gitlab/gitlab-agent --set config.token=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-oauth-app-secret',
    'gloas-',
    64,
    'GitLab OAuth application secret',
    (t) => `GITLAB_OAUTH_CLIENT_SECRET=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-feature-flag-client-token',
    'glffct-',
    20,
    'GitLab feature flags client token',
    (t) => `UNLEASH_INSTANCE_ID=${t}`,
  ),
  {
    id: 'bitbucket-app-password',
    description: 'Bitbucket app password',
    category: 'vcs',
    keywords: ['atbb'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>ATBB[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3.8,
    docs: 'https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/',
    samples: {
      positive: (gen) => `git clone https://ci-bot:ATBB${gen.alnum(32)}@bitbucket.org/acme/web.git`,
      negative: () => `BITBUCKET_APP_PASSWORD=ATBB${'X'.repeat(32)}`,
    },
  },
  {
    id: 'bitbucket-access-token',
    description: 'Bitbucket repository, project or workspace access token',
    category: 'vcs',
    keywords: ['atctt3xffgn0'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>ATCTT3xFfGN0[A-Za-z0-9_=-]{60,300})(?![A-Za-z0-9_=-])/,
    minEntropy: 4.5,
    docs: 'https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/',
    samples: {
      positive: (gen) =>
        `curl -H "Authorization: Bearer ATCTT3xFfGN0${gen.base64url(gen.int(150, 190))}" https://api.bitbucket.org/2.0/repositories/acme`,
      negative: () => 'BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0...',
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
  {
    id: 'pulumi-access-token',
    description: 'Pulumi Cloud access token',
    category: 'infrastructure',
    keywords: ['pul-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>pul-[a-f0-9]{40})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    docs: 'https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/',
    samples: {
      positive: (gen) => `export PULUMI_ACCESS_TOKEN=pul-${gen.hex(40)}`,
      negative: (gen) => `export PULUMI_ACCESS_TOKEN=pul-${gen.hex(32)}`,
    },
  },
  {
    id: 'terraform-cloud-api-token',
    description: 'HCP Terraform (Terraform Cloud/Enterprise) API token',
    category: 'infrastructure',
    keywords: ['atlasv1'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
    minEntropy: 4,
    docs: 'https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens',
    samples: {
      positive: (gen) =>
        `credentials "app.terraform.io" {\n  token = "${gen.alnum(14)}.atlasv1.${gen.base64url(67)}"\n}`,
      negative: () =>
        'credentials "app.terraform.io" {\n  token = "xxxxxxxxxxxxxx.atlasv1.zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"\n}',
    },
  },
  {
    id: 'snyk-api-token',
    description: 'Snyk API token',
    category: 'saas',
    keywords: ['snyk'],
    pattern: assigned('snyk[\\w.-]{0,30}?(?:token|key|auth)\\w{0,10}', UUID),
    minEntropy: 3,
    docs: 'https://docs.snyk.io/snyk-api/authentication-for-api',
    samples: {
      positive: (gen) => `- run: snyk test\n  env:\n    SNYK_TOKEN: ${gen.uuid()}`,
      negative: (gen) => `SNYK_ORG_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'codecov-upload-token',
    description: 'Codecov upload token',
    category: 'ci',
    keywords: ['codecov'],
    pattern: assigned('codecov[\\w.-]{0,30}?token\\w{0,10}', UUID),
    minEntropy: 3,
    docs: 'https://docs.codecov.com/docs/codecov-tokens',
    samples: {
      positive: (gen) =>
        `- uses: codecov/codecov-action@v4\n  with:\n    token: ${gen.uuid()}\nCODECOV_TOKEN=${gen.uuid()}`,
      negative: (gen) =>
        `- uses: codecov/codecov-action@v4\n  with:\n    token: \${{ secrets.CODECOV_TOKEN }}\n    flags: ${gen.lower(6)}`,
    },
  },
  {
    id: 'sonarqube-token',
    description: 'SonarQube / SonarCloud token (user, project or global analysis)',
    category: 'ci',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    // "sq" + kind + "_" + 20 random bytes in hex (SonarQube TokenGeneratorImpl). sqb_ badge tokens are public.
    pattern: /(?<![A-Za-z0-9_])(?<secret>sq[uap]_[a-f0-9]{40})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/',
    samples: {
      positive: (gen) => `mvn sonar:sonar -Dsonar.token=${gen.pick(['squ_', 'sqp_', 'sqa_'])}${gen.hex(40)}`,
      negative: (gen) =>
        `![Quality Gate](https://sonarcloud.io/api/project_badges/measure?project=acme&metric=alert_status&token=sqb_${gen.hex(40)})`,
    },
  },
  {
    id: 'gitea-access-token',
    description: 'Gitea / Forgejo access token',
    category: 'vcs',
    keywords: ['gitea', 'forgejo'],
    pattern: assigned('(?:gitea|forgejo)[\\w.-]{0,30}?token\\w{0,10}', '[a-f0-9]{40}'),
    minEntropy: 3,
    docs: 'https://docs.gitea.com/development/api-usage',
    samples: {
      positive: (gen) => `GITEA_TOKEN=${gen.hex(40)}`,
      // A commit SHA next to the forge's name.
      negative: (gen) => `GITEA_COMMIT_SHA=${gen.hex(40)}`,
    },
  },
];
