/**
 * Payments: Stripe, Square, Braintree, Adyen, Razorpay, Shopify, Coinbase, Plaid, GoCardless, Flutterwave,
 * Paystack, Mollie, Checkout.com.
 *
 * Publishable and client-side keys (Stripe `pk_live_`, Razorpay `rzp_live_` key ids, Braintree tokenization
 * keys, Flutterwave `FLWPUBK-`) are public by design and never reported; they are the near misses below.
 * Sandbox and test-mode keys are not reported either, with one exception: Stripe `sk_test_`/`rk_test_` keys
 * open the test mode of a real account (its webhooks, its settings, whatever test data was copied in), so they
 * are reported under their own id, `stripe-test-secret-key`, which teams that publish test keys on purpose
 * can disable without losing the live rules.
 */
import { keyedPrefix } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

const STRIPE_KEYS = 'https://docs.stripe.com/keys';
const SHOPIFY_TOKENS = 'https://shopify.dev/changelog/length-of-the-shopify-access-token-is-increasing';

// Clerk's secret keys share Stripe's `sk_live_`/`sk_test_` prefixes; a value assigned to a Clerk variable is
// Clerk's (see `clerk-secret-key` in developer-apis.ts), not Stripe's.
const NOT_CLERK = `(?<!clerk[\\w.-]{0,40}["'\`]?\\s{0,5}[:=]\\s{0,5}["'\`]?)`;
// Paystack secret keys are `sk_live_` and exactly 40 lowercase hex characters: a shape Stripe's mixed-case
// base62 keys do not take.
const NOT_PAYSTACK = '(?![0-9a-f]{40}(?![A-Za-z0-9]))';

function stripeKey(gen: Gen, prefix: string): string {
  // Keys issued today run to about a hundred characters after the prefix; older ones carry 24.
  return gen.pick([`${prefix}51${gen.alnum(97)}`, `${prefix}${gen.alnum(24)}`]);
}

function shopifyToken(
  id: string,
  prefix: string,
  description: string,
  docs: string,
  variable: string,
): RuleSpec {
  return {
    id,
    description,
    category: 'payment',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}[a-fA-F0-9]{32})(?![A-Za-z0-9_])`),
    minEntropy: 3,
    docs,
    samples: {
      positive: (gen) => `${variable}=${prefix}${gen.hex(32)}`,
      negative: (gen) => `${variable}=${prefix}${gen.hex(24)}`,
    },
  };
}

export const paymentRules: RuleSpec[] = [
  {
    id: 'stripe-secret-key',
    description: 'Stripe live secret key',
    category: 'payment',
    keywords: ['sk_live_'],
    pattern: new RegExp(
      `${NOT_CLERK}(?<![A-Za-z0-9_])(?<secret>sk_live_${NOT_PAYSTACK}[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: STRIPE_KEYS,
    samples: {
      positive: (gen) =>
        gen.pick([
          `STRIPE_SECRET_KEY=${stripeKey(gen, 'sk_live_')}`,
          `stripe.api_key = "${stripeKey(gen, 'sk_live_')}"`,
          `curl https://api.stripe.com/v1/charges -u ${stripeKey(gen, 'sk_live_')}:`,
        ]),
      // The publishable key is meant for browsers; a Clerk key shares the prefix.
      negative: (gen) =>
        gen.pick([
          `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=${stripeKey(gen, 'pk_live_')}`,
          `CLERK_SECRET_KEY=sk_live_${gen.alnum(40)}`,
        ]),
    },
  },
  {
    id: 'stripe-restricted-key',
    description: 'Stripe live restricted key',
    category: 'payment',
    keywords: ['rk_live_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>rk_live_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    docs: STRIPE_KEYS,
    samples: {
      positive: (gen) => `stripe:\n  restricted_key: ${stripeKey(gen, 'rk_live_')}`,
      negative: (gen) => `stripe:\n  restricted_key: rk_live_${gen.alnum(12)}`,
    },
  },
  {
    id: 'stripe-test-secret-key',
    description: 'Stripe test-mode secret or restricted key (test data only: lower severity than live keys)',
    category: 'payment',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: new RegExp(
      `${NOT_CLERK}(?<![A-Za-z0-9_])(?<secret>[sr]k_test_${NOT_PAYSTACK}[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    // The sample keys in Stripe's API reference, usable by anyone against Stripe's own demo account.
    documentedExamples: ['sk_test_BQokikJOvBiI2HlWgH4olfQ2', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    docs: 'https://docs.stripe.com/api/authentication',
    samples: {
      positive: (gen) =>
        `const stripe = require('stripe')('${stripeKey(gen, gen.pick(['sk_test_', 'rk_test_']))}');`,
      negative: (gen) =>
        gen.pick([
          `const stripe = Stripe('${stripeKey(gen, 'pk_test_')}');`,
          `const stripe = require('stripe')('sk_test_BQokikJOvBiI2HlWgH4olfQ2');`,
        ]),
    },
  },
  {
    id: 'stripe-webhook-secret',
    description: 'Stripe webhook signing secret (the whsec_ format is also used by Svix-based webhooks)',
    category: 'payment',
    keywords: ['whsec_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>whsec_[A-Za-z0-9+/]{32,100}={0,2})(?![A-Za-z0-9_+/=])/,
    minEntropy: 3.5,
    docs: 'https://docs.stripe.com/webhooks#verify-events',
    samples: {
      // The Dashboard shows 32 base62 characters; `stripe listen` prints 64 hex characters.
      positive: (gen) => `STRIPE_WEBHOOK_SECRET=whsec_${gen.pick([gen.alnum(32), gen.hex(64)])}`,
      negative: (gen) => `STRIPE_WEBHOOK_SECRET=whsec_${gen.alnum(12)}`,
    },
  },
  {
    id: 'square-access-token',
    description: 'Square access token',
    category: 'payment',
    // `EAAA` alone also opens Facebook tokens and base64 runs, so that form counts only near Square's name.
    keywords: ['square', 'sq0atp-'],
    pattern:
      /(?<![A-Za-z0-9_+-])(?<secret>EAAA[A-Za-z0-9_+=-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_+=-])/,
    minEntropy: 3.5,
    docs: 'https://developer.squareup.com/docs/build-basics/access-tokens',
    samples: {
      positive: (gen) =>
        gen.pick([
          `SQUARE_ACCESS_TOKEN=EAAA${gen.base64url(60)}`,
          `square:\n  access_token: sq0atp-${gen.base64url(22)}`,
        ]),
      // The application id is public; it goes to the Web Payments SDK in the browser.
      negative: (gen) => `SQUARE_APPLICATION_ID=sq0idp-${gen.base64url(22)}`,
    },
  },
  {
    id: 'square-oauth-secret',
    description: 'Square OAuth application secret',
    category: 'payment',
    keywords: ['sq0csp-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://developer.squareup.com/docs/oauth-api/overview',
    samples: {
      positive: (gen) => `SQUARE_APPLICATION_SECRET="sq0csp-${gen.base64url(43)}"`,
      negative: (gen) => `SQUARE_APPLICATION_SECRET="sq0csp-${gen.base64url(20)}"`,
    },
  },
  {
    id: 'braintree-access-token',
    description: 'PayPal Braintree production access token',
    category: 'payment',
    keywords: ['access_token$production$'],
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://developers.braintreepayments.com/guides/braintree-auth/merchant-api/ruby',
    samples: {
      positive: (gen) =>
        `gateway = Braintree::Gateway.new(access_token: "access_token$production$${gen.chars(ALPHABETS.lowerDigits, 16)}$${gen.hex(32)}")`,
      // Tokenization keys ship inside client apps by design.
      negative: (gen) =>
        `braintree.client.create({ authorization: 'production_${gen.chars(ALPHABETS.lowerDigits, 8)}_${gen.chars(ALPHABETS.lowerDigits, 16)}' })`,
    },
  },
  {
    id: 'adyen-api-key',
    description: 'Adyen API key',
    category: 'payment',
    keywords: ['adyen'],
    pattern: new RegExp(
      `${keyedPrefix('adyen', '(?:api[_-]?key|x-api-key|key)')}(?<secret>AQE[A-Za-z0-9+/=]{40,300}(?:-[A-Za-z0-9+/=]{20,100}){0,2})(?![A-Za-z0-9+/=])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://docs.adyen.com/development-resources/api-credentials/',
    samples: {
      positive: (gen) => `ADYEN_API_KEY=AQE${gen.base64(97)}==-${gen.base64(43)}=-${gen.alnum(16)}`,
      // The client key is public: it goes to Adyen's web Drop-in.
      negative: (gen) => `ADYEN_CLIENT_KEY=live_${gen.chars(ALPHABETS.upperDigits, 32)}`,
    },
  },
  {
    id: 'razorpay-key-secret',
    description: 'Razorpay API key secret',
    category: 'payment',
    // `key_secret` is Razorpay's SDK field name; it counts only near Razorpay's name or a live key id.
    keywords: ['razorpay', 'rzp_live_'],
    pattern: new RegExp(
      `(?:${keyedPrefix('razorpay', 'secret')}|(?<![A-Za-z0-9])key_secret["']?\\s{0,5}(?:=>|[:=])\\s{0,5}["']?)(?<secret>[A-Za-z0-9]{24})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://razorpay.com/docs/api/authentication/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `RAZORPAY_KEY_SECRET=${gen.alnum(24)}`,
          `const razorpay = new Razorpay({ key_id: 'rzp_live_${gen.alnum(14)}', key_secret: '${gen.alnum(24)}' });`,
        ]),
      // The key id is what Checkout.js receives in the browser.
      negative: (gen) => `RAZORPAY_KEY_ID=rzp_live_${gen.alnum(14)}`,
    },
  },
  shopifyToken(
    'shopify-access-token',
    'shpat_',
    'Shopify Admin API access token (public app)',
    SHOPIFY_TOKENS,
    'SHOPIFY_ACCESS_TOKEN',
  ),
  shopifyToken(
    'shopify-custom-app-token',
    'shpca_',
    'Shopify custom app access token',
    SHOPIFY_TOKENS,
    'SHOPIFY_ADMIN_TOKEN',
  ),
  shopifyToken(
    'shopify-private-app-token',
    'shppa_',
    'Shopify legacy private app password',
    SHOPIFY_TOKENS,
    'SHOPIFY_PASSWORD',
  ),
  shopifyToken(
    'shopify-shared-secret',
    'shpss_',
    'Shopify app shared secret',
    'https://shopify.dev/changelog/app-secret-key-length-has-increased',
    'SHOPIFY_API_SECRET',
  ),
  {
    id: 'coinbase-api-secret',
    description: 'Coinbase API secret',
    category: 'payment',
    keywords: ['coinbase'],
    pattern: new RegExp(
      `${keyedPrefix('coinbase', '(?:api[_-]?)?secret')}(?<secret>[A-Za-z0-9+/]{32,88}={0,2})(?![A-Za-z0-9+/=_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://docs.cdp.coinbase.com/exchange/docs/rest-auth',
    samples: {
      // Coinbase App keys carried 32 base62 characters; Exchange secrets are 64 bytes in base64.
      positive: (gen) => `COINBASE_API_SECRET=${gen.pick([gen.alnum(32), `${gen.base64(86)}==`])}`,
      negative: (gen) => `COINBASE_API_KEY=${gen.alnum(16)}`,
    },
  },
  {
    id: 'plaid-secret',
    description: 'Plaid API secret',
    category: 'payment',
    keywords: ['plaid'],
    pattern: new RegExp(`${keyedPrefix('plaid', 'secret')}(?<secret>[0-9a-f]{30})(?![A-Za-z0-9_])`, 'i'),
    minEntropy: 3,
    docs: 'https://plaid.com/docs/api/#api-access',
    samples: {
      positive: (gen) => `PLAID_SECRET=${gen.hex(30)}`,
      // The client id identifies the team; it is not a credential by itself.
      negative: (gen) => `PLAID_CLIENT_ID=${gen.hex(24)}`,
    },
  },
  {
    id: 'plaid-access-token',
    description: 'Plaid access token (production or development)',
    category: 'payment',
    keywords: ['access-production-', 'access-development-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    docs: 'https://plaid.com/docs/api/tokens/',
    samples: {
      positive: (gen) => `"access_token": "access-production-${gen.uuid()}"`,
      // Sandbox tokens reach only Plaid's fake banks.
      negative: (gen) => `"access_token": "access-sandbox-${gen.uuid()}"`,
    },
  },
  {
    id: 'gocardless-access-token',
    description: 'GoCardless live access token',
    category: 'payment',
    keywords: ['gocardless'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>live_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://developer.gocardless.com/getting-started/api/making-your-first-request/',
    samples: {
      positive: (gen) => `GOCARDLESS_ACCESS_TOKEN=live_${gen.base64url(40)}`,
      negative: (gen) => `GOCARDLESS_ACCESS_TOKEN=sandbox_${gen.base64url(40)}`,
    },
  },
  {
    id: 'flutterwave-secret-key',
    description: 'Flutterwave live secret key',
    category: 'payment',
    keywords: ['flwseck-'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>FLWSECK-[0-9a-f]{32}(?:-[0-9a-z]{8,20})?-X)(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://developer.flutterwave.com/docs/authentication',
    samples: {
      positive: (gen) =>
        `FLW_SECRET_KEY=FLWSECK-${gen.hex(32)}${gen.pick(['', `-${gen.chars(ALPHABETS.lowerDigits, 13)}`])}-X`,
      negative: (gen) => `FLW_PUBLIC_KEY=FLWPUBK-${gen.hex(32)}-X`,
    },
  },
  {
    id: 'paystack-secret-key',
    description: 'Paystack live secret key',
    category: 'payment',
    keywords: ['sk_live_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>sk_live_[0-9a-f]{40})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://paystack.com/docs/api/authentication/',
    samples: {
      positive: (gen) => `PAYSTACK_SECRET_KEY=sk_live_${gen.hex(40)}`,
      negative: (gen) => `PAYSTACK_PUBLIC_KEY=pk_live_${gen.hex(40)}`,
    },
  },
  {
    id: 'mollie-api-key',
    description: 'Mollie live API key',
    category: 'payment',
    keywords: ['live_'],
    // Mixed case, as generated keys always are; lowercase `live_…` identifiers in code are not keys.
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>live_(?=[A-Za-z0-9]{0,29}[A-Z])(?=[A-Za-z0-9]{0,29}[a-z])[A-Za-z0-9]{30})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    docs: 'https://docs.mollie.com/reference/authentication',
    samples: {
      positive: (gen) => `$mollie->setApiKey("live_${gen.alnum(30)}");`,
      // Test keys reach only test mode.
      negative: (gen) =>
        gen.pick([`$mollie->setApiKey("test_${gen.alnum(30)}");`, `const live_${gen.lower(26)} = true;`]),
    },
  },
  {
    id: 'checkout-secret-key',
    description: 'Checkout.com production secret key',
    category: 'payment',
    keywords: ['checkout', 'cko'],
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>sk_(?:[a-z2-7]{27}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://www.checkout.com/docs/developer-resources/api/manage-api-keys/api-keys',
    samples: {
      positive: (gen) => `CKO_SECRET_KEY=sk_${gen.chars(ALPHABETS.base32Lower, 27)}`,
      // Sandbox keys reach only the sandbox.
      negative: (gen) =>
        `const cko = new Checkout('sk_sbox_${gen.chars(ALPHABETS.base32Lower, 27)}', { pk: 'pk_sbox_${gen.chars(ALPHABETS.base32Lower, 27)}' });`,
    },
  },
];
