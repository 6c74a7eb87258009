/**
 * Hosting, edge and backend platforms: DigitalOcean, Akamai/Linode, Cloudflare, Fastly, Heroku, Netlify,
 * Vercel, Fly.io, Render and Supabase. Prefixed formats stand alone; unprefixed ones are only trusted next to
 * the vendor's name.
 */
import { base64, decodeJsonSegment, fakeJwt } from './_codec.ts';
import { assigned, keyedPrefix, UUID } from './_patterns.ts';
import { ALPHABETS } from './gen.ts';
import type { RuleSpec } from './types.ts';

function digitalOcean(id: string, prefix: string, description: string, variable: string): RuleSpec {
  return {
    id,
    description,
    category: 'cloud',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}[a-f0-9]{64})(?![A-Za-z0-9_])`),
    minEntropy: 3.3,
    docs: 'https://docs.digitalocean.com/reference/api/create-personal-access-token/',
    samples: {
      positive: (gen) => `${variable}=${prefix}${gen.hex(64)}`,
      // The README placeholder people copy.
      negative: () => `${variable}=${prefix}${'x'.repeat(64)}`,
    },
  };
}

/** Cloudflare's scannable credentials: a prefix, 40 alphanumerics and a checksum (8 hex characters). */
function cloudflareScannable(
  id: string,
  prefixes: readonly string[],
  description: string,
  variable: string,
): RuleSpec {
  return {
    id,
    description,
    category: 'cloud',
    keywords: [...prefixes],
    pattern: new RegExp(
      `(?<![A-Za-z0-9_])(?<secret>(?:${prefixes.join('|')})[A-Za-z0-9]{40}[0-9a-f]{8})(?![A-Za-z0-9_])`,
    ),
    minEntropy: 4,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/',
    samples: {
      positive: (gen) => `${variable}=${gen.pick(prefixes)}${gen.alnum(40)}${gen.hex(8)}`,
      // The checksum is cut off: a truncated paste.
      negative: (gen) => `${variable}=${gen.pick(prefixes)}${gen.alnum(40)}`,
    },
  };
}

export const hostingRules: RuleSpec[] = [
  digitalOcean(
    'digitalocean-pat',
    'dop_v1_',
    'DigitalOcean personal access token',
    'DIGITALOCEAN_ACCESS_TOKEN',
  ),
  digitalOcean('digitalocean-oauth-token', 'doo_v1_', 'DigitalOcean OAuth access token', 'DO_OAUTH_TOKEN'),
  digitalOcean(
    'digitalocean-refresh-token',
    'dor_v1_',
    'DigitalOcean OAuth refresh token',
    'DO_REFRESH_TOKEN',
  ),
  {
    id: 'linode-api-token',
    description: 'Linode (Akamai Cloud) personal access token',
    category: 'cloud',
    keywords: ['linode'],
    pattern: assigned('linode[\\w.-]{0,30}?(?:token|key|pat)\\w{0,10}', '[a-f0-9]{64}'),
    minEntropy: 3.3,
    docs: 'https://techdocs.akamai.com/linode-api/reference/get-started#personal-access-tokens',
    samples: {
      positive: (gen) => `provider "linode" {\n  token = "${gen.hex(64)}"\n}\nLINODE_TOKEN="${gen.hex(64)}"`,
      negative: (gen) => `LINODE_IMAGE_SHA256=${gen.hex(64)}`,
    },
  },
  {
    id: 'akamai-edgegrid-client-secret',
    description: 'Akamai EdgeGrid client secret (.edgerc)',
    category: 'cloud',
    keywords: ['akab-', 'edgerc'],
    pattern: /client_secret\s{0,3}[=:]\s{0,3}["']?(?<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/i,
    minEntropy: 4,
    docs: 'https://techdocs.akamai.com/developer/docs/set-up-authentication-credentials',
    samples: {
      positive: (gen) =>
        `[default]\nclient_secret = ${base64(gen.bytes(32))}\nhost = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}-${gen.chars(ALPHABETS.lowerDigits, 16)}.luna.akamaiapis.net\n` +
        `access_token = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}-${gen.chars(ALPHABETS.lowerDigits, 16)}`,
      negative: (gen) =>
        `[default]\nclient_secret = ${base64(gen.bytes(16))}\nhost = akab-${gen.chars(ALPHABETS.lowerDigits, 16)}.luna.akamaiapis.net`,
    },
  },
  cloudflareScannable(
    'cloudflare-api-token',
    ['cfut_', 'cfat_'],
    'Cloudflare API token',
    'CLOUDFLARE_API_TOKEN',
  ),
  cloudflareScannable(
    'cloudflare-global-api-key',
    ['cfk_'],
    'Cloudflare Global API key',
    'CLOUDFLARE_API_KEY',
  ),
  {
    id: 'cloudflare-api-token-legacy',
    description: 'Cloudflare API token (unprefixed format)',
    category: 'cloud',
    keywords: ['cloudflare', 'cf_api_token', 'cf_token'],
    pattern: assigned('(?:cloudflare|\\bcf)[\\w.-]{0,30}?token\\w{0,10}', '[A-Za-z0-9_-]{40}'),
    minEntropy: 4,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/',
    samples: {
      positive: (gen) => `CLOUDFLARE_API_TOKEN=${gen.base64url(40)}`,
      negative: (gen) => `CLOUDFLARE_ZONE_ID=${gen.hex(32)}`,
    },
  },
  {
    id: 'cloudflare-global-api-key-legacy',
    description: 'Cloudflare Global API key (unprefixed format)',
    category: 'cloud',
    keywords: ['cloudflare', 'cf_api_key', 'x-auth-key'],
    pattern: assigned(
      '(?:cloudflare[\\w.-]{0,30}?(?:api[_-]?key|auth[_-]?key)|\\bcf[_-]api[_-]key|x-auth-key)\\w{0,10}',
      '[a-f0-9]{37}',
    ),
    minEntropy: 3,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/keys/',
    samples: {
      positive: (gen) => `CLOUDFLARE_EMAIL=ops@example.com\nCLOUDFLARE_API_KEY=${gen.hex(37)}`,
      // A 32-character zone id under a Cloudflare name.
      negative: (gen) => `CLOUDFLARE_API_KEY_ZONE=${gen.hex(32)}`,
    },
  },
  {
    id: 'cloudflare-origin-ca-key',
    description: 'Cloudflare Origin CA key',
    category: 'cloud',
    keywords: ['v1.0-'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?![A-Za-z0-9_-])/,
    minEntropy: 3.3,
    docs: 'https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/',
    samples: {
      positive: (gen) => `X-Auth-User-Service-Key: v1.0-${gen.hex(24)}-${gen.hex(146)}`,
      negative: (gen) => `image: registry.example.com/app:v1.0-${gen.hex(24)}`,
    },
  },
  {
    id: 'fastly-api-token',
    description: 'Fastly API token',
    category: 'cloud',
    keywords: ['fastly'],
    pattern: assigned('fastly[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '[A-Za-z0-9_-]{32}'),
    minEntropy: 3.6,
    docs: 'https://www.fastly.com/documentation/reference/api/auth-tokens/',
    samples: {
      positive: (gen) => `FASTLY_API_TOKEN=${gen.base64url(32)}`,
      negative: (gen) => `FASTLY_SERVICE_ID=${gen.alnum(22)}`,
    },
  },
  {
    id: 'heroku-api-key',
    description: 'Heroku API key',
    category: 'cloud',
    keywords: ['heroku'],
    // Heroku API keys are UUIDs, and UUIDs alone are identifiers: the Heroku name must sit beside them.
    // keyedPrefix also reads typed declarations, XML elements and Kubernetes name/value pairs.
    pattern: new RegExp(`${keyedPrefix('heroku', '(?:key|token)')}(?<secret>${UUID})(?![A-Za-z0-9_-])`, 'i'),
    minEntropy: 3,
    docs: 'https://devcenter.heroku.com/articles/authentication',
    samples: {
      positive: (gen) => `HEROKU_API_KEY=${gen.uuid()}`,
      // An app id is a UUID too, and not a credential.
      negative: (gen) => `HEROKU_APP_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'heroku-api-key-v2',
    description: 'Heroku API key (HRKU- format)',
    category: 'cloud',
    keywords: ['hrku-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://devcenter.heroku.com/articles/authentication',
    samples: {
      positive: (gen) => `heroku config:set --app api HEROKU_API_KEY=HRKU-AA${gen.base64url(58)}`,
      negative: () => `HEROKU_API_KEY=HRKU-${'*'.repeat(60)}`,
    },
  },
  {
    id: 'netlify-access-token',
    description: 'Netlify personal access token',
    category: 'cloud',
    keywords: ['netlify'],
    pattern: assigned('netlify[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '(?:nfp_)?[A-Za-z0-9_-]{40,46}'),
    minEntropy: 4,
    docs: 'https://docs.netlify.com/api/get-started/#authentication',
    samples: {
      positive: (gen) => `netlify deploy --prod\nNETLIFY_AUTH_TOKEN=${gen.base64url(43)}`,
      negative: (gen) => `NETLIFY_SITE_ID=${gen.uuid()}`,
    },
  },
  {
    id: 'vercel-access-token',
    description: 'Vercel access token',
    category: 'cloud',
    keywords: ['vercel'],
    // Newer tokens carry a vcp_/vci_/vca_/vcr_/vck_ prefix whose length Vercel does not publish.
    pattern: assigned('vercel[\\w.-]{0,30}?(?:token|key)\\w{0,10}', '(?:vc[pikar]_)?[A-Za-z0-9]{24,80}'),
    minEntropy: 3.6,
    docs: 'https://vercel.com/docs/accounts/access-tokens',
    samples: {
      positive: (gen) => `VERCEL_TOKEN=${gen.pick(['', 'vcp_'])}${gen.alnum(24)}`,
      negative: (gen) => `VERCEL_ORG_ID=team_${gen.alnum(24)}`,
    },
  },
  {
    id: 'flyio-access-token',
    description: 'Fly.io access token (fo1_)',
    category: 'cloud',
    keywords: ['fo1_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>fo1_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://fly.io/docs/security/tokens/',
    samples: {
      positive: (gen) => `FLY_API_TOKEN=fo1_${gen.base64url(43)}`,
      negative: (gen) => `FLY_API_TOKEN=fo1_${gen.base64url(20)}`,
    },
  },
  {
    id: 'flyio-macaroon-token',
    description: 'Fly.io macaroon token (fm1r_/fm1a_/fm2_)',
    category: 'cloud',
    keywords: ['fm2_', 'fm1r_', 'fm1a_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>(?:fm2|fm1r|fm1a)_[A-Za-z0-9+/]{64,4096}={0,2})(?![A-Za-z0-9+/=])/,
    // The body is standard base64 of a msgpack-encoded macaroon, whose first byte is an array header.
    validate: (secret) => {
      const body = secret.slice(secret.indexOf('_') + 1);
      if (body.length % 4 !== 0) return false;
      const first = Buffer.from(body, 'base64')[0];
      return first !== undefined && first >= 0x90 && first <= 0x9f;
    },
    docs: 'https://fly.io/docs/security/tokens/',
    samples: {
      positive: (gen) => {
        const bytes = gen.bytes(gen.int(90, 180));
        bytes[0] = 0x94;
        bytes[1] = 0x93;
        return `FLY_API_TOKEN="FlyV1 fm2_${base64(bytes)}"`;
      },
      // Base64 that is not a macaroon: a random blob someone labelled fm2_.
      negative: (gen) => {
        const bytes = gen.bytes(120);
        bytes[0] = 0x7b;
        return `cache_key: fm2_${base64(bytes)}`;
      },
    },
  },
  {
    id: 'render-api-key',
    description: 'Render API key',
    category: 'cloud',
    keywords: ['rnd_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>rnd_[A-Za-z0-9]{24,48})(?![A-Za-z0-9_])/,
    minEntropy: 3.6,
    docs: 'https://render.com/docs/api#1-create-an-api-key',
    samples: {
      positive: (gen) => `RENDER_API_KEY=rnd_${gen.alnum(gen.int(24, 32))}`,
      negative: () => 'RENDER_API_KEY=rnd_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    },
  },
  {
    id: 'supabase-access-token',
    description: 'Supabase personal access token',
    category: 'cloud',
    keywords: ['sbp_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>sbp_[A-Za-z0-9_]{40,60})(?![A-Za-z0-9_])/,
    minEntropy: 3.3,
    docs: 'https://supabase.com/docs/guides/platform/personal-access-tokens',
    samples: {
      positive: (gen) => `SUPABASE_ACCESS_TOKEN=sbp_${gen.hex(40)}`,
      negative: (gen) => `SUPABASE_ACCESS_TOKEN=sbp_${gen.hex(24)}`,
    },
  },
  {
    id: 'supabase-secret-key',
    description: 'Supabase secret API key',
    category: 'cloud',
    keywords: ['sb_secret_'],
    // sb_publishable_ keys are meant for browsers and are not flagged.
    pattern: /(?<![A-Za-z0-9_])(?<secret>sb_secret_[A-Za-z0-9_-]{30,64})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://supabase.com/docs/guides/api/api-keys',
    samples: {
      positive: (gen) => `SUPABASE_SECRET_KEY=sb_secret_${gen.base64url(22)}_${gen.base64url(8)}`,
      negative: (gen) =>
        `NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY=sb_publishable_${gen.base64url(22)}_${gen.base64url(8)}`,
    },
  },
  {
    id: 'supabase-service-role-key',
    description: 'Supabase service_role key (JWT that bypasses row-level security)',
    category: 'cloud',
    keywords: ['supabase', 'service_role'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,200}\.eyJ[A-Za-z0-9_-]{20,1000}\.[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_-])/,
    // The anon key has the same shape and is public by design; only role=service_role is a secret.
    validate: (secret) => {
      const payload = decodeJsonSegment(secret.split('.')[1] as string);
      return payload?.['role'] === 'service_role';
    },
    docs: 'https://supabase.com/docs/guides/api/api-keys',
    samples: {
      positive: (gen) =>
        `SUPABASE_URL=https://${gen.lower(20)}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${fakeJwt(gen, {
          payload: {
            iss: 'supabase',
            ref: gen.lower(20),
            role: 'service_role',
            iat: 1700000000,
            exp: 2015576000,
          },
        })}`,
      negative: (gen) =>
        `NEXT_PUBLIC_SUPABASE_ANON_KEY=${fakeJwt(gen, { payload: { iss: 'supabase', ref: gen.lower(20), role: 'anon', iat: 1700000000 } })}`,
    },
  },
];
