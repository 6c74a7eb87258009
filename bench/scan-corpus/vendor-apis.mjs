/**
 * Vendor tokens of AI, observability and work-tool APIs, each made from the format its vendor publishes
 * (the URL above each kind). Where a vendor documents only a prefix, the rest follows the shape of the keys the vendor
 * issues, as described in the cited page or announcement; that is noted per kind.
 *
 * A kind is `{ kind, names, make(rng) → value }`, planted as `NAME = value` in any syntax; `items(rng)`
 * instead returns ready items (pairs). `count` is per unit of scale.
 */
import { groupItem, valueItem } from './doc.mjs';
import { BASE64URL, crc32, DIGITS, LOWER, UPPER } from './prng.mjs';

export const API_KINDS = [
  {
    // https://platform.openai.com/docs/api-reference/authentication (sk-proj- project keys; issued keys carry
    // T3BlbkFJ, base64 of "OpenAI", between two random halves; legacy keys are sk- + 48 characters)
    kind: 'openai-api-key',
    count: 8,
    names: [
      ['openai', 'api', 'key'],
      ['openai', 'key'],
      ['llm', 'api', 'key'],
    ],
    make: (rng) =>
      rng.chance(0.75)
        ? `sk-proj-${rng.chars(BASE64URL, 74)}T3BlbkFJ${rng.chars(BASE64URL, 74)}`
        : `sk-${rng.alnum(20)}T3BlbkFJ${rng.alnum(20)}`,
  },
  {
    // https://docs.anthropic.com/en/api/overview#authentication (sk-ant-api03- keys, 108 characters as issued)
    kind: 'anthropic-api-key',
    count: 8,
    names: [
      ['anthropic', 'api', 'key'],
      ['claude', 'api', 'key'],
      ['anthropic', 'key'],
    ],
    make: (rng) => `sk-ant-api03-${rng.chars(BASE64URL, 93)}AA`,
  },
  {
    // https://huggingface.co/docs/hub/security-tokens (hf_ + 34 letters as issued)
    kind: 'huggingface-token',
    count: 6,
    names: [
      ['hf', 'token'],
      ['huggingface', 'token'],
      ['hugging', 'face', 'hub', 'token'],
    ],
    make: (rng) => `hf_${rng.chars(UPPER + LOWER, 34)}`,
  },
  {
    // https://docs.datadoghq.com/account_management/api-app-keys/ (API key: 32 hex; no prefix, so context)
    kind: 'datadog-api-key',
    count: 5,
    names: [
      ['dd', 'api', 'key'],
      ['datadog', 'api', 'key'],
    ],
    make: (rng) => rng.hex(32),
  },
  {
    // https://docs.datadoghq.com/account_management/api-app-keys/ (application key: 40 hex)
    kind: 'datadog-app-key',
    count: 5,
    names: [
      ['dd', 'app', 'key'],
      ['datadog', 'application', 'key'],
    ],
    make: (rng) => rng.hex(40),
  },
  {
    // https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/ (user keys: NRAK- + 27 characters)
    kind: 'newrelic-user-key',
    count: 5,
    names: [
      ['new', 'relic', 'api', 'key'],
      ['newrelic', 'user', 'key'],
    ],
    make: (rng) => `NRAK-${rng.chars(UPPER + DIGITS, 27)}`,
  },
  {
    // https://docs.sentry.io/concepts/key-terms/dsn-explainer/ (https://{public key}@o{org}.ingest.sentry.io/
    // {project}). Sentry calls the DSN safe to expose client-side; it is planted as a secret because the
    // benchmark's brief lists it (a server-side DSN in config lets anyone send events to the project).
    kind: 'sentry-dsn',
    count: 5,
    names: [['sentry', 'dsn']],
    make: (rng) =>
      `https://${rng.hex(32)}@o${rng.digits(6)}.ingest.${rng.pick(['', 'us.', 'de.'])}sentry.io/${rng.digits(7)}`,
  },
  {
    // https://grafana.com/docs/grafana-cloud/security-and-account-management/authentication-and-permissions/access-policies/
    // (glc_ + base64 of a JSON object naming the org, token name, key and region)
    kind: 'grafana-cloud-token',
    count: 4,
    names: [
      ['grafana', 'cloud', 'token'],
      ['grafana', 'api', 'key'],
    ],
    make(rng) {
      const body = {
        o: rng.digits(6),
        n: `stack-${rng.digits(6)}-hm-${rng.pick(['write', 'read', 'ci'])}`,
        k: rng.alnum(24),
        m: { r: rng.pick(['prod-us-east-0', 'prod-eu-west-2']) },
      };
      return `glc_${Buffer.from(JSON.stringify(body)).toString('base64')}`;
    },
  },
  {
    // https://grafana.com/docs/grafana/latest/administration/service-accounts/ (glsa_ + 32 characters +
    // _ + 8 hex checksum)
    kind: 'grafana-service-account-token',
    count: 4,
    names: [
      ['grafana', 'service', 'account', 'token'],
      ['grafana', 'token'],
    ],
    make(rng) {
      const random = rng.alnum(32);
      return `glsa_${random}_${crc32(`glsa_${random}`).toString(16).padStart(8, '0')}`;
    },
  },
  {
    // https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/
    // (ATATT3 tokens: 192 characters, ending = + 8 hex checksum, as issued)
    kind: 'atlassian-api-token',
    count: 5,
    names: [
      ['jira', 'api', 'token'],
      ['atlassian', 'api', 'token'],
      ['confluence', 'token'],
    ],
    make(rng) {
      const body = `ATATT3${rng.chars(BASE64URL, 177)}`;
      return `${body}=${crc32(body).toString(16).toUpperCase().padStart(8, '0')}`;
    },
  },
  {
    // https://linear.app/developers/graphql#personal-api-keys (lin_api_ + 40 characters)
    kind: 'linear-api-key',
    count: 4,
    names: [['linear', 'api', 'key']],
    make: (rng) => `lin_api_${rng.alnum(40)}`,
  },
  {
    // https://developers.notion.com/docs/authorization (internal integration secrets: secret_ + 43
    // characters, and ntn_ + 46 since 2024)
    kind: 'notion-token',
    count: 5,
    names: [
      ['notion', 'token'],
      ['notion', 'api', 'key'],
    ],
    make: (rng) => (rng.chance(0.5) ? `secret_${rng.alnum(43)}` : `ntn_${rng.digits(11)}${rng.alnum(35)}`),
  },
  {
    // https://learning.postman.com/docs/developer/postman-api/authentication/ (PMAK- + 24 hex + - + 34 hex)
    kind: 'postman-api-key',
    count: 4,
    names: [['postman', 'api', 'key']],
    make: (rng) => `PMAK-${rng.hex(24)}-${rng.hex(34)}`,
  },
  {
    // https://www.algolia.com/doc/guides/security/api-keys/ (admin key: 32 hex; no prefix, so context).
    // The application id next to it is public (a negative mark).
    kind: 'algolia-admin-key',
    count: 4,
    items(rng) {
      const appId = rng.chars(UPPER + DIGITS, 10);
      const words = rng.pick([
        ['algolia', 'admin', 'key'],
        ['algolia', 'admin', 'api', 'key'],
      ]);
      return [
        groupItem([
          valueItem({
            kind: 'public-by-design',
            secret: false,
            words: ['algolia', 'app', 'id'],
            value: appId,
          }),
          valueItem({ kind: 'algolia-admin-key', secret: true, words, value: rng.hex(32) }),
        ]),
      ];
    },
  },
];
