/**
 * `@stagecraft/config` (also exported by the stagecraft package as `stagecraft/config`): typed twelve-factor
 * configuration for applications.
 *
 * @example
 * import { defineConfig, field } from '@stagecraft/config';
 * export default defineConfig({
 *   dbHost: field.string(),
 *   dbPort: field.port().default(5432),
 *   apiKey: field.secret(),
 * });
 */

export * as field from './config/builders.ts';
export { ConfigError } from './config/config-error.ts';
export {
  type ConfigLoader,
  type ConfigOptions,
  defineConfig,
  type InspectOptions,
  isConfigLoader,
  type LoadedConfig,
} from './config/define.ts';
export type { ConfigDefinition, FieldLike, FlatField, InferConfig } from './config/definition.ts';
export { Field } from './config/field.ts';
export type { ConfigInspection, ResolvedInspection } from './config/inspection.ts';
export type { Provenance, ResolvedEntry } from './config/resolve.ts';
export { isSecret, Secret } from './config/secret.ts';
export type { StandardSchemaV1 } from './config/standard-schema.ts';
export type { ParseResult } from './config/values.ts';
export type { ConfigWatcher, WatchOptions } from './config/watch.ts';
export { type Outcome, type Problem, type SourceLocation, StagecraftError } from './errors.ts';
