/**
 * Private keys, found as blocks and then parsed: every block is its own finding (two keys in a file are two
 * findings), and a block whose body does not parse as the key its label names (a truncated paste, a made-up
 * body) is not reported. Public keys and certificates have other labels and are never looked at.
 */
import { isPemPrivateKey } from './_key-parse.ts';
import { isPgpPrivateKey } from './_key-parse-pgp.ts';
import { isOpensshPrivateKey, isPuttyPrivateKey, readPutty } from './_key-parse-ssh.ts';
import {
  certificatePem,
  dsaPem,
  ecKey,
  ed25519Key,
  layOut,
  opensshPem,
  pemOf,
  pgpPem,
  publicPemOf,
  puttyKey,
  randomBody,
  rsaKey,
  tamperedRsaPem,
  truncateBlock,
} from './_key-samples.ts';
import type { Gen } from './gen.ts';
import type { RawMatch, RuleSpec } from './types.ts';

const RFC_7468 = 'https://www.rfc-editor.org/rfc/rfc7468';

/**
 * Each `-----BEGIN label-----` paired with the first `-----END label-----` after it, unless another BEGIN
 * comes first (then that block is broken, and the next one is tried). The span is the block as written,
 * `\n` escapes and all. One forward pass: each marker is looked up once.
 */
export function findArmoredBlocks(text: string, label: string): RawMatch[] {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const blocks: RawMatch[] = [];
  let close = -1;
  for (let at = text.indexOf(begin); at !== -1; ) {
    const bodyStart = at + begin.length;
    if (close < bodyStart) close = text.indexOf(end, bodyStart);
    if (close === -1) break;
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (nextBegin !== -1 && nextBegin < close) {
      at = text.indexOf(begin, nextBegin);
      continue;
    }
    const stop = close + end.length;
    blocks.push({ start: at, end: stop, secret: text.slice(at, stop), secretStart: at });
    at = text.indexOf(begin, stop);
  }
  return blocks;
}

function findPuttyKeys(text: string): RawMatch[] {
  const blocks: RawMatch[] = [];
  for (let at = text.indexOf('PuTTY-User-Key-File-'); at !== -1; ) {
    const file = readPutty(text, at);
    const stop = file?.end ?? at + 1;
    if (file) blocks.push({ start: at, end: stop, secret: text.slice(at, stop), secretStart: at });
    at = text.indexOf('PuTTY-User-Key-File-', stop);
  }
  return blocks;
}

type Samples = RuleSpec['samples'];

/** A PEM key type: found by its label, reported only when `isPemPrivateKey` parses its body. */
function pemRule(id: string, label: string, description: string, docs: string, samples: Samples): RuleSpec {
  return {
    id,
    description,
    category: 'private-key',
    keywords: [`begin ${label.toLowerCase()}-----`],
    detect: (text) => findArmoredBlocks(text, label),
    // The parser vouches for the block, so the placeholder filter (meant for short values) is skipped.
    validate: isPemPrivateKey,
    docs,
    samples,
  };
}

/** Near misses every PEM rule must ignore: a cut-off body, a random one, a public key, a certificate. */
function pemNegative(gen: Gen, label: string, block: () => string): string {
  switch (gen.pick(['truncated', 'random', 'public', 'certificate'])) {
    case 'truncated':
      return layOut(gen, truncateBlock(block()));
    case 'random':
      return layOut(gen, randomBody(gen, label, gen.int(120, 1200)));
    case 'public':
      return layOut(gen, publicPemOf(rsaKey()));
    default:
      return layOut(gen, certificatePem(gen));
  }
}

export const privateKeysRules: RuleSpec[] = [
  pemRule('rsa-private-key', 'RSA PRIVATE KEY', 'RSA private key (PKCS#1 PEM)', RFC_7468, {
    // Unencrypted or with OpenSSL's legacy `Proc-Type`/`DEK-Info` encryption: a key in a repository either way.
    positive: (gen) => layOut(gen, pemOf(rsaKey(), 'pkcs1', gen.next() < 0.3 ? gen.alnum(12) : undefined)),
    negative: (gen) =>
      gen.next() < 0.2
        ? tamperedRsaPem()
        : pemNegative(gen, 'RSA PRIVATE KEY', () => pemOf(rsaKey(), 'pkcs1')),
  }),
  pemRule(
    'ec-private-key',
    'EC PRIVATE KEY',
    'Elliptic-curve private key (SEC 1 PEM)',
    'https://www.rfc-editor.org/rfc/rfc5915',
    {
      positive: (gen) => layOut(gen, pemOf(ecKey(), 'sec1')),
      negative: (gen) => pemNegative(gen, 'EC PRIVATE KEY', () => pemOf(ecKey(), 'sec1')),
    },
  ),
  pemRule('dsa-private-key', 'DSA PRIVATE KEY', 'DSA private key (OpenSSL PEM)', RFC_7468, {
    positive: (gen) => layOut(gen, dsaPem(gen)),
    negative: (gen) => pemNegative(gen, 'DSA PRIVATE KEY', () => dsaPem(gen)),
  }),
  pemRule('pkcs8-private-key', 'PRIVATE KEY', 'Private key (PKCS#8 PEM)', RFC_7468, {
    positive: (gen) => {
      const key = gen.pick([rsaKey, ecKey, () => ed25519Key().key])();
      return layOut(gen, pemOf(key, 'pkcs8'));
    },
    negative: (gen) => pemNegative(gen, 'PRIVATE KEY', () => pemOf(rsaKey(), 'pkcs8')),
  }),
  pemRule(
    'pkcs8-encrypted-private-key',
    'ENCRYPTED PRIVATE KEY',
    'Encrypted private key (PKCS#8 PEM): still a key in the repository, protected only by its passphrase',
    'https://www.rfc-editor.org/rfc/rfc5958#section-3',
    {
      positive: (gen) => layOut(gen, pemOf(gen.pick([rsaKey, ecKey])(), 'pkcs8', gen.alnum(12))),
      negative: (gen) =>
        pemNegative(gen, 'ENCRYPTED PRIVATE KEY', () => pemOf(ecKey(), 'pkcs8', gen.alnum(12))),
    },
  ),
  {
    id: 'openssh-private-key',
    description: 'OpenSSH private key',
    category: 'private-key',
    keywords: ['begin openssh private key-----'],
    detect: (text) => findArmoredBlocks(text, 'OPENSSH PRIVATE KEY'),
    validate: isOpensshPrivateKey,
    docs: 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key',
    samples: {
      positive: (gen) => layOut(gen, opensshPem(gen, { encrypted: gen.next() < 0.3 })),
      negative: (gen) => {
        const kind = gen.pick(['truncated', 'random', 'check', 'public']);
        if (kind === 'truncated') return layOut(gen, truncateBlock(opensshPem(gen)));
        if (kind === 'random') return layOut(gen, randomBody(gen, 'OPENSSH PRIVATE KEY', gen.int(200, 400)));
        if (kind === 'check') return layOut(gen, opensshPem(gen, { badCheck: true }));
        const { publicKey } = ed25519Key();
        const blob = Buffer.concat([
          Buffer.from('0000000b7373682d65643235353139', 'hex'),
          Buffer.from([0, 0, 0, 32]),
          publicKey,
        ]);
        return `ssh-ed25519 ${blob.toString('base64')} ${gen.lower(6)}@${gen.lower(6)}\n`;
      },
    },
  },
  {
    id: 'pgp-private-key',
    description: 'OpenPGP private key block',
    category: 'private-key',
    keywords: ['begin pgp private key block-----'],
    detect: (text) => findArmoredBlocks(text, 'PGP PRIVATE KEY BLOCK'),
    validate: isPgpPrivateKey,
    docs: 'https://www.rfc-editor.org/rfc/rfc4880#section-6',
    samples: {
      positive: (gen) => layOut(gen, pgpPem(gen), gen.pick(['file', 'json', 'crlf'])),
      negative: (gen) => {
        switch (gen.pick(['crc', 'checksum', 'public-packet', 'public-block', 'truncated'])) {
          case 'crc':
            return pgpPem(gen, { badCrc: true });
          case 'checksum':
            return pgpPem(gen, { badChecksum: true });
          case 'public-packet':
            return pgpPem(gen, { tag: 6 });
          case 'public-block':
            return pgpPem(gen, { tag: 6, label: 'PGP PUBLIC KEY BLOCK' });
          default:
            return truncateBlock(pgpPem(gen));
        }
      },
    },
  },
  {
    id: 'putty-private-key',
    description: 'PuTTY private key (PPK)',
    category: 'private-key',
    keywords: ['putty-user-key-file-'],
    detect: findPuttyKeys,
    validate: isPuttyPrivateKey,
    docs: 'https://the.earth.li/~sgtatham/putty/0.82/htmldoc/AppendixC.html',
    samples: {
      positive: (gen) =>
        `${puttyKey(gen, { version: gen.pick([2, 3] as const), encrypted: gen.next() < 0.3 })}\n`,
      negative: (gen) => {
        const version = gen.pick([2, 3] as const);
        // A MAC that does not match the file, or a file cut off before its last private line.
        if (gen.next() < 0.5) return puttyKey(gen, { version, badMac: true });
        return puttyKey(gen, { version }).replace(/\n[^\n]*\nPrivate-MAC: [^\n]*$/, '\nPrivate-MAC: ');
      },
    },
  },
];
