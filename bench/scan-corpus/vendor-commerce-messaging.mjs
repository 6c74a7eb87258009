/**
 * Vendor tokens of chat, messaging, email, payment and commerce services, each made from the format its
 * vendor publishes (the URL above each kind). Where a vendor documents only a prefix, the rest follows the shape of the keys the vendor
 * issues, as described in the cited page or announcement; that is noted per kind.
 *
 * A kind is `{ kind, names, make(rng) → value }`, planted as `NAME = value` in any syntax; `items(rng)`
 * instead returns ready items (pairs). `count` is per unit of scale.
 */
import { spanItem, valueItem } from './doc.mjs';
import { BASE64URL, DIGITS, UPPER } from './prng.mjs';

function snowflake(rng) {
  return rng.digits(rng.range(18, 19));
}

export const COMMERCE_MESSAGING_KINDS = [
  {
    // https://api.slack.com/concepts/token-types (xoxb- bot tokens: team id, bot id, 24 characters)
    kind: 'slack-bot-token',
    count: 6,
    names: [
      ['slack', 'bot', 'token'],
      ['slack', 'token'],
    ],
    make: (rng) => `xoxb-${rng.digits(rng.range(10, 13))}-${rng.digits(rng.range(10, 13))}-${rng.alnum(24)}`,
  },
  {
    // https://api.slack.com/concepts/token-types (xoxp- user tokens: three ids, 32 hex)
    kind: 'slack-user-token',
    count: 5,
    names: [
      ['slack', 'user', 'token'],
      ['slack', 'oauth', 'token'],
    ],
    make: (rng) =>
      `xoxp-${rng.digits(rng.range(10, 13))}-${rng.digits(rng.range(10, 13))}-${rng.digits(rng.range(10, 13))}-${rng.hex(32)}`,
  },
  {
    // https://api.slack.com/messaging/webhooks (hooks.slack.com/services/T…/B…/24 characters)
    kind: 'slack-webhook-url',
    count: 6,
    names: [
      ['slack', 'webhook', 'url'],
      ['alerts', 'webhook'],
      ['slack', 'hook'],
    ],
    make: (rng) =>
      `https://hooks.slack.com/services/T${rng.chars(UPPER + DIGITS, rng.range(8, 10))}/B${rng.chars(UPPER + DIGITS, rng.range(8, 10))}/${rng.alnum(24)}`,
  },
  {
    // https://discord.com/developers/docs/reference#authentication (bot token: base64 of the bot's snowflake
    // id, a timestamp part and an HMAC part, dot-separated)
    kind: 'discord-bot-token',
    count: 5,
    names: [
      ['discord', 'bot', 'token'],
      ['discord', 'token'],
    ],
    make: (rng) =>
      `${Buffer.from(snowflake(rng)).toString('base64').replaceAll('=', '')}.${rng.chars(BASE64URL, 6)}.${rng.chars(BASE64URL, rng.pick([27, 38]))}`,
  },
  {
    // https://discord.com/developers/docs/resources/webhook (…/api/webhooks/{id}/{token}, 68-character token)
    kind: 'discord-webhook-url',
    count: 5,
    names: [
      ['discord', 'webhook', 'url'],
      ['discord', 'webhook'],
    ],
    make: (rng) => `https://discord.com/api/webhooks/${snowflake(rng)}/${rng.chars(BASE64URL, 68)}`,
  },
  {
    // https://core.telegram.org/bots/api#authorizing-your-bot (bot id, colon, 35 characters)
    kind: 'telegram-bot-token',
    count: 5,
    names: [
      ['telegram', 'bot', 'token'],
      ['telegram', 'token'],
      ['tg', 'bot', 'token'],
    ],
    make: (rng) => `${rng.digits(rng.range(9, 10))}:AA${rng.chars(BASE64URL, 33)}`,
  },
  {
    // https://docs.stripe.com/keys (sk_live_ secret keys; 24 characters then, 99 for keys issued since 2019)
    kind: 'stripe-secret-key',
    count: 8,
    names: [
      ['stripe', 'secret', 'key'],
      ['stripe', 'api', 'key'],
      ['stripe', 'key'],
    ],
    make: (rng) => `sk_live_${rng.chance(0.3) ? rng.alnum(24) : `51${rng.alnum(97)}`}`,
  },
  {
    // https://docs.stripe.com/keys#limit-access (rk_live_ restricted keys)
    kind: 'stripe-restricted-key',
    count: 5,
    names: [
      ['stripe', 'restricted', 'key'],
      ['stripe', 'rk'],
    ],
    make: (rng) => `rk_live_${rng.chance(0.3) ? rng.alnum(24) : `51${rng.alnum(97)}`}`,
  },
  {
    // https://developer.squareup.com/docs/build-basics/access-tokens (production tokens start EAAA, 64 chars)
    kind: 'square-access-token',
    count: 5,
    names: [
      ['square', 'access', 'token'],
      ['square', 'token'],
    ],
    make: (rng) => `EAAA${rng.chars(BASE64URL, 60)}`,
  },
  {
    // https://developer.squareup.com/docs/oauth-api/overview (application secret: sq0csp- + 43 characters)
    kind: 'square-oauth-secret',
    count: 4,
    names: [
      ['square', 'application', 'secret'],
      ['square', 'oauth', 'secret'],
    ],
    make: (rng) => `sq0csp-${rng.chars(BASE64URL, 43)}`,
  },
  {
    // https://www.twilio.com/docs/iam/api-keys (API key SID: SK + 32 hex; its secret: 32 characters).
    // The SID and secret together are one credential: one truth entry spanning both lines.
    kind: 'twilio-api-key',
    count: 5,
    items(rng) {
      const sid = valueItem({
        kind: 'twilio-api-key',
        secret: true,
        words: ['twilio', 'api', 'key'],
        value: `SK${rng.hex(32)}`,
      });
      const secret = valueItem({
        kind: 'twilio-api-key',
        secret: true,
        words: ['twilio', 'api', 'secret'],
        value: rng.alnum(32),
      });
      return [spanItem('twilio-api-key', [sid, secret])];
    },
  },
  {
    // https://www.twilio.com/docs/iam/credentials/api (Account SID: AC + 32 hex; auth token: 32 hex).
    // One truth entry spanning the SID and token lines; a SID alone is among the negatives.
    kind: 'twilio-auth-token',
    count: 5,
    items(rng) {
      const sid = valueItem({
        kind: 'twilio-auth-token',
        secret: true,
        words: ['twilio', 'account', 'sid'],
        value: `AC${rng.hex(32)}`,
      });
      const token = valueItem({
        kind: 'twilio-auth-token',
        secret: true,
        words: ['twilio', 'auth', 'token'],
        value: rng.hex(32),
      });
      return [spanItem('twilio-auth-token', [sid, token])];
    },
  },
  {
    // https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys (SG. + 22 + . + 43 characters)
    kind: 'sendgrid-api-key',
    count: 6,
    names: [
      ['sendgrid', 'api', 'key'],
      ['smtp', 'password'],
      ['sendgrid', 'key'],
    ],
    make: (rng) => `SG.${rng.chars(BASE64URL, 22)}.${rng.chars(BASE64URL, 43)}`,
  },
  {
    // https://documentation.mailgun.com/docs/mailgun/user-manual/get-started/ (key- + 32 hex; newer keys are
    // 32 hex - 8 hex - 8 hex)
    kind: 'mailgun-api-key',
    count: 5,
    names: [
      ['mailgun', 'api', 'key'],
      ['mailgun', 'key'],
    ],
    make: (rng) => (rng.chance(0.5) ? `key-${rng.hex(32)}` : `${rng.hex(32)}-${rng.hex(8)}-${rng.hex(8)}`),
  },
  {
    // https://mailchimp.com/developer/marketing/guides/quick-start/#generate-your-api-key (32 hex - data center)
    kind: 'mailchimp-api-key',
    count: 5,
    names: [
      ['mailchimp', 'api', 'key'],
      ['mailchimp', 'key'],
    ],
    make: (rng) => `${rng.hex(32)}-us${rng.range(1, 21)}`,
  },
  {
    // https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (shpat_ + 32 hex)
    kind: 'shopify-access-token',
    count: 5,
    names: [
      ['shopify', 'access', 'token'],
      ['shopify', 'admin', 'token'],
    ],
    make: (rng) => `shpat_${rng.hex(32)}`,
  },
  {
    // https://shopify.dev/docs/apps/build/authentication-authorization (shpss_ + 32 hex shared secrets)
    kind: 'shopify-shared-secret',
    count: 4,
    names: [
      ['shopify', 'api', 'secret'],
      ['shopify', 'shared', 'secret'],
    ],
    make: (rng) => `shpss_${rng.hex(32)}`,
  },
];
