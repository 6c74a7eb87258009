/**
 * Monitoring and logging: Datadog, New Relic, Honeycomb, Dynatrace, Splunk, Logz.io, Lightstep and Elastic.
 * Grafana tokens are in infra.ts; error trackers and incident response (Sentry, PagerDuty…) in alerting.ts.
 *
 * Keys these products put in browsers on purpose (Datadog RUM client tokens, New Relic browser snippets) are
 * the near misses below, not findings.
 */
import { keyedPrefix, UUID } from './_patterns.ts';
import { ALPHABETS } from './gen.ts';
import type { RuleSpec } from './types.ts';

const NEW_RELIC_KEYS = 'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/';

/** `DD_API_KEY=…`, `DD-APPLICATION-KEY: …`, `<ddApiKey>…`, a Kubernetes `name: DD_APP_KEY`: Datadog's short names. */
function ddPrefix(qualifier: string): string {
  return `(?<![A-Za-z0-9])dd[_-]?${qualifier}["'\`]?(?:\\s{0,5}(?:=>|[:=>])|[ \\t]{1,3}|[ \\t]*\\r?\\n[ \\t]{0,20}value:)\\s{0,5}["'\`]?`;
}

/** Elasticsearch's `encoded` API key is base64 of `<id>:<api_key>`. */
function isEncodedElasticKey(secret: string): boolean {
  return /^[A-Za-z0-9_-]{10,64}:[A-Za-z0-9_-]{10,128}$/.test(
    Buffer.from(secret, 'base64').toString('latin1'),
  );
}

export const observabilityRules: RuleSpec[] = [
  {
    id: 'datadog-api-key',
    description: 'Datadog API key',
    category: 'observability',
    keywords: ['datadog', 'dd_api', 'dd-api', 'ddapi'],
    pattern: new RegExp(
      `(?:${keyedPrefix('datadog', 'api[_-]?key')}|${ddPrefix('api[_-]?key')})(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.datadoghq.com/account_management/api-app-keys/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `DD_API_KEY=${gen.hex(32)}`,
          `curl -X POST "https://api.datadoghq.com/api/v2/series" -H "DD-API-KEY: ${gen.hex(32)}"`,
          `datadog:\n  apiKey: "${gen.hex(32)}"`,
        ]),
      // RUM client tokens ship to browsers by design; a bare hex value is just a hash.
      negative: (gen) => gen.pick([`DD_CLIENT_TOKEN=pub${gen.hex(32)}`, `checksum: ${gen.hex(32)}`]),
    },
  },
  {
    id: 'datadog-app-key',
    description: 'Datadog application key',
    category: 'observability',
    keywords: ['datadog', 'dd_app', 'dd-app', 'ddapp'],
    pattern: new RegExp(
      `(?:${keyedPrefix('datadog', 'app(?:lication)?[_-]?key')}|${ddPrefix('app(?:lication)?[_-]?key')})(?<secret>[0-9a-f]{40})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.datadoghq.com/account_management/api-app-keys/',
    samples: {
      positive: (gen) =>
        gen.pick([`DD_APP_KEY=${gen.hex(40)}`, `provider "datadog" {\n  app_key = "${gen.hex(40)}"\n}`]),
      // A git commit id beside a Datadog setting.
      negative: (gen) => `DD_SITE=datadoghq.eu\nDD_VERSION=${gen.hex(40)}`,
    },
  },
  {
    id: 'new-relic-user-api-key',
    description: 'New Relic user API key',
    category: 'observability',
    keywords: ['nrak-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>NRAK-[A-Z0-9]{27})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: NEW_RELIC_KEYS,
    samples: {
      positive: (gen) => `NEW_RELIC_API_KEY=NRAK-${gen.chars(ALPHABETS.upperDigits, 27)}`,
      negative: (gen) => `NEW_RELIC_API_KEY=NRAK-${gen.chars(ALPHABETS.upperDigits, 12)}`,
    },
  },
  {
    id: 'new-relic-admin-api-key',
    description: 'New Relic REST API admin key (legacy)',
    category: 'observability',
    keywords: ['nraa-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>NRAA-[A-Za-z0-9]{27})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: NEW_RELIC_KEYS,
    samples: {
      positive: (gen) => `newrelic_admin_key: NRAA-${gen.hex(27)}`,
      negative: (gen) => `newrelic_admin_key: NRAA-${gen.hex(10)}`,
    },
  },
  {
    id: 'new-relic-insights-key',
    description: 'New Relic Insights insert or query key',
    category: 'observability',
    keywords: ['nrii-', 'nriq-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>NRI[IQ]-[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: NEW_RELIC_KEYS,
    samples: {
      positive: (gen) =>
        `curl -H "X-Insert-Key: NRII-${gen.base64url(32)}" https://insights-collector.newrelic.com/v1/accounts/${gen.digits(7)}/events`,
      negative: (gen) => `X-Query-Key: NRIQ-${gen.base64url(16)}`,
    },
  },
  {
    id: 'new-relic-browser-key',
    description: 'New Relic browser ingest key held in server configuration',
    category: 'observability',
    // Every page running the browser agent carries this key; only a server-side setting named for New Relic
    // (an API call, an infrastructure template) is worth reporting.
    keywords: ['newrelic', 'new_relic', 'new-relic'],
    pattern: new RegExp(
      `${keyedPrefix('new[_-]?relic', '')}(?<secret>NRJS-[a-f0-9]{19})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: NEW_RELIC_KEYS,
    samples: {
      positive: (gen) => `NEW_RELIC_BROWSER_KEY=NRJS-${gen.hex(19)}`,
      negative: (gen) =>
        `<script>;NREUM.loader_config={accountID:"${gen.digits(7)}",licenseKey:"NRJS-${gen.hex(19)}",applicationID:"${gen.digits(9)}"};</script>`,
    },
  },
  {
    id: 'new-relic-license-key',
    description: 'New Relic ingest license key',
    category: 'observability',
    keywords: ['nral', 'newrelic', 'new_relic', 'new-relic'],
    // Current keys end in `NRAL` and stand alone; older ones are 40 hex characters, counted only when
    // assigned to a New Relic license-key setting.
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>(?:[0-9a-f]{36}|eu01xx[0-9a-f]{30})NRAL|(?<=new[_-]?relic[\w.-]{0,40}?license[_-]?key["'`]?\s{0,5}[:=]\s{0,5}["'`]?)[0-9a-f]{40})(?![A-Za-z0-9_])/i,
    minEntropy: 3,
    docs: 'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key',
    samples: {
      positive: (gen) =>
        gen.pick([
          `NEW_RELIC_LICENSE_KEY=${gen.hex(36)}NRAL`,
          `license_key: eu01xx${gen.hex(30)}NRAL`,
          `NEW_RELIC_LICENSE_KEY="${gen.hex(40)}"`,
        ]),
      negative: (gen) =>
        `NEW_RELIC_APP_NAME=checkout\nNEW_RELIC_ACCOUNT_ID=${gen.digits(7)}\nGIT_SHA=${gen.hex(40)}`,
    },
  },
  {
    id: 'honeycomb-api-key',
    description: 'Honeycomb API key (ingest or configuration)',
    category: 'observability',
    keywords: ['hcaik_', 'hcaic_', 'honeycomb'],
    // `hcaik_`/`hcaic_` keys stand alone; older 32-hex and 22-character keys count only beside Honeycomb's
    // name (`HONEYCOMB_API_KEY`, the `x-honeycomb-team` header).
    pattern: new RegExp(
      `(?:${keyedPrefix('honeycomb', '(?:key|team|token|secret)')}|(?<![A-Za-z0-9_])(?=hcai[kc]_))(?<secret>hcai[kc]_[0-9a-z]{58}|[0-9a-f]{32}|[A-Za-z0-9]{22})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.honeycomb.io/get-started/configure/environments/manage-api-keys/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `export OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team=hcaik_01${gen.chars('0123456789abcdefghjkmnpqrstvwxyz', 56)}"`,
          `HONEYCOMB_API_KEY=${gen.alnum(22)}`,
          `honeycomb:\n  writekey: ${gen.hex(32)}`,
        ]),
      negative: (gen) => `HONEYCOMB_DATASET=${gen.lower(10)}\nOTEL_SERVICE_NAME=${gen.lower(8)}`,
    },
  },
  {
    id: 'dynatrace-api-token',
    description: 'Dynatrace API token',
    category: 'observability',
    keywords: ['dt0c01.'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    // The sample token in Dynatrace's description of the token format.
    documentedExamples: [
      'dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM',
    ],
    docs: 'https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens#token-format',
    samples: {
      positive: (gen) =>
        `curl -H "Authorization: Api-Token dt0c01.${gen.chars(ALPHABETS.base32, 24)}.${gen.chars(ALPHABETS.base32, 64)}" https://abc12345.live.dynatrace.com/api/v2/metrics`,
      // The token's public identifier (prefix and first part) as the Access tokens page lists it.
      negative: (gen) => `token id: dt0c01.${gen.chars(ALPHABETS.base32, 24)}`,
    },
  },
  {
    id: 'splunk-hec-token',
    description: 'Splunk HTTP Event Collector token',
    category: 'observability',
    keywords: ['splunk'],
    pattern: new RegExp(
      `(?:authorization["'\`]?\\s{0,5}[:=]\\s{0,5}["'\`]?splunk\\s{1,3}|${keyedPrefix('splunk', '(?:hec[_-]?)?token')})(?<secret>${UUID})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.splunk.com/Documentation/Splunk/latest/Data/UsetheHTTPEventCollector',
    samples: {
      positive: (gen) =>
        gen.pick([
          `curl https://hec.example.com:8088/services/collector/event -H "Authorization: Splunk ${gen.uuid()}" -d '{"event": "hello"}'`,
          `SPLUNK_HEC_TOKEN=${gen.uuid()}`,
        ]),
      negative: (gen) => `SPLUNK_INDEX=main\nSPLUNK_SOURCE_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'logzio-shipping-token',
    description: 'Logz.io shipping token',
    category: 'observability',
    keywords: ['logz'],
    pattern: new RegExp(
      `(?:listener(?:-[a-z]{2,4})?\\.logz\\.io(?::[0-9]{2,5})?\\/?\\?token=|${keyedPrefix('logz[_.-]?io', '(?:token|shipping)')})(?<secret>[A-Za-z]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://docs.logz.io/docs/user-guide/admin/authentication-tokens/shipping-tokens/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `LOGZIO_TOKEN=${gen.chars(ALPHABETS.letters, 32)}`,
          `url: https://listener.logz.io:8071/?token=${gen.chars(ALPHABETS.letters, 32)}&type=nodejs`,
        ]),
      negative: (gen) => `LOGZIO_LISTENER=listener-eu.logz.io\nLOGZIO_TYPE=${gen.lower(8)}`,
    },
  },
  {
    id: 'lightstep-access-token',
    description: 'Lightstep (Cloud Observability) access token',
    category: 'observability',
    keywords: ['lightstep'],
    pattern: new RegExp(
      `${keyedPrefix('lightstep', '(?:access[_-]?token|token)')}(?<secret>[A-Za-z0-9+/]{32,200}={0,2})(?![A-Za-z0-9+/=_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://docs.lightstep.com/docs/create-and-manage-access-tokens',
    samples: {
      positive: (gen) =>
        gen.pick([
          `LIGHTSTEP_ACCESS_TOKEN=${gen.base64(84)}`,
          `exporters:\n  otlp:\n    headers:\n      lightstep-access-token: "${gen.base64(84)}"`,
        ]),
      negative: (gen) => `LIGHTSTEP_ACCESS_TOKEN=${gen.base64(16)}`,
    },
  },
  {
    id: 'elastic-api-key',
    description: 'Elasticsearch / Elastic Cloud API key (encoded id:key)',
    category: 'observability',
    keywords: ['elastic'],
    pattern: new RegExp(
      `(?:apikey\\s{1,3}|${keyedPrefix('elastic(?:search)?', 'api[_-]?key')})(?<secret>[A-Za-z0-9+/]{40,120}={0,2})(?![A-Za-z0-9+/=_])`,
      'i',
    ),
    validate: isEncodedElasticKey,
    docs: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/security-api-create-api-key.html',
    samples: {
      positive: (gen) => {
        const encoded = Buffer.from(`${gen.base64url(20)}:${gen.base64url(22)}`).toString('base64');
        return gen.pick([
          `ELASTIC_API_KEY=${encoded}`,
          `curl -H "Authorization: ApiKey ${encoded}" https://my-deployment.es.us-east-1.aws.elastic.cloud:443/_cluster/health`,
        ]);
      },
      // A base64 value that does not hold an id:key pair.
      negative: (gen) => `ELASTIC_API_KEY=${Buffer.from(gen.alnum(45)).toString('base64')}`,
    },
  },
];
