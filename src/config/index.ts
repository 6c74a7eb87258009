/**
 * `stagecraft/config`: typed twelve-factor configuration for applications.
 *
 * @example
 * import { defineConfig, field } from 'stagecraft/config';
 * export default defineConfig({
 *   dbHost: field.string(),
 *   dbPort: field.port().default(5432),
 *   apiKey: field.secret(),
 * });
 */
export { type Outcome, type Problem, type SourceLocation, StagecraftError } from '../errors.ts';
export * as field from './builders.ts';
export { ConfigError } from './config-error.ts';
export {
  type ConfigInspection,
  type ConfigLoader,
  type ConfigOptions,
  defineConfig,
  type InspectOptions,
  isConfigLoader,
  type LoadedConfig,
  type ResolvedInspection,
} from './define.ts';
export type { ConfigDefinition, FieldLike, FlatField, InferConfig } from './definition.ts';
export { Field } from './field.ts';
export type { Provenance, ResolvedEntry } from './resolve.ts';
export { isSecret, Secret } from './secret.ts';
export type { StandardSchemaV1 } from './standard-schema.ts';
export type { ParseResult } from './values.ts';
export type { ConfigWatcher, WatchOptions } from './watch.ts';
