/**
 * Value parsers: one raw config value in, a typed value or a description of what was expected out.
 *
 * A raw value comes from an environment variable (always a string) or a YAML file (string, number, boolean,
 * list, map or null). `null` and `undefined` are always errors: the caller decides what "missing" means
 * before it parses. No result ever contains the input, because the input may be a secret; the caller
 * decides what to show. Durations and byte sizes live in `duration.ts` and `byte-size.ts`, re-exported here
 * so callers import every parser from one place.
 */

export { parseByteSize } from '../units/byte-size.ts';
export { parseDuration } from '../units/duration.ts';

import { EMPTY_HINT, fail, kindHint, orList, type ParseResult } from '../units/parse-result.ts';

export type { ParseResult } from '../units/parse-result.ts';

/** Trims when the value is a string; `undefined` for anything else. */
function trimmedString(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw.trim() : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Strings

const STRING_EXPECTED = 'a string';

/**
 * A string, kept exactly as given (no trimming: passwords may start or end with a space). A YAML number or
 * boolean becomes its `String()` form, so `port: 80` reads as "80"; quote it in YAML to keep its exact text
 * (YAML reads `1.10` as the number 1.1).
 *
 * Rejected: null, lists, maps, and YAML integers too large to hold exactly (their digits are already lost).
 * @example parseString('eu-west-1') // { ok: true, value: 'eu-west-1' }
 */
export function parseString(raw: unknown): ParseResult<string> {
  if (typeof raw === 'string') return { ok: true, value: raw };
  if (typeof raw === 'boolean' || typeof raw === 'bigint') return { ok: true, value: String(raw) };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(STRING_EXPECTED, 'quote the value in YAML to read it as text');
    if (Number.isInteger(raw) && !Number.isSafeInteger(raw)) {
      return fail(STRING_EXPECTED, 'YAML read this as a number too large to keep exactly; quote it');
    }
    return { ok: true, value: String(raw) };
  }
  return fail(STRING_EXPECTED, kindHint(raw));
}

// ---------------------------------------------------------------------------------------------------------
// Numbers

/** Bounds for `parseInt` and `parseNumber`; both inclusive. */
export interface RangeOptions {
  /** Smallest accepted value, inclusive. Default: no lower bound. */
  min?: number;
  /** Largest accepted value, inclusive. Default: no upper bound. */
  max?: number;
}

const INTEGER = /^[+-]?[0-9]+$/;
// One way to match each input: the fraction group needs a dot, so the digit runs never compete.
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const NON_DECIMAL_PREFIX = /^[+-]?0[xXoObB]/;
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const EXPONENT = /[eE]/;

function describeRange(noun: string, example: string, options: RangeOptions): string {
  const { min, max } = options;
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return `${noun} such as ${example}`;
}

function checkRange(value: number, expected: string, options: RangeOptions): ParseResult<number> {
  if (options.min !== undefined && value < options.min) {
    return fail(expected, `the value is below the minimum, ${options.min}`);
  }
  if (options.max !== undefined && value > options.max) {
    return fail(expected, `the value is above the maximum, ${options.max}`);
  }
  // `+ 0` turns -0 into 0, so "-0" does not leak a negative zero into the app.
  return { ok: true, value: value + 0 };
}

/** The hint for a numeric-looking string that the strict grammar refused. */
function numberTextHint(text: string, integer: boolean): string | undefined {
  if (text === '') return EMPTY_HINT;
  if (text.includes('_') || text.includes(',')) return 'remove the digit separators (_ or ,)';
  if (NON_DECIMAL_PREFIX.test(text)) return 'write the number in decimal';
  if (NOT_FINITE.test(text)) return 'the number must be finite';
  if (integer && DECIMAL.test(text)) {
    return EXPONENT.test(text) ? 'write all the digits; exponents are not accepted' : 'write a whole number';
  }
  return undefined;
}

const SAFE_RANGE_HINT = 'integers must lie between -9007199254740991 and 9007199254740991';

/**
 * An integer: optional sign and decimal digits, trimmed ("42", " -7 ", "+7"). Refuses "4.0", "1e3",
 * "0x10" and "1_000", each with a hint. A YAML number must be a whole number; every integer must be safe
 * (|n| ≤ 2^53 − 1) so it is held exactly.
 * @example parseInt('42', { min: 1 }) // { ok: true, value: 42 }
 */
function parseInteger(raw: unknown, options: RangeOptions = {}): ParseResult<number> {
  const expected = describeRange('an integer', '42', options);
  let value: number;
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    value = Number(raw);
    if (typeof raw === 'number' && !Number.isFinite(raw)) return fail(expected, 'the number must be finite');
    if (!Number.isInteger(value)) return fail(expected, 'write a whole number');
  } else {
    const text = trimmedString(raw);
    if (text === undefined) return fail(expected, kindHint(raw));
    if (!INTEGER.test(text)) return fail(expected, numberTextHint(text, true));
    value = Number(text);
  }
  if (!Number.isSafeInteger(value)) return fail(expected, SAFE_RANGE_HINT);
  return checkRange(value, expected, options);
}

// Exported under an alias so the module never shadows the global parseInt it is named after.
export { parseInteger as parseInt };

/**
 * A finite decimal number: "3", "-2.5", ".5", "1e3", trimmed. Refuses "", "NaN", "Infinity" and "0x10".
 * @example parseNumber('0.25', { min: 0, max: 1 }) // { ok: true, value: 0.25 }
 */
export function parseNumber(raw: unknown, options: RangeOptions = {}): ParseResult<number> {
  const expected = describeRange('a number', '2.5', options);
  let value: number;
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    value = Number(raw);
  } else {
    const text = trimmedString(raw);
    if (text === undefined) return fail(expected, kindHint(raw));
    if (!DECIMAL.test(text)) return fail(expected, numberTextHint(text, false));
    value = Number(text);
  }
  if (!Number.isFinite(value)) return fail(expected, 'the number must be finite');
  return checkRange(value, expected, options);
}

// ---------------------------------------------------------------------------------------------------------
// Booleans

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['yes', true],
  ['on', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['off', false],
  ['0', false],
]);
const BOOL_EXPECTED = 'a boolean: true or false';
const BOOL_TABLE = 'accepted, in any case: true, yes, on, 1 and false, no, off, 0';

/**
 * A boolean from an explicit table, trimmed and case-insensitive: true/yes/on/1 and false/no/off/0, plus
 * YAML booleans and the YAML numbers 1 and 0. Anything else, "" included, is an error listing the table.
 * @example parseBool('Yes') // { ok: true, value: true }
 */
export function parseBool(raw: unknown): ParseResult<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (raw === 1 || raw === 0) return { ok: true, value: raw === 1 };
  const text = trimmedString(raw);
  if (text === undefined) return fail(BOOL_EXPECTED, `${kindHint(raw)}; ${BOOL_TABLE}`);
  const value = BOOLEANS.get(text.toLowerCase());
  if (value !== undefined) return { ok: true, value };
  return fail(BOOL_EXPECTED, text === '' ? `${EMPTY_HINT}; ${BOOL_TABLE}` : BOOL_TABLE);
}

// ---------------------------------------------------------------------------------------------------------
// Ports

const PORT_EXPECTED = 'a port number from 1 to 65535, such as 8080';

/**
 * A TCP/UDP port, 1 to 65535. Port 0 is refused: it asks the system for any free port, which no other
 * service could then be configured to reach.
 * @example parsePort('8080') // { ok: true, value: 8080 }
 */
export function parsePort(raw: unknown): ParseResult<number> {
  const result = parseInteger(raw);
  if (!result.ok) {
    const text = trimmedString(raw);
    if (text?.includes(':'))
      return fail(PORT_EXPECTED, 'write the port number alone, without a host or colon');
    return fail(PORT_EXPECTED, result.hint);
  }
  if (result.value === 0) {
    return fail(
      PORT_EXPECTED,
      'port 0 lets the system pick any free port; choose a fixed port from 1 to 65535',
    );
  }
  if (result.value < 0 || result.value > 65535) return fail(PORT_EXPECTED, 'ports range from 1 to 65535');
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// URLs

/** Options for `parseUrl`. */
export interface UrlOptions {
  /**
   * Accepted schemes, with or without the colon: `['postgres:', 'postgresql:']`. Default: `['http:', 'https:']`.
   */
  protocols?: readonly string[];
}

const DEFAULT_PROTOCOLS: readonly string[] = ['http:', 'https:'];
// WHATWG "special" schemes, where a URL without // still parses ("https:example.com"); we want the //.
const SPECIAL_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);
const INNER_SPACE = /[\s\u0000-\u001f\u007f]/;
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * An absolute URL that the WHATWG URL parser accepts, with a scheme from `options.protocols`. Returns the
 * trimmed text as given, not the parser's normalised form, so a trailing slash or letter case is kept.
 * @example parseUrl('https://api.example.com/v1') // { ok: true, value: 'https://api.example.com/v1' }
 */
interface UrlRules {
  protocols: readonly string[];
  expected: string;
  schemeHint: string;
}

// Worked out once per list of schemes: a field's schemes never change, and loads run at every start-up.
const urlRulesByProtocols = new WeakMap<readonly string[], UrlRules>();
function urlRules(given: readonly string[]): UrlRules {
  const cached = urlRulesByProtocols.get(given);
  if (cached) return cached;
  const protocols = given.map((protocol) => {
    const lower = protocol.toLowerCase();
    return lower.endsWith(':') ? lower : `${lower}:`;
  });
  if (protocols.length === 0) throw new TypeError('parseUrl: protocols must name at least one scheme');
  const starts = protocols.map((protocol) => (SPECIAL_SCHEMES.has(protocol) ? `${protocol}//` : protocol));
  const first = starts[0] as string;
  const webOnly = protocols.every((protocol) => protocol === 'http:' || protocol === 'https:');
  const expected = webOnly
    ? `a URL starting with ${orList(starts)}, such as ${starts.includes('https://') ? 'https://' : first}example.com`
    : `a URL starting with ${orList(starts)}`;
  const rules = { protocols, expected, schemeHint: `start with the scheme, such as ${first}` };
  urlRulesByProtocols.set(given, rules);
  return rules;
}

export function parseUrl(raw: unknown, options: UrlOptions = {}): ParseResult<string> {
  const { protocols, expected, schemeHint } = urlRules(options.protocols ?? DEFAULT_PROTOCOLS);
  const text = trimmedString(raw);
  if (text === undefined) return fail(expected, kindHint(raw));
  if (text === '') return fail(expected, EMPTY_HINT);
  if (INNER_SPACE.test(text)) {
    return fail(expected, 'a URL cannot contain spaces or line breaks; percent-encode them (a space is %20)');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(
      expected,
      HAS_SCHEME.test(text) ? 'the URL is malformed; check the host name and port' : schemeHint,
    );
  }
  if (!protocols.includes(url.protocol)) {
    // "localhost:8080" parses as a URL whose scheme is "localhost:".
    if (!text.includes('//')) return fail(expected, schemeHint);
    return fail(expected, `the scheme must be ${orList(protocols)}`);
  }
  if (SPECIAL_SCHEMES.has(url.protocol) && !text.slice(url.protocol.length).startsWith('//')) {
    return fail(expected, `write // after ${url.protocol}`);
  }
  return { ok: true, value: text };
}

// ---------------------------------------------------------------------------------------------------------
// Enums

/**
 * One of `values`, matched exactly after trimming; YAML numbers and booleans match by their `String()` form.
 * A value that differs only in letter case gets a "did you mean" hint; otherwise `expected` lists the values.
 * @example parseEnum('staging', ['dev', 'staging', 'production'] as const) // { ok: true, value: 'staging' }
 */
export function parseEnum<T extends string>(raw: unknown, values: readonly T[]): ParseResult<T> {
  let text: string;
  if (typeof raw === 'string') text = raw.trim();
  else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw);
  else return fail(enumExpected(values), kindHint(raw));
  for (const value of values) if (value === text) return { ok: true, value };
  const expected = enumExpected(values);
  if (text === '') return fail(expected, EMPTY_HINT);
  const lower = text.toLowerCase();
  const sameLetters = values.filter((value) => value.toLowerCase() === lower);
  if (sameLetters.length === 1) {
    return fail(expected, `did you mean ${quote(sameLetters[0] as T)}? Values are case-sensitive`);
  }
  return fail(expected);
}

function quote(value: string): string {
  return JSON.stringify(value);
}

// Worded once per list of values: a field's values never change, and loads run at every start-up.
const enumExpectations = new WeakMap<readonly string[], string>();
function enumExpected(values: readonly string[]): string {
  let expected = enumExpectations.get(values);
  if (expected === undefined) {
    expected =
      values.length === 0
        ? 'no value (the list of allowed values is empty)'
        : `one of ${orList(values.map(quote))}`;
    enumExpectations.set(values, expected);
  }
  return expected;
}

// ---------------------------------------------------------------------------------------------------------
// JSON

const JSON_EXPECTED = 'JSON text, such as {"retries": 3} or ["a", "b"]';
const JSON_POSITION = /at position (\d+)/;

/** Where JSON.parse failed, as a hint. Its own message quotes the input, so only the position is kept. */
function jsonErrorHint(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const match = JSON_POSITION.exec(message);
  const position = match?.[1] === undefined ? undefined : Number(match[1]);
  if (position !== undefined && position < text.trimEnd().length) {
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const quotes = text[position] === "'" ? '; strings and keys need double quotes' : '';
    return `the JSON is invalid at line ${line}, column ${column}${quotes}`;
  }
  if (position !== undefined || message.includes('end of JSON'))
    return 'the JSON ends early; check for a missing bracket or quote';
  return 'the text is not valid JSON; keys and strings need double quotes';
}

/**
 * JSON: a string goes through `JSON.parse`; a value YAML already structured (map, list, number, boolean)
 * passes through as it is. A YAML string is always read as JSON text, so write structures in YAML directly.
 * @example parseJson('{"retries": 3}') // { ok: true, value: { retries: 3 } }
 */
export function parseJson(raw: unknown): ParseResult<unknown> {
  if (typeof raw === 'string') {
    if (raw.trim() === '') return fail(JSON_EXPECTED, EMPTY_HINT);
    try {
      return { ok: true, value: JSON.parse(raw) as unknown };
    } catch (error) {
      return fail(JSON_EXPECTED, jsonErrorHint(raw, error));
    }
  }
  if (raw === null || raw === undefined) return fail(JSON_EXPECTED, kindHint(raw));
  if (typeof raw === 'number' && !Number.isFinite(raw))
    return fail(JSON_EXPECTED, 'the number must be finite');
  if (typeof raw === 'function' || typeof raw === 'symbol') return fail(JSON_EXPECTED);
  return { ok: true, value: raw };
}

// ---------------------------------------------------------------------------------------------------------
// Lists

/** Options for `parseList`. */
export interface ListOptions {
  /**
   * What separates items in a plain string. Default `,`. A whitespace separator (`' '`, `'\n'`) drops
   * every empty item, since runs of spaces and blank lines are common; any other separator refuses them.
   */
  separator?: string;
}

const LIST_EXPECTED = 'a comma-separated list such as a,b,c, or a JSON array such as ["a", "b"]';
const JSON_ARRAY_HINT =
  'a value starting with [ is read as a JSON array; write strings in double quotes, as in ["a", "b"]';

/** A list item from JSON or YAML as a string; `undefined` when it is not a scalar. */
function itemString(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) return String(item);
  return undefined;
}

function listOf(items: readonly unknown[], expected: string): ParseResult<string[]> {
  const value: string[] = [];
  for (const [index, item] of items.entries()) {
    const text = itemString(item);
    if (text === undefined) {
      const kind =
        item === null
          ? 'null'
          : Array.isArray(item)
            ? 'a list'
            : typeof item === 'object'
              ? 'a map'
              : 'invalid';
      return fail(expected, `item ${index + 1} is ${kind}; items must be strings, numbers or booleans`);
    }
    value.push(text);
  }
  return { ok: true, value };
}

/**
 * A list of strings, from one of:
 * - a plain string split on `separator` (default `,`), each item trimmed: "a, b ,c" → ["a", "b", "c"];
 *   "" → []. One trailing separator is allowed ("a,b," → ["a", "b"]); any other empty item ("a,,b", ",a")
 *   is an error, since it usually means a variable interpolated to nothing.
 * - a string starting with `[`, read as a JSON array of strings, numbers or booleans (numbers and booleans
 *   become their `String()` form). Items that themselves start with `[`, such as IPv6 addresses, need this
 *   form: `["[::1]:80"]`.
 * - a YAML list, with the same item rules; a YAML number or boolean is a one-item list.
 * JSON and YAML items are kept as written, without trimming.
 * @example parseList('api, worker') // { ok: true, value: ['api', 'worker'] }
 */
export function parseList(raw: unknown, options: ListOptions = {}): ParseResult<string[]> {
  const separator = options.separator ?? ',';
  if (separator === '') throw new TypeError('parseList: the separator must not be empty');
  const expected =
    separator === ',' ? LIST_EXPECTED : `a list separated by ${JSON.stringify(separator)}, or a JSON array`;
  if (Array.isArray(raw)) return listOf(raw, expected);
  if (typeof raw === 'number' || typeof raw === 'boolean') return listOf([raw], expected);
  const text = trimmedString(raw);
  if (text === undefined) return fail(expected, kindHint(raw));
  if (text === '') return { ok: true, value: [] };
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(expected, JSON_ARRAY_HINT);
    }
    return Array.isArray(parsed) ? listOf(parsed, expected) : fail(expected, JSON_ARRAY_HINT);
  }
  const items = text.split(separator).map((item) => item.trim());
  if (separator.trim() === '') return { ok: true, value: items.filter((item) => item !== '') };
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  const empty = items.indexOf('');
  if (empty !== -1) return fail(expected, `item ${empty + 1} is empty; remove the extra separator`);
  return { ok: true, value: items };
}
