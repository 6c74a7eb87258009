/**
 * The built-in field types, used as `field.port().default(5432)`. Every parser accepts text (env vars,
 * .env) and the typed values YAML gives, and is strict: `"false"` is never true, `"4.0"` is not an int.
 */
import { type Field, fromStandardSchema, isField, makeField, secretOf } from './field.ts';
import type { Secret } from './secret.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';
import {
  parseBool,
  parseByteSize,
  parseDuration,
  parseEnum,
  parseInt as parseInteger,
  parseJson,
  parseList,
  parseNumber,
  parsePort,
  parseString,
  parseUrl,
} from './values.ts';

export function string(): Field<string> {
  return makeField('string', parseString, { type: 'string' });
}

export function int(options: { min?: number; max?: number } = {}): Field<number> {
  return makeField('int', (raw) => parseInteger(raw, options), {
    anyOf: [{ type: 'integer', minimum: options.min, maximum: options.max }, { type: 'string' }],
  });
}

export function number(options: { min?: number; max?: number } = {}): Field<number> {
  return makeField('number', (raw) => parseNumber(raw, options), {
    anyOf: [{ type: 'number' }, { type: 'string' }],
  });
}

/** true/false, 1/0, yes/no, on/off (any case); anything else is an error, never a guess. */
export function bool(): Field<boolean> {
  return makeField('bool', parseBool, {
    anyOf: [{ type: 'boolean' }, { enum: ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] }],
  });
}

export function port(): Field<number> {
  return makeField('port', parsePort, {
    anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string' }],
  });
}

/** A URL; by default http or https only. */
export function url(options: { protocols?: readonly string[] } = {}): Field<string> {
  return makeField('url', (raw) => parseUrl(raw, options), { type: 'string', format: 'uri' });
}

function enumOf<const T extends string>(values: readonly T[]): Field<T> {
  return makeField('enum', (raw) => parseEnum(raw, values), { enum: [...values] }, { choices: values });
}

export { enumOf as enum };

/** JSON text in env vars; structured values in YAML are taken as they are. */
export function json<T = unknown>(): Field<T> {
  return makeField(
    'json',
    parseJson as (raw: unknown) => ReturnType<typeof parseJson> & { value?: T },
    {},
  ) as Field<T>;
}

/** Comma-separated (`a,b,c`), a JSON array, or a YAML list. */
export function list(options: { separator?: string } = {}): Field<string[]> {
  return makeField('list', (raw) => parseList(raw, options), {
    anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }],
  });
}

/** Milliseconds, written `90s`, `5m`, `1h30m` or ISO 8601 `PT1H30M`. */
export function duration(): Field<number> {
  return makeField('duration', parseDuration, {
    type: 'string',
    examples: ['90s', '5m', '1h30m', 'PT1H30M'],
  });
}

/** Bytes, written `512`, `8KB` (1000s) or `8KiB` (1024s). */
export function bytes(): Field<number> {
  return makeField('bytes', parseByteSize, { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] });
}

/**
 * A secret: loads to a `Secret` whose toString, JSON and inspect show `[redacted]`; read it with
 * `.reveal()`. Wraps a string by default, or any other field or Standard Schema (`secret(url())`).
 * It may not hold a literal in a committed config file, and cannot have a default.
 */
export function secret(): Field<Secret<string>>;
export function secret<T>(inner: Field<T>): Field<Secret<T>>;
export function secret<S extends StandardSchemaV1>(
  inner: S,
): Field<Secret<NonNullable<S['~standard']['types']>['output']>>;
export function secret(inner?: Field<unknown> | StandardSchemaV1): Field<Secret<unknown>> {
  const base = inner === undefined ? string() : isField(inner) ? inner : fromStandardSchema(inner);
  return secretOf(base);
}

/** Any Standard Schema validator as a field, when a modifier such as `.env()` or `.describe()` is needed. */
export function schema<S extends StandardSchemaV1>(
  validator: S,
): Field<NonNullable<S['~standard']['types']>['output']> {
  return fromStandardSchema(validator);
}
