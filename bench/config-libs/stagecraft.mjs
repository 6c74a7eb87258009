/**
 * stagecraft: one field per variable, from the built package (`npm run build` first). `root` is an empty
 * folder and `workspace: false`, so no stagecraft.yaml, config/*.yaml or .env is found: like the peers,
 * only the given environment object is read.
 */
import { ConfigError, defineConfig, field } from '@stagecraft/config';
import { VARIABLES } from './table.mjs';

/** stagecraft has a built-in for every type in the table; bounds and choices map one to one. */
const BUILDERS = {
  string: () => field.string(),
  int: (options) => field.int(options),
  number: (options) => field.number(options),
  bool: () => field.bool(),
  port: () => field.port(),
  url: () => field.url(),
  enum: (options) => field.enum(options.choices),
  json: () => field.json(),
  list: () => field.list(),
  duration: () => field.duration(),
  bytes: () => field.bytes(),
};

function fieldFor(variable) {
  const base = BUILDERS[variable.type](variable.options);
  // Defaults are written as they would be in the environment and validated like input.
  return variable.fallback ? base.default(variable.fallback.raw) : base;
}

export const name = 'stagecraft';

/** `defineConfig` is the schema, built once; `load(env)` is what an app runs at start-up. */
export function setup({ root }) {
  const fields = Object.fromEntries(VARIABLES.map((v) => [v.key, fieldFor(v)]));
  const loader = defineConfig(fields, { workspace: false, root });
  return {
    load: (env) => loader.load(env),
    plain: (config) => Object.fromEntries(VARIABLES.map((v) => [v.key, config[v.key]])),
    rejected: (error) => (error instanceof ConfigError ? error.problems.map((p) => p.variable) : undefined),
  };
}
