import { EMPTY_HINT, fail, kindHint, type ParseResult, scaleDecimal } from './parse-result.ts';

const EXPECTED = 'a size in bytes such as 512, 64KiB, 8MB or 1.5GiB';
const UNITS_HINT = 'units are B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB (powers of 1024)';
const NEGATIVE_HINT = 'a size cannot be negative';
const NOT_WHOLE_HINT = 'the size is not a whole number of bytes';
const TOO_LARGE_HINT =
  'the size is too large to hold exactly (the limit is 2^53 − 1 bytes, just under 8192 TiB)';
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Bytes per unit, keyed in lower case: units are case-insensitive, so "kb" and "KB" both mean 1000. */
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['', 1n],
  ['b', 1n],
  ['kb', 1000n],
  ['mb', 1000n ** 2n],
  ['gb', 1000n ** 3n],
  ['tb', 1000n ** 4n],
  ['kib', 1024n],
  ['mib', 1024n ** 2n],
  ['gib', 1024n ** 3n],
  ['tib', 1024n ** 4n],
]);

/** Units from other tools that would be a guess here: Kubernetes' binary "Mi" and a bare "K" or "M". */
const NEAR_MISSES: ReadonlyMap<string, string> = new Map([
  ['ki', 'write KiB for 1024 bytes'],
  ['mi', 'write MiB for 1024² bytes'],
  ['gi', 'write GiB for 1024³ bytes'],
  ['ti', 'write TiB for 1024⁴ bytes'],
  ['k', 'write KB (1000 bytes) or KiB (1024 bytes)'],
  ['m', 'write MB (1000² bytes) or MiB (1024² bytes)'],
  ['g', 'write GB (1000³ bytes) or GiB (1024³ bytes)'],
  ['t', 'write TB (1000⁴ bytes) or TiB (1024⁴ bytes)'],
]);

// Digits, an optional fraction, optional spaces, then letters: each piece starts where the last cannot
// continue, so the match is linear.
const SIZE = /^([0-9]*)(?:\.([0-9]+))?[ \t]*([a-zA-Z]*)$/;

/**
 * A size in bytes: a number with an optional unit, trimmed, with an optional space between them: "512",
 * "8KB" (8000), "8KiB" (8192), "8 MB", "1.5GiB". Units are case-insensitive; KB, MB, GB and TB are powers
 * of 1000 (SI) and KiB, MiB, GiB and TiB powers of 1024 (IEC), so "kb" is 1000 bytes too. A YAML number is
 * a count of bytes. The result must be a whole number of bytes ("1.5" and "0.3KiB" are refused, never
 * rounded) and a safe integer. Negative sizes and unknown units are refused with a hint.
 * @example parseByteSize('64KiB') // { ok: true, value: 65536 }
 */
export function parseByteSize(raw: unknown): ParseResult<number> {
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    if (raw < 0) return fail(EXPECTED, NEGATIVE_HINT);
    if (typeof raw === 'number' && !Number.isInteger(raw)) {
      return fail(EXPECTED, Number.isFinite(raw) ? NOT_WHOLE_HINT : TOO_LARGE_HINT);
    }
    const value = Number(raw);
    return Number.isSafeInteger(value) ? { ok: true, value: value + 0 } : fail(EXPECTED, TOO_LARGE_HINT);
  }
  if (typeof raw !== 'string') return fail(EXPECTED, kindHint(raw));
  const text = raw.trim();
  if (text === '') return fail(EXPECTED, EMPTY_HINT);
  if (text.startsWith('-')) return fail(EXPECTED, NEGATIVE_HINT);
  const match = SIZE.exec(text);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2];
  if (match === null || (whole === '' && fraction === undefined)) {
    if (text.includes('_') || text.includes(','))
      return fail(EXPECTED, 'remove the digit separators (_ or ,)');
    return fail(EXPECTED);
  }
  const unit = (match[3] ?? '').toLowerCase();
  const size = UNITS.get(unit);
  if (size === undefined) return fail(EXPECTED, NEAR_MISSES.get(unit) ?? UNITS_HINT);
  const bytes = scaleDecimal(whole, fraction ?? '', size);
  if (bytes === undefined) return fail(EXPECTED, NOT_WHOLE_HINT);
  return bytes > MAX ? fail(EXPECTED, TOO_LARGE_HINT) : { ok: true, value: Number(bytes) };
}
