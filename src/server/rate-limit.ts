/**
 * Failed authentications per client, so tokens cannot be guessed at speed and a flood of bad requests cannot
 * flood the audit log. Kept in the process: behind a load balancer each server counts its own share, which
 * still bounds a guesser to a few attempts a minute per server. The table is bounded too: past `maxClients`
 * the oldest entry goes, so many addresses cannot exhaust memory.
 */
export interface FailureLimiterOptions {
  /** Failures allowed per client in `windowMs` before it must wait. */
  maxFailures: number;
  windowMs: number;
  maxClients: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly options: FailureLimiterOptions = {
      maxFailures: 10,
      windowMs: 60_000,
      maxClients: 10_000,
    },
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds the client must still wait, or undefined when it may try. */
  retryAfter(client: string): number | undefined {
    const entry = this.current(client);
    if (!entry || entry.count < this.options.maxFailures) return undefined;
    return Math.max(1, Math.ceil((entry.since + this.options.windowMs - this.clock()) / 1000));
  }

  /** Counts a failure; true when it is the one that locks the client out (audited once, not each time). */
  fail(client: string): boolean {
    const entry = this.current(client) ?? { count: 0, since: this.clock() };
    entry.count += 1;
    this.failures.delete(client);
    this.failures.set(client, entry);
    if (this.failures.size > this.options.maxClients) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    return entry.count === this.options.maxFailures;
  }

  private current(client: string): { count: number; since: number } | undefined {
    const entry = this.failures.get(client);
    if (entry && this.clock() - entry.since >= this.options.windowMs) {
      this.failures.delete(client);
      return undefined;
    }
    return entry;
  }
}
