/**
 * convict 6: the schema object is built once; every load is `convict(schema, { env, args: [] })`, which
 * normalises the schema (convict has no way to reuse a normalised one), then `.validate({ allowed: 'strict' })`.
 *
 * convict 6 keeps only int, nat and port formats in its core (url, duration and the like moved to
 * convict-format-with-validator / -with-moment, not installed here), and several built-ins accept what the
 * correctness gate feeds them: `int` parses "4.0" with parseInt, `Boolean` reads anything but "false" as
 * true ("ture" → true), `Number` lets NaN through. So strict integers, numbers, booleans, URLs (WHATWG URL
 * parse), JSON, durations and byte sizes are named custom formats (`convict.addFormat`, with `coerce`)
 * around the shared parsers in table.mjs. Built-ins kept: String, `port`, enum arrays, Array (comma split,
 * untrimmed). convict has no "required": a `null` default that every format rejects is its idiom for it.
 */
import convict from 'convict';
import { parseJsonText, parseSimpleBytes, parseSimpleDuration, parseStrictInt, VARIABLES } from './table.mjs';

const BOOLEANS = new Map([
  ['true', true],
  ['yes', true],
  ['on', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['off', false],
  ['0', false],
]);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Bounds are read from the schema item, which convict passes to a format as its second argument. */
function inBounds(value, item) {
  return (item.min === undefined || value >= item.min) && (item.max === undefined || value <= item.max);
}

/** A coerce that keeps the raw text when the parser refuses it, so validate reports the bad value. */
function orRaw(parse) {
  return (text) => parse(text) ?? text;
}

const FORMATS = {
  'bench-int': {
    validate: (x, item) => check(Number.isInteger(x) && inBounds(x, item), 'must be an integer in range'),
    coerce: orRaw((text) => parseStrictInt(text)),
  },
  'bench-number': {
    validate: (x, item) => check(Number.isFinite(x) && inBounds(x, item), 'must be a finite number in range'),
    coerce: (text) => (text.trim() === '' ? text : Number(text)),
  },
  'bench-bool': {
    validate: (x) => check(typeof x === 'boolean', 'must be a boolean'),
    coerce: (text) => BOOLEANS.get(text) ?? text,
  },
  'bench-url': {
    validate: (x) => check(typeof x === 'string' && URL.canParse(x), 'must be a URL'),
  },
  'bench-json': {
    // parseJsonText gives undefined for bad JSON, which the validator refuses.
    validate: (x) => check(x !== undefined && x !== null, 'must be JSON'),
    coerce: (text) => parseJsonText(text),
  },
  'bench-duration': {
    validate: (x) => check(Number.isInteger(x), 'must be a duration such as 90s or 1h30m'),
    coerce: orRaw(parseSimpleDuration),
  },
  'bench-bytes': {
    validate: (x) => check(Number.isInteger(x), 'must be a byte size such as 512KiB or 8MB'),
    coerce: orRaw(parseSimpleBytes),
  },
};

const FORMAT_OF = {
  string: () => String,
  int: () => 'bench-int',
  number: () => 'bench-number',
  bool: () => 'bench-bool',
  port: () => 'port',
  url: () => 'bench-url',
  enum: (options) => options.choices,
  json: () => 'bench-json',
  list: () => Array,
  duration: () => 'bench-duration',
  bytes: () => 'bench-bytes',
};

function itemFor(variable) {
  const item = {
    format: FORMAT_OF[variable.type](variable.options),
    default: variable.fallback ? variable.fallback.value : null,
    env: variable.env,
  };
  if (variable.options.min !== undefined) item.min = variable.options.min;
  if (variable.options.max !== undefined) item.max = variable.options.max;
  return item;
}

/** Keys named at the start of each line of convict's validation message ("httpPort: ports must be …"). */
function rejectedKeys(error) {
  if (!(error instanceof Error)) return undefined;
  const keys = error.message
    .split('\n')
    .map((line) => /^([A-Za-z0-9_.]+): /.exec(line)?.[1])
    .filter((key) => key !== undefined);
  return keys.length > 0 ? keys : undefined;
}

export const name = 'convict';

export function setup() {
  convict.addFormats(FORMATS);
  const schema = Object.fromEntries(VARIABLES.map((v) => [v.key, itemFor(v)]));
  const validation = { allowed: 'strict' };
  return {
    load: (env) => convict(schema, { env, args: [] }).validate(validation),
    plain: (config) => config.getProperties(),
    rejected: rejectedKeys,
  };
}
