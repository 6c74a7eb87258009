/** "1 environment", "3 environments": a count with its noun in the right number; `plural` for the irregular. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** The verb that agrees with a count: `${counted(n, 'file')} ${agreeing(n, 'was', 'were')} skipped`. */
export function agreeing(count: number, singular: string, plural: string): string {
  return count === 1 ? singular : plural;
}
