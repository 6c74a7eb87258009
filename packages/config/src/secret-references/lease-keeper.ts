/**
 * Keeps the leases of dynamic secrets alive while a process runs: each is renewed at about two thirds of its
 * TTL; when it can no longer be extended (not renewable, the store granted less than asked because its
 * maximum TTL is near, or the renewal failed) the owner is told to read the secret afresh, before the old
 * one ends; on close every lease still running is revoked, so a credential does not outlive its process.
 */
import type { SecretLease } from './backend.ts';

/** Time, injectable: tests pass a clock they advance by hand. */
export interface LeaseClock {
  now(): number;
  /** `fn` may return a promise (a renewal under way): a test clock awaits it. */
  setTimer(fn: () => unknown, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: LeaseClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LeaseKeeperOptions {
  clock?: LeaseClock;
  /** The lease cannot be extended past its end: read the secret afresh (a new lease) before then. */
  onExpiring(lease: SecretLease): void;
  /** A renewal or revocation failed (the message names the lease id, never a value). */
  onError?(lease: SecretLease, error: unknown): void;
}

interface Kept {
  lease: SecretLease;
  /** When the lease ends (ms), as far as the keeper knows. */
  endsAt: number;
  timer: unknown;
}

/** Below this TTL a lease is not renewed again but replaced: a renewal takes a round trip of its own. */
const MIN_RENEWABLE_SECONDS = 1;

export class LeaseKeeper {
  private readonly kept = new Map<string, Kept>();
  private readonly clock: LeaseClock;
  private closed = false;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The leases being kept (renewed, or waiting to be replaced), by id. */
  get ids(): string[] {
    return [...this.kept.keys()];
  }

  keep(lease: SecretLease): void {
    if (this.closed || this.kept.has(lease.id)) return;
    const entry: Kept = { lease, endsAt: this.clock.now() + lease.ttlSeconds * 1000, timer: undefined };
    this.kept.set(lease.id, entry);
    if (lease.renewable) this.schedule(entry, lease.ttlSeconds, () => this.renew(entry, lease.ttlSeconds));
    else this.schedule(entry, lease.ttlSeconds, () => this.expiring(entry));
  }

  /** Revokes every lease still running; resolves when all were tried (failures go to onError). */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.kept.values()];
    this.kept.clear();
    const now = this.clock.now();
    await Promise.all(
      entries.map(async (entry) => {
        this.clock.clearTimer(entry.timer);
        if (entry.endsAt <= now) return; // already over: nothing to revoke
        try {
          await entry.lease.revoke();
        } catch (error) {
          this.options.onError?.(entry.lease, error);
        }
      }),
    );
  }

  private schedule(entry: Kept, ttlSeconds: number, action: () => unknown): void {
    entry.timer = this.clock.setTimer(action, Math.max(0, Math.floor((ttlSeconds * 1000 * 2) / 3)));
  }

  private async renew(entry: Kept, increment: number): Promise<void> {
    if (this.closed) return;
    let granted: number;
    let final: boolean;
    try {
      const renewed = await entry.lease.renew(increment);
      granted = renewed.ttlSeconds;
      // Less than asked: the maximum TTL is near, so this is the last extension (unless the lease says).
      // A grant too short to renew again in time is final whatever the lease says: never a renewal loop.
      final = (renewed.final ?? granted < increment) || granted < MIN_RENEWABLE_SECONDS;
    } catch (error) {
      this.options.onError?.(entry.lease, error);
      this.expiring(entry);
      return;
    }
    if (this.closed) return;
    entry.endsAt = this.clock.now() + granted * 1000;
    if (final) this.schedule(entry, granted, () => this.expiring(entry));
    else this.schedule(entry, granted, () => this.renew(entry, increment));
  }

  private expiring(entry: Kept): void {
    if (this.closed) return;
    // Still kept until close: revoked then if it has not ended by itself.
    this.options.onExpiring(entry.lease);
  }
}
