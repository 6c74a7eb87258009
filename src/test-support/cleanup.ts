/**
 * Cleanup that runs last-made first. node:test runs `t.after` hooks in the order they were added and skips the
 * rest once one throws: a test's temporary folder, made first, would be removed while the browser and the
 * server made later still write into it — and should that removal fail, they would be left running and the
 * test file would never end. Resources registered here are released in reverse, every one of them even when
 * one fails; the first failure is then the hook's.
 */
export function lastInFirstOut(t: { after(fn: () => Promise<void>): void }): {
  after(fn: () => unknown): void;
} {
  const steps: (() => unknown)[] = [];
  t.after(async () => {
    const failures: unknown[] = [];
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  });
  return {
    after(fn) {
      steps.push(fn);
    },
  };
}
