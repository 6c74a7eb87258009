/**
 * `/v1/status` for many readers (every dashboard refreshes it on every ledger event): the answer is kept
 * while the ledger is unchanged — one query of the audit head's count tells, and every write moves it, on
 * any server sharing the database — and for at most a second, since the clock alone opens soaks and windows.
 * Readers arriving while it is computed share the one computation.
 */
import type { Ledger } from '../ledger/ledger.ts';
import type { StatusBody } from './schemas.ts';

export class StatusCache {
  private kept: { writes: number; at: number; answer: Promise<StatusBody> } | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly maxAgeMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(): Promise<StatusBody> {
    const writes = await this.ledger.changeCount();
    const kept = this.kept;
    if (kept && kept.writes === writes && this.clock() - kept.at < this.maxAgeMs) return kept.answer;
    const answer = this.compute();
    this.kept = { writes, at: this.clock(), answer };
    // A failed computation is not kept: the next reader tries again.
    answer.catch(() => {
      if (this.kept?.answer === answer) this.kept = undefined;
    });
    return answer;
  }

  private async compute(): Promise<StatusBody> {
    const [deployments, next, now] = await Promise.all([
      this.ledger.status(),
      this.ledger.pendingGates(),
      this.ledger.now(),
    ]);
    return { now: now.toISOString(), deployments, next };
  }
}
