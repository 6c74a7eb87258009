/**
 * Error tracking and incident response: Sentry, Bugsnag, Rollbar, PagerDuty and Opsgenie.
 *
 * Keys these products put in browsers on purpose (Rollbar and Bugsnag browser configs) are the near misses
 * below, not findings. Modern Sentry DSNs are public by Sentry's account too, but are reported, at low severity
 * and under their own id (`sentry-dsn`).
 */
import { shannonEntropy } from '../entropy.ts';
import { decodeJsonSegment } from './_codec.ts';
import { keyedPrefix, UUID } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

const SENTRY_TOKENS = 'https://docs.sentry.io/account/auth-tokens/';

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
  const claims = decodeJsonSegment(secret.split('_')[1] ?? '');
  return claims !== undefined && 'iat' in claims && ('org' in claims || 'url' in claims);
}

export const alertingRules: RuleSpec[] = [
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
      negative: (gen) => `PAGERDUTY_SERVICE_ID=P${gen.chars(ALPHABETS.upperDigits, 6)}`,
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
];
