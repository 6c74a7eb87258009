/**
 * Keeps the leases of dynamic secrets alive while a process runs: each is renewed at about two thirds of its
 * TTL; when it can no longer be extended (not renewable, the store granted less than asked because its
 * maximum TTL is near, or the renewal failed) the owner is told to read the secret afresh, before the old
 * one ends; a lease whose credential was replaced is retired (no longer renewed, revoked after a grace period);
 * on close every lease still running is revoked, so a credential does not outlive its process.
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
  /** The owner was told to read it afresh. */
  expiring: boolean;
  /** Replaced: waiting out its grace period before it is revoked. */
  retiring: boolean;
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
    const entry: Kept = {
      lease,
      endsAt: this.clock.now() + lease.ttlSeconds * 1000,
      timer: undefined,
      expiring: false,
      retiring: false,
    };
    this.kept.set(lease.id, entry);
    if (lease.renewable) this.schedule(entry, lease.ttlSeconds, () => this.renew(entry, lease.ttlSeconds));
    else this.schedule(entry, lease.ttlSeconds, () => this.expiring(entry));
  }

  /** Whether the owner was told this lease cannot be extended (its secret is to be read afresh). */
  isExpiring(id: string): boolean {
    return this.kept.get(id)?.expiring === true;
  }

  /**
   * The owner no longer hands this lease's credential out (a reload replaced it): it is no longer renewed and
   * is revoked after `graceMs`, so connections opened with it can drain; one that ends sooner is left to end.
   */
  retire(id: string, graceMs: number): void {
    const entry = this.kept.get(id);
    if (this.closed || !entry || entry.retiring) return;
    entry.retiring = true;
    this.clock.clearTimer(entry.timer);
    const left = entry.endsAt - this.clock.now();
    entry.timer = this.clock.setTimer(() => this.revoke(entry), Math.max(0, Math.min(graceMs, left)));
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

  private async revoke(entry: Kept): Promise<void> {
    if (this.kept.get(entry.lease.id) !== entry) return; // closed meanwhile: close revoked it
    this.kept.delete(entry.lease.id);
    if (entry.endsAt <= this.clock.now()) return; // over by itself: never revoked past its end
    try {
      await entry.lease.revoke();
    } catch (error) {
      this.options.onError?.(entry.lease, error);
    }
  }

  private schedule(entry: Kept, ttlSeconds: number, action: () => unknown): void {
    entry.timer = this.clock.setTimer(action, Math.max(0, Math.floor((ttlSeconds * 1000 * 2) / 3)));
  }

  private async renew(entry: Kept, increment: number): Promise<void> {
    if (this.closed || entry.retiring) return;
    let granted: number;
    let final: boolean;
    try {
      const renewed = await entry.lease.renew(increment);
      granted = renewed.ttlSeconds;
      // Less than asked: the maximum TTL is near, so this is the last extension (unless the lease says).
      // A grant too short to renew again in time is final whatever the lease says: never a renewal loop.
      final = (renewed.final ?? granted < increment) || granted < MIN_RENEWABLE_SECONDS;
    } catch (error) {
      if (entry.retiring) return;
      this.options.onError?.(entry.lease, error);
      this.expiring(entry);
      return;
    }
    entry.endsAt = this.clock.now() + granted * 1000;
    // Retired while the renewal was under way: its revocation is already scheduled.
    if (this.closed || entry.retiring) return;
    if (final) this.schedule(entry, granted, () => this.expiring(entry));
    else this.schedule(entry, granted, () => this.renew(entry, increment));
  }

  private expiring(entry: Kept): void {
    if (this.closed || entry.retiring) return;
    entry.expiring = true;
    // Still kept until close: revoked then if it has not ended by itself.
    this.options.onExpiring(entry.lease);
  }
}
