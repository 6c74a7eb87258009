/**
 * CI and code-quality services: CircleCI, Travis CI, Buildkite, Harness, Snyk, Codecov and SonarQube.
 */
import { assigned, UUID } from './_patterns.ts';
import type { RuleSpec } from './types.ts';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export const ciRules: RuleSpec[] = [
  {
    id: 'circleci-api-token',
    description: 'CircleCI personal or project API token',
    category: 'ci',
    keywords: ['ccipat_', 'cciprj_'],
    // "CCIPAT_" (or CCIPRJ_) + base58 UUID + "_" + 40 hex.
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>CCIP(?:AT|RJ)_[1-9A-HJ-NP-Za-km-z]{20,23}_[a-f0-9]{40})(?![A-Za-z0-9_])/,
    minEntropy: 3.8,
    docs: 'https://circleci.com/changelog/new-format-for-api-access-tokens/',
    samples: {
      positive: (gen) => `CIRCLECI_TOKEN=CCIPAT_${gen.chars(BASE58, 22)}_${gen.hex(40)}`,
      negative: (gen) => `CIRCLECI_TOKEN=CCIPAT_${gen.chars(BASE58, 22)}`,
    },
  },
  {
    id: 'circleci-api-token-legacy',
    description: 'CircleCI API token (unprefixed format)',
    category: 'ci',
    keywords: ['circle'],
    pattern: assigned('(?<![A-Za-z])circle(?:ci)?[\\w.-]{0,30}?token\\w{0,10}', '[a-f0-9]{40}'),
    minEntropy: 3,
    docs: 'https://circleci.com/docs/managing-api-tokens/',
    samples: {
      positive: (gen) => `curl -H "Circle-Token: ${gen.hex(40)}" https://circleci.com/api/v2/me`,
      negative: (gen) => `CIRCLE_SHA1=${gen.hex(40)}`,
    },
  },
  {
    id: 'travis-ci-api-token',
    description: 'Travis CI API token',
    category: 'ci',
    keywords: ['travis'],
    pattern: assigned('(?<![A-Za-z])travis[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '[A-Za-z0-9_-]{22}'),
    minEntropy: 3.3,
    docs: 'https://docs.travis-ci.com/user/triggering-builds/',
    samples: {
      positive: (gen) => `TRAVIS_API_TOKEN=${gen.base64url(22)}`,
      negative: (gen) => `TRAVIS_BUILD_ID=${gen.digits(9)}`,
    },
  },
  {
    id: 'buildkite-api-access-token',
    description: 'Buildkite API access token',
    category: 'ci',
    keywords: ['bkua_'],
    // bkua_ + 40 hex (2023), now with a shard segment: bkua_<base64>.<40 hex>.
    pattern: /(?<![A-Za-z0-9_])(?<secret>bkua_[A-Za-z0-9_.-]{38,120})(?![A-Za-z0-9_.-])/,
    minEntropy: 3,
    docs: 'https://buildkite.com/docs/platform/security/tokens',
    samples: {
      positive: (gen) => `export BUILDKITE_API_TOKEN=bkua_${gen.pick(['', 'MTA.', 'MjA.'])}${gen.hex(40)}`,
      negative: () => 'export BUILDKITE_API_TOKEN=bkua_****************************************',
    },
  },
  {
    id: 'buildkite-agent-token',
    description: 'Buildkite agent session or registration token',
    category: 'ci',
    keywords: ['bkaa_', 'bkar_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>bka[ar]_[A-Za-z0-9_.-]{38,200})(?![A-Za-z0-9_.-])/,
    minEntropy: 4,
    docs: 'https://buildkite.com/docs/platform/security/tokens',
    samples: {
      positive: (gen) => `BUILDKITE_AGENT_TOKEN=bkar_MTA.${gen.alnum(70)}`,
      negative: () => 'BUILDKITE_AGENT_TOKEN=bkar_<agent-registration-token>',
    },
  },
  {
    id: 'harness-api-key',
    description: 'Harness personal or service account token',
    category: 'ci',
    keywords: ['pat.', 'sat.'],
    // "pat|sat.<account id>.<token id>.<secret>" (harness/cli ValidatePATFormat).
    pattern:
      /(?<![A-Za-z0-9_.])(?<secret>[ps]at\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})(?![A-Za-z0-9_.-])/,
    minEntropy: 4,
    docs: 'https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/',
    samples: {
      positive: (gen) =>
        `HARNESS_PLATFORM_API_KEY=${gen.pick(['pat', 'sat'])}.${gen.base64url(22)}.${gen.alnum(24)}.${gen.alnum(20)}`,
      negative: () => 'const secret = pat.accountIdentifier.tokenIdentifier.secretValue;',
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
];
