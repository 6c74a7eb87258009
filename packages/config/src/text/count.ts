/** "1 environment", "3 environments": a count with its noun in the right number; `plural` for the irregular. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
