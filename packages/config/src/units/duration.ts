import { EMPTY_HINT, fail, kindHint, type ParseResult, scaleDecimal } from './parse-result.ts';

const EXPECTED = 'a duration such as 90s, 5m, 1h30m or PT1H30M';
const UNITS_HINT = 'units are ms, s, m, h, d (24h) and w (7d)';
const BARE_NUMBER_HINT = 'add a unit, such as 30s or 30000ms: a bare number is ambiguous';
const NEGATIVE_HINT = 'a duration cannot be negative';
const ORDER_HINT = 'write each unit once, from largest to smallest, as in 1h30m';
const NOT_WHOLE_HINT = 'durations are whole milliseconds';
const TOO_LONG_HINT = 'the duration is too long to hold exactly in milliseconds';

const SECOND = 1000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Milliseconds per unit, largest first: the order a duration must list them in. */
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['w', WEEK],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1n],
]);
const UNIT_ORDER: readonly string[] = [...UNITS.keys()];

// Sticky (y) patterns scan one part at a time from lastIndex. Each piece uses characters the next cannot,
// so a match never backtracks more than one step.
const SIMPLE_PART = /([0-9]*)(?:\.([0-9]+))?[ \t]*([a-zA-Z\u00b5]*)[ \t]*/y;
const ISO_PART = /([0-9]+)(?:[.,]([0-9]+))?([A-Z])/y;
const BARE_NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

/**
 * A duration in milliseconds, from one of:
 * - parts of a number and a unit, largest unit first, each unit once, spaces allowed: "90s", "250ms",
 *   "1h30m", "1h 30m", "1.5h", "2d", "1w". Units are lower-case ms, s, m, h, d (24 hours) and w (7 days);
 *   "5M" is refused rather than guessed (minutes or months?).
 * - ISO 8601 with weeks, days, hours, minutes and seconds: "PT90S", "PT1H30M", "P1DT2H", "P2W", "PT0.5S".
 *   Years and months are refused because their length varies; only the last part may have a fraction.
 * A bare number ("30", YAML 30) is refused as ambiguous, except 0. Negative durations are refused, and so
 * is a result that is not a whole number of milliseconds or not a safe integer.
 * @example parseDuration('1h30m') // { ok: true, value: 5400000 }
 */
export function parseDuration(raw: unknown): ParseResult<number> {
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    if (Number(raw) === 0) return { ok: true, value: 0 };
    return fail(EXPECTED, raw < 0 ? NEGATIVE_HINT : BARE_NUMBER_HINT);
  }
  if (typeof raw !== 'string') return fail(EXPECTED, kindHint(raw));
  const text = raw.trim();
  if (text === '') return fail(EXPECTED, EMPTY_HINT);
  if (text.startsWith('-')) return fail(EXPECTED, NEGATIVE_HINT);
  if (BARE_NUMBER.test(text)) {
    return Number(text) === 0 ? { ok: true, value: 0 } : fail(EXPECTED, BARE_NUMBER_HINT);
  }
  const first = text[0];
  return first === 'P' || first === 'p' ? parseIso(text.toUpperCase()) : parseParts(text);
}

function total(ms: bigint): ParseResult<number> {
  return ms > MAX ? fail(EXPECTED, TOO_LONG_HINT) : { ok: true, value: Number(ms) };
}

function parseParts(text: string): ParseResult<number> {
  let ms = 0n;
  let previous = -1;
  let position = 0;
  while (position < text.length) {
    SIMPLE_PART.lastIndex = position;
    const match = SIMPLE_PART.exec(text);
    const whole = match?.[1] ?? '';
    const fraction = match?.[2];
    const unit = match?.[3] ?? '';
    if (match === null || (whole === '' && fraction === undefined)) return fail(EXPECTED);
    position = SIMPLE_PART.lastIndex;
    if (unit === '') return fail(EXPECTED, 'every number needs a unit, as in 1h30m');
    const size = UNITS.get(unit);
    if (size === undefined) {
      const lower = unit.toLowerCase();
      if (UNITS.has(lower)) return fail(EXPECTED, `write units in lower case: ${UNITS_HINT}`);
      return fail(EXPECTED, UNITS_HINT);
    }
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= previous) return fail(EXPECTED, ORDER_HINT);
    previous = rank;
    const part = scaleDecimal(whole, fraction ?? '', size);
    if (part === undefined) return fail(EXPECTED, NOT_WHOLE_HINT);
    ms += part;
  }
  return total(ms);
}

/** ISO 8601 designators in the order they must appear; `M` means months before `T` and minutes after. */
const ISO_DATE = 'YMWD';
const ISO_TIME = 'HMS';
const ISO_DATE_MS: readonly (bigint | undefined)[] = [undefined, undefined, WEEK, DAY];
const ISO_TIME_MS: readonly bigint[] = [HOUR, MINUTE, SECOND];

function parseIso(text: string): ParseResult<number> {
  let ms = 0n;
  let inTime = false;
  let previous = -1;
  let parts = 0;
  let fractional = false;
  let position = 1;
  while (position < text.length) {
    if (text[position] === 'T') {
      if (inTime) return fail(EXPECTED);
      inTime = true;
      previous = -1;
      position += 1;
      if (position === text.length) return fail(EXPECTED, 'write at least one part after T, as in PT30S');
      continue;
    }
    ISO_PART.lastIndex = position;
    const match = ISO_PART.exec(text);
    if (match === null) return fail(EXPECTED);
    position = ISO_PART.lastIndex;
    if (fractional) return fail(EXPECTED, 'only the last part of an ISO 8601 duration may have a fraction');
    const [, whole = '', fraction, designator = ''] = match;
    fractional = fraction !== undefined;
    const rank = (inTime ? ISO_TIME : ISO_DATE).indexOf(designator);
    if (rank === -1) {
      const hint = inTime
        ? 'after T, use H, M and S'
        : 'before T, use W and D; hours, minutes and seconds go after T';
      return fail(EXPECTED, hint);
    }
    if (rank <= previous)
      return fail(EXPECTED, 'write the parts of an ISO 8601 duration from largest to smallest');
    previous = rank;
    const size = inTime ? ISO_TIME_MS[rank] : ISO_DATE_MS[rank];
    if (size === undefined) {
      return fail(EXPECTED, 'years and months vary in length; write days or weeks instead, as in P30D');
    }
    const part = scaleDecimal(whole, fraction ?? '', size);
    if (part === undefined) return fail(EXPECTED, NOT_WHOLE_HINT);
    ms += part;
    parts += 1;
  }
  if (parts === 0) return fail(EXPECTED, 'an ISO 8601 duration needs at least one part, as in PT30S');
  return total(ms);
}
