/**
 * The asynchronous half of loading: the values that hold secret references are resolved through their
 * backends (each backend and path read once), then parsed like any other value. Imported only by
 * `loadWithSecrets()` and the CLI, so the synchronous `load()` never loads secret backends.
 */
import { isStagecraftError, type Problem } from '../errors.ts';
import type { Env } from '../secrets/backend.ts';
import { SecretResolver } from '../secrets/resolver.ts';
import type { ConfigContext } from './context.ts';
import { parseInto, type Resolution, rawValue } from './resolve.ts';

export async function resolvePending(
  resolution: Resolution,
  context: ConfigContext,
  env: Env,
): Promise<SecretResolver> {
  const resolver = new SecretResolver({
    root: context.root,
    environment: resolution.environment,
    dotenvAllowed: resolution.dotenvAllowed,
    env,
  });
  // All at once (the reads overlap), reported in field order.
  const outcomes = await Promise.all(
    resolution.pending.map(async ({ entry, raw, location }) => {
      const problems: Problem[] = [];
      try {
        parseInto(entry, await resolver.resolveDeep(raw), problems, location);
      } catch (error) {
        const known = isStagecraftError(error);
        problems.push({
          code: known ? error.code : 'SECRET_READ_FAILED',
          severity: 'error',
          message: `${entry.field.key}: ${known ? error.message : `reading ${entry.secretReferences.join(', ')} failed: ${(error as Error).message}`}`,
          field: entry.field.key,
          variable: entry.field.envName,
          location,
          source: location ? undefined : 'environment',
          hint: known ? error.hint : 'check that the backend is reachable and readable from here',
        });
      }
      return problems;
    }),
  );
  for (const problems of outcomes) resolution.problems.push(...problems);
  resolution.pending = [];
  return resolver;
}

/**
 * The variables a child process needs to load this same config with no further resolution: each field's
 * value as the config library reads it from the environment (lists and maps as JSON), secrets in plain text.
 */
export function toEnvironment(resolution: Resolution, prefix: string): Record<string, string> {
  const variables: Record<string, string> = { [`${prefix}ENVIRONMENT`]: resolution.environment };
  for (const entry of resolution.entries) {
    const raw = rawValue(entry);
    if (raw === undefined || raw === null || entry.value === undefined) continue;
    variables[entry.field.envName] =
      typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  }
  return variables;
}
