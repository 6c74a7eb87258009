/**
 * Private keys for rule samples and tests, made when needed: node:crypto generates the key material (so it
 * is not reproducible from the seed; a failing sample is printed whole instead), and the file formats
 * node cannot write (DSA's traditional PEM, OpenSSH, OpenPGP, PuTTY) are assembled here byte by byte.
 */
import { createHash, createHmac, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { modPow, readChildren, readSequence, readUnsigned } from './_key-parse.ts';
import { crc24 } from './_key-parse-pgp.ts';
import { sshString } from './_key-parse-ssh.ts';
import type { Gen } from './gen.ts';

// ------------------------------------------------------------------------------------------ encoding

/** `-----BEGIN label-----`, optional headers and a blank line, base64 lines, `-----END label-----`. */
export function armor(label: string, body: Uint8Array, headers: readonly string[] = [], width = 64): string {
  const base64 = Buffer.from(body).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += width) lines.push(base64.slice(i, i + width));
  const head = headers.length > 0 ? [...headers, ''] : [];
  return [`-----BEGIN ${label}-----`, ...head, ...lines, `-----END ${label}-----`].join('\n');
}

/** A DER element: tag, definite length, content. */
export function der(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return der(0x02, Buffer.from(hex, 'hex'));
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** Removes the last third of a block's body lines, keeping its END line: what a bad copy-paste leaves. */
export function truncateBlock(block: string): string {
  const lines = block.split('\n');
  const body = lines.slice(1, -1);
  const keep = Math.max(1, Math.floor((body.length * 2) / 3));
  return [lines[0], ...body.slice(0, keep), lines[lines.length - 1]].join('\n');
}

/** The same frame around a random body of the same size: a made-up key. */
export function randomBody(gen: Gen, label: string, size: number): string {
  return armor(label, gen.bytes(size));
}

// ------------------------------------------------------------------------------------------ layouts

/** Where keys turn up: a key file, GCP service-account JSON, a .env value, YAML, a CRLF file. */
export function layOut(
  gen: Gen,
  block: string,
  layout: string = gen.pick(['file', 'json', 'env', 'yaml', 'crlf']),
): string {
  switch (layout) {
    case 'json':
      return [
        '{',
        '  "type": "service_account",',
        `  "project_id": "${gen.lower(8)}-${gen.digits(6)}",`,
        `  "private_key_id": "${gen.hex(40)}",`,
        `  "private_key": "${block.replaceAll('\n', '\\n')}\\n",`,
        `  "client_email": "${gen.lower(8)}@${gen.lower(8)}.iam.gserviceaccount.com"`,
        '}',
      ].join('\n');
    case 'env':
      return `APP_NAME=${gen.lower(6)}\nSIGNING_KEY="${block.replaceAll('\n', '\\n')}"\n`;
    case 'yaml':
      return `tls:\n  key: |\n${block.replace(/^/gm, '    ')}\n`;
    case 'crlf':
      return `${block.replaceAll('\n', '\r\n')}\r\n`;
    default:
      return `${block}\n`;
  }
}

// ----------------------------------------------------------------------------------------- PEM keys

export function rsaKey(bits = 1024): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

export function ecKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

export function ed25519Key(): { seed: Buffer; publicKey: Buffer; key: KeyObject } {
  const key = generateKeyPairSync('ed25519').privateKey;
  const jwk = key.export({ format: 'jwk' });
  return {
    seed: Buffer.from(jwk.d as string, 'base64url'),
    publicKey: Buffer.from(jwk.x as string, 'base64url'),
    key,
  };
}

export function pemOf(key: KeyObject, type: 'pkcs1' | 'sec1' | 'pkcs8', passphrase?: string): string {
  const cipher =
    passphrase === undefined ? {} : { cipher: type === 'pkcs8' ? 'aes-256-cbc' : 'aes-128-cbc', passphrase };
  return (key.export({ type, format: 'pem', ...cipher }) as string).trim();
}

export function publicPemOf(key: KeyObject): string {
  return (createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string).trim();
}

let dsaDomain: { p: bigint; q: bigint; g: bigint } | undefined;

/**
 * OpenSSL's traditional `DSA PRIVATE KEY`, which node does not write. Domain parameters are slow to make, so
 * one set from node:crypto serves the process; each key is then a fresh x from `gen` and y = g^x mod p.
 */
export function dsaPem(gen: Gen): string {
  if (!dsaDomain) {
    const pkcs8 = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    const [, algorithm] = readSequence(pkcs8) ?? [];
    const [, params] = algorithm ? (readChildren(pkcs8, algorithm) ?? []) : [];
    const [p, q, g] = (params ? (readChildren(pkcs8, params) ?? []) : []).map((field) =>
      readUnsigned(pkcs8, field),
    );
    if (!p || !q || !g) throw new Error('unexpected DSA key encoding from node:crypto');
    dsaDomain = { p, q, g };
  }
  const { p, q, g } = dsaDomain;
  const x = (BigInt(`0x${Buffer.from(gen.bytes(24)).toString('hex')}`) % (q - 1n)) + 1n;
  return armor('DSA PRIVATE KEY', der(0x30, ...[0n, p, q, g, modPow(g, x, p), x].map(derInteger)));
}

/** An RSA key whose modulus no longer matches its primes: valid DER, not a key. */
export function tamperedRsaPem(): string {
  const jwk = rsaKey().export({ format: 'jwk' });
  const int = (field: string | undefined): bigint =>
    BigInt(`0x${Buffer.from(field as string, 'base64url').toString('hex')}`);
  const values = [
    0n,
    int(jwk.n) + 2n,
    int(jwk.e),
    int(jwk.d),
    int(jwk.p),
    int(jwk.q),
    int(jwk.dp),
    int(jwk.dq),
    int(jwk.qi),
  ];
  return armor('RSA PRIVATE KEY', der(0x30, ...values.map(derInteger)));
}

/** A self-made `CERTIFICATE` around a real public key: a block that must never be reported. */
export function certificatePem(gen: Gen): string {
  const spki = createPublicKey(rsaKey()).export({ type: 'spki', format: 'der' });
  const sha256WithRsa = der(0x30, der(0x06, Buffer.from('2a864886f70d01010b', 'hex')), der(0x05));
  const name = der(
    0x30,
    der(0x31, der(0x30, der(0x06, Buffer.from('550403', 'hex')), der(0x0c, Buffer.from(gen.lower(10))))),
  );
  const validity = der(
    0x30,
    der(0x17, Buffer.from('250101000000Z')),
    der(0x17, Buffer.from('350101000000Z')),
  );
  const tbs = der(
    0x30,
    der(0xa0, derInteger(2n)),
    derInteger(BigInt(`0x${gen.hex(16)}`)),
    sha256WithRsa,
    name,
    validity,
    name,
    spki,
  );
  return armor('CERTIFICATE', der(0x30, tbs, sha256WithRsa, der(0x03, Buffer.from([0]), gen.bytes(128))));
}

// ------------------------------------------------------------------------------------------ OpenSSH

/** An openssh-key-v1 file (PROTOCOL.key) for a fresh Ed25519 key, optionally "encrypted" (random ciphertext). */
export function opensshPem(gen: Gen, options: { encrypted?: boolean; badCheck?: boolean } = {}): string {
  const { seed, publicKey } = ed25519Key();
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const check = gen.int(0, 0xffffffff);
  let privateList: Buffer;
  if (options.encrypted) {
    privateList = Buffer.from(gen.bytes(16 * gen.int(9, 12)));
  } else {
    const fields = [
      uint32(check),
      uint32(options.badCheck ? check ^ 1 : check),
      sshString('ssh-ed25519'),
      sshString(publicKey),
      sshString(Buffer.concat([seed, publicKey])),
      sshString(`${gen.lower(6)}@${gen.lower(8)}`),
    ];
    const unpadded = Buffer.concat(fields);
    const padding = Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1);
    privateList = Buffer.concat([unpadded, Buffer.from(padding)]);
  }
  const kdf = options.encrypted
    ? [
        sshString('aes256-ctr'),
        sshString('bcrypt'),
        sshString(Buffer.concat([sshString(gen.bytes(16)), uint32(16)])),
      ]
    : [sshString('none'), sshString('none'), sshString('')];
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    ...kdf,
    uint32(1),
    sshString(publicBlob),
    sshString(privateList),
  ]);
  return armor('OPENSSH PRIVATE KEY', body, [], 70);
}

// ------------------------------------------------------------------------------------------ OpenPGP

function mpi(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = Buffer.from(bytes.subarray(start));
  const bits = (value.length - 1) * 8 + (value[0] as number).toString(2).length;
  return Buffer.concat([Buffer.from([bits >> 8, bits & 0xff]), value]);
}

/**
 * An armored v4 secret key (RFC 4880 §5.5.3) for a fresh Ed25519 key (legacy EdDSA, RFC 9580 §5.5.5.5), with
 * a User ID packet, in the old or the new packet format, with or without the armor CRC24.
 */
export function pgpPem(
  gen: Gen,
  options: { tag?: number; label?: string; badCrc?: boolean; badChecksum?: boolean } = {},
): string {
  const { seed, publicKey } = ed25519Key();
  const ed25519Oid = Buffer.from('092b06010401da470f01', 'hex');
  const secret = mpi(seed);
  let sum = 0;
  for (const byte of secret) sum = (sum + byte) & 0xffff;
  if (options.badChecksum) sum ^= 0x0100;
  const tag = options.tag ?? 5;
  const publicPart = [
    Buffer.from([4]),
    uint32(1_600_000_000 + gen.int(0, 1e8)),
    Buffer.from([22]),
    ed25519Oid,
    mpi(Buffer.concat([Buffer.from([0x40]), publicKey])),
  ];
  const secretPart = tag === 6 ? [] : [Buffer.from([0]), secret, Buffer.from([sum >> 8, sum & 0xff])];
  const body = Buffer.concat([...publicPart, ...secretPart]);
  const header =
    gen.next() < 0.5
      ? Buffer.from([0xc0 | tag, body.length])
      : Buffer.from([0x81 | (tag << 2), body.length >> 8, body.length & 0xff]);
  const userId = Buffer.from(`${gen.lower(6)} <${gen.lower(6)}@${gen.lower(6)}.test>`);
  const data = Buffer.concat([header, body, Buffer.from([0xcd, userId.length]), userId]);
  const crc = crc24(data) ^ (options.badCrc ? 1 : 0);
  const crcLine =
    options.badCrc || gen.next() < 0.7
      ? [`=${Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64')}`]
      : [];
  const label = options.label ?? 'PGP PRIVATE KEY BLOCK';
  const [begin, ...rest] = armor(label, data).split('\n');
  const comment = gen.next() < 0.5 ? [`Comment: ${gen.lower(8)}`] : [];
  return [begin, ...comment, '', ...rest.slice(0, -1), ...crcLine, rest[rest.length - 1]].join('\n');
}

// -------------------------------------------------------------------------------------------- PuTTY

/** A PPK file (PuTTY manual appendix C) for a fresh Ed25519 key; unencrypted ones carry their real MAC. */
export function puttyKey(
  gen: Gen,
  options: { version?: 2 | 3; encrypted?: boolean; badMac?: boolean } = {},
): string {
  const { seed, publicKey } = ed25519Key();
  const version = options.version ?? 3;
  const encryption = options.encrypted ? 'aes256-cbc' : 'none';
  const comment = `eddsa-key-${gen.digits(8)}`;
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const privateBlob = options.encrypted ? Buffer.from(gen.bytes(48)) : sshString(seed);
  const macData = Buffer.concat([
    sshString('ssh-ed25519'),
    sshString(encryption),
    sshString(comment),
    sshString(publicBlob),
    sshString(options.badMac ? gen.bytes(36) : privateBlob),
  ]);
  const mac = options.encrypted
    ? gen.hex(version === 2 ? 40 : 64)
    : version === 2
      ? createHmac('sha1', createHash('sha1').update('putty-private-key-file-mac-key').digest())
          .update(macData)
          .digest('hex')
      : createHmac('sha256', Buffer.alloc(0)).update(macData).digest('hex');
  const lines = (bytes: Buffer): string[] => armor('X', bytes).split('\n').slice(1, -1);
  const publicLines = lines(publicBlob);
  const privateLines = lines(privateBlob);
  const kdf =
    options.encrypted && version === 3
      ? [
          'Key-Derivation: Argon2id',
          'Argon2-Memory: 8192',
          'Argon2-Passes: 21',
          'Argon2-Parallelism: 1',
          `Argon2-Salt: ${gen.hex(32)}`,
        ]
      : [];
  return [
    `PuTTY-User-Key-File-${version}: ssh-ed25519`,
    `Encryption: ${encryption}`,
    `Comment: ${comment}`,
    `Public-Lines: ${publicLines.length}`,
    ...publicLines,
    ...kdf,
    `Private-Lines: ${privateLines.length}`,
    ...privateLines,
    `Private-MAC: ${mac}`,
  ].join('\n');
}
