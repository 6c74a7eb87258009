/**
 * A config definition is a tree of fields and groups. Flattening it once gives each field its dotted key,
 * its environment variable and the YAML spellings that fill it.
 */
import { StagecraftError } from '../errors.ts';
import { ConfigCodes } from './errors.ts';
import { type Field, type FieldSpec, specOf, toField } from './field.ts';
import { envNameFor, NESTED_DELIMITER, toSnake } from './naming.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

export type FieldLike = Field<unknown> | StandardSchemaV1;
export interface ConfigDefinition {
  readonly [key: string]: FieldLike | ConfigDefinition;
}

/** The loaded config's type, inferred from the definition. */
export type InferConfig<D> = {
  readonly [K in keyof D]: D[K] extends Field<infer T>
    ? T
    : D[K] extends StandardSchemaV1
      ? NonNullable<D[K]['~standard']['types']>['output']
      : D[K] extends ConfigDefinition
        ? InferConfig<D[K]>
        : never;
};

export interface FlatField {
  /** `['db', 'host']` */
  path: readonly string[];
  /** `db.host` */
  key: string;
  /** `DB__HOST`, with the prefix, or the field's own `.env()` name. */
  envName: string;
  spec: FieldSpec;
  /** Whether a browser bundle may see it (its variable starts with the client prefix). */
  client: boolean;
}

export interface FlattenOptions {
  prefix: string;
  clientPrefix: string | undefined;
}

export function flattenDefinition(definition: ConfigDefinition, options: FlattenOptions): FlatField[] {
  const fields: FlatField[] = [];
  const walk = (node: ConfigDefinition, path: string[]) => {
    for (const [name, value] of Object.entries(node)) {
      const fieldPath = [...path, name];
      const field = toField(value);
      if (field) {
        const spec = specOf(field);
        const envName = spec.env ?? envNameFor(fieldPath, options.prefix);
        const client = options.clientPrefix !== undefined && envName.startsWith(options.clientPrefix);
        fields.push({ path: fieldPath, key: fieldPath.join('.'), envName, spec, client });
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as ConfigDefinition, fieldPath);
      } else {
        throw definitionError(
          `config field "${fieldPath.join('.')}" is neither a field nor a group`,
          'use a field such as field.string(), a Standard Schema validator, or an object of fields',
        );
      }
    }
  };
  walk(definition, []);
  checkDefinition(fields, options);
  return fields;
}

function checkDefinition(fields: readonly FlatField[], options: FlattenOptions): void {
  const byEnv = new Map<string, string>();
  for (const field of fields) {
    const other = byEnv.get(field.envName);
    if (other) {
      throw definitionError(
        `config fields "${other}" and "${field.key}" both read ${field.envName}`,
        'give one of them its own variable with .env(NAME)',
      );
    }
    byEnv.set(field.envName, field.key);
    if (field.client && field.spec.secret) {
      throw definitionError(
        `secret field "${field.key}" reads ${field.envName}, which has the client prefix ${options.clientPrefix}`,
        'a client-prefixed variable ends up in browser bundles; drop the prefix or make the field non-secret',
      );
    }
    for (const segment of field.path) {
      if (segment.includes(NESTED_DELIMITER) || toSnake(segment).includes(NESTED_DELIMITER)) {
        throw definitionError(
          `config field "${field.key}" has "__" in its name, which is the nesting delimiter`,
          'rename it, or nest it in a group',
        );
      }
    }
  }
}

function definitionError(message: string, hint: string): StagecraftError {
  return new StagecraftError(ConfigCodes.CONFIG_DEFINITION, message, { hint });
}
