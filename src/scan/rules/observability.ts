/**
 * Monitoring, logging and incident response: Datadog, New Relic, Sentry, Honeycomb, Dynatrace, Splunk,
 * Logz.io, Lightstep, PagerDuty, Opsgenie, Bugsnag, Rollbar, Elastic. Grafana tokens are in infra.ts.
 *
 * Keys these products put in browsers on purpose (Datadog RUM client tokens, New Relic browser snippets,
 * Rollbar and Bugsnag browser configs) are the near misses below, not findings. Modern Sentry DSNs are public
 * by Sentry's account too, but are reported, at low severity and under their own id (`sentry-dsn`).
 */
import { shannonEntropy } from '../entropy.ts';
import type { Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

const NEW_RELIC_KEYS = 'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/';
const SENTRY_TOKENS = 'https://docs.sentry.io/account/auth-tokens/';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** `<name>…<qualifier> = value` and its YAML, HCL, XML, Dockerfile and Kubernetes forms: a copy of chat.ts. */
function keyedPrefix(name: string, qualifier: string): string {
  // Without a qualifier the gap alone reaches the end of the name; a second run of word characters would only
  // multiply the ways to split it.
  const key = `${name}[\\w.()[\\]"'-]{0,40}?${qualifier ? `${qualifier}[\\w-]{0,20}` : ''}["'\`]?`;
  // `KEY: string = `, `KEY string = `: a typed declaration (TypeScript, Kotlin, Go) before the `=`.
  const type = `(?:\\s{0,3}:\\s{0,3}[A-Za-z][\\w<>[\\]|.?]{0,30}\\s{0,3}(?==)|[ \\t]{1,3}[A-Za-z][\\w<>[\\]|.?]{0,30}[ \\t]{0,3}(?==))?`;
  // `=`, `:`, `=>`, `:=`, `<nameKey>`, `value=` in XML, or bare blanks (`ENV NAME value` in a Dockerfile).
  const assign = `(?:\\s{0,5}(?:=>|:=|[:=>]|value\\s{0,3}=)|[ \\t]{1,3})\\s{0,5}["'\`]?(?:(?:bearer|token)\\s{1,3})?`;
  // Kubernetes env lists: `- name: KEY` with `value: …` on the next line.
  const k8s = `[ \\t]*\\r?\\n[ \\t]{0,20}value:[ \\t]{0,5}["']?`;
  const nested = `${name}[\\w-]{0,20}["']?[ \\t]{0,3}(?:[:=][ \\t]{0,3})?\\{?[ \\t]*\\r?\\n[ \\t]{1,20}["']?${qualifier ? `[\\w-]{0,20}?${qualifier}[\\w-]{0,20}` : '[\\w-]{1,40}'}["']?[ \\t]{0,5}[:=][ \\t]{0,5}["']?`;
  return `(?:${key}(?:${type}${assign}|${k8s})|${nested})`;
}

/** `DD_API_KEY=…`, `DD-APPLICATION-KEY: …`, `<ddApiKey>…`, a Kubernetes `name: DD_APP_KEY`: Datadog's short names. */
function ddPrefix(qualifier: string): string {
  return `(?<![A-Za-z0-9])dd[_-]?${qualifier}["'\`]?(?:\\s{0,5}(?:=>|[:=>])|[ \\t]{1,3}|[ \\t]*\\r?\\n[ \\t]{0,20}value:)\\s{0,5}["'\`]?`;
}

function sentryOrgToken(gen: Gen): string {
  const org = gen.lower(gen.int(4, 10));
  const claims = {
    iat: 1_700_000_000 + gen.int(0, 50_000_000) + gen.int(0, 999) / 1000,
    url: 'https://sentry.io',
    region_url: gen.pick(['https://us.sentry.io', 'https://de.sentry.io']),
    org,
  };
  return `sntrys_${Buffer.from(JSON.stringify(claims)).toString('base64')}_${gen.base64(43)}`;
}

/** Sentry organization tokens carry their claims in readable JSON between the prefix and the secret. */
function hasSentryClaims(secret: string): boolean {
  const payload = secret.split('_')[1] ?? '';
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    return (
      typeof claims === 'object' && claims !== null && 'iat' in claims && ('org' in claims || 'url' in claims)
    );
  } catch {
    return false;
  }
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
      positive: (gen) => `NEW_RELIC_API_KEY=NRAK-${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 27)}`,
      negative: (gen) => `NEW_RELIC_API_KEY=NRAK-${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 12)}`,
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
    id: 'sentry-dsn',
    description: 'Sentry DSN (low severity: it lets anyone send events to the project, nothing more)',
    category: 'observability',
    // Sentry documents DSNs as safe to expose: they only admit new events. Reported under their own id so a
    // team that ships DSNs to browsers can turn this off while keeping the token rules; a DSN in server
    // configuration is still worth rotating when event spam or quota theft is a concern.
    keywords: ['sentry'],
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>https:\/\/[0-9a-f]{32}@(?:o[0-9]{1,12}\.ingest\.(?:[a-z]{2}\.)?sentry\.io|sentry\.io)\/[0-9]{1,12})(?![0-9])/,
    validate: (dsn) => shannonEntropy(dsn.slice(8, 40)) >= 3,
    docs: 'https://docs.sentry.io/concepts/key-terms/dsn-explainer/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `SENTRY_DSN="https://${gen.hex(32)}@o${gen.digits(6)}.ingest.${gen.pick(['', 'us.', 'de.'])}sentry.io/${gen.digits(7)}"`,
          `sentry:\n  dsn: https://${gen.hex(32)}@o${gen.digits(6)}.ingest.sentry.io/${gen.digits(7)}`,
        ]),
      // The placeholder DSN in Sentry's own setup guides.
      negative: () => 'Sentry.init({ dsn: "https://examplePublicKey@o0.ingest.sentry.io/0" });',
    },
  },
  {
    id: 'sentry-dsn-secret',
    description: 'Sentry DSN with a secret key (legacy format)',
    category: 'observability',
    // Modern DSNs hold only a public key and Sentry documents them as safe to publish; the legacy form
    // `https://<public>:<secret>@host/project` also carries a secret key.
    keywords: ['sentry', 'dsn'],
    pattern:
      /https?:\/\/[0-9a-f]{32}:(?<secret>[0-9a-f]{32})@[A-Za-z0-9.-]{1,100}(?::[0-9]{2,5})?\/(?:[\w-]{1,50}\/)?[0-9]{1,12}(?![0-9])/i,
    minEntropy: 3,
    docs: 'https://docs.sentry.io/concepts/key-terms/dsn-explainer/',
    samples: {
      positive: (gen) =>
        `SENTRY_DSN=https://${gen.hex(32)}:${gen.hex(32)}@${gen.pick(['sentry.io', 'sentry.internal.example.com'])}/${gen.digits(6)}`,
      negative: (gen) =>
        `SENTRY_DSN=https://${gen.hex(32)}@o${gen.digits(6)}.ingest.us.sentry.io/${gen.digits(7)}`,
    },
  },
  {
    id: 'sentry-org-auth-token',
    description: 'Sentry organization auth token',
    category: 'observability',
    keywords: ['sntrys_'],
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>sntrys_eyJ[A-Za-z0-9+/]{20,400}={0,2}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])/,
    validate: hasSentryClaims,
    docs: SENTRY_TOKENS,
    samples: {
      positive: (gen) => `SENTRY_AUTH_TOKEN=${sentryOrgToken(gen)}`,
      // The right frame around a payload that is not Sentry's claims.
      negative: (gen) =>
        `SENTRY_AUTH_TOKEN=sntrys_${Buffer.from(JSON.stringify({ note: gen.lower(12) })).toString('base64')}_${gen.base64(43)}`,
    },
  },
  {
    id: 'sentry-user-auth-token',
    description: 'Sentry user auth token',
    category: 'observability',
    keywords: ['sntryu_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>sntryu_[0-9a-f]{64})(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    docs: SENTRY_TOKENS,
    samples: {
      positive: (gen) => `[auth]\ntoken=sntryu_${gen.hex(64)}`,
      negative: (gen) => `[auth]\ntoken=sntryu_${gen.hex(40)}`,
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
        `curl -H "Authorization: Api-Token dt0c01.${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 24)}.${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 64)}" https://abc12345.live.dynatrace.com/api/v2/metrics`,
      // The token's public identifier (prefix and first part) as the Access tokens page lists it.
      negative: (gen) => `token id: dt0c01.${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 24)}`,
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
          `LOGZIO_TOKEN=${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32)}`,
          `url: https://listener.logz.io:8071/?token=${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32)}&type=nodejs`,
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
    id: 'pagerduty-api-key',
    description: 'PagerDuty REST API key',
    category: 'observability',
    keywords: ['pagerduty', 'token token='],
    // `Authorization: Token token=<key>` is PagerDuty's own header scheme.
    pattern: new RegExp(
      `(?:token\\s{1,3}token=|${keyedPrefix('pagerduty', '(?:api[_-]?key|api[_-]?token|token)')})(?<secret>[A-Za-z0-9_+-]{20})(?![A-Za-z0-9_+-])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://developer.pagerduty.com/docs/rest-api-v2/authentication/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `curl https://api.pagerduty.com/incidents -H "Authorization: Token token=${gen.pick(['u+', 'y_'])}${gen.base64url(18)}"`,
          `PAGERDUTY_API_TOKEN=${gen.base64url(20)}`,
        ]),
      negative: (gen) => `PAGERDUTY_SERVICE_ID=P${gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 6)}`,
    },
  },
  {
    id: 'pagerduty-integration-key',
    description: 'PagerDuty Events API integration (routing) key',
    category: 'observability',
    keywords: ['pagerduty'],
    pattern: new RegExp(
      `(?:${keyedPrefix('pagerduty', '(?:integration|routing|service|events)[_-]?key')}|(?<![A-Za-z0-9])(?:routing|integration|service)_key["'\`]?\\s{0,5}(?:=>|[:=])\\s{0,5}["'\`]?)(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://developer.pagerduty.com/docs/events-api-v2/overview/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `PAGERDUTY_INTEGRATION_KEY=${gen.hex(32)}`,
          `curl -X POST https://events.pagerduty.com/v2/enqueue -d '{"routing_key": "${gen.hex(32)}", "event_action": "trigger"}'`,
        ]),
      negative: (gen) =>
        `curl -X POST https://events.pagerduty.com/v2/enqueue -d '{"dedup_key": "${gen.hex(32)}"}'`,
    },
  },
  {
    id: 'opsgenie-api-key',
    description: 'Opsgenie API key',
    category: 'observability',
    keywords: ['geniekey', 'opsgenie'],
    // `Authorization: GenieKey <key>` is Opsgenie's own header scheme.
    pattern: new RegExp(
      `(?:geniekey\\s{1,3}|${keyedPrefix('opsgenie', '(?:key|token)')})(?<secret>${UUID})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.opsgenie.com/docs/api-key-management',
    samples: {
      positive: (gen) =>
        gen.pick([
          `curl https://api.opsgenie.com/v2/alerts -H "Authorization: GenieKey ${gen.uuid()}"`,
          `OPSGENIE_API_KEY=${gen.uuid()}`,
        ]),
      negative: (gen) => `OPSGENIE_TEAM_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'bugsnag-api-key',
    description: 'Bugsnag API key or Data Access API token in server configuration',
    category: 'observability',
    keywords: ['bugsnag'],
    pattern: new RegExp(
      `${keyedPrefix('bugsnag', '(?:api[_-]?key|auth[_-]?token|token)')}(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.bugsnag.com/api/data-access/#authentication',
    samples: {
      positive: (gen) =>
        gen.pick([`BUGSNAG_API_KEY=${gen.hex(32)}`, `bugsnag:\n  auth_token: "${gen.hex(32)}"`]),
      // The notifier key in a browser bundle is public by design.
      negative: (gen) => `Bugsnag.start({ apiKey: '${gen.hex(32)}' })`,
    },
  },
  {
    id: 'rollbar-access-token',
    description: 'Rollbar server-side access token',
    category: 'observability',
    keywords: ['rollbar'],
    pattern: new RegExp(
      `${keyedPrefix('rollbar', '(?:access[_-]?token|token|key)')}(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://docs.rollbar.com/docs/access-tokens',
    samples: {
      positive: (gen) =>
        gen.pick([
          `ROLLBAR_ACCESS_TOKEN=${gen.hex(32)}`,
          `curl https://api.rollbar.com/api/1/items -H "X-Rollbar-Access-Token: ${gen.hex(32)}"`,
        ]),
      // The post_client_item token in the browser snippet is public by design.
      negative: (gen) => `var _rollbarConfig = { accessToken: "${gen.hex(32)}", captureUncaught: true };`,
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
