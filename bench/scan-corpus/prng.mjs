/**
 * A seeded random source for the corpus: mulberry32 (a 32-bit state, full period, good enough for test
 * data and fast), with the helpers the generators share. Same seed, same sequence of calls → same corpus.
 */

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const HEX = '0123456789abcdef';
export const ALNUM = DIGITS + UPPER + LOWER;
export const BASE64 = UPPER + LOWER + DIGITS + '+/';
export const BASE64URL = UPPER + LOWER + DIGITS + '-_';

/** mulberry32 by Tommy Ettinger: https://gist.github.com/tommyettinger/46a874533244883189143505d203312c */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random helpers every generator takes as `rng`. */
export function createRng(seed) {
  const next = mulberry32(seed);
  const rng = {
    next,
    /** Integer in [0, n). */
    int: (n) => Math.floor(next() * n),
    /** Integer in [min, max]. */
    range: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    chars: (alphabet, length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    hex: (length) => rng.chars(HEX, length),
    alnum: (length) => rng.chars(ALNUM, length),
    digits: (length) => rng.chars(DIGITS, 1).replace('0', '1') + rng.chars(DIGITS, length - 1),
    bytes: (length) => {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    uuid: () => {
      const h = rng.hex(32).split('');
      h[12] = '4';
      h[16] = '89ab'[Math.floor(next() * 4)];
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    /** A child generator, so one part of the corpus can change without shifting every other part. */
    fork: (label) => {
      let h = Math.floor(next() * 4294967296);
      for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0;
      return createRng(h);
    },
  };
  return rng;
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

/** CRC-32 (IEEE 802.3), as used by the GitHub and npm token checksums. */
export function crc32(text) {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 (0-9A-Za-z) of an unsigned 32-bit number, left-padded with '0' to `width`. */
export function base62(n, width) {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = ALNUM[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}
