/**
 * OpenPGP secret keys (RFC 4880, RFC 9580): ASCII armor with its optional CRC24, then a first packet that
 * must be a secret key or secret subkey whose public fields parse and, when unencrypted, whose secret
 * fields match their 16-bit checksum.
 */
import { decodeBase64, readArmor } from './_key-parse.ts';

/** CRC-24 of the armor checksum line (RFC 4880 §6.1). */
export function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

interface Packet {
  tag: number;
  start: number;
  end: number;
}

/** A packet header in either the old or the new format (RFC 4880 §4.2); partial lengths are refused. */
function readPacket(data: Uint8Array, offset: number): Packet | undefined {
  const first = data[offset] ?? 0;
  if (!(first & 0x80) || data.length < offset + 2) return undefined;
  let tag: number;
  let length: number;
  let start: number;
  const byte = (i: number): number => data[offset + i] ?? 0;
  const uint32 = (i: number): number =>
    ((byte(i) << 24) | (byte(i + 1) << 16) | (byte(i + 2) << 8) | byte(i + 3)) >>> 0;
  if (first & 0x40) {
    tag = first & 0x3f;
    const l = byte(1);
    if (l < 192) [length, start] = [l, 2];
    else if (l < 224) [length, start] = [((l - 192) << 8) + byte(2) + 192, 3];
    else if (l === 255) [length, start] = [uint32(2), 6];
    else return undefined;
  } else {
    tag = (first >> 2) & 0x0f;
    const type = first & 0x03;
    if (type === 0) [length, start] = [byte(1), 2];
    else if (type === 1) [length, start] = [(byte(1) << 8) | byte(2), 3];
    else if (type === 2) [length, start] = [uint32(1), 5];
    else return undefined;
  }
  start += offset;
  return start + length <= data.length ? { tag, start, end: start + length } : undefined;
}

/** Reads fields of a packet body, failing (undefined) as soon as one runs past the end. */
class FieldReader {
  constructor(
    readonly data: Uint8Array,
    public offset: number,
    readonly end: number,
  ) {}

  bytes(count: number): Uint8Array | undefined {
    if (count < 0 || this.offset + count > this.end) return undefined;
    this.offset += count;
    return this.data.subarray(this.offset - count, this.offset);
  }

  byte(): number | undefined {
    return this.bytes(1)?.[0];
  }

  /** A multiprecision integer (RFC 4880 §3.2): bit count, then exactly that many bits, no leading zeros. */
  mpi(): bigint | undefined {
    const header = this.bytes(2);
    if (!header) return undefined;
    const bits = ((header[0] as number) << 8) | (header[1] as number);
    const value = bits === 0 || bits > 16384 ? undefined : this.bytes(Math.ceil(bits / 8));
    if (!value || (value[0] as number).toString(2).length !== bits - 8 * (value.length - 1)) return undefined;
    return BigInt(`0x${Buffer.from(value).toString('hex')}`);
  }

  /** A curve OID prefixed by its one-byte length (RFC 6637 §9). */
  oid(): Uint8Array | undefined {
    const length = this.byte();
    return length === undefined || length === 0 || length === 0xff ? undefined : this.bytes(length);
  }
}

/** Algorithms whose key material is fixed-size octets (RFC 9580 §5.5.5): public size, secret size. */
const OCTET_KEYS: Record<number, [number, number]> = {
  25: [32, 32],
  26: [56, 56],
  27: [32, 32],
  28: [57, 57],
};

/** Public key fields by algorithm (RFC 4880 §5.5.2, RFC 6637 §9); returns the secret MPI count. */
function readPublicFields(
  reader: FieldReader,
  algorithm: number,
): { secretMpis: number; n?: bigint } | undefined {
  switch (algorithm) {
    case 1:
    case 2:
    case 3: {
      const n = reader.mpi();
      return n && reader.mpi() ? { secretMpis: 4, n } : undefined;
    }
    case 16:
    case 20:
      return reader.mpi() && reader.mpi() && reader.mpi() ? { secretMpis: 1 } : undefined;
    case 17:
      return reader.mpi() && reader.mpi() && reader.mpi() && reader.mpi() ? { secretMpis: 1 } : undefined;
    case 18: {
      if (!reader.oid() || !reader.mpi()) return undefined;
      const kdf = reader.byte();
      return kdf === 3 && reader.bytes(3)?.[0] === 1 ? { secretMpis: 1 } : undefined;
    }
    case 19:
    case 22:
      return reader.oid() && reader.mpi() ? { secretMpis: 1 } : undefined;
    default: {
      const sizes = OCTET_KEYS[algorithm];
      return sizes && reader.bytes(sizes[0]) ? { secretMpis: 0 } : undefined;
    }
  }
}

/** Whether a secret key packet holds secret material, or is a GnuPG stub whose secret lives elsewhere. */
type SecretKind = 'secret' | 'stub' | undefined;

/** A v3/v4 secret key packet body (RFC 4880 §5.5.3); v5 and v6 bodies are checked up to their lengths. */
function readSecretKey(data: Uint8Array, packet: Packet): SecretKind {
  const reader = new FieldReader(data, packet.start, packet.end);
  const version = reader.byte();
  if (version === undefined || version < 3 || version > 6 || !reader.bytes(4)) return undefined;
  if (version === 3 && !reader.bytes(2)) return undefined;
  const algorithm = reader.byte() ?? 0;
  if (version >= 5) {
    // RFC 9580 §5.5.2: a four-octet length of the public key material, then the S2K usage and the rest.
    const length = reader.bytes(4);
    const size = length ? Buffer.from(length).readUInt32BE() : -1;
    return algorithm > 0 && reader.bytes(size) !== undefined && reader.end - reader.offset >= 3
      ? 'secret'
      : undefined;
  }
  if (version === 3 && (algorithm < 1 || algorithm > 3)) return undefined;
  const publicFields = readPublicFields(reader, algorithm);
  const usage = publicFields ? reader.byte() : undefined;
  if (!publicFields || usage === undefined) return undefined;
  if (usage !== 0) return readProtection(reader, usage);
  const secretStart = reader.offset;
  const values: bigint[] = [];
  for (let i = 0; i < publicFields.secretMpis; i++) {
    const value = reader.mpi();
    if (value === undefined) return undefined;
    values.push(value);
  }
  const octets = OCTET_KEYS[algorithm]?.[1];
  if (octets !== undefined && !reader.bytes(octets)) return undefined;
  let sum = 0;
  for (let i = secretStart; i < reader.offset; i++) sum = (sum + (data[i] as number)) & 0xffff;
  const checksum = reader.bytes(2);
  if (
    !checksum ||
    reader.offset !== reader.end ||
    (((checksum[0] as number) << 8) | (checksum[1] as number)) !== sum
  ) {
    return undefined;
  }
  // RSA: the secret primes must multiply to the public modulus.
  const [, p, q] = values;
  const consistent =
    publicFields.n === undefined || (p !== undefined && q !== undefined && p * q === publicFields.n);
  return consistent ? 'secret' : undefined;
}

/**
 * An encrypted secret (S2K usage 254 or 255, RFC 4880 §3.7 and §5.5.3) is ciphertext after its parameters;
 * GnuPG's S2K extension 101 marks a stub with no secret (`gnu-dummy`) or one kept on a smartcard.
 */
function readProtection(reader: FieldReader, usage: number): SecretKind {
  if (usage === 254 || usage === 255) {
    const algorithm = reader.byte();
    const type = reader.byte();
    if (algorithm === undefined || type === undefined) return undefined;
    if (type === 101) {
      const marker = reader.bytes(4);
      const mode = reader.byte();
      const gnu = marker !== undefined && Buffer.from(marker.subarray(1)).toString('latin1') === 'GNU';
      return gnu && (mode === 1 || mode === 2) ? 'stub' : undefined;
    }
  }
  return reader.end - reader.offset >= 8 ? 'secret' : undefined;
}

/** `-----BEGIN PGP PRIVATE KEY BLOCK-----` whose armor checksum (if any) and first packet hold up. */
export function isPgpPrivateKey(block: string): boolean {
  const armor = readArmor(block);
  if (armor?.label !== 'PGP PRIVATE KEY BLOCK') return false;
  const data = decodeBase64(armor.body);
  if (!data) return false;
  if (armor.checksum !== undefined) {
    const sum = decodeBase64(armor.checksum);
    if (sum?.length !== 3) return false;
    if (crc24(data) !== (((sum[0] as number) << 16) | ((sum[1] as number) << 8) | (sum[2] as number)))
      return false;
  }
  const packet = readPacket(data, 0);
  let kind = packet && (packet.tag === 5 || packet.tag === 7) ? readSecretKey(data, packet) : undefined;
  if (!packet || !kind) return false;
  // The packets after it (user IDs, signatures, subkeys) must fill the data exactly: a cut-off paste fails.
  // After a stub primary (`gpg --export-secret-subkeys`), the secret is in a subkey packet.
  for (let at = packet.end, count = 0; at < data.length; count++) {
    const next = readPacket(data, at);
    if (!next || count > 10_000) return false;
    if (kind === 'stub' && next.tag === 7) kind = readSecretKey(data, next) === 'secret' ? 'secret' : kind;
    at = next.end;
  }
  return kind === 'secret';
}
