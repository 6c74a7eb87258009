/**
 * Watching a loaded config's secrets: when a mounted secret changes (Kubernetes swaps the Secret's `..data`
 * link; an operator rewrites a file), the config is resolved again and, if any value changed, handed to
 * `onChange`. A reload that fails keeps the last good config and reports the error to `onError`.
 * Dynamic secrets' leases are renewed while watching; one that can no longer be extended makes a reload (a
 * fresh credential, handed to `onChange`) before it ends, and closing revokes them.
 */
import { type FSWatcher, watch } from 'node:fs';
import { LeaseKeeper } from '../secret-references/lease-keeper.ts';
import { ConfigError } from './config-error.ts';
import type { ResolvedInspection } from './inspection.ts';
import { watchPaths } from './with-secrets.ts';

export interface WatchOptions<C> {
  onChange(config: C): void;
  onError?(error: unknown): void;
  /** Quiet time after the last file event before reloading (default 100 ms: a swap is several events). */
  debounceMs?: number;
}

export interface ConfigWatcher<C> {
  /** The config as last loaded successfully. */
  readonly config: C;
  /** The resolution behind it (for tools: `toEnvironment()` gives a child process the same config). */
  readonly inspection: ResolvedInspection;
  /** Stops watching and revokes the leases of dynamic secrets; resolves when they were revoked. */
  close(): Promise<void>;
}

export async function watchConfig<C>(
  resolve: () => Promise<ResolvedInspection>,
  assemble: (inspection: ResolvedInspection) => C,
  options: WatchOptions<C>,
): Promise<ConfigWatcher<C>> {
  let inspection = await resolve();
  if (inspection.problems.length) throw new ConfigError(inspection.environment, inspection.problems);
  let config = assemble(inspection);
  let fingerprint = JSON.stringify(inspection.toEnvironment());
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const keeper = new LeaseKeeper({
    onExpiring: () => schedule(),
    onError: (_lease, error) => options.onError?.(error),
  });

  const rewatch = async (current: ResolvedInspection) => {
    for (const lease of current.leases ?? []) keeper.keep(lease);
    for (const watcher of watchers) watcher.close();
    watchers = [];
    for (const path of await watchPaths(current)) {
      try {
        // Not persistent: watching must not keep a process alive that has nothing else to do.
        watchers.push(watch(path, { persistent: false }, schedule));
      } catch (error) {
        options.onError?.(error);
      }
    }
  };
  const reload = async () => {
    if (closed) return;
    try {
      const next = await resolve();
      if (next.problems.length) throw new ConfigError(next.environment, next.problems);
      const nextFingerprint = JSON.stringify(next.toEnvironment());
      await rewatch(next);
      if (nextFingerprint === fingerprint) return;
      inspection = next;
      fingerprint = nextFingerprint;
      config = assemble(next);
      options.onChange(config);
    } catch (error) {
      options.onError?.(error);
    }
  };
  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), options.debounceMs ?? 100);
  }
  await rewatch(inspection);
  return {
    get config() {
      return config;
    },
    get inspection() {
      return inspection;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      return keeper.close();
    },
  };
}
