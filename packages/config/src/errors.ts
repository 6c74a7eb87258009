/**
 * The one error type every part of stagecraft throws for a problem a user can act on.
 *
 * `code` is a stable string and part of the API (`WORKSPACE_INVALID`, `CONFIG_MISSING_VAR`); messages may be
 * reworded, codes may not. Each problem says what is wrong, where, and what to do next. Problems are data, so
 * one problem can become a CLI line, a JSON object or a SARIF result without re-parsing a message.
 */

/** Where a problem sits: a file with an optional 1-based line and column. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning';

/** One thing wrong with an input, with enough context to fix it. */
export interface Problem {
  /** Stable machine-readable code, e.g. `WORKSPACE_UNKNOWN_KEY`. */
  code: string;
  /** What is wrong, in one sentence, without the location. */
  message: string;
  severity: Severity;
  location?: SourceLocation | undefined;
  /** The key path inside the document, e.g. `environments.staging.from`. */
  path?: string | undefined;
  /** The config field concerned, e.g. `db.host`. */
  field?: string | undefined;
  /** The environment variable concerned, e.g. `DB__HOST`. */
  variable?: string | undefined;
  /** Where the value came from when that is not a file: `environment`, `default`. */
  source?: string | undefined;
  expected?: string | undefined;
  found?: string | undefined;
  /** What to do about it. */
  hint?: string | undefined;
}

export interface StagecraftErrorOptions {
  hint?: string | undefined;
  location?: SourceLocation | undefined;
  problems?: readonly Problem[] | undefined;
  cause?: unknown;
}

export class StagecraftError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  /** Every problem found, when the error reports several at once (validation never stops at the first). */
  readonly problems: readonly Problem[];

  constructor(code: string, message: string, options: StagecraftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StagecraftError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.problems = options.problems ?? [];
  }
}

// A brand rather than instanceof alone: an app's bundled copy of the library and the CLI's copy throw
// errors of different classes, and both must be recognised.
const ERROR_BRAND = Symbol.for('stagecraft.error');
Object.defineProperty(StagecraftError.prototype, ERROR_BRAND, { value: true });

export function isStagecraftError(value: unknown): value is StagecraftError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/** `file:line:column`, or as much of it as is known. */
export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** A problem as plain text lines: `file:line:col: message`, then expected/found/hint when known. */
export function formatProblem(problem: Problem): string {
  const where = problem.location
    ? `${formatLocation(problem.location)}: `
    : problem.source
      ? `(${problem.source}) `
      : '';
  const lines = [`${where}${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`];
  if (problem.expected !== undefined) lines.push(`  expected: ${problem.expected}`);
  if (problem.found !== undefined) lines.push(`  found:    ${problem.found}`);
  if (problem.hint !== undefined) lines.push(`  hint:     ${problem.hint}`);
  return lines.join('\n');
}

/** Builds an error message that lists every problem, so `error.message` alone is useful in a log. */
export function summarizeProblems(headline: string, problems: readonly Problem[]): string {
  if (problems.length === 0) return headline;
  return [headline, ...problems.map((problem) => formatProblem(problem))].join('\n');
}
