/**
 * Parsers for private key files, so a block is reported only when its body really is a key: base64 that
 * decodes, DER that walks, SSH and OpenPGP structures whose lengths and checksums add up. A made-up or
 * truncated body fails here. Shared readers first, then the PEM (RFC 7468) key types.
 */
import { createECDH } from 'node:crypto';

// ---------------------------------------------------------------------------------------------- text

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (padded, no stray characters): Buffer.from alone would silently skip garbage. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/**
 * A block as written inside a JSON or .env string has `\n` escapes (GCP service-account files, `\\n` when
 * JSON is nested in JSON) and may escape `/` as `\/` (PHP's json_encode): undo both.
 */
export function unescapeBlock(text: string): string {
  return text.replace(/\\+r\\+n|\\+n|\\+r/g, '\n').replace(/\\+\//g, '/');
}

export interface Armor {
  label: string;
  /** `Name: value` lines before the body (RFC 1421 `Proc-Type`, `DEK-Info`; OpenPGP `Comment`). */
  headers: Map<string, string>;
  /** The base64 lines, joined. */
  body: string;
  /** OpenPGP's `=XXXX` CRC24 line, without the `=`. */
  checksum: string | undefined;
}

const MAX_BLOCK = 1 << 20;
const BEGIN_LINE = /^-----BEGIN ([A-Z0-9]+(?: [A-Z0-9]+){0,5})-----/;

/** Splits `-----BEGIN X-----`…`-----END X-----` into headers and base64 body (RFC 7468 §2, RFC 4880 §6.2). */
export function readArmor(block: string): Armor | undefined {
  if (block.length > MAX_BLOCK) return undefined;
  const label = BEGIN_LINE.exec(block)?.[1];
  if (label === undefined) return undefined;
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  if (!block.endsWith(end)) return undefined;
  const lines = unescapeBlock(block.slice(begin.length, block.length - end.length)).split('\n');
  const headers = new Map<string, string>();
  const body: string[] = [];
  let checksum: string | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (checksum !== undefined) return undefined;
    const header = body.length === 0 ? /^([A-Za-z][A-Za-z0-9-]{0,63}):\s?(.{0,512})$/.exec(line) : null;
    if (header) headers.set((header[1] as string).toLowerCase(), header[2] as string);
    else if (line.startsWith('=') && line.length === 5 && body.length > 0) checksum = line.slice(1);
    else body.push(line);
  }
  return { label, headers, body: body.join(''), checksum };
}

// ----------------------------------------------------------------------------------------------- DER

/** One DER element: its tag and where its content lies in the buffer. */
export interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** Reads the element at `offset`, which must end by `limit`. Long lengths up to 4 bytes; no indefinite form. */
export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset] as number;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = der[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] as number);
    start += count;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : undefined;
}

/** The elements inside a constructed one, which must fill it exactly. */
export function readChildren(der: Uint8Array, parent: Tlv, max = 16): Tlv[] | undefined {
  const children: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at, parent.end);
    if (!child || children.length === max) return undefined;
    children.push(child);
    at = child.end;
  }
  return children;
}

/** A whole buffer that is one SEQUENCE, and its elements. */
export function readSequence(der: Uint8Array, tlv?: Tlv): Tlv[] | undefined {
  const outer = tlv ?? readTlv(der, 0);
  if (outer?.tag !== 0x30 || (!tlv && outer.end !== der.length)) return undefined;
  return readChildren(der, outer);
}

/** A non-negative INTEGER's value; undefined for anything else. */
export function readUnsigned(der: Uint8Array, tlv: Tlv | undefined): bigint | undefined {
  if (tlv?.tag !== 0x02 || tlv.end === tlv.start || (der[tlv.start] as number) & 0x80) return undefined;
  return BigInt(`0x${Buffer.from(der.subarray(tlv.start, tlv.end)).toString('hex')}`);
}

/** An OBJECT IDENTIFIER in dotted form (X.690 §8.19). */
export function readOid(der: Uint8Array, tlv: Tlv | undefined): string | undefined {
  if (tlv?.tag !== 0x06 || tlv.end === tlv.start || tlv.end - tlv.start > 64) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    const byte = der[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0)
      arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return (der[tlv.end - 1] as number) & 0x80 ? undefined : arcs.join('.');
}

// ------------------------------------------------------------------------------------------ SSH wire

/** RFC 4251 §5 `uint32` and `string` fields, as OpenSSH and PuTTY key files use them. */
export class SshReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const b = this.bytes;
    const at = this.offset;
    this.offset += 4;
    return (
      (((b[at] as number) << 24) |
        ((b[at + 1] as number) << 16) |
        ((b[at + 2] as number) << 8) |
        (b[at + 3] as number)) >>>
      0
    );
  }

  string(): Uint8Array | undefined {
    const length = this.uint32();
    if (length === undefined || length > this.remaining) return undefined;
    this.offset += length;
    return this.bytes.subarray(this.offset - length, this.offset);
  }

  /** A string holding a printable name (`ssh-ed25519`, `aes256-ctr`): a binary blob there means garbage. */
  name(max = 64): string | undefined {
    const bytes = this.string();
    if (!bytes || bytes.length > max) return undefined;
    const text = Buffer.from(bytes).toString('latin1');
    return /^[\x21-\x7e]*$/.test(text) ? text : undefined;
  }
}

// ------------------------------------------------------------------------------------ PEM key types

const OID = {
  rsa: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ec: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  pbes2: '1.2.840.113549.1.5.13',
} as const;

/** RFC 8410 keys: the private key is an OCTET STRING of a fixed size. */
const CURVE_KEY_SIZES: Record<string, number> = {
  '1.3.101.110': 32,
  '1.3.101.111': 56,
  '1.3.101.112': 32,
  '1.3.101.113': 57,
};

const EC_CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
};

/** Password-based encryption schemes of PKCS#5 (RFC 8018 appendix A) and PKCS#12 (RFC 7292 appendix C). */
const PBE_SCHEMES = /^1\.2\.840\.113549\.1\.(?:5\.(?:1|3|4|6|10|11|13)|12\.1\.[1-6])$/;

/** CBC ciphers a PBES2 key may name, by block size (RFC 8018 appendix B.2). */
const CBC_BLOCK: Record<string, number> = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 16,
  '2.16.840.1.101.3.4.1.42': 16,
  '1.2.840.113549.3.7': 8,
  '1.3.14.3.2.7': 8,
  '1.2.840.113549.3.2': 8,
};

/** RSAPrivateKey (RFC 8017 appendix A.1.2): the factors must multiply out, so random integers fail. */
export function isRsaPrivateKey(der: Uint8Array, tlv?: Tlv): boolean {
  const fields = readSequence(der, tlv);
  if (!fields || fields.length < 9) return false;
  const [version, n, e, d, p, q, dp, dq, qinv] = fields.slice(0, 9).map((field) => readUnsigned(der, field));
  if (version === undefined || !n || !e || !d || !p || !q || dp === undefined || dq === undefined || !qinv) {
    return false;
  }
  // Version 1 keys carry more primes (otherPrimeInfos) and n is their product: check the structure only.
  if (version === 1n) return fields.length === 10 && fields[9]?.tag === 0x30;
  if (version !== 0n || fields.length !== 9 || p < 3n || q < 3n) return false;
  return n === p * q && d % (p - 1n) === dp && d % (q - 1n) === dq && (qinv * q) % p === 1n;
}

/** ECPrivateKey (RFC 5915 §3); the public key, when present and the curve known, must match the scalar. */
export function isEcPrivateKey(der: Uint8Array, tlv?: Tlv, curveOid?: string): boolean {
  const fields = readSequence(der, tlv);
  const [version, secret, ...optional] = fields ?? [];
  if (readUnsigned(der, version) !== 1n || secret?.tag !== 0x04) return false;
  if (secret.end - secret.start < 16 || secret.end - secret.start > 72 || optional.length > 2) return false;
  let curve = curveOid;
  let publicKey: Uint8Array | undefined;
  for (const field of optional) {
    const inner = readTlv(der, field.start, field.end);
    if (!inner || inner.end !== field.end) return false;
    if (field.tag === 0xa0) curve = inner.tag === 0x06 ? readOid(der, inner) : curve;
    else if (field.tag === 0xa1 && inner.tag === 0x03 && der[inner.start] === 0) {
      publicKey = der.subarray(inner.start + 1, inner.end);
    } else return false;
  }
  const name = curve === undefined ? undefined : EC_CURVES[curve];
  if (!name || !publicKey) return true;
  try {
    const ecdh = createECDH(name);
    ecdh.setPrivateKey(der.subarray(secret.start, secret.end));
    const format = publicKey[0] === 0x04 ? 'uncompressed' : 'compressed';
    return Buffer.from(publicKey).equals(ecdh.getPublicKey(null, format));
  } catch {
    return false;
  }
}

/** OpenSSL's DSAPrivateKey: version 0, p, q, g, y, x with y = g^x mod p. */
export function isDsaPrivateKey(der: Uint8Array): boolean {
  const fields = readSequence(der);
  if (fields?.length !== 6) return false;
  const [version, p, q, g, y, x] = fields.map((field) => readUnsigned(der, field));
  if (version !== 0n || !p || !q || !g || !y || !x || x >= q || p < 1n << 255n) return false;
  return modPow(g, x, p) === y;
}

/** PrivateKeyInfo / OneAsymmetricKey (RFC 5208 §5, RFC 5958 §2), checked by its algorithm. */
export function isPkcs8PrivateKey(der: Uint8Array): boolean {
  const fields = readSequence(der);
  const [version, algorithm, key, ...optional] = fields ?? [];
  const v = readUnsigned(der, version);
  if ((v !== 0n && v !== 1n) || algorithm?.tag !== 0x30 || key?.tag !== 0x04 || optional.length > 2)
    return false;
  if (optional.some((field) => field.tag !== 0xa0 && field.tag !== 0x81 && field.tag !== 0xa1)) return false;
  const [oidTlv, params] = readChildren(der, algorithm) ?? [];
  const oid = readOid(der, oidTlv);
  if (!oid) return false;
  const inner = readTlv(der, key.start, key.end);
  if (oid === OID.rsa || oid === OID.rsaPss) return inner?.end === key.end && isRsaPrivateKey(der, inner);
  if (oid === OID.ec) return inner?.end === key.end && isEcPrivateKey(der, inner, readOid(der, params));
  if (oid === OID.dsa) {
    const domain = params && params.tag === 0x30 ? readChildren(der, params) : undefined;
    const q = readUnsigned(der, domain?.[1]);
    const x = inner?.end === key.end ? readUnsigned(der, inner) : undefined;
    return q !== undefined && x !== undefined && x > 0n && x < q;
  }
  const size = CURVE_KEY_SIZES[oid];
  if (size !== undefined)
    return inner?.tag === 0x04 && inner.end === key.end && inner.end - inner.start === size;
  // An algorithm this parser does not know: the envelope walked, so trust a key of plausible size.
  return key.end - key.start >= 16;
}

/** EncryptedPrivateKeyInfo (RFC 5208 §6): a known PBE scheme and a ciphertext its cipher could produce. */
export function isEncryptedPkcs8(der: Uint8Array): boolean {
  const fields = readSequence(der);
  const [algorithm, data] = fields ?? [];
  if (fields?.length !== 2 || algorithm?.tag !== 0x30 || data?.tag !== 0x04) return false;
  const [oidTlv, params, extra] = readChildren(der, algorithm) ?? [];
  const oid = readOid(der, oidTlv);
  const length = data.end - data.start;
  if (!oid || !PBE_SCHEMES.test(oid) || params?.tag !== 0x30 || extra || length < 16) return false;
  if (oid !== OID.pbes2) return length % 8 === 0;
  const [kdf, scheme, more] = readChildren(der, params) ?? [];
  if (kdf?.tag !== 0x30 || scheme?.tag !== 0x30 || more) return false;
  const [kdfOid] = readChildren(der, kdf) ?? [];
  const [cipherTlv, iv] = readChildren(der, scheme) ?? [];
  const kdfName = readOid(der, kdfOid);
  const cipher = readOid(der, cipherTlv);
  // PBKDF2 (RFC 8018 §A.2) or scrypt (RFC 7914 §7).
  if ((kdfName !== '1.2.840.113549.1.5.12' && kdfName !== '1.3.6.1.4.1.11591.4.11') || !cipher) return false;
  const block = CBC_BLOCK[cipher];
  if (block === undefined) return true;
  return iv?.tag === 0x04 && iv.end - iv.start === block && length % block === 0;
}

/**
 * A legacy OpenSSL-encrypted key (`Proc-Type: 4,ENCRYPTED`, RFC 1421 §4.6): the body is ciphertext, so the
 * check is the `DEK-Info` cipher and IV and a body length that cipher can produce.
 */
export function isLegacyEncrypted(armor: Armor): boolean {
  const info = /^([A-Z0-9-]{3,32}),([0-9A-Fa-f]{16}|[0-9A-Fa-f]{32})$/.exec(
    armor.headers.get('dek-info') ?? '',
  );
  const body = decodeBase64(armor.body);
  if (!info || !body) return false;
  const block = (info[2] as string).length / 2;
  return body.length >= 64 && body.length % block === 0;
}

/** Whether a PEM block (as written, escapes included) holds a real private key of the type its label names. */
export function isPemPrivateKey(block: string): boolean {
  const armor = readArmor(block);
  if (!armor || armor.checksum !== undefined) return false;
  if (/^4,\s*ENCRYPTED$/.test(armor.headers.get('proc-type') ?? '')) {
    return (
      armor.label !== 'PRIVATE KEY' && armor.label !== 'ENCRYPTED PRIVATE KEY' && isLegacyEncrypted(armor)
    );
  }
  const der = decodeBase64(armor.body);
  if (!der) return false;
  switch (armor.label) {
    case 'RSA PRIVATE KEY':
      return isRsaPrivateKey(der);
    case 'EC PRIVATE KEY':
      return isEcPrivateKey(der);
    case 'DSA PRIVATE KEY':
      return isDsaPrivateKey(der);
    case 'PRIVATE KEY':
      return isPkcs8PrivateKey(der);
    case 'ENCRYPTED PRIVATE KEY':
      return isEncryptedPkcs8(der);
    default:
      return false;
  }
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
