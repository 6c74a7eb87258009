/**
 * APIs that apps call at run time: Twilio, Okta, Auth0, Clerk, Mapbox, Segment, Frame.io, Beamer, ReadMe and
 * LaunchDarkly.
 *
 * Identifiers these products publish by design are the near misses below, never findings: Twilio account SIDs
 * (`AC…`), Mapbox public tokens (`pk.`), Auth0 client ids, Clerk publishable keys, LaunchDarkly mobile keys and
 * client-side ids.
 */
import { decodeJsonSegment } from './_codec.ts';
import { keyedPrefix, UUID } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

/** Mapbox tokens are `<scope>.<base64url JSON naming the account>.<signature>`. */
function mapboxToken(gen: Gen, scope: string): string {
  const claims = Buffer.from(
    JSON.stringify({ u: gen.lower(gen.int(5, 12)), a: gen.chars(ALPHABETS.lowerDigits, 25) }),
  );
  return `${scope}.${claims.toString('base64url')}.${gen.base64url(22)}`;
}

function hasMapboxClaims(token: string): boolean {
  const [, claims = ''] = token.split('.');
  const parsed = decodeJsonSegment(claims);
  return parsed !== undefined && 'u' in parsed;
}

export const developerApisRules: RuleSpec[] = [
  {
    id: 'twilio-api-key',
    description: 'Twilio API key SID (the identifier its secret pairs with)',
    category: 'saas',
    keywords: ['twilio'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>SK[0-9a-fA-F]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://www.twilio.com/docs/iam/api-keys',
    samples: {
      positive: (gen) => `TWILIO_API_KEY=SK${gen.hex(32)}`,
      // The account SID is printed on every invoice and in every API URL.
      negative: (gen) => `TWILIO_ACCOUNT_SID=AC${gen.hex(32)}`,
    },
  },
  {
    id: 'twilio-api-key-secret',
    description: 'Twilio API key secret',
    category: 'saas',
    keywords: ['twilio'],
    pattern: new RegExp(
      `${keyedPrefix('twilio', '(?:api[_-]?(?:key[_-]?)?)?secret')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://www.twilio.com/docs/iam/api-keys',
    samples: {
      positive: (gen) => `TWILIO_API_SECRET=${gen.alnum(32)}`,
      negative: (gen) => `TWILIO_ACCOUNT_SID=AC${gen.hex(32)}\nTWILIO_PHONE_NUMBER=+1555${gen.digits(7)}`,
    },
  },
  {
    id: 'twilio-auth-token',
    description: 'Twilio account auth token',
    category: 'saas',
    keywords: ['twilio'],
    pattern: new RegExp(
      `${keyedPrefix('twilio', 'auth[_-]?token')}(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://www.twilio.com/docs/iam/credentials/api',
    samples: {
      positive: (gen) =>
        gen.pick([
          `TWILIO_AUTH_TOKEN=${gen.hex(32)}`,
          `twilio:\n  auth_token: "${gen.hex(32)}"\n  account_sid: AC${gen.hex(32)}`,
        ]),
      negative: (gen) => `TWILIO_ACCOUNT_SID=AC${gen.hex(32)}`,
    },
  },
  {
    id: 'okta-api-token',
    description: 'Okta API token',
    category: 'saas',
    keywords: ['okta', 'ssws'],
    // `Authorization: SSWS <token>` is Okta's own header scheme.
    pattern: new RegExp(
      `(?:ssws\\s{1,3}|${keyedPrefix('okta', '(?:api[_-]?)?(?:token|key)')})(?<secret>00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://developer.okta.com/docs/guides/create-an-api-token/main/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `curl https://example.okta.com/api/v1/users -H "Authorization: SSWS 00${gen.base64url(40)}"`,
          `OKTA_API_TOKEN=00${gen.base64url(40)}`,
        ]),
      negative: (gen) => `OKTA_CLIENT_ID=0oa${gen.alnum(17)}`,
    },
  },
  {
    id: 'auth0-client-secret',
    description: 'Auth0 application client secret',
    category: 'saas',
    keywords: ['auth0'],
    pattern: new RegExp(
      `${keyedPrefix('auth0', '(?:client[_-]?)?secret')}(?<secret>[A-Za-z0-9_-]{64})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://auth0.com/docs/get-started/applications/application-settings',
    samples: {
      positive: (gen) => `AUTH0_CLIENT_SECRET='${gen.base64url(64)}'`,
      // Client ids are sent to browsers during login.
      negative: (gen) => `AUTH0_CLIENT_ID='${gen.alnum(32)}'`,
    },
  },
  {
    id: 'clerk-secret-key',
    description: 'Clerk live secret key',
    category: 'saas',
    keywords: ['clerk'],
    pattern: new RegExp(
      `${keyedPrefix('clerk', '(?:secret|api)[_-]?(?:key)?')}(?<secret>sk_live_[A-Za-z0-9]{20,100})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.8,
    docs: 'https://clerk.com/docs/deployments/clerk-environment-variables',
    samples: {
      positive: (gen) => `CLERK_SECRET_KEY=sk_live_${gen.alnum(gen.int(40, 50))}`,
      negative: (gen) =>
        `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_${Buffer.from(`clerk.${gen.lower(8)}.com$`).toString('base64')}`,
    },
  },
  {
    id: 'mapbox-secret-token',
    description: 'Mapbox secret access token',
    category: 'saas',
    keywords: ['sk.eyj'],
    pattern:
      /(?<![A-Za-z0-9_.-])(?<secret>sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{20,30})(?![A-Za-z0-9_-])/,
    validate: hasMapboxClaims,
    docs: 'https://docs.mapbox.com/accounts/guides/tokens/',
    samples: {
      positive: (gen) => `MAPBOX_DOWNLOADS_TOKEN=${mapboxToken(gen, 'sk')}`,
      // Public tokens go into map pages by design.
      negative: (gen) => `mapboxgl.accessToken = '${mapboxToken(gen, 'pk')}';`,
    },
  },
  {
    id: 'segment-public-api-token',
    description: 'Segment Public API token',
    category: 'saas',
    keywords: ['sgp_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>sgp_[A-Za-z0-9]{64})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    docs: 'https://www.twilio.com/docs/segment/api/public-api',
    samples: {
      positive: (gen) =>
        `curl https://api.segmentapis.com/workspaces -H "Authorization: Bearer sgp_${gen.alnum(64)}"`,
      // Sourcegraph access tokens share the prefix but hold 40 hex characters.
      negative: (gen) => `SRC_ACCESS_TOKEN=sgp_${gen.hex(40)}`,
    },
  },
  {
    id: 'frameio-api-token',
    description: 'Frame.io developer token',
    category: 'saas',
    keywords: ['fio-u-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>fio-u-[A-Za-z0-9_=-]{64})(?![A-Za-z0-9_=-])/,
    minEntropy: 4,
    docs: 'https://developer.frame.io/docs/getting-started/authentication',
    samples: {
      positive: (gen) => `FRAMEIO_TOKEN=fio-u-${gen.base64url(64)}`,
      negative: (gen) => `FRAMEIO_TOKEN=fio-u-${gen.base64url(32)}`,
    },
  },
  {
    id: 'beamer-api-key',
    description: 'Beamer API key',
    category: 'saas',
    keywords: ['beamer'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>b_[A-Za-z0-9_=-]{44})(?![A-Za-z0-9_=-])/,
    minEntropy: 4,
    docs: 'https://www.getbeamer.com/api',
    samples: {
      positive: (gen) => `BEAMER_API_KEY=b_${gen.base64url(43)}=`,
      // The product id is embedded in the widget snippet.
      negative: (gen) => `var beamer_config = { product_id : "${gen.alnum(8)}${gen.digits(5)}" };`,
    },
  },
  {
    id: 'readme-api-key',
    description: 'ReadMe API key',
    category: 'saas',
    keywords: ['rdme_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>rdme_[a-z0-9]{70})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    docs: 'https://docs.readme.com/main/reference/intro/authentication',
    samples: {
      positive: (gen) => `README_API_KEY=rdme_${gen.chars(ALPHABETS.lowerDigits, 70)}`,
      negative: (gen) => `README_API_KEY=rdme_${gen.chars(ALPHABETS.lowerDigits, 30)}`,
    },
  },
  {
    id: 'launchdarkly-access-token',
    description: 'LaunchDarkly API access token or server-side SDK key',
    category: 'saas',
    keywords: ['launchdarkly', 'ld_sdk', 'ld_api', 'ld_access'],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>(?:api|sdk)-${UUID})(?![A-Za-z0-9_-])`),
    minEntropy: 3,
    docs: 'https://docs.launchdarkly.com/home/account/api',
    samples: {
      positive: (gen) =>
        gen.pick([`LD_SDK_KEY=sdk-${gen.uuid()}`, `launchdarkly:\n  api_token: api-${gen.uuid()}`]),
      // Mobile keys and client-side ids ship inside apps and pages.
      negative: (gen) => `LD_MOBILE_KEY=mob-${gen.uuid()}\nLD_CLIENT_SIDE_ID=${gen.hex(24)}`,
    },
  },
];
