/**
 * Email delivery: SendGrid, Mailgun, Mailchimp and Mandrill, Postmark, SparkPost, Brevo, Resend, MailerSend.
 * Amazon SES SMTP credentials are AWS access keys and belong to the cloud rules.
 */
import { keyedPrefix } from './_patterns.ts';
import { ALPHABETS } from './gen.ts';
import type { RuleSpec } from './types.ts';

const MAILGUN_AUTH = 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication';

export const emailRules: RuleSpec[] = [
  {
    id: 'sendgrid-api-key',
    description: 'Twilio SendGrid API key',
    category: 'email',
    keywords: ['sg.'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])/,
    minEntropy: 4,
    docs: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys',
    samples: {
      positive: (gen) => `SENDGRID_API_KEY=SG.${gen.base64url(22)}.${gen.base64url(43)}`,
      negative: (gen) => `SENDGRID_API_KEY=SG.${gen.base64url(22)}`,
    },
  },
  {
    id: 'mailgun-legacy-api-key',
    description: 'Mailgun API key (key- format)',
    category: 'email',
    keywords: ['key-'],
    // Keys are base-36 or hex. A hex body could as well be an MD5 digest after `key-` (a cache key), so it
    // counts only with Mailgun named shortly before it; a body with a letter past `f` stands alone.
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>key-(?:(?=[0-9a-z]{0,31}[g-z])|(?<=(?:mailgun|Mailgun|MAILGUN)[\s\S]{0,80}key-))[0-9a-z]{32})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    // The key in Mailgun's long-standing quick-start samples, against the samples.mailgun.org domain.
    documentedExamples: ['key-3ax6xnjp29jd6fds4gc373sgvjxteol0'],
    docs: MAILGUN_AUTH,
    samples: {
      positive: (gen) =>
        gen.pick([
          `curl -s --user 'api:key-${gen.chars(ALPHABETS.lowerDigits, 31)}z' https://api.example.com/v3/messages`,
          `- name: MAILGUN_KEY\n  value: key-${gen.hex(32)}`,
        ]),
      // The public validation key, and a cache key holding an MD5 digest.
      negative: (gen) =>
        gen.pick([`MAILGUN_PUBLIC_KEY=pubkey-${gen.hex(32)}`, `redis.get("key-${gen.hex(32)}")`]),
    },
  },
  {
    id: 'mailgun-api-key',
    description: 'Mailgun private API key or webhook signing key',
    category: 'email',
    keywords: ['mailgun'],
    // Mailgun authenticates with HTTP Basic as user `api`, so `api:<key>` near Mailgun's name is a key too.
    pattern: new RegExp(
      `(?:${keyedPrefix('mailgun', '')}|(?<![A-Za-z0-9_])api:)(?<secret>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: MAILGUN_AUTH,
    samples: {
      positive: (gen) =>
        gen.pick([
          `MAILGUN_API_KEY=${gen.hex(32)}-${gen.hex(8)}-${gen.hex(8)}`,
          `curl --user 'api:${gen.hex(32)}-${gen.hex(8)}-${gen.hex(8)}' https://api.mailgun.net/v3/domains`,
        ]),
      negative: (gen) => `MAILGUN_DOMAIN=mg.example.com\nMAILGUN_API_KEY=${gen.hex(32)}`,
    },
  },
  {
    id: 'mailchimp-api-key',
    description: 'Mailchimp Marketing API key',
    category: 'email',
    // The data-center suffix (`-us6`, `-us21`) ends every key.
    keywords: ['-us1', '-us2', '-us3', '-us4', '-us5', '-us6', '-us7', '-us8', '-us9'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>[0-9a-f]{32}-us[0-9]{1,2})(?![A-Za-z0-9_])/,
    minEntropy: 3,
    docs: 'https://mailchimp.com/developer/marketing/guides/quick-start/',
    samples: {
      positive: (gen) => `MAILCHIMP_API_KEY=${gen.hex(32)}-us${gen.int(1, 21)}`,
      // The server prefix alone, as it goes in the API host name.
      negative: (gen) => `MAILCHIMP_SERVER_PREFIX=us${gen.int(1, 21)}\nMAILCHIMP_LIST_ID=${gen.hex(10)}`,
    },
  },
  {
    id: 'mandrill-api-key',
    description: 'Mailchimp Transactional (Mandrill) API key',
    category: 'email',
    keywords: ['md-', 'mandrill'],
    // `md-` keys stand alone; older unprefixed keys count only when assigned to a Mandrill variable.
    pattern: new RegExp(
      `(?:${keyedPrefix('mandrill', 'key')}|(?<![A-Za-z0-9_-])(?=md-))(?<secret>(?:md-)?[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://mailchimp.com/developer/transactional/guides/quick-start/',
    samples: {
      positive: (gen) =>
        gen.pick([`mailchimp_tx.setConfig('md-${gen.base64url(22)}')`, `MANDRILL_API_KEY=${gen.alnum(22)}`]),
      negative: (gen) => `<div class="col-md-${gen.int(1, 12)} md-${gen.lower(6)}">`,
    },
  },
  {
    id: 'postmark-server-token',
    description: 'Postmark server or account API token',
    category: 'email',
    keywords: ['postmark'],
    pattern: new RegExp(
      `${keyedPrefix('postmark', '(?:token|key|secret)')}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://postmarkapp.com/developer/api/overview#authentication',
    samples: {
      positive: (gen) =>
        gen.pick([
          `POSTMARK_SERVER_TOKEN=${gen.uuid()}`,
          `curl https://api.postmarkapp.com/email -H "X-Postmark-Server-Token: ${gen.uuid()}"`,
        ]),
      // Postmark's documented test token, and a message stream's id.
      negative: (gen) =>
        gen.pick(['X-Postmark-Server-Token: POSTMARK_API_TEST', `POSTMARK_MESSAGE_STREAM=${gen.uuid()}`]),
    },
  },
  {
    id: 'sparkpost-api-key',
    description: 'SparkPost API key',
    category: 'email',
    keywords: ['sparkpost'],
    pattern: new RegExp(
      `${keyedPrefix('sparkpost', '(?:key|token|secret)')}(?<secret>[0-9a-f]{40})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://developers.sparkpost.com/api/#header-authentication',
    samples: {
      positive: (gen) => `SPARKPOST_API_KEY="${gen.hex(40)}"`,
      negative: (gen) => `SPARKPOST_API_KEY="${gen.hex(32)}"`,
    },
  },
  {
    id: 'brevo-api-key',
    description: 'Brevo (Sendinblue) API key or SMTP key',
    category: 'email',
    keywords: ['xkeysib-', 'xsmtpsib-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>x(?:keysib|smtpsib)-[0-9a-f]{64}-[A-Za-z0-9]{16})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://developers.brevo.com/docs/getting-started',
    samples: {
      positive: (gen) => `BREVO_API_KEY=${gen.pick(['xkeysib', 'xsmtpsib'])}-${gen.hex(64)}-${gen.alnum(16)}`,
      negative: (gen) => `BREVO_API_KEY=xkeysib-${gen.hex(64)}`,
    },
  },
  {
    id: 'resend-api-key',
    description: 'Resend API key',
    category: 'email',
    keywords: ['re_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    docs: 'https://resend.com/docs/dashboard/api-keys/introduction',
    samples: {
      positive: (gen) => `const resend = new Resend('re_${gen.alnum(8)}_${gen.alnum(24)}');`,
      // The shape in Resend's own snippets, and an identifier that happens to start with `re_`.
      negative: (gen) =>
        gen.pick([
          `const resend = new Resend('re_${gen.digits(9)}');`,
          `re_${gen.lower(8)}_${gen.lower(10)}()`,
        ]),
    },
  },
  {
    id: 'mailersend-api-token',
    description: 'MailerSend API token',
    category: 'email',
    keywords: ['mlsn.'],
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>mlsn\.[A-Za-z0-9]{40,100})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://developers.mailersend.com/general.html#authentication',
    samples: {
      positive: (gen) => `MAILERSEND_API_KEY=mlsn.${gen.hex(64)}`,
      negative: (gen) => `MAILERSEND_API_KEY=mlsn.${gen.hex(16)}`,
    },
  },
];
