/**
 * Fields: what a config value is, how it is parsed from text (env vars, .env) or YAML, and how it is
 * documented. Fields are immutable; every modifier returns a new one.
 */
import { Secret } from './secret.ts';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.ts';
import type { ParseResult } from './values.ts';

/**
 * The property holding a field's spec. A string key (in the manner of Standard Schema's `~standard`) so
 * fields are recognised across package copies: the CLI and the app may load different installs.
 */
const FIELD_KEY = '~stagecraft';

export interface FieldSpec {
  /** Type name for docs and errors: `int`, `duration`, `enum`, `zod`. */
  readonly type: string;
  readonly parse: (raw: unknown) => ParseResult<unknown>;
  readonly secret: boolean;
  readonly optional: boolean;
  /** The default as written by the author, validated like any other input. */
  readonly defaultValue?: { readonly raw: unknown } | undefined;
  readonly env?: string | undefined;
  readonly description?: string | undefined;
  readonly example?: string | undefined;
  readonly choices?: readonly string[] | undefined;
  /** JSON Schema of the value as written in YAML, for `config schema`. */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** Standard Schema fields decide themselves what a missing value means. */
  readonly standard?: boolean | undefined;
}

export class Field<T> {
  readonly '~stagecraft': FieldSpec;
  /** Type-only: the value this field loads to. */
  declare readonly _output: T;

  constructor(spec: FieldSpec) {
    this[FIELD_KEY] = spec;
    Object.freeze(this);
  }

  /** The value may be absent; it is then `undefined`. */
  optional(): Field<T | undefined> {
    return new Field<T | undefined>({ ...this[FIELD_KEY], optional: true });
  }

  /**
   * Used when no source sets the field. Written as it would be in an env var or YAML (`'5m'`, `5432`),
   * and validated like any other input, so a bad default fails loudly.
   */
  default(value: T | string | number | boolean): Field<Exclude<T, undefined>> {
    if (this[FIELD_KEY].secret) {
      throw new TypeError('a secret field cannot have a default: a default is a secret committed to code');
    }
    return new Field<Exclude<T, undefined>>({ ...this[FIELD_KEY], defaultValue: { raw: value } });
  }

  /** Read from this environment variable instead of the one derived from the field's name (no prefix added). */
  env(name: string): Field<T> {
    return new Field<T>({ ...this[FIELD_KEY], env: name });
  }

  /** Shown in generated docs, `.env.example` and `config show`. */
  describe(text: string): Field<T> {
    return new Field<T>({ ...this[FIELD_KEY], description: text });
  }

  /** An example value for `.env.example` and docs (never used as a value). */
  example(text: string): Field<T> {
    return new Field<T>({ ...this[FIELD_KEY], example: text });
  }
}

export function isField(value: unknown): value is Field<unknown> {
  return value !== null && typeof value === 'object' && FIELD_KEY in value;
}

export function specOf(value: Field<unknown>): FieldSpec {
  return value[FIELD_KEY];
}

export function makeField<T>(
  type: string,
  parse: (raw: unknown) => ParseResult<T>,
  jsonSchema: Record<string, unknown>,
  extra: Partial<FieldSpec> = {},
): Field<T> {
  return new Field<T>({ type, parse, jsonSchema, secret: false, optional: false, ...extra });
}

/** Wraps a Standard Schema validator (zod, valibot, arktype) as a field; only synchronous validation. */
export function fromStandardSchema<S extends StandardSchemaV1>(
  schema: S,
): Field<NonNullable<S['~standard']['types']>['output']> {
  const vendor = schema['~standard'].vendor;
  return makeField(
    vendor,
    (raw) => {
      const result = schema['~standard'].validate(raw);
      if (result instanceof Promise) {
        return {
          ok: false,
          expected: `a value the ${vendor} schema accepts`,
          hint: 'this schema validates asynchronously; config loading is synchronous, so use a synchronous schema',
        };
      }
      if (result.issues === undefined) return { ok: true, value: result.value };
      return { ok: false, expected: result.issues.map((issue) => issue.message).join('; ') };
    },
    {},
    { standard: true },
  );
}

/** Turns any field-like value (our field or a Standard Schema) into a field. */
export function toField(value: unknown): Field<unknown> | undefined {
  if (isField(value)) return value;
  if (isStandardSchema(value)) return fromStandardSchema(value);
  return undefined;
}

/** A field whose value is wrapped in `Secret`; its parse errors never echo the input. */
export function secretOf<T>(inner: Field<T>): Field<Secret<T>> {
  const spec = specOf(inner);
  return new Field<Secret<T>>({
    ...spec,
    type: spec.type === 'string' ? 'secret' : `secret ${spec.type}`,
    secret: true,
    parse: (raw) => {
      const result = spec.parse(raw);
      if (!result.ok)
        return {
          ok: false,
          expected: scrub(result.expected, raw),
          hint: result.hint && scrub(result.hint, raw),
        };
      return { ok: true, value: new Secret(result.value as T) };
    },
  });
}

/** Removes the raw input from a validator's message: third-party messages sometimes quote what they got. */
function scrub(text: string, raw: unknown): string {
  return typeof raw === 'string' && raw.length >= 3 ? text.split(raw).join('[redacted]') : text;
}
