/** A clock moved by hand, for lease and token lifetimes: `advance` fires due timers in order and waits for each. */
import type { LeaseClock } from '../secret-references/lease-keeper.ts';

export function manualClock(): LeaseClock & { advance(ms: number): Promise<void> } {
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
