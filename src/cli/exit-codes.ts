/**
 * Exit codes shared by every command, in the manner of `terraform plan -detailed-exitcode`:
 * scripts and CI can tell "clean" from "found something" from "could not tell".
 */
import type { Outcome } from '@stagecraft/config/errors';

export const ExitCode = {
  /** Nothing to report: valid, clean, no drift. */
  Clean: 0,
  /** Could not evaluate: bad usage, a missing or unreadable input, a failed dependency, a bug. */
  Error: 1,
  /** Evaluated and found problems: findings, violations, drift, invalid config, a refused action. */
  Problems: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_OUTCOME: Readonly<Record<Outcome, ExitCode>> = {
  invalid: ExitCode.Problems,
  refused: ExitCode.Problems,
  failed: ExitCode.Error,
  unavailable: ExitCode.Error,
};

/**
 * The one place an error's outcome becomes an exit code. An error from a copy of stagecraft too old to
 * carry an outcome could not be evaluated any further: 1.
 */
export function exitCodeFor(outcome: Outcome): ExitCode {
  return Object.hasOwn(BY_OUTCOME, outcome) ? BY_OUTCOME[outcome] : ExitCode.Error;
}
