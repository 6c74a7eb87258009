/**
 * Negatives that look like secrets: identifiers, digests, hashes, blobs, public keys and certificates,
 * values public by design, vendors' documented examples, near-miss tokens and fake private keys.
 *
 * Decided and documented here:
 * - Publishable-by-design values (Stripe pk_live_, Mapbox pk., Algolia search-only keys, AWS ARNs, a Twilio
 *   Account SID on its own) are negatives: their vendors document them as safe to ship to clients.
 * - Google API keys (AIza…) are in neither set: a browser-restricted Maps key is public by design, an
 *   unrestricted one is a credential, and a file does not say which.
 * - Vendors' documented example keys are negatives: they are published and grant nothing.
 * - A GitHub or npm token whose checksum does not match cannot have been issued: a near miss.
 */
import { createHash } from 'node:crypto';
import { blockItem, formItem } from './doc.mjs';
import { negative } from './negative-item.mjs';
import { ALNUM, BASE64URL, DIGITS, UPPER } from './prng.mjs';
import { checksummedToken } from './vendor-platforms.mjs';
import { SERVICES } from './vocab.mjs';

const PEM_SYNTAXES = ['pem', 'pem', 'yaml', 'py', 'js', 'go', 'hcl', 'md', 'json'];

/** The same token with its last checksum character changed: well-formed, but never issued. */
function breakChecksum(token) {
  return `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`;
}

/** A PNG data URI: the PNG signature and an IHDR chunk, then arbitrary bytes. */
function pngDataUri(rng) {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  return `data:image/png;base64,${Buffer.concat([head, rng.bytes(rng.range(120, 600))]).toString('base64')}`;
}

export const LOOKALIKE_KINDS = [
  {
    kind: 'uuid',
    count: 30,
    items: (rng) => [
      negative(
        'uuid',
        rng.pick([
          ['request', 'id'],
          ['tenant', 'id'],
          ['client', 'id'],
          ['trace', 'id'],
          ['installation', 'id'],
          ['project', 'id'],
          ['api', 'key', 'id'],
          ['subscription', 'id'],
          ['key', 'id'],
        ]),
        rng.uuid(),
      ),
    ],
  },
  {
    kind: 'git-sha',
    count: 25,
    items(rng) {
      const sha = rng.hex(40);
      if (rng.chance(0.3)) {
        const line = `      "resolved": "git+ssh://git@github.com/acme/${rng.pick(SERVICES)}-sdk.git#${sha}",`;
        return [formItem({ kind: 'git-sha', secret: false, value: sha, forms: { lockfile: () => [line] } })];
      }
      return [
        negative(
          'git-sha',
          rng.pick([
            ['commit', 'sha'],
            ['git', 'revision'],
            ['build', 'ref'],
            ['source', 'version'],
            ['git', 'sha'],
          ]),
          sha,
        ),
      ];
    },
  },
  {
    kind: 'sha256-digest',
    count: 25,
    items(rng) {
      const digest = createHash('sha256').update(rng.bytes(16)).digest('hex');
      if (rng.chance(0.35)) {
        const image = `${rng.pick(['node:20-slim', 'python:3.12-slim', 'nginx:1.27'])}@sha256:${digest}`;
        const forms = {
          dockerfile: () => [`FROM ${image} AS build`],
          yaml: (ctx) => [`${ctx.indent}image: ${image}`],
        };
        return [formItem({ kind: 'sha256-digest', secret: false, value: digest, forms })];
      }
      const words = rng.pick([
        ['checksum'],
        ['sha256'],
        ['content', 'hash'],
        ['artifact', 'digest'],
        ['image', 'digest'],
      ]);
      return [negative('sha256-digest', words, rng.chance(0.5) ? `sha256:${digest}` : digest)];
    },
  },
  {
    // https://www.w3.org/TR/SRI/ (integrity metadata), as npm lockfiles record it.
    kind: 'sri-integrity',
    count: 25,
    items(rng) {
      const sri = `sha512-${createHash('sha512').update(rng.bytes(16)).digest('base64')}`;
      return [
        formItem({
          kind: 'sri-integrity',
          secret: false,
          value: sri,
          forms: { lockfile: () => [`      "integrity": "${sri}",`] },
        }),
      ];
    },
  },
  {
    kind: 'vendor-example-key',
    count: 20,
    items(rng) {
      const [words, value] = rng.pick([
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
        [['aws', 'access', 'key', 'id'], 'AKIAIOSFODNN7EXAMPLE'],
        [['aws', 'secret', 'access', 'key'], 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
        // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
        [['aws', 'access', 'key', 'id'], 'AKIAI44QH8DHBEXAMPLE'],
        [['aws', 'secret', 'access', 'key'], 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'],
        // https://docs.stripe.com/api/authentication (the documentation's sample test-mode key)
        [['stripe', 'secret', 'key'], 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
        // https://jwt.io/introduction (the debugger's sample token)
        [
          ['access', 'token'],
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
        ],
        // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps (sample response)
        [['github', 'token'], 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
        // https://docs.sentry.io/platforms/javascript/ (sample DSN)
        [['sentry', 'dsn'], 'https://examplePublicKey@o0.ingest.sentry.io/0'],
      ]);
      return [negative('vendor-example-key', words, value)];
    },
  },
  {
    kind: 'base64-blob',
    count: 25,
    items(rng) {
      if (rng.chance(0.6))
        return [
          negative(
            'base64-blob',
            rng.pick([['logo'], ['placeholder', 'image'], ['favicon'], ['avatar', 'fallback']]),
            pngDataUri(rng),
          ),
        ];
      return [
        negative(
          'base64-blob',
          rng.pick([
            ['fixture', 'pdf'],
            ['font', 'woff2'],
            ['sample', 'payload'],
          ]),
          rng.bytes(rng.range(150, 500)).toString('base64'),
        ),
      ];
    },
  },
  {
    kind: 'public-key-pem',
    count: 15,
    items: (rng, keys) => [
      blockItem({
        kind: 'public-key-pem',
        secret: false,
        words: rng.pick([
          ['public', 'key'],
          ['jwt', 'public', 'key'],
          ['verification', 'key'],
        ]),
        lines: keys.publicPem(rng),
        syntaxes: PEM_SYNTAXES,
      }),
    ],
  },
  {
    kind: 'certificate',
    count: 15,
    items: (rng, keys) =>
      keys.certificate
        ? [
            blockItem({
              kind: 'certificate',
              secret: false,
              words: rng.pick([['ca', 'cert'], ['tls', 'cert'], ['certificate']]),
              lines: keys.certificate(rng),
              syntaxes: PEM_SYNTAXES,
            }),
          ]
        : [],
  },
  {
    kind: 'ssh-public-key',
    count: 15,
    items: (rng, keys) => [
      negative(
        'ssh-public-key',
        rng.pick([
          ['ssh', 'public', 'key'],
          ['authorized', 'key'],
          ['deploy', 'key', 'pub'],
        ]),
        keys.sshPublic(rng),
      ),
    ],
  },
  {
    kind: 'public-by-design',
    count: 25,
    items(rng) {
      const [words, value] = rng.pick([
        // https://docs.stripe.com/keys#obtain-api-keys (publishable keys identify the account in client code)
        () => [
          ['stripe', 'publishable', 'key'],
          `pk_live_${rng.chance(0.3) ? rng.alnum(24) : `51${rng.alnum(97)}`}`,
        ],
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
        () => [['role', 'arn'], `arn:aws:iam::${rng.digits(12)}:role/${rng.pick(SERVICES)}-deploy`],
        // https://www.twilio.com/docs/glossary/what-is-a-sid (an identifier, not a credential)
        () => [['twilio', 'account', 'sid'], `AC${rng.hex(32)}`],
        // https://www.algolia.com/doc/guides/security/api-keys/#search-only-api-key
        () => [['algolia', 'search', 'key'], rng.hex(32)],
        // https://docs.mapbox.com/help/glossary/access-token/ (public tokens, pk., are meant for clients)
        () => {
          const body = Buffer.from(
            JSON.stringify({ u: rng.pick(SERVICES), a: rng.chars(BASE64URL, 25) }),
          ).toString('base64url');
          return [['mapbox', 'access', 'token'], `pk.${body}.${rng.chars(BASE64URL, 22)}`];
        },
      ])();
      return [negative('public-by-design', words, value)];
    },
  },
  {
    kind: 'near-miss-token',
    count: 30,
    items(rng) {
      const [words, value] = rng.pick([
        () => [['github', 'token'], breakChecksum(checksummedToken(rng, 'ghp_'))],
        () => [['github', 'token'], `ghp_${rng.alnum(35)}`],
        () => [['npm', 'token'], breakChecksum(checksummedToken(rng, 'npm_'))],
        () => [['aws', 'access', 'key', 'id'], `AKIA${rng.chars(UPPER + DIGITS, 15)}`],
        () => [['slack', 'token'], `xoxb-${rng.digits(11)}-`],
        () => [['stripe', 'secret', 'key'], `sk_live_${rng.alnum(10)}`],
        () => [['gitlab', 'token'], `glpat-${rng.alnum(12)}`],
        () => [['sendgrid', 'api', 'key'], `SG.${rng.chars(ALNUM, 22)}`],
        () => [['docker', 'hub', 'token'], `dckr_pat_${rng.alnum(10)}`],
      ])();
      return [negative('near-miss-token', words, value)];
    },
  },
  {
    kind: 'fake-private-key',
    count: 20,
    items(rng) {
      const label = rng.pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
      if (rng.chance(0.35)) {
        const header = `-----BEGIN ${label}-----`;
        const forms = {
          py: () => [`PEM_HEADER = "${header}"`],
          js: () => [`const isKey = (text) => text.trimStart().startsWith('${header}');`],
          ts: () => [`const KEY_HEADER = '${header}' as const;`],
          go: () => [`const pemHeader = "${header}"`],
        };
        return [formItem({ kind: 'fake-private-key', secret: false, value: header, forms })];
      }
      const body = rng.pick([
        () => ['...'],
        () => ['<redacted>'],
        () => ['REPLACE_WITH_YOUR_KEY'],
        () => [`${rng.pick(['MIIEowIBAAKCAQEA', 'MIIEvQIBADANBgkq', 'MHcCAQEEI'])}...truncated...`],
        () => ['x'.repeat(64), 'x'.repeat(64), 'x'.repeat(20)],
        () => ['your key goes here'],
      ])();
      const lines = [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`];
      return [
        blockItem({
          kind: 'fake-private-key',
          secret: false,
          words: rng.pick([
            ['private', 'key'],
            ['tls', 'key'],
            ['example', 'key'],
          ]),
          lines,
          syntaxes: PEM_SYNTAXES,
        }),
      ];
    },
  },
];
