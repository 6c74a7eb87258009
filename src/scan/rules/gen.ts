/**
 * Random secrets in vendors' published formats, for rule samples, tests and the benchmark corpus. Seeded, so
 * a failing case can be reproduced; nothing credential-shaped is ever committed, it is made when needed.
 */

export const ALPHABETS = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hex: '0123456789abcdef',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  upperDigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lowerDigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
  /** RFC 4648 base32, and its lowercase form. */
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  base32Lower: 'abcdefghijklmnopqrstuvwxyz234567',
} as const;

export class Gen {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  /** A float in [0, 1): mulberry32, small and good enough for test data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  alnum(length: number): string {
    return this.chars(ALPHABETS.alnum, length);
  }

  hex(length: number): string {
    return this.chars(ALPHABETS.hex, length);
  }

  upperHex(length: number): string {
    return this.hex(length).toUpperCase();
  }

  digits(length: number): string {
    return this.chars(ALPHABETS.digits, length);
  }

  lower(length: number): string {
    return this.chars(ALPHABETS.lower, length);
  }

  upper(length: number): string {
    return this.chars(ALPHABETS.upper, length);
  }

  base64(length: number): string {
    return this.chars(ALPHABETS.base64, length);
  }

  base64url(length: number): string {
    return this.chars(ALPHABETS.base64url, length);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${this.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token checksum (also used by npm's `npm_` tokens): the last 6 characters are the CRC32 of the
 * 30 random characters before them, in base62.
 * https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
 */
export function githubChecksum(random: string): string {
  return base62(crc32(random), 6);
}

export function hasGithubChecksum(body: string): boolean {
  if (body.length < 7) return false;
  return githubChecksum(body.slice(0, -6)) === body.slice(-6);
}

/** The near miss for a checksummed format: the same token with its last character changed. */
export function breakLastChar(token: string): string {
  return token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
}
