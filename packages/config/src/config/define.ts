/**
 * `defineConfig(fields, options)`: the app-facing entry. It returns a loader whose `load()` reads every
 * source, validates every field and returns one deep-frozen, typed object, or throws one ConfigError
 * listing every problem.
 */
import { delimiter } from 'node:path';
import type { LeasedRead } from '../secret-references/resolver.ts';
import { ConfigError } from './config-error.ts';
import { type ConfigContext, resolveContext } from './context.ts';
import { type ConfigDefinition, type FlatField, flattenDefinition, type InferConfig } from './definition.ts';
import type { ConfigInspection, ResolvedInspection } from './inspection.ts';
import { type EnvironmentPlan, planEnvironment, SourceCache } from './plan.ts';
import { type Env, type Resolution, type ResolvedEntry, rawValue, resolveFields } from './resolve.ts';
import type { ConfigWatcher, WatchOptions } from './watch.ts';

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
  /**
   * `refuse` (default): a value holding a secret reference is a problem, as for `load()`; `defer`: it is
   * left for `inspectWithSecrets()` to resolve.
   */
  references?: 'refuse' | 'defer';
  /** `static`: check what the files provide without a real environment (for `config check --all`). */
  mode?: 'runtime' | 'static';
  /** Overrides whether `.env` files are read. */
  dotenv?: boolean;
  /**
   * Where to look for stagecraft.yaml when the loader has no `root`, and what a relative `root` is relative
   * to. Default: the process's working directory. A tool working on another folder (`stagecraft -C DIR`)
   * passes it.
   */
  cwd?: string;
}

export interface ConfigLoader<D extends ConfigDefinition> {
  readonly definition: D;
  readonly options: Readonly<ConfigOptions>;
  /** Loads, validates and deep-freezes the config. Throws ConfigError listing every problem. */
  load(env?: Env, options?: { environment?: string; cwd?: string }): LoadedConfig<D>;
  /**
   * Like `load()`, and resolves secret references (`ref+env://`, `ref+vault://`, …) through their backends
   * first; any that cannot be resolved is in the one ConfigError, without its value.
   */
  loadWithSecrets(env?: Env, options?: { environment?: string; cwd?: string }): Promise<LoadedConfig<D>>;
  /**
   * Loads with secrets, then follows them: mounted secrets are watched, values read through an API (Vault,
   * AWS, the Kubernetes API) are read again every `refreshIntervalMs`, and a dynamic credential is read afresh
   * before its lease ends. When the config resolves to different values, `onChange` gets the new config (a
   * failed reload goes to `onError` and the last good config stays). Live leases are reused by reloads.
   */
  watch(
    options: WatchOptions<LoadedConfig<D>> & { env?: Env; environment?: string; cwd?: string },
  ): Promise<ConfigWatcher<LoadedConfig<D>>>;
  /** Resolution with provenance and problems, never throwing for config problems (for tooling). */
  inspect(env?: Env, options?: InspectOptions): ConfigInspection;
  /** `inspect()` with secret references resolved (problems for those that cannot be). */
  inspectWithSecrets(
    env?: Env,
    options?: Omit<InspectOptions, 'references' | 'mode'>,
  ): Promise<ResolvedInspection>;
  /** Only the client fields (those with the client prefix) of a loaded config. */
  client(config: LoadedConfig<D>): Readonly<Record<string, unknown>>;
  /** Every field, flattened, for docs and generated files. */
  fields(): readonly FlatField[];
}

const LOADER_BRAND = Symbol.for('stagecraft.config.loader');

export function defineConfig<const D extends ConfigDefinition>(
  definition: D,
  options: ConfigOptions = {},
): ConfigLoader<D> {
  const prefix = options.prefix ?? '';
  const fields = flattenDefinition(definition, { prefix, clientPrefix: options.clientPrefix });
  const hasEnvironmentField = fields.some((field) => field.key === 'environment');
  const assemble = compileAssembler(fields, !hasEnvironmentField);
  const cache = new SourceCache();
  // Per working directory asked for; '' is the process's, fixed at the first load as it always was.
  const contexts = new Map<string, ConfigContext>();

  const plans = new Map<string, EnvironmentPlan>();
  const strict = options.strict === true;

  const inspect = (env: Env = process.env, inspectOptions: InspectOptions = {}): ConfigInspection => {
    const cwd = inspectOptions.cwd ?? '';
    let context = contexts.get(cwd);
    if (!context) {
      context = resolveContext({ root: options.root, workspace: options.workspace, cwd: inspectOptions.cwd });
      contexts.set(cwd, context);
    }
    const environment =
      inspectOptions.environment ??
      options.environment ??
      env[`${prefix}ENVIRONMENT`] ??
      context.defaultEnvironment;
    const mode = inspectOptions.mode ?? 'runtime';
    const dotenv = inspectOptions.dotenv ?? options.dotenv;
    const dirs = options.secretsDir ?? env['STAGECRAFT_SECRETS_DIR']?.split(delimiter).filter(Boolean) ?? [];
    const secretsDirs = typeof dirs === 'string' ? [dirs] : dirs;
    // Everything but the variables is worked out once per environment and kept for later loads.
    const key = `${cwd}\0${environment}\0${mode}\0${dotenv}\0${secretsDirs.join(delimiter)}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = planEnvironment(
        fields,
        context,
        environment,
        { prefix, strict, dotenv, secretsDirs, mode },
        cache,
      );
      plans.set(key, plan);
    }
    const references = inspectOptions.references ?? 'refuse';
    const resolution = resolveFields(plan, env, { prefix, strict, mode, references }) as ConfigInspection;
    resolution.context = context;
    Object.defineProperty(resolution, 'rawValue', { value: rawValue });
    return resolution;
  };

  const inspectWithSecrets = async (
    env: Env = process.env,
    inspectOptions: Omit<InspectOptions, 'references' | 'mode'> = {},
    reuse?: ReadonlyMap<string, LeasedRead>,
  ): Promise<ResolvedInspection> => {
    const resolution = inspect(env, { ...inspectOptions, references: 'defer' }) as ResolvedInspection;
    const { leasesOf, resolvePending, toEnvironment } = await import('./with-secrets.ts');
    if (resolution.pending.length) await resolvePending(resolution, resolution.context, env, reuse);
    Object.defineProperty(resolution, 'toEnvironment', { value: () => toEnvironment(resolution, prefix) });
    Object.defineProperty(resolution, 'leases', { value: leasesOf(resolution) });
    return resolution;
  };

  const loader: ConfigLoader<D> = {
    definition,
    options,
    load(env = process.env, loadOptions = {}) {
      const resolution = inspect(env, loadOptions);
      if (resolution.problems.length > 0) throw new ConfigError(resolution.environment, resolution.problems);
      return assemble(resolution) as LoadedConfig<D>;
    },
    async loadWithSecrets(env = process.env, loadOptions = {}) {
      const resolution = await inspectWithSecrets(env, loadOptions);
      if (resolution.problems.length > 0) throw new ConfigError(resolution.environment, resolution.problems);
      return assemble(resolution) as LoadedConfig<D>;
    },
    async watch(watchOptions) {
      const { watchConfig } = await import('./watch.ts');
      const env = watchOptions.env ?? process.env;
      const environment =
        watchOptions.environment === undefined ? {} : { environment: watchOptions.environment };
      const cwd = watchOptions.cwd === undefined ? {} : { cwd: watchOptions.cwd };
      return watchConfig(
        (reuse) => inspectWithSecrets(env, { ...environment, ...cwd }, reuse),
        (resolution) => assemble(resolution) as LoadedConfig<D>,
        watchOptions,
      );
    },
    inspect,
    inspectWithSecrets: (env, inspectOptions) => inspectWithSecrets(env, inspectOptions),
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

type Assembler = (resolution: Resolution) => Record<string, unknown>;

/**
 * Builds the loaded object, frozen: leaf values (lists, JSON) deeply, then groups, then the root. Where the
 * runtime allows, the object comes from a generated literal with every key in place, which V8 creates in
 * one step; adding sixty keys one by one was the largest single cost of a load. Keys are JSON-quoted and
 * values passed by index, so no input reaches the generated code.
 */
function compileAssembler(fields: readonly FlatField[], withEnvironment: boolean): Assembler {
  interface Group {
    [key: string]: Group | number;
  }
  const tree: Group = {};
  fields.forEach((field, index) => {
    let node = tree;
    field.path.forEach((segment, depth) => {
      if (depth === field.path.length - 1) {
        node[segment] = index;
      } else {
        node[segment] ??= {};
        node = node[segment] as Group;
      }
    });
  });
  const literal = (group: Group): string =>
    `Object.freeze({${Object.entries(group)
      .map(
        ([key, value]) =>
          `${JSON.stringify(key)}: ${typeof value === 'number' ? `v(${value})` : literal(value)}`,
      )
      .join(
        ', ',
      )}${group === tree && withEnvironment ? `${fields.length ? ', ' : ''}"environment": e` : ''}})`;
  const leaf = (resolution: Resolution, index: number): unknown => {
    const value = (resolution.entries[index] as ResolvedEntry).value;
    return value !== null && typeof value === 'object' ? deepFreeze(value) : value;
  };
  try {
    const build = new Function('v', 'e', `return ${literal(tree)};`) as (
      value: (index: number) => unknown,
      environment: string,
    ) => Record<string, unknown>;
    return (resolution) => build((index) => leaf(resolution, index), resolution.environment);
  } catch {
    // Runtimes that forbid code generation get the same object built key by key.
    return (resolution) => {
      const config: Record<string, unknown> = {};
      fields.forEach((field, index) => {
        setPath(config, field.path, leaf(resolution, index));
      });
      if (withEnvironment) config['environment'] = resolution.environment;
      return deepFreeze(config);
    };
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.length === 1) {
    target[path[0] as string] = value;
    return;
  }
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
    for (const key in value) {
      const child = value[key];
      if (child !== null && typeof child === 'object') deepFreeze(child);
    }
  }
  return value;
}
