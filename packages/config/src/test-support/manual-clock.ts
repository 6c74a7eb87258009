/** A lease clock moved by hand, for tests of renewals and grace periods without waiting for them. */
import type { LeaseClock } from '../secret-references/lease-keeper.ts';

export interface ManualClock extends LeaseClock {
  /** Moves time on, firing due timers in order and waiting for what each started. */
  advance(ms: number): Promise<void>;
}

export function manualClock(): ManualClock {
  let now = 1_000_000;
  let timers: { at: number; fn: () => unknown; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimer(fn, ms) {
      timers.push({ at: now + ms, fn, id: ++next });
      return next;
    },
    clearTimer(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        now = due.at;
        await due.fn();
      }
      now = end;
    },
  };
}
