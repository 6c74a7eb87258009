/**
 * The asynchronous half of loading: the values that hold secret references are resolved through their
 * backends (each backend and path read once), then parsed like any other value. Imported only by
 * `loadWithSecrets()` and the CLI, so the synchronous `load()` never loads secret backends.
 */

import { dirname } from 'node:path';
import { isStagecraftError, type Problem } from '../errors.ts';
import type { BackendContext, Env, SecretLease } from '../secret-references/backend.ts';
import { SecretCodes } from '../secret-references/errors.ts';
import { loadBackend } from '../secret-references/registry.ts';
import { type LeasedRead, SecretResolver } from '../secret-references/resolver.ts';
import type { ConfigContext } from './context.ts';
import { parseInto, type Resolution, rawValue } from './resolve.ts';

/** `reuse`: leased reads of the config being reloaded whose leases still run (see SecretResolver). */
export async function resolvePending(
  resolution: Resolution,
  context: ConfigContext,
  env: Env,
  reuse?: ReadonlyMap<string, LeasedRead>,
): Promise<SecretResolver> {
  const resolver = new SecretResolver(
    {
      root: context.root,
      environment: resolution.environment,
      dotenvAllowed: resolution.dotenvAllowed,
      env,
      fileRoots: context.fileRoots,
    },
    reuse,
  );
  // All at once (the reads overlap), reported in field order.
  const outcomes = await Promise.all(
    resolution.pending.map(async ({ entry, raw, location }) => {
      const problems: Problem[] = [];
      try {
        parseInto(entry, await resolver.resolveDeep(raw), problems, location);
      } catch (error) {
        const known = isStagecraftError(error);
        problems.push({
          code: known ? error.code : SecretCodes.SECRET_READ_FAILED,
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
  RESOLVERS.set(resolution, resolver);
  return resolver;
}

const RESOLVERS = new WeakMap<Resolution, SecretResolver>();

/** The leases of the dynamic secrets a resolution read. */
export function leasesOf(resolution: Resolution): readonly SecretLease[] {
  return RESOLVERS.get(resolution)?.leases ?? [];
}

/** The leased reads of a resolution, by what was read: a reload passes those still running as `reuse`. */
export function leasedReadsOf(resolution: Resolution): ReadonlyMap<string, LeasedRead> {
  return RESOLVERS.get(resolution)?.leasedReads ?? new Map();
}

/**
 * How a resolved config's secrets can be followed. `paths`: the files and folders it was read from that can
 * change under a running process (mounted secret folders and files behind references, secret files behind
 * fields; folders, not files, since Kubernetes updates a mounted Secret by swapping a link in its folder).
 * `polled`: the references read through an API, with nothing to watch, which only reading again can follow.
 */
export async function watchPlan(resolution: Resolution): Promise<{ paths: string[]; polled: string[] }> {
  const paths = new Set<string>();
  const polled = new Set<string>();
  const resolver = RESOLVERS.get(resolution);
  for (const reference of resolver?.resolved ?? []) {
    const backend = await loadBackend(reference);
    const watched = backend.watchPaths?.(reference, resolver?.context as BackendContext) ?? [];
    for (const path of watched) paths.add(path);
    if (!watched.length && !backend.fixed) polled.add(reference.text);
  }
  for (const entry of resolution.entries) {
    if (entry.provenance?.source === 'secret-file') paths.add(dirname(entry.provenance.file));
  }
  return { paths: [...paths], polled: [...polled] };
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
