/**
 * `defineConfig(fields, options)`: the app-facing entry. It returns a loader whose `load()` reads every
 * source, validates every field and returns one deep-frozen, typed object, or throws one ConfigError
 * listing every problem.
 */
import { delimiter } from 'node:path';
import { ConfigError } from './config-error.ts';
import { type ConfigContext, resolveContext } from './context.ts';
import { type ConfigDefinition, type FlatField, flattenDefinition, type InferConfig } from './definition.ts';
import { type Env, type Resolution, resolveFields, SourceCache } from './resolve.ts';

export interface ConfigOptions {
  /** Prefix of every derived variable name: with `SHOP_`, `dbHost` reads `SHOP_DB_HOST`. Default none. */
  prefix?: string;
  /**
   * Variables starting with this (`PUBLIC_`, `VITE_`, `NEXT_PUBLIC_`) are client fields: `client()` returns
   * only them, for a browser bundle. A secret may not have it.
   */
  clientPrefix?: string;
  /** Report unknown keys in config files and unknown prefixed variables. Default false. */
  strict?: boolean;
  /** Folder holding `config/` and `.env`; default: the folder of the nearest stagecraft.yaml, else cwd. */
  root?: string;
  /** An explicit stagecraft.yaml, or `false` to ignore any. */
  workspace?: string | false;
  /** Environment name; default: the ENVIRONMENT variable, else the start of the chain (`dev`). */
  environment?: string;
  /** Force `.env` reading on or off, overriding stagecraft.yaml's rule for the environment. */
  dotenv?: boolean;
  /**
   * Folders with one file per key (Kubernetes/Docker mounted secrets). Default: STAGECRAFT_SECRETS_DIR,
   * a path list.
   */
  secretsDir?: string | readonly string[];
}

export type LoadedConfig<D extends ConfigDefinition> = InferConfig<D> &
  (D extends { environment: unknown } ? unknown : { readonly environment: string });

export interface InspectOptions {
  environment?: string;
  /** `static`: check what the files provide without a real environment (for `config check --all`). */
  mode?: 'runtime' | 'static';
  /** Overrides whether `.env` files are read. */
  dotenv?: boolean;
}

export interface ConfigLoader<D extends ConfigDefinition> {
  readonly definition: D;
  readonly options: Readonly<ConfigOptions>;
  /** Loads, validates and deep-freezes the config. Throws ConfigError listing every problem. */
  load(env?: Env, options?: { environment?: string }): LoadedConfig<D>;
  /** Resolution with provenance and problems, never throwing for config problems (for tooling). */
  inspect(env?: Env, options?: InspectOptions): ConfigInspection;
  /** Only the client fields (those with the client prefix) of a loaded config. */
  client(config: LoadedConfig<D>): Readonly<Record<string, unknown>>;
  /** Every field, flattened, for docs and generated files. */
  fields(): readonly FlatField[];
}

export interface ConfigInspection extends Resolution {
  context: ConfigContext;
}

const LOADER_BRAND = Symbol.for('stagecraft.config.loader');

export function defineConfig<const D extends ConfigDefinition>(
  definition: D,
  options: ConfigOptions = {},
): ConfigLoader<D> {
  const prefix = options.prefix ?? '';
  const fields = flattenDefinition(definition, { prefix, clientPrefix: options.clientPrefix });
  const hasEnvironmentField = fields.some((field) => field.key === 'environment');
  const cache = new SourceCache();
  let context: ConfigContext | undefined;

  const inspect = (env: Env = process.env, inspectOptions: InspectOptions = {}): ConfigInspection => {
    context ??= resolveContext({ root: options.root, workspace: options.workspace });
    const environment =
      inspectOptions.environment ??
      options.environment ??
      env[`${prefix}ENVIRONMENT`] ??
      context.defaultEnvironment;
    const dirs = options.secretsDir ?? env['STAGECRAFT_SECRETS_DIR']?.split(delimiter).filter(Boolean) ?? [];
    const resolution = resolveFields(
      fields,
      context,
      env,
      environment,
      {
        prefix,
        strict: options.strict === true,
        dotenv: inspectOptions.dotenv ?? options.dotenv,
        secretsDirs: typeof dirs === 'string' ? [dirs] : dirs,
        mode: inspectOptions.mode ?? 'runtime',
      },
      cache,
    );
    return { ...resolution, context };
  };

  const loader: ConfigLoader<D> = {
    definition,
    options,
    load(env = process.env, loadOptions = {}) {
      const resolution = inspect(env, loadOptions);
      if (resolution.problems.length > 0) throw new ConfigError(resolution.environment, resolution.problems);
      const config = buildObject(resolution);
      if (!hasEnvironmentField) config['environment'] = resolution.environment;
      return deepFreeze(config) as LoadedConfig<D>;
    },
    inspect,
    client(config) {
      const picked: Record<string, unknown> = {};
      for (const field of fields.filter((candidate) => candidate.client)) {
        setPath(picked, field.path, getPath(config as Record<string, unknown>, field.path));
      }
      return deepFreeze(picked);
    },
    fields: () => fields,
  };
  Object.defineProperty(loader, LOADER_BRAND, { value: true });
  return Object.freeze(loader);
}

/** Recognises loaders made by any copy of stagecraft (the CLI may load an app's own install). */
export function isConfigLoader(value: unknown): value is ConfigLoader<ConfigDefinition> {
  return (
    value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[LOADER_BRAND] === true
  );
}

function buildObject(resolution: Resolution): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const entry of resolution.entries) setPath(config, entry.field.path, entry.value);
  return config;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      node[segment] = value;
    } else {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  });
}

function getPath(source: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = source;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
