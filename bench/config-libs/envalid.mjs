/**
 * envalid 8: `cleanEnv(env, spec, { reporter })`, the spec built once.
 *
 * Built-ins used: str (strings; enums through `choices`), num (numbers), bool, port, url (WHATWG URL parse,
 * any scheme), json. envalid has no integer, list, duration or byte-size validator, so those are custom
 * validators from `makeValidator` around the shared parsers in table.mjs; numbers with bounds are a custom
 * validator too, since num() has no min/max. The default reporter prints and calls process.exit; ours throws,
 * which is what an app wanting an exception would pass.
 */
import { bool, cleanEnv, EnvError, json, makeValidator, num, port, str, url } from 'envalid';
import {
  parseSimpleBytes,
  parseSimpleDuration,
  parseStrictInt,
  Rejected,
  splitList,
  VARIABLES,
} from './table.mjs';

/** A makeValidator around a shared parser that returns `undefined` for bad input. */
function custom(parse, what) {
  return makeValidator((input) => {
    const value = parse(input);
    if (value === undefined) throw new EnvError(`Invalid ${what}: "${input}"`);
    return value;
  });
}

function boundedNumber({ min, max }) {
  return makeValidator((input) => {
    const value = Number.parseFloat(input);
    if (Number.isNaN(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
      throw new EnvError(`Invalid number: "${input}"`);
    }
    return value;
  });
}

const VALIDATORS = {
  string: () => str,
  int: (options) => custom((text) => parseStrictInt(text, options), 'integer'),
  number: (options) =>
    options.min === undefined && options.max === undefined ? num : boundedNumber(options),
  bool: () => bool,
  port: () => port,
  url: () => url,
  enum: () => str,
  json: () => json,
  list: () => custom(splitList, 'list'),
  duration: () => custom(parseSimpleDuration, 'duration'),
  bytes: () => custom(parseSimpleBytes, 'byte size'),
};

function specFor(variable) {
  const spec = {};
  if (variable.options.choices) spec.choices = variable.options.choices;
  // envalid defaults are typed values, used as they are (not validated).
  if (variable.fallback) spec.default = variable.fallback.value;
  return VALIDATORS[variable.type](variable.options)(spec);
}

/** Throws on any error instead of envalid's default print-and-exit. */
function reporter({ errors }) {
  const names = Object.keys(errors);
  if (names.length > 0) throw new Rejected(names, `invalid environment: ${names.join(', ')}`);
}

export const name = 'envalid';

export function setup() {
  const spec = Object.fromEntries(VARIABLES.map((v) => [v.env, specFor(v)]));
  const options = { reporter };
  return {
    load: (env) => cleanEnv(env, spec, options),
    plain: (result) => Object.fromEntries(VARIABLES.map((v) => [v.key, result[v.env]])),
    rejected: (error) => (error instanceof Rejected ? error.names : undefined),
  };
}
