/**
 * What every value parser returns (config values, durations, byte sizes), and the helpers they share to
 * describe a bad value without showing it.
 */

/**
 * A parse result. `expected` describes the accepted form for people, e.g. "an integer such as 42"; it never
 * contains the input value (inputs may be secrets; the caller decides what to show). `hint` says what to do
 * when there is something specific to say.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; expected: string; hint?: string };

/** A failed result; `hint` is left out rather than set to `undefined`. */
export function fail(expected: string, hint?: string): ParseResult<never> {
  return hint === undefined ? { ok: false, expected } : { ok: false, expected, hint };
}

/** What kind of value a parser was given, for a hint that must not show the value itself. */
export function kindHint(raw: unknown): string {
  if (raw === null) return 'the value is null (YAML reads an empty value or ~ as null); write a value';
  if (raw === undefined) return 'no value was given';
  if (Array.isArray(raw)) return 'got a list; give a single value';
  if (typeof raw === 'object') return 'got a map; give a single value';
  if (typeof raw === 'boolean') return 'got a boolean';
  if (typeof raw === 'number' || typeof raw === 'bigint') return 'got a number';
  return `got a ${typeof raw}`;
}

export const EMPTY_HINT = 'the value is empty';

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const LEADING_ZEROS = /^0+/;
const TOO_LARGE = 2n ** 128n;

/**
 * `whole.fraction × unit` as an exact integer, or `undefined` when the product is not whole. BigInt keeps
 * "1.1s" at 1100 ms where floating point gives 1100.0000000000002. Internal to `config/`.
 */
export function scaleDecimal(whole: string, fraction: string, unit: bigint): bigint | undefined {
  // Past 30 digits the result is far beyond any safe integer; skip parsing a huge BigInt.
  if (whole.replace(LEADING_ZEROS, '').length > 30) return TOO_LARGE;
  // A loop, not /0+$/: that pattern retries from every zero and goes quadratic on "0.000…01".
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end -= 1;
  const digits = fraction.slice(0, end);
  // 2^-40 (the smallest step a TiB can take) has 40 decimals; a longer fraction can never come out whole.
  if (digits.length > 48) return undefined;
  const numerator = BigInt(`${whole}${digits}` || '0') * unit;
  const denominator = 10n ** BigInt(digits.length);
  return numerator % denominator === 0n ? numerator / denominator : undefined;
}
