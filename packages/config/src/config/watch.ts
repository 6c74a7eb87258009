/**
 * Watching a loaded config's secrets: when a mounted secret changes (Kubernetes swaps the Secret's `..data`
 * link; an operator rewrites a file), the config is resolved again and, if any value changed, handed to
 * `onChange`. Values read through an API (Vault, AWS Secrets Manager and SSM, the Kubernetes API) have no file
 * to watch, so they are read again on an interval. A reload that fails keeps the last good config and reports
 * the error to `onError`.
 *
 * Dynamic secrets' leases are renewed while watching, and a reload reuses every lease still running rather
 * than taking a new credential; one that can no longer be extended is read afresh before it ends (a new
 * credential, handed to `onChange`). A lease whose credential was replaced is revoked after a grace period,
 * so the app can drain connections opened with it; a reload that is not adopted (it failed, or changed
 * nothing) revokes the leases it took at once; closing revokes the rest.
 */
import { type FSWatcher, watch } from 'node:fs';
import type { SecretLease } from '../secret-references/backend.ts';
import { type LeaseClock, LeaseKeeper } from '../secret-references/lease-keeper.ts';
import type { LeasedRead } from '../secret-references/resolver.ts';
import { ConfigError } from './config-error.ts';
import type { ResolvedInspection } from './inspection.ts';
import { leasedReadsOf, watchPlan } from './with-secrets.ts';

/** How often API-read values are read again when the config holds one and no interval is given. */
export const DEFAULT_REFRESH_INTERVAL_MS: number = 5 * 60_000;
/** How long a replaced lease lives on, by default, before it is revoked. */
export const DEFAULT_LEASE_GRACE_MS: number = 30_000;

export interface WatchOptions<C> {
  onChange(config: C): void;
  onError?(error: unknown): void;
  /** Quiet time after the last file event before reloading (default 100 ms: a swap is several events). */
  debounceMs?: number;
  /**
   * How often to read again the values that come through an API (Vault, AWS Secrets Manager and SSM, the
   * Kubernetes API) and have no file to watch; `onChange` is called only when one changed. Default
   * 5 minutes when the config holds such a reference, else off; `0` turns it off. Running leases are reused,
   * so a refresh takes no new database credential. Example: `refreshIntervalMs: 60_000` to see a rotated
   * AWS secret within a minute.
   */
  refreshIntervalMs?: number;
  /**
   * How long a dynamic credential replaced by a reload stays valid after `onChange` handed over the new one,
   * so the app can drain connections opened with it; then its lease is revoked (never later than the lease
   * would end by itself). Default 30 s.
   */
  leaseGraceMs?: number;
  /** Time for leases (renewals, grace periods); default the system's. Tests pass a clock they move by hand. */
  leaseClock?: LeaseClock;
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
  resolve: (reuse: ReadonlyMap<string, LeasedRead>) => Promise<ResolvedInspection>,
  assemble: (inspection: ResolvedInspection) => C,
  options: WatchOptions<C>,
): Promise<ConfigWatcher<C>> {
  let inspection = await resolve(new Map());
  if (inspection.problems.length) {
    await revokeAll(inspection.leases ?? [], options);
    throw new ConfigError(inspection.environment, inspection.problems);
  }
  let config = assemble(inspection);
  let fingerprint = JSON.stringify(inspection.toEnvironment());
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let refresh: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;
  const graceMs = options.leaseGraceMs ?? DEFAULT_LEASE_GRACE_MS;
  const keeper = new LeaseKeeper({
    ...(options.leaseClock ? { clock: options.leaseClock } : {}),
    onExpiring: () => schedule(),
    onError: (_lease, error) => options.onError?.(error),
  });

  const follow = async (current: ResolvedInspection) => {
    for (const lease of current.leases ?? []) keeper.keep(lease);
    for (const watcher of watchers) watcher.close();
    watchers = [];
    const plan = await watchPlan(current);
    for (const path of plan.paths) {
      try {
        // Not persistent: watching must not keep a process alive that has nothing else to do.
        watchers.push(watch(path, { persistent: false }, schedule));
      } catch (error) {
        options.onError?.(error);
      }
    }
    const interval = options.refreshIntervalMs ?? (plan.polled.length ? DEFAULT_REFRESH_INTERVAL_MS : 0);
    clearInterval(refresh);
    refresh = undefined;
    // Nor does the refresh timer keep it alive.
    if (interval > 0 && !closed) refresh = setInterval(trigger, interval).unref();
  };
  const reload = async () => {
    // Every lease still running is reused; only one the keeper found expiring is read afresh.
    const reuse = new Map<string, LeasedRead>();
    for (const [key, read] of leasedReadsOf(inspection)) {
      if (!keeper.isExpiring(read.lease.id)) reuse.set(key, read);
    }
    let next: ResolvedInspection;
    try {
      next = await resolve(reuse);
    } catch (error) {
      options.onError?.(error);
      return;
    }
    const held = new Set((inspection.leases ?? []).map((lease) => lease.id));
    const taken = (next.leases ?? []).filter((lease) => !held.has(lease.id));
    try {
      if (closed) return await revokeAll(taken, options);
      if (next.problems.length) throw new ConfigError(next.environment, next.problems);
      const nextFingerprint = JSON.stringify(next.toEnvironment());
      if (nextFingerprint === fingerprint) {
        // Nothing to hand over: the config in use keeps its leases, the new ones go.
        await revokeAll(taken, options);
        await follow(inspection);
        return;
      }
      const kept = new Set((next.leases ?? []).map((lease) => lease.id));
      const replaced = (inspection.leases ?? []).filter((lease) => !kept.has(lease.id));
      inspection = next;
      fingerprint = nextFingerprint;
      config = assemble(next);
      await follow(next);
      // The grace period starts as the new credential is handed over.
      for (const lease of replaced) keeper.retire(lease.id, graceMs);
      options.onChange(config);
    } catch (error) {
      if (inspection !== next) await revokeAll(taken, options);
      options.onError?.(error);
    }
  };
  /** Reloads now, or once more after the reload under way (never two at once). */
  function trigger(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await reload();
      } while (again && !closed);
      running = undefined;
    })();
  }
  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(trigger, options.debounceMs ?? 100).unref();
  }
  await follow(inspection);
  return {
    get config() {
      return config;
    },
    get inspection() {
      return inspection;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(refresh);
      for (const watcher of watchers) watcher.close();
      // A reload under way revokes what it took once it sees the watcher closed.
      await running;
      await keeper.close();
    },
  };
}

/** Revokes leases no config uses (a reload not adopted); failures go to `onError`. */
async function revokeAll(leases: readonly SecretLease[], options: { onError?(error: unknown): void }) {
  await Promise.all(
    leases.map(async (lease) => {
      try {
        await lease.revoke();
      } catch (error) {
        options.onError?.(error);
      }
    }),
  );
}
