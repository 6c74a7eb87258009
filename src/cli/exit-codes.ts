/**
 * Exit codes shared by every command, in the manner of `terraform plan -detailed-exitcode`:
 * scripts and CI can tell "clean" from "found something" from "could not tell".
 */
export const ExitCode = {
  /** Nothing to report: valid, clean, no drift. */
  Clean: 0,
  /** Could not evaluate: bad usage, a missing or unreadable input, a failed dependency, a bug. */
  Error: 1,
  /** Evaluated and found problems: findings, violations, drift, invalid config, a refused action. */
  Problems: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
