/**
 * Business SaaS: Atlassian, Linear, Notion, Airtable, Asana, Figma, Contentful, Algolia, Typeform, HubSpot,
 * Salesforce, Zendesk, Dropbox and Box. APIs that apps call at run time (Twilio, Okta, Auth0, Clerk, Mapbox…)
 * are in developer-apis.ts. Firebase Cloud Messaging server keys are Google credentials and live in cloud.ts.
 *
 * Algolia search-only keys are public by design: a near miss below, never a finding.
 */
import { keyedPrefix, UUID } from './_patterns.ts';
import { ALPHABETS } from './gen.ts';
import type { RuleSpec } from './types.ts';

export const saasRules: RuleSpec[] = [
  {
    id: 'atlassian-api-token',
    description: 'Atlassian API token (Jira, Confluence, Bitbucket Cloud)',
    category: 'saas',
    keywords: ['atatt3'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>ATATT3[A-Za-z0-9_=-]{186})(?![A-Za-z0-9_=-])/,
    minEntropy: 4.5,
    docs: 'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
    samples: {
      positive: (gen) =>
        `curl -u me@example.com:ATATT3xFfGF0${gen.base64url(171)}=${gen.upperHex(8)} https://example.atlassian.net/rest/api/3/myself`,
      negative: (gen) => `JIRA_API_TOKEN=ATATT3xFfGF0${gen.base64url(40)}`,
    },
  },
  {
    id: 'atlassian-legacy-api-token',
    description: 'Atlassian API token (24-character format, before ATATT3)',
    category: 'saas',
    keywords: ['atlassian', 'jira', 'confluence'],
    pattern: new RegExp(
      `${keyedPrefix('(?:atlassian|jira|confluence)', '(?:api[_-]?)?(?:token|key|password)')}(?<secret>[A-Za-z0-9]{24})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.8,
    docs: 'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
    samples: {
      positive: (gen) =>
        gen.pick([`JIRA_API_TOKEN=${gen.alnum(24)}`, `confluence:\n  token: "${gen.alnum(24)}"`]),
      negative: (gen) => `JIRA_PROJECT_KEY=${gen.upper(4)}\nJIRA_API_TOKEN=${gen.alnum(16)}`,
    },
  },
  {
    id: 'linear-api-key',
    description: 'Linear personal API key',
    category: 'saas',
    keywords: ['lin_api_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>lin_api_[A-Za-z0-9]{40})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    docs: 'https://linear.app/developers/graphql#personal-api-keys',
    samples: {
      positive: (gen) => `LINEAR_API_KEY=lin_api_${gen.alnum(40)}`,
      negative: (gen) => `LINEAR_API_KEY=lin_api_${gen.alnum(20)}`,
    },
  },
  {
    id: 'notion-integration-token',
    description: 'Notion integration token',
    category: 'saas',
    // `ntn_` tokens stand alone; the older `secret_` form (a common word) counts only near Notion's name.
    keywords: ['ntn_', 'notion'],
    pattern:
      /(?<![A-Za-z0-9_])(?<secret>ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    docs: 'https://developers.notion.com/docs/authorization',
    samples: {
      positive: (gen) =>
        gen.pick([
          `NOTION_TOKEN=ntn_${gen.digits(11)}${gen.alnum(35)}`,
          `const notion = new Client({ auth: "secret_${gen.alnum(43)}" });`,
        ]),
      // A `secret_` value with no Notion in sight.
      negative: (gen) => `session:\n  cookie_secret: secret_${gen.alnum(43)}`,
    },
  },
  {
    id: 'airtable-personal-access-token',
    description: 'Airtable personal access token',
    category: 'saas',
    // Tokens open with `pat` and nothing rarer; the pattern, not the keyword, does the work.
    keywords: ['pat'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>pat[A-Za-z0-9]{14}\.[0-9a-f]{64})(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    docs: 'https://airtable.com/developers/web/guides/personal-access-tokens',
    samples: {
      positive: (gen) =>
        `curl https://api.airtable.com/v0/meta/whoami -H "Authorization: Bearer pat${gen.alnum(14)}.${gen.hex(64)}"`,
      // The token id Airtable lists in the developer hub, without its secret half.
      negative: (gen) => `AIRTABLE_TOKEN_ID=pat${gen.alnum(14)}`,
    },
  },
  {
    id: 'asana-personal-access-token',
    description: 'Asana personal access token',
    category: 'saas',
    keywords: ['asana'],
    pattern: /(?<![A-Za-z0-9_/])(?<secret>[0-2]\/[0-9]{4,20}(?:\/[0-9]{4,20})?:[0-9a-f]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://developers.asana.com/docs/personal-access-token',
    samples: {
      positive: (gen) =>
        gen.pick([
          `ASANA_ACCESS_TOKEN=2/${gen.digits(16)}/${gen.digits(16)}:${gen.hex(32)}`,
          `client = asana.Client.access_token("1/${gen.digits(16)}:${gen.hex(32)}")`,
        ]),
      negative: (gen) => `ASANA_WORKSPACE_GID=${gen.digits(16)}`,
    },
  },
  {
    id: 'figma-personal-access-token',
    description: 'Figma personal access token',
    category: 'saas',
    keywords: ['figd_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>figd_[A-Za-z0-9_-]{30,60})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://www.figma.com/developers/api#access-tokens',
    samples: {
      positive: (gen) => `curl -H "X-Figma-Token: figd_${gen.base64url(40)}" https://api.figma.com/v1/me`,
      negative: () => `FIGMA_TOKEN=figd_your_token_here`,
    },
  },
  {
    id: 'contentful-management-token',
    description: 'Contentful Content Management API personal access token',
    category: 'saas',
    keywords: ['cfpat-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>CFPAT-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://www.contentful.com/developers/docs/references/authentication/',
    samples: {
      positive: (gen) => `CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-${gen.base64url(43)}`,
      negative: (gen) => `CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-${gen.base64url(20)}`,
    },
  },
  {
    id: 'contentful-preview-token',
    description: 'Contentful Content Preview API token',
    category: 'saas',
    // Delivery tokens read published content and routinely ship to browsers; preview tokens read drafts.
    keywords: ['contentful'],
    pattern: new RegExp(
      `${keyedPrefix('contentful', 'preview[_-]?(?:access[_-]?)?token')}(?<secret>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://www.contentful.com/developers/docs/references/authentication/',
    samples: {
      positive: (gen) => `CONTENTFUL_PREVIEW_ACCESS_TOKEN=${gen.base64url(43)}`,
      negative: (gen) => `CONTENTFUL_DELIVERY_ACCESS_TOKEN=${gen.base64url(43)}`,
    },
  },
  {
    id: 'algolia-admin-key',
    description: 'Algolia admin API key',
    category: 'saas',
    keywords: ['algolia'],
    pattern: new RegExp(
      `${keyedPrefix('algolia', '(?:admin|write)[_-]?(?:api[_-]?)?key')}(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://www.algolia.com/doc/guides/security/api-keys/',
    samples: {
      positive: (gen) => `ALGOLIA_ADMIN_API_KEY=${gen.hex(32)}`,
      // Search-only keys belong in front-end code.
      negative: (gen) => `NEXT_PUBLIC_ALGOLIA_SEARCH_API_KEY=${gen.hex(32)}`,
    },
  },
  {
    id: 'typeform-personal-access-token',
    description: 'Typeform personal access token',
    category: 'saas',
    keywords: ['tfp_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>tfp_[A-Za-z0-9_=-]{59})(?![A-Za-z0-9_=-])/,
    minEntropy: 4,
    docs: 'https://www.typeform.com/developers/get-started/personal-access-token/',
    samples: {
      positive: (gen) => `TYPEFORM_TOKEN=tfp_${gen.base64url(44)}_${gen.base64url(14)}`,
      negative: (gen) => `TYPEFORM_TOKEN=tfp_${gen.base64url(30)}`,
    },
  },
  {
    id: 'hubspot-private-app-token',
    description: 'HubSpot private app access token',
    category: 'saas',
    keywords: ['pat-na', 'pat-eu', 'pat-ap'],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>pat-(?:na|eu|ap)[0-9]-${UUID})(?![A-Za-z0-9_-])`),
    minEntropy: 3,
    docs: 'https://developers.hubspot.com/docs/api/private-apps',
    samples: {
      positive: (gen) => `HUBSPOT_ACCESS_TOKEN=pat-${gen.pick(['na1', 'eu1', 'na2'])}-${gen.uuid()}`,
      // The portal (hub) id is public: it is in every tracking snippet.
      negative: (gen) => `HUBSPOT_PORTAL_ID=${gen.digits(8)}`,
    },
  },
  {
    id: 'salesforce-access-token',
    description: 'Salesforce access token or session id',
    category: 'saas',
    // Tokens open with the org id, whose key prefix `00D` is Salesforce's for organizations.
    keywords: ['00d'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,120})(?![A-Za-z0-9._])/,
    minEntropy: 4,
    docs: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_access_tokens.htm&type=5',
    samples: {
      positive: (gen) =>
        `curl https://example.my.salesforce.com/services/data/v61.0/ -H "Authorization: Bearer 00D${gen.alnum(12)}!AR${gen.chars(`${ALPHABETS.alnum}._`, 94)}"`,
      // The org id alone is an identifier.
      negative: (gen) => `SF_ORG_ID=00D${gen.alnum(12)}`,
    },
  },
  {
    id: 'zendesk-api-token',
    description: 'Zendesk API token',
    category: 'saas',
    keywords: ['zendesk'],
    // Zendesk API tokens are sent as Basic credentials `<email>/token:<token>`.
    pattern: new RegExp(
      `(?:${keyedPrefix('zendesk', '(?:api[_-]?)?token')}|[\\w.+-]{1,64}@[\\w.-]{1,100}\\/token:)(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://developer.zendesk.com/api-reference/introduction/security-and-auth/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `ZENDESK_API_TOKEN=${gen.alnum(40)}`,
          `curl https://example.zendesk.com/api/v2/tickets.json -u agent@example.com/token:${gen.alnum(40)}`,
        ]),
      negative: (gen) => `ZENDESK_SUBDOMAIN=example\nZENDESK_API_TOKEN=${gen.alnum(20)}`,
    },
  },
  {
    id: 'dropbox-access-token',
    description: 'Dropbox short-lived access token',
    category: 'saas',
    keywords: ['sl.u.', 'sl.b', 'dropbox'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>sl\.(?:u\.)?[A-Za-z0-9_-]{130,2000})(?![A-Za-z0-9_-])/,
    minEntropy: 4.5,
    docs: 'https://developers.dropbox.com/oauth-guide',
    samples: {
      positive: (gen) =>
        gen.pick([
          `dbx = dropbox.Dropbox("sl.u.A${gen.base64url(1300)}")`,
          `DROPBOX_ACCESS_TOKEN=sl.B${gen.base64url(138)}`,
        ]),
      negative: (gen) => `DROPBOX_APP_KEY=${gen.chars(ALPHABETS.lowerDigits, 15)}`,
    },
  },
  {
    id: 'box-client-secret',
    description: 'Box client secret or developer token',
    category: 'saas',
    keywords: ['box'],
    pattern: new RegExp(
      `${keyedPrefix('(?<![A-Za-z])box', '(?:client[_-]?secret|developer[_-]?token|access[_-]?token)')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://developer.box.com/guides/authentication/tokens/developer-tokens/',
    samples: {
      positive: (gen) =>
        gen.pick([`BOX_CLIENT_SECRET=${gen.alnum(32)}`, `BOX_DEVELOPER_TOKEN="${gen.alnum(32)}"`]),
      // Neither the client id nor a Dropbox or sandbox setting.
      negative: (gen) =>
        gen.pick([
          `BOX_CLIENT_ID=${gen.chars(ALPHABETS.lowerDigits, 32)}`,
          `SANDBOX_ACCESS_TOKEN=${gen.alnum(32)}`,
        ]),
    },
  },
];
