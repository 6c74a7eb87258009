/** Chat and collaboration: Slack, Discord, Telegram, Microsoft Teams, Mattermost, Twitch, Zoom, Intercom, LINE. */
import { shannonEntropy } from '../entropy.ts';
import { isPlaceholder } from '../filters.ts';
import { keyedPrefix } from './_patterns.ts';
import { ALPHABETS } from './gen.ts';
import type { RuleSpec } from './types.ts';

const SLACK_TOKENS = 'https://api.slack.com/authentication/token-types';
const SLACK_CONFIG_TOKENS = 'https://api.slack.com/authentication/config-tokens';

/** The last path segment of a webhook URL is its secret: it must look random, not like `XXXX` or `your-token`. */
function randomTail(url: string): boolean {
  const tail = url.slice(url.lastIndexOf('/') + 1);
  return !isPlaceholder(tail) && shannonEntropy(tail) >= 3;
}

/** Discord bot tokens open with the bot's user id (a numeric snowflake) in base64url. */
function hasSnowflakeSegment(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  return /^[1-9][0-9]{16,19}$/.test(Buffer.from(first, 'base64url').toString('latin1'));
}

export const chatRules: RuleSpec[] = [
  {
    id: 'slack-bot-token',
    description: 'Slack bot token',
    category: 'chat',
    keywords: ['xoxb-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,34})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: SLACK_TOKENS,
    samples: {
      positive: (gen) => `SLACK_BOT_TOKEN=xoxb-${gen.digits(12)}-${gen.digits(13)}-${gen.alnum(24)}`,
      // The placeholder people commit in READMEs, and a token cut short by a copy-paste.
      negative: (gen) =>
        gen.pick([
          `SLACK_BOT_TOKEN=xoxb-your-token-here`,
          `SLACK_BOT_TOKEN=xoxb-${gen.digits(12)}-${gen.alnum(10)}`,
        ]),
    },
  },
  {
    id: 'slack-user-token',
    description: 'Slack user token',
    category: 'chat',
    keywords: ['xoxp-'],
    pattern:
      /(?<![A-Za-z0-9_.-])(?<secret>xoxp-[0-9]{4,14}-[0-9]{4,14}-[0-9]{4,14}-[A-Za-z0-9]{28,34})(?![A-Za-z0-9_-])/,
    minEntropy: 3.3,
    docs: SLACK_TOKENS,
    samples: {
      positive: (gen) =>
        `slack:\n  user_token: "xoxp-${gen.digits(11)}-${gen.digits(11)}-${gen.digits(13)}-${gen.hex(32)}"`,
      // Slack's own documentation shape: a seven-character secret, far shorter than an issued token's 32.
      negative: (gen) => `token: xoxp-${gen.digits(5)}-${gen.digits(5)}-${gen.digits(7)}-${gen.lower(7)}`,
    },
  },
  {
    id: 'slack-app-token',
    description: 'Slack app-level token',
    category: 'chat',
    keywords: ['xapp-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>xapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{8,16}-[A-Za-z0-9]{32,80})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: SLACK_TOKENS,
    samples: {
      positive: (gen) =>
        `export SLACK_APP_TOKEN=xapp-1-A${gen.chars(ALPHABETS.upperDigits, 10)}-${gen.digits(13)}-${gen.hex(64)}`,
      negative: (gen) =>
        `export SLACK_APP_TOKEN=xapp-1-A${gen.chars(ALPHABETS.upperDigits, 10)}-${gen.digits(13)}-${gen.hex(12)}`,
    },
  },
  {
    id: 'slack-config-access-token',
    description: 'Slack app configuration access token',
    category: 'chat',
    keywords: ['xoxe.xoxp-', 'xoxe.xoxb-'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{120,250})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: SLACK_CONFIG_TOKENS,
    samples: {
      positive: (gen) => `{"token": "xoxe.xoxp-1-${gen.alnum(166)}"}`,
      // Slack's response sample elides the body: `xoxe.xoxp-...`.
      negative: (gen) => `{"token": "xoxe.xoxp-1-${gen.alnum(40)}"}`,
    },
  },
  {
    id: 'slack-config-refresh-token',
    description: 'Slack app configuration refresh token',
    category: 'chat',
    keywords: ['xoxe-'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxe-[0-9]-[A-Za-z0-9]{120,250})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: SLACK_CONFIG_TOKENS,
    samples: {
      positive: (gen) => `SLACK_CONFIG_REFRESH_TOKEN='xoxe-1-${gen.alnum(146)}'`,
      // The example value in the tooling.tokens.rotate reference.
      negative: (gen) => `SLACK_CONFIG_REFRESH_TOKEN='xoxe-1-${gen.lower(7)}'`,
    },
  },
  {
    id: 'slack-workspace-app-token',
    description: 'Slack legacy workspace app token or refresh token (xoxa-, xoxr-)',
    category: 'chat',
    keywords: ['xoxa-', 'xoxr-'],
    pattern:
      /(?<![A-Za-z0-9_.-])(?<secret>xox[ar]-(?:[0-9]{1,2}-)?[A-Za-z0-9][A-Za-z0-9-]{23,199})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://api.slack.com/authentication/rotation',
    samples: {
      positive: (gen) =>
        `token = "${gen.pick(['xoxa', 'xoxr'])}-2-${gen.digits(12)}-${gen.digits(12)}-${gen.digits(13)}-${gen.hex(64)}"`,
      negative: (gen) => `token = "xoxa-2-${gen.lower(8)}"`,
    },
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    category: 'chat',
    keywords: ['hooks.slack.com/services'],
    pattern:
      /(?<secret>hooks\.slack\.com\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24})(?![A-Za-z0-9_-])/,
    validate: randomTail,
    docs: 'https://api.slack.com/messaging/webhooks',
    samples: {
      positive: (gen) =>
        `curl -X POST -H 'Content-type: application/json' --data '{"text":"deployed"}' https://hooks.slack.com/services/T${gen.chars(ALPHABETS.upperDigits, 10)}/B${gen.chars(ALPHABETS.upperDigits, 10)}/${gen.alnum(24)}`,
      // Slack's documented example URL, with its placeholder token.
      negative: () =>
        'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    },
  },
  {
    id: 'slack-workflow-webhook-url',
    description: 'Slack Workflow Builder webhook trigger URL',
    category: 'chat',
    keywords: ['hooks.slack.com/workflows', 'hooks.slack.com/triggers'],
    pattern:
      /(?<secret>hooks\.slack\.com\/(?:workflows|triggers)\/[TE][A-Z0-9]{8,12}\/(?:A[A-Z0-9]{8,12}\/)?[0-9]{6,20}\/[A-Za-z0-9]{24,32})(?![A-Za-z0-9_-])/,
    validate: randomTail,
    docs: 'https://slack.com/help/articles/360041352714-Build-a-workflow--Create-a-workflow-that-starts-outside-of-Slack',
    samples: {
      positive: (gen) =>
        gen.pick([
          `webhook_url: https://hooks.slack.com/workflows/T${gen.chars(ALPHABETS.upperDigits, 10)}/A${gen.chars(ALPHABETS.upperDigits, 10)}/${gen.digits(18)}/${gen.alnum(24)}`,
          `WORKFLOW_URL="https://hooks.slack.com/triggers/T${gen.chars(ALPHABETS.upperDigits, 10)}/${gen.digits(13)}/${gen.hex(32)}"`,
        ]),
      negative: (gen) =>
        `webhook_url: https://hooks.slack.com/triggers/T${gen.chars(ALPHABETS.upperDigits, 10)}/${gen.digits(13)}/`,
    },
  },
  {
    id: 'discord-bot-token',
    description: 'Discord bot token',
    category: 'chat',
    keywords: ['discord', 'authorization: bot', 'bot_token'],
    pattern:
      /(?<![A-Za-z0-9_.-])(?<secret>[MNO][A-Za-z0-9_-]{22,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_.-])/,
    validate: hasSnowflakeSegment,
    // The token in the Authentication section of Discord's API reference.
    documentedExamples: ['MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs'],
    docs: 'https://discord.com/developers/docs/reference#authentication',
    samples: {
      positive: (gen) => {
        const userId = `${gen.int(1, 9)}${gen.digits(17)}`;
        const token = `${Buffer.from(userId).toString('base64url')}.${gen.base64url(6)}.${gen.base64url(gen.pick([27, 38]))}`;
        return gen.pick([
          `DISCORD_TOKEN=${token}`,
          `curl -H "Authorization: Bot ${token}" https://discord.com/api/v10/users/@me`,
        ]);
      },
      // Same shape, but the first segment is not a user id: a random dotted string in a Discord config.
      negative: (gen) => `discord_session_key = "M${gen.alnum(23)}.${gen.base64url(6)}.${gen.base64url(27)}"`,
    },
  },
  {
    id: 'discord-webhook-url',
    description: 'Discord webhook URL',
    category: 'chat',
    keywords: ['/api/webhooks/'],
    pattern:
      /(?<secret>discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])/,
    validate: randomTail,
    docs: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
    samples: {
      positive: (gen) =>
        `DISCORD_WEBHOOK=https://${gen.pick(['', 'ptb.', 'canary.'])}discord.com/api/webhooks/${gen.int(1, 9)}${gen.digits(18)}/${gen.base64url(68)}`,
      // The webhook's id alone identifies it; without the token it cannot post.
      negative: (gen) =>
        `see https://discord.com/api/webhooks/${gen.int(1, 9)}${gen.digits(18)} in the channel settings`,
    },
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram Bot API token',
    category: 'chat',
    // Issued tokens continue `:AA` after the bot id; the vendor's name and the usual variable catch the rest.
    keywords: [':aa', 'telegram', 'bot_token', 'bottoken'],
    pattern: /(?:(?<=\/bot)|(?<![0-9A-Za-z_]))(?<secret>[0-9]{5,16}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://core.telegram.org/bots/api#authorizing-your-bot',
    samples: {
      positive: (gen) => {
        const token = `${gen.int(1, 9)}${gen.digits(9)}:AA${gen.base64url(33)}`;
        return gen.pick([`TELEGRAM_BOT_TOKEN=${token}`, `curl https://api.telegram.org/bot${token}/getMe`]);
      },
      // The bot's numeric id with a truncated secret.
      negative: (gen) => `TELEGRAM_BOT_TOKEN=${gen.int(1, 9)}${gen.digits(9)}:AA${gen.base64url(20)}`,
    },
  },
  {
    id: 'microsoft-teams-webhook-url',
    description: 'Microsoft Teams incoming webhook URL',
    category: 'chat',
    keywords: ['webhook.office.com'],
    pattern:
      /(?<secret>[a-z0-9-]{1,60}\.webhook\.office\.com\/webhookb2\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\/[A-Za-z0-9_-]{20,80})?)(?![A-Za-z0-9_-])/i,
    docs: 'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook',
    samples: {
      positive: (gen) =>
        `teams_webhook: https://contoso.webhook.office.com/webhookb2/${gen.uuid()}@${gen.uuid()}/IncomingWebhook/${gen.hex(32)}/${gen.uuid()}${gen.pick(['', `/V2${gen.base64url(40)}`])}`,
      // Cut off before the connector's secret path.
      negative: (gen) =>
        `teams_webhook: https://contoso.webhook.office.com/webhookb2/${gen.uuid()}@${gen.uuid()}/IncomingWebhook/`,
    },
  },
  {
    id: 'mattermost-access-token',
    description: 'Mattermost personal access token or bot token',
    category: 'chat',
    keywords: ['mattermost'],
    pattern: new RegExp(
      `${keyedPrefix('mattermost', '(?:token|pat)')}(?<secret>[a-z0-9]{26})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://developers.mattermost.com/integrate/reference/personal-access-token/',
    samples: {
      positive: (gen) => `MATTERMOST_BOT_TOKEN=${gen.chars(ALPHABETS.lowerDigits, 26)}`,
      // Team and channel ids have the same shape but are not credentials.
      negative: (gen) => `MATTERMOST_TEAM_ID=${gen.chars(ALPHABETS.lowerDigits, 26)}`,
    },
  },
  {
    id: 'twitch-access-token',
    description: 'Twitch OAuth access token or client secret',
    category: 'chat',
    keywords: ['twitch', 'oauth:'],
    pattern: new RegExp(
      `(?:${keyedPrefix('twitch', '(?:secret|token|oauth)')}|(?<![A-Za-z0-9_])oauth:)(?<secret>[a-z0-9]{30})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://dev.twitch.tv/docs/authentication/',
    samples: {
      positive: (gen) =>
        gen.pick([
          `TWITCH_CLIENT_SECRET=${gen.chars(ALPHABETS.lowerDigits, 30)}`,
          `identity: { username: 'mybot', password: 'oauth:${gen.chars(ALPHABETS.lowerDigits, 30)}' }`,
        ]),
      // The client id is public: it is sent from browsers.
      negative: (gen) => `TWITCH_CLIENT_ID=${gen.chars(ALPHABETS.lowerDigits, 30)}`,
    },
  },
  {
    id: 'zoom-client-secret',
    description: 'Zoom app client secret, API secret or webhook secret token',
    category: 'chat',
    keywords: ['zoom'],
    pattern: new RegExp(
      `${keyedPrefix('zoom', '(?:client[_-]?secret|api[_-]?secret|sdk[_-]?secret|secret[_-]?token|jwt[_-]?secret)')}(?<secret>[A-Za-z0-9]{22,32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://developers.zoom.us/docs/internal-apps/s2s-oauth/',
    samples: {
      positive: (gen) => `ZOOM_CLIENT_SECRET="${gen.alnum(32)}"`,
      negative: (gen) => `ZOOM_CLIENT_ID="${gen.alnum(22)}"`,
    },
  },
  {
    id: 'intercom-access-token',
    description: 'Intercom access token',
    category: 'chat',
    // Every token is base64 of `tok:…`, which always encodes to `dG9rO`.
    keywords: ['dg9ro'],
    pattern: /(?<![A-Za-z0-9+/])(?<secret>dG9rO[A-Za-z0-9+/]{40,120}={0,2})(?![A-Za-z0-9+/=])/,
    validate: (secret) =>
      secret.length % 4 === 0 && Buffer.from(secret, 'base64').toString('latin1').startsWith('tok:'),
    docs: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication',
    samples: {
      positive: (gen) => {
        const token = Buffer.from(`tok:${gen.uuid().replaceAll('-', '_')}:1:0`).toString('base64');
        return `INTERCOM_ACCESS_TOKEN=${token}`;
      },
      // Starts like one, but decodes to something other than `tok:`.
      negative: (gen) =>
        `INTERCOM_ACCESS_TOKEN=dG9rO${gen.pick(['w', 'x', 'y', 'z', '0', '1'])}${gen.base64(53)}=`,
    },
  },
  {
    id: 'line-channel-access-token',
    description: 'LINE Messaging API channel access token',
    category: 'chat',
    keywords: ['line_channel', 'line-channel', 'linechannel', 'line_bot', 'line-bot', 'linebot'],
    pattern: new RegExp(
      `${keyedPrefix('line(?:[_-]?bot)?[_-]?channel', 'access[_-]?token')}(?<secret>[A-Za-z0-9+/]{100,250}={0,2})(?![A-Za-z0-9+/=])`,
      'i',
    ),
    minEntropy: 4.5,
    docs: 'https://developers.line.biz/en/docs/basics/channel-access-token/',
    samples: {
      positive: (gen) => `LINE_CHANNEL_ACCESS_TOKEN=${gen.base64(171)}=`,
      negative: (gen) => `LINE_CHANNEL_ID=${gen.int(1, 9)}${gen.digits(9)}`,
    },
  },
  {
    id: 'line-channel-secret',
    description: 'LINE channel secret',
    category: 'chat',
    keywords: ['line_channel', 'line-channel', 'linechannel', 'line_bot', 'line-bot', 'linebot'],
    pattern: new RegExp(
      `${keyedPrefix('line(?:[_-]?bot)?[_-]?channel', 'secret')}(?<secret>[0-9a-f]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://developers.line.biz/en/docs/messaging-api/getting-started/',
    samples: {
      positive: (gen) =>
        `line:\n  channel_id: ${gen.int(1, 9)}${gen.digits(9)}\nLINE_CHANNEL_SECRET: "${gen.hex(32)}"`,
      negative: (gen) => `LINE_CHANNEL_SECRET: "${gen.hex(24)}"`,
    },
  },
];
