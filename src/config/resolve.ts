/**
 * Resolution: for each field, the highest-precedence source that sets it, parsed and validated, with its
 * provenance. Every problem is collected; nothing stops at the first.
 *
 * Precedence, lowest to highest: default < base YAML < environment YAML < .env < .env.local < secret files
 * (a mounted directory, then NAME_FILE) < real environment variables.
 */
import { join, resolve as resolvePath } from 'node:path';
import type { Problem, SourceLocation } from '../errors.ts';
import { closestMatch } from '../workspace/suggest.ts';
import { type ConfigContext, environmentFile } from './context.ts';
import type { FlatField } from './definition.ts';
import { expand, isSingleReference } from './interpolate.ts';
import {
  type DotenvLayer,
  listSecretDirectory,
  readDotenvLayer,
  readSecretFile,
  readYamlLayer,
  type SecretDirectory,
  type YamlLayer,
} from './layers.ts';
import { toSnake } from './naming.ts';
import { lookupYaml, unknownYamlKeys } from './yaml-lookup.ts';

export type Provenance =
  | { source: 'default' }
  | { source: 'yaml'; file: string; line?: number | undefined; column?: number | undefined; key: string }
  | { source: 'dotenv'; file: string; line: number; variable: string }
  | { source: 'secret-file'; file: string; variable: string }
  | { source: 'env'; variable: string };

export interface ResolvedEntry {
  field: FlatField;
  /** The parsed value (a `Secret` for secret fields); undefined when missing or invalid. */
  value: unknown;
  provenance: Provenance | undefined;
  /** `${VAR}` names the value was built from: variables the deployment must set. */
  references: string[];
  /** True when the value came through a `${VAR}` that is unset here (static checks only). */
  deferred: boolean;
  /** The value is a secret reference (`ref+vault://…`), resolved at run time by a secret backend. */
  secretReference: boolean;
}

export interface Resolution {
  environment: string;
  dotenvAllowed: boolean;
  entries: ResolvedEntry[];
  problems: Problem[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveSettings {
  prefix: string;
  strict: boolean;
  /** Overrides the workspace's dotenv rule for this environment. */
  dotenv: boolean | undefined;
  secretsDirs: readonly string[];
  /** `static`: no real environment; unset `${VAR}` means "the deployment must set it", not an error. */
  mode: 'runtime' | 'static';
}

/** File layers are read once per loader; the environment is read on every load. */
export class SourceCache {
  private readonly layers = new Map<string, YamlLayer | DotenvLayer | SecretDirectory>();

  yamlLayer(file: string): YamlLayer {
    return this.once(`yaml:${file}`, () => readYamlLayer(file));
  }

  dotenvLayer(file: string): DotenvLayer {
    return this.once(`dotenv:${file}`, () => readDotenvLayer(file));
  }

  secretDirectory(dir: string): SecretDirectory {
    return this.once(`secrets:${dir}`, () => listSecretDirectory(dir));
  }

  private once<T extends YamlLayer | DotenvLayer | SecretDirectory>(key: string, read: () => T): T {
    const cached = this.layers.get(key);
    if (cached) return cached as T;
    const layer = read();
    this.layers.set(key, layer);
    return layer;
  }
}

interface Candidate {
  raw: unknown;
  provenance: Provenance;
  location?: SourceLocation | undefined;
  /** Set when a secret file was refused: already reported, and no lower layer may stand in for it. */
  refused?: boolean;
}

export function resolveFields(
  fields: readonly FlatField[],
  context: ConfigContext,
  env: Env,
  environment: string,
  settings: ResolveSettings,
  cache: SourceCache,
): Resolution {
  const problems: Problem[] = [];
  const declared = context.environments.find((candidate) => candidate.name === environment);
  if (!declared && context.workspaceFile) {
    problems.push({
      code: 'CONFIG_UNKNOWN_ENVIRONMENT',
      severity: 'error',
      message: `environment "${environment}" is not declared in stagecraft.yaml`,
      variable: `${settings.prefix}ENVIRONMENT`,
      location: { file: context.workspaceFile },
      hint: `use one of ${context.environments.map((e) => e.name).join(', ')}, or declare it`,
    });
  }
  const dotenvAllowed = settings.dotenv ?? declared?.dotenv ?? false;

  const yamlLayers = [
    cache.yamlLayer(environmentFile(context, environment)),
    cache.yamlLayer(context.basePath),
  ];
  // Statically, a developer's .env is not there to read; .env.example stands for what developers copy.
  const dotenvFiles = settings.mode === 'static' ? ['.env.example'] : ['.env.local', '.env'];
  const dotenvLayers = dotenvAllowed
    ? dotenvFiles.map((name) => cache.dotenvLayer(join(context.root, name)))
    : [];
  const secretDirs = settings.secretsDirs.map((dir) => cache.secretDirectory(resolvePath(context.root, dir)));
  for (const layer of [...yamlLayers, ...secretDirs]) problems.push(...layer.problems);
  if (settings.strict) {
    for (const layer of yamlLayers) problems.push(...unknownYamlKeys(layer, fields));
    problems.push(...unknownPrefixedVariables(fields, env, settings.prefix));
  }

  // `${VAR}` in YAML sees real variables first, then .env where it may be read, as docker compose does.
  const lookupVariable = (name: string): string | undefined => {
    if (env[name] !== undefined) return env[name];
    for (const layer of dotenvLayers) {
      const entry = layer.entries?.get(name);
      if (entry) return entry.value;
    }
    return undefined;
  };

  const entries = fields.map((field) => {
    const entry: ResolvedEntry = {
      field,
      value: undefined,
      provenance: undefined,
      references: [],
      deferred: false,
      secretReference: false,
    };
    const candidate = findCandidate(field, { env, dotenvLayers, secretDirs, yamlLayers, context, problems });
    if (!candidate) {
      resolveMissing(entry, dotenvAllowed, context, environment, problems);
      return entry;
    }
    entry.provenance = candidate.provenance;
    if (candidate.refused) return entry;
    let raw = candidate.raw;
    if (candidate.provenance.source === 'yaml') {
      if (field.spec.secret && !isReference(raw)) {
        problems.push({
          code: 'CONFIG_SECRET_LITERAL',
          severity: 'error',
          message: `secret ${field.key} is written as a literal value in a committed config file`,
          field: field.key,
          variable: field.envName,
          location: candidate.location,
          hint: `write "\${${field.envName}}" or a secret reference (ref+vault://…), and provide the value at run time`,
        });
        return entry;
      }
      const expanded = expandDeep(raw, lookupVariable, entry.references);
      if (!expanded.ok) {
        if (settings.mode === 'static' && expanded.unset) {
          entry.deferred = true;
          return entry;
        }
        const problem = { ...expanded.problem, field: field.key, location: candidate.location };
        problem.message = `${field.key}: ${problem.message}`;
        // A literal default for a secret would be a secret committed to the file: never suggest one.
        if (field.spec.secret && problem.variable) {
          problem.hint = `set ${problem.variable} where this environment is deployed (a CI secret variable or a mounted secret)`;
        }
        problems.push(problem);
        return entry;
      }
      raw = expanded.value;
    }
    if (isSecretReference(raw)) {
      entry.secretReference = true;
      if (settings.mode === 'static') return entry;
      problems.push({
        code: 'CONFIG_UNRESOLVED_REFERENCE',
        severity: 'error',
        message: `${field.key} holds a secret reference, which the synchronous load() does not resolve`,
        field: field.key,
        variable: field.envName,
        location: candidate.location,
        source: candidate.location ? undefined : 'environment',
        hint: 'load this config with the asynchronous loader that resolves secret references',
      });
      return entry;
    }
    // .env.example holds placeholders: in a static check it shows that a value is provided, not what it is.
    if (settings.mode === 'static' && candidate.provenance.source === 'dotenv') return entry;
    const parsed = field.spec.parse(raw);
    if (parsed.ok) {
      entry.value = parsed.value;
      return entry;
    }
    problems.push({
      code: 'CONFIG_INVALID_VALUE',
      severity: 'error',
      message: `${describeSource(candidate.provenance, field)} is not a valid ${field.spec.type} for ${field.key}`,
      field: field.key,
      variable: field.envName,
      location: candidate.location,
      source: candidate.location ? undefined : 'environment',
      expected: parsed.expected,
      found: field.spec.secret ? undefined : describeRaw(raw),
      hint: parsed.hint,
    });
    return entry;
  });
  return { environment, dotenvAllowed, entries, problems };
}

interface Sources {
  env: Env;
  dotenvLayers: readonly DotenvLayer[];
  secretDirs: readonly SecretDirectory[];
  yamlLayers: readonly YamlLayer[];
  context: ConfigContext;
  problems: Problem[];
}

function findCandidate(field: FlatField, sources: Sources): Candidate | undefined {
  const { env, problems } = sources;
  const name = field.envName;
  const fileVariable = `${name}_FILE`;
  if (env[name] !== undefined) {
    if (env[fileVariable] !== undefined) problems.push(bothSet(field, 'the environment', undefined));
    return { raw: env[name], provenance: { source: 'env', variable: name } };
  }
  if (env[fileVariable] !== undefined) {
    return secretFileCandidate(
      field,
      fileVariable,
      env[fileVariable] as string,
      undefined,
      problems,
      undefined,
    );
  }
  for (const dir of sources.secretDirs) {
    const path = dir.files.get(name);
    if (path) return secretFileCandidate(field, name, path, dir.dir, problems, { file: path });
  }
  for (const layer of sources.dotenvLayers) {
    const entry = layer.entries?.get(name);
    const fileEntry = layer.entries?.get(fileVariable);
    const location = (line: number) => ({ file: layer.file, line });
    if (entry && fileEntry) problems.push(bothSet(field, layer.file, location(fileEntry.line)));
    if (entry) {
      return {
        raw: entry.value,
        provenance: { source: 'dotenv', file: layer.file, line: entry.line, variable: name },
        location: location(entry.line),
      };
    }
    if (fileEntry) {
      const path = resolvePath(sources.context.root, fileEntry.value);
      return secretFileCandidate(field, fileVariable, path, undefined, problems, location(fileEntry.line));
    }
  }
  for (const layer of sources.yamlLayers) {
    const hit = lookupYaml(layer, field, problems);
    if (hit) {
      return {
        raw: hit.raw,
        provenance: {
          source: 'yaml',
          file: layer.file,
          line: hit.location.line,
          column: hit.location.column,
          key: hit.key,
        },
        location: hit.location,
      };
    }
  }
  if (field.spec.defaultValue) return { raw: field.spec.defaultValue.raw, provenance: { source: 'default' } };
  return undefined;
}

function secretFileCandidate(
  field: FlatField,
  variable: string,
  path: string,
  within: string | undefined,
  problems: Problem[],
  location: SourceLocation | undefined,
): Candidate | undefined {
  const read = readSecretFile(path, within);
  if (!read.ok) {
    problems.push({
      code: 'CONFIG_SECRET_FILE_REFUSED',
      severity: 'error',
      message: read.message,
      field: field.key,
      variable,
      location: location ?? { file: path },
      hint: read.hint,
    });
    // A refused file must not silently fall back to a lower layer: report it and stop.
    return {
      raw: undefined,
      provenance: { source: 'secret-file', file: path, variable },
      location,
      refused: true,
    };
  }
  return {
    raw: read.value,
    provenance: { source: 'secret-file', file: path, variable },
    location: location ?? { file: path },
  };
}

function bothSet(field: FlatField, where: string, location: SourceLocation | undefined): Problem {
  return {
    code: 'CONFIG_FILE_CONFLICT',
    severity: 'error',
    message: `both ${field.envName} and ${field.envName}_FILE are set in ${where}`,
    field: field.key,
    variable: field.envName,
    location,
    source: location ? undefined : 'environment',
    hint: `set one of them: ${field.envName}_FILE names a file holding the value`,
  };
}

function resolveMissing(
  entry: ResolvedEntry,
  dotenvAllowed: boolean,
  context: ConfigContext,
  environment: string,
  problems: Problem[],
): void {
  const { field } = entry;
  if (field.spec.standard) {
    // A Standard Schema decides for itself whether absence is fine (zod's .optional() or .default()).
    const parsed = field.spec.parse(undefined);
    if (parsed.ok) {
      entry.value = parsed.value;
      return;
    }
  }
  if (field.spec.optional) return;
  const places = [`${field.envName} in the environment`];
  if (dotenvAllowed) places.push('.env');
  places.push(
    `${field.path.map(toSnake).join('.')} in ${relativeTo(context.root, environmentFile(context, environment))}`,
  );
  problems.push({
    code: 'CONFIG_MISSING_VAR',
    severity: 'error',
    message: `${field.key} is required but not set`,
    field: field.key,
    variable: field.envName,
    source: 'environment',
    expected: field.spec.type,
    hint: `set ${places.join(', or ')}`,
  });
}

function unknownPrefixedVariables(fields: readonly FlatField[], env: Env, prefix: string): Problem[] {
  if (prefix === '') return [];
  const known = new Set<string>([`${prefix}ENVIRONMENT`]);
  for (const field of fields) known.add(field.envName).add(`${field.envName}_FILE`);
  const names = [...known];
  return Object.keys(env)
    .filter((name) => name.startsWith(prefix) && !known.has(name))
    .map((name) => {
      const suggestion = closestMatch(name, names);
      return {
        code: 'CONFIG_UNKNOWN_VAR',
        severity: 'error' as const,
        message: `${name} has the config prefix ${prefix} but fills no config field`,
        variable: name,
        source: 'environment',
        hint: suggestion ? `did you mean ${suggestion}?` : 'unset it, or add a field for it',
      };
    });
}

type DeepExpansion = { ok: true; value: unknown } | { ok: false; problem: Problem; unset: boolean };

/** Expands `${VAR}` in every string inside a YAML value (lists and maps included). */
function expandDeep(
  raw: unknown,
  lookup: (name: string) => string | undefined,
  references: string[],
): DeepExpansion {
  if (typeof raw === 'string') {
    const result = expand(raw, lookup);
    references.push(...result.references);
    if (result.ok) return { ok: true, value: result.value };
    const error = result.error;
    const problem: Problem =
      error.kind === 'syntax'
        ? {
            code: 'CONFIG_REFERENCE_SYNTAX',
            severity: 'error',
            message: `malformed reference: ${error.message}`,
          }
        : error.kind === 'unset'
          ? {
              code: 'CONFIG_UNSET_REFERENCE',
              severity: 'error',
              message: `\${${error.variable}} is referenced but ${error.variable} is not set`,
              variable: error.variable,
              hint: `set ${error.variable}, or give a default: \${${error.variable}:-value}`,
            }
          : {
              code: 'CONFIG_UNSET_REFERENCE',
              severity: 'error',
              message: `${error.variable} is required: ${error.message}`,
              variable: error.variable,
            };
    return { ok: false, problem, unset: error.kind !== 'syntax' };
  }
  if (Array.isArray(raw)) {
    const out: unknown[] = [];
    for (const item of raw) {
      const result = expandDeep(item, lookup, references);
      if (!result.ok) return result;
      out.push(result.value);
    }
    return { ok: true, value: out };
  }
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      const result = expandDeep(value, lookup, references);
      if (!result.ok) return result;
      out[key] = result.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: raw };
}

/** A committed secret must be `${VAR}` (no literal default) or a secret reference. */
function isReference(raw: unknown): boolean {
  return typeof raw === 'string' && (isSingleReference(raw) || isSecretReference(raw));
}

/** `ref+vault://…` / `secretref+…`, the syntax helmfile/vals users write. */
function isSecretReference(raw: unknown): boolean {
  return typeof raw === 'string' && /^(?:secret)?ref\+[a-z0-9]+:\/\//.test(raw.trim());
}

function describeSource(provenance: Provenance, field: FlatField): string {
  switch (provenance.source) {
    case 'env':
      return provenance.variable;
    case 'dotenv':
      return `${provenance.variable} (from .env)`;
    case 'secret-file':
      return `the secret file for ${provenance.variable}`;
    case 'yaml':
      return provenance.key;
    case 'default':
      return `the default of ${field.key}`;
  }
}

function describeRaw(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 37)}...` : raw);
  if (raw === null) return 'an empty value';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a map';
  return String(raw);
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
