/**
 * What one environment's sources say about each field, apart from the process environment: YAML files,
 * `.env` files and mounted secret directories are read and looked up once per loader and environment, so a
 * load only reads variables and parses values.
 */
import { join, resolve as resolvePath } from 'node:path';
import type { Problem, SourceLocation } from '../errors.ts';
import { oneOf } from '../text/suggest.ts';
import { type ConfigContext, environmentFile } from './context.ts';
import type { FlatField } from './definition.ts';
import { ConfigCodes } from './errors.ts';
import {
  type DotenvLayer,
  listSecretDirectory,
  readDotenvLayer,
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

/** A value found for a field below the process environment. */
export type StaticSource =
  | { kind: 'value'; raw: unknown; provenance: Provenance; location?: SourceLocation | undefined }
  /** A file to read at load time (mounted secrets change under a running process). */
  | {
      kind: 'file';
      path: string;
      within: string | undefined;
      variable: string;
      location: SourceLocation | undefined;
    };

export interface FieldPlan {
  field: FlatField;
  fileVariable: string;
  envProvenance: Provenance;
  /** The highest-precedence source below the environment, if any. */
  fallback: StaticSource | undefined;
  /** The hint for a missing value: where it could be set. */
  missingHint: string;
}

export interface EnvironmentPlan {
  environment: string;
  dotenvAllowed: boolean;
  dotenvLayers: readonly DotenvLayer[];
  /**
   * Variables that `.env` files here define but this environment may not read: a missing one is reported as
   * refused, not just missing, since the developer can see it in the file.
   */
  refusedDotenv: ReadonlyMap<string, string>;
  fields: readonly FieldPlan[];
  /** Problems in the files themselves, reported on every load until fixed. */
  problems: readonly Problem[];
}

export interface PlanSettings {
  prefix: string;
  strict: boolean;
  dotenv: boolean | undefined;
  secretsDirs: readonly string[];
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

export function planEnvironment(
  fields: readonly FlatField[],
  context: ConfigContext,
  environment: string,
  settings: PlanSettings,
  cache: SourceCache,
): EnvironmentPlan {
  const problems: Problem[] = [];
  const declared = context.environments.find((candidate) => candidate.name === environment);
  if (!declared && context.workspaceFile) {
    problems.push({
      code: ConfigCodes.CONFIG_UNKNOWN_ENVIRONMENT,
      severity: 'error',
      message: `environment "${environment}" is not declared in stagecraft.yaml`,
      variable: `${settings.prefix}ENVIRONMENT`,
      location: { file: context.workspaceFile },
      hint: `${oneOf(
        environment,
        context.environments.map((e) => e.name),
      )}, or declare it`,
    });
  }
  const dotenvAllowed = settings.dotenv ?? declared?.dotenv ?? false;
  const environmentYaml = environmentFile(context, environment);
  const yamlLayers = [cache.yamlLayer(environmentYaml), cache.yamlLayer(context.basePath)];
  // Statically too, only a .env that exists provides a value: .env.example lists what to set, it sets nothing.
  const dotenvLayers = dotenvAllowed
    ? ['.env.local', '.env'].map((name) => cache.dotenvLayer(join(context.root, name)))
    : [];
  const refusedDotenv = new Map<string, string>();
  if (!dotenvAllowed && settings.mode === 'runtime') {
    for (const name of ['.env.local', '.env']) {
      const layer = cache.dotenvLayer(join(context.root, name));
      for (const variable of layer.entries?.keys() ?? [])
        if (!refusedDotenv.has(variable)) refusedDotenv.set(variable, name);
    }
  }
  const secretDirs = settings.secretsDirs.map((dir) => cache.secretDirectory(resolvePath(context.root, dir)));
  for (const layer of [...yamlLayers, ...secretDirs]) problems.push(...layer.problems);
  if (settings.strict) for (const layer of yamlLayers) problems.push(...unknownYamlKeys(layer, fields));

  const shownYaml = environmentYaml.startsWith(`${context.root}/`)
    ? environmentYaml.slice(context.root.length + 1)
    : environmentYaml;
  const plans = fields.map((field): FieldPlan => {
    const places = [`${field.envName} in the environment`];
    if (dotenvAllowed) places.push('.env');
    const key = field.path.map(toSnake).join('.');
    // A secret's value never goes in a committed file (CONFIG_SECRET_LITERAL and the scanner refuse it):
    // the file may only say where the value comes from.
    places.push(
      field.spec.secret
        ? `${key}: "\${${field.envName}}" or a reference such as "ref+k8s://SECRET/KEY" in ${shownYaml}`
        : `${key} in ${shownYaml}`,
    );
    return {
      field,
      fileVariable: `${field.envName}_FILE`,
      envProvenance: Object.freeze({ source: 'env', variable: field.envName }),
      fallback: staticSource(field, { context, dotenvLayers, secretDirs, yamlLayers, problems }),
      missingHint: `set ${places.join(', or ')}`,
    };
  });
  return { environment, dotenvAllowed, dotenvLayers, refusedDotenv, fields: plans, problems };
}

interface Layers {
  context: ConfigContext;
  dotenvLayers: readonly DotenvLayer[];
  secretDirs: readonly SecretDirectory[];
  yamlLayers: readonly YamlLayer[];
  problems: Problem[];
}

function staticSource(field: FlatField, layers: Layers): StaticSource | undefined {
  const name = field.envName;
  const fileVariable = `${name}_FILE`;
  for (const dir of layers.secretDirs) {
    const path = dir.files.get(name);
    if (path) return { kind: 'file', path, within: dir.dir, variable: name, location: { file: path } };
  }
  for (const layer of layers.dotenvLayers) {
    const entry = layer.entries?.get(name);
    const fileEntry = layer.entries?.get(fileVariable);
    if (entry && fileEntry) {
      layers.problems.push(bothSet(field, layer.file, { file: layer.file, line: fileEntry.line }));
    }
    if (entry) {
      return {
        kind: 'value',
        raw: entry.value,
        provenance: Object.freeze({ source: 'dotenv', file: layer.file, line: entry.line, variable: name }),
        location: { file: layer.file, line: entry.line },
      };
    }
    if (fileEntry) {
      return {
        kind: 'file',
        path: resolvePath(layers.context.root, fileEntry.value),
        within: undefined,
        variable: fileVariable,
        location: { file: layer.file, line: fileEntry.line },
      };
    }
  }
  for (const layer of layers.yamlLayers) {
    const hit = lookupYaml(layer, field, layers.problems);
    if (hit) {
      const { line, column } = hit.location;
      return {
        kind: 'value',
        raw: hit.raw,
        provenance: Object.freeze({ source: 'yaml', file: layer.file, line, column, key: hit.key }),
        location: hit.location,
      };
    }
  }
  if (field.spec.defaultValue) {
    return {
      kind: 'value',
      raw: field.spec.defaultValue.raw,
      provenance: Object.freeze({ source: 'default' }),
    };
  }
  return undefined;
}

export function bothSet(field: FlatField, where: string, location: SourceLocation | undefined): Problem {
  return {
    code: ConfigCodes.CONFIG_FILE_CONFLICT,
    severity: 'error',
    message: `both ${field.envName} and ${field.envName}_FILE are set in ${where}`,
    field: field.key,
    variable: field.envName,
    location,
    source: location ? undefined : 'environment',
    hint: `set one of them: ${field.envName}_FILE names a file holding the value`,
  };
}
