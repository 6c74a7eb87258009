/**
 * @t3-oss/env-core 0.13 with zod 4: `createEnv({ server, runtimeEnv, emptyStringAsUndefined: false })`, the
 * zod schemas built once.
 *
 * Zod idioms used: z.string(), z.coerce.number() (with .min/.max), z.stringbool() (true/false, 1/0, yes/no,
 * on/off, y/n, enabled/disabled), z.coerce.number().int().min(1).max(65535) for ports, z.url() (WHATWG URL
 * parse, any scheme), z.enum(). z.coerce.number().int() accepts "4.0", so integers are a regex on the text
 * piped to a number. JSON, lists, durations and byte sizes are z.string().transform() around the shared
 * parsers in table.mjs, adding a zod issue when they return undefined.
 */
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';
import {
  parseJsonText,
  parseSimpleBytes,
  parseSimpleDuration,
  Rejected,
  splitList,
  VARIABLES,
} from './table.mjs';

function bounded(schema, { min, max }) {
  let bounded = schema;
  if (min !== undefined) bounded = bounded.min(min);
  if (max !== undefined) bounded = bounded.max(max);
  return bounded;
}

/** A string transformed by a shared parser; `undefined` from the parser becomes a zod issue. */
function transformed(parse, what) {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value !== undefined) return value;
    ctx.addIssue({ code: 'custom', message: `invalid ${what}` });
    return z.NEVER;
  });
}

const SCHEMAS = {
  string: () => z.string(),
  int: (options) =>
    options.min === undefined && options.max === undefined
      ? z
          .string()
          .regex(/^[+-]?[0-9]+$/)
          .transform(Number)
      : z
          .string()
          .regex(/^[+-]?[0-9]+$/)
          .transform(Number)
          .pipe(bounded(z.number().int(), options)),
  number: (options) => bounded(z.coerce.number(), options),
  bool: () => z.stringbool(),
  port: () => z.coerce.number().int().min(1).max(65535),
  url: () => z.url(),
  enum: (options) => z.enum(options.choices),
  json: () => transformed(parseJsonText, 'JSON'),
  list: () => transformed(splitList, 'list'),
  duration: () => transformed(parseSimpleDuration, 'duration'),
  bytes: () => transformed(parseSimpleBytes, 'byte size'),
};

function schemaFor(variable) {
  const schema = SCHEMAS[variable.type](variable.options);
  // zod's .default() takes the output value and skips parsing when the input is undefined.
  return variable.fallback ? schema.default(variable.fallback.value) : schema;
}

/** Throws instead of t3-env's default console.error + generic Error, naming the variables. */
function onValidationError(issues) {
  const names = [...new Set(issues.map((issue) => issue.path?.[0]))];
  throw new Rejected(names, `invalid environment: ${names.join(', ')}`);
}

export const name = 't3-env';

export function setup() {
  const server = Object.fromEntries(VARIABLES.map((v) => [v.env, schemaFor(v)]));
  return {
    load: (env) => createEnv({ server, runtimeEnv: env, emptyStringAsUndefined: false, onValidationError }),
    plain: (result) => Object.fromEntries(VARIABLES.map((v) => [v.key, result[v.env]])),
    rejected: (error) => (error instanceof Rejected ? error.names : undefined),
  };
}
