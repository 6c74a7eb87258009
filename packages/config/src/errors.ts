/**
 * The one error type every part of stagecraft throws for a problem a user can act on, and the codes it
 * carries.
 *
 * `code` is a stable string and part of the API (`WORKSPACE_INVALID`, `CONFIG_MISSING_VAR`); messages may be
 * reworded, codes may not. Each module declares its codes once, in a catalog beside its code (its
 * `errors.ts`, made with `defineErrors`), with what each means, what to do about it and its outcome; an error
 * takes its code from a catalog, never from a string literal, so a misspelt code does not compile, and
 * `docs/errors.md` is generated from the catalogs. A code thrown by two modules is declared by the one the
 * other already depends on.
 *
 * Each problem says what is wrong, where, and what to do next. Problems are data, so one problem can become
 * a CLI line, a JSON object or a SARIF result without re-parsing a message. They share the catalogs: a code
 * names one kind of problem whether it is thrown or listed inside another error.
 *
 * This file imports nothing, so every module (and the config library apps import) can depend on it.
 */

/**
 * What an error means for whoever ran the command. It comes from the code's declaration, so every error
 * with one code has one outcome; the CLI turns it into an exit code in one place (cli/exit-codes.ts).
 */
export type Outcome = 'invalid' | 'refused' | 'failed' | 'unavailable';

/** Each outcome, as docs/errors.md explains it. */
export const OUTCOMES: Readonly<Record<Outcome, string>> = {
  invalid:
    'What the user wrote for stagecraft or the app is wrong: stagecraft.yaml, config files and variables, secret references, a policy, a hook manager’s or gitleaks’ settings. Fixing it fixes the error.',
  refused:
    'A rule refused the action: a rule of the ledger, or a rule about where secrets may be read from or written to.',
  failed:
    'stagecraft could not evaluate: the command was used wrongly, an input it reads is not what it should be (a state file where a plan belongs, a corrupt baseline, an alias bomb in a manifest), or a step it ran broke.',
  unavailable:
    'Something needed is not there or cannot be reached: a file, git, kubectl, a database, a secret backend.',
};

declare const DECLARED: unique symbol;

/**
 * A code declared in a catalog: at run time the code's own string (so it compares, prints and serialises as
 * one), for the compiler a type only `defineErrors` makes, so a bare string literal is not a code.
 */
export type Code<C extends string = string> = C & { readonly [DECLARED]: true };

export interface CodeDeclaration {
  readonly outcome: Outcome;
  /** What the code means, in a sentence or two, whatever the case at hand. */
  readonly meaning: string;
  /** What to do about it in general; an error's own hint says it for the case at hand. */
  readonly hint?: string;
}

/** A module's codes by name: `WorkspaceCodes.WORKSPACE_NOT_FOUND`. */
export type Catalog<K extends string> = { readonly [P in K]: Code<P> };

export interface DeclaredCode extends CodeDeclaration {
  readonly code: string;
  /** The module that declares it (`workspace`, `scan`): docs/errors.md groups codes by it. */
  readonly module: string;
}

const CODE_FORMAT = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const declared = new Map<string, DeclaredCode>();

/**
 * Declares a module's codes. Declare the object `as const` (the compiler then knows each code's name) and
 * give the catalog its type from it:
 *
 * @example
 * const codes = {
 *   WORKSPACE_NOT_FOUND: { outcome: 'unavailable', meaning: 'No stagecraft.yaml was found.', hint: 'Run `stagecraft init`.' },
 * } as const;
 * export const WorkspaceCodes: Catalog<keyof typeof codes> = defineErrors('workspace', codes);
 *
 * throw new StagecraftError(WorkspaceCodes.WORKSPACE_NOT_FOUND, `no stagecraft.yaml in ${dir}`);
 */
export function defineErrors<const T extends Readonly<Record<string, CodeDeclaration>>>(
  module: string,
  codes: T,
): Catalog<keyof T & string> {
  const catalog: Record<string, string> = {};
  for (const [code, declaration] of Object.entries(codes)) {
    if (!CODE_FORMAT.test(code)) throw new Error(`error code ${code} is not UPPER_SNAKE_CASE`);
    if (!Object.hasOwn(OUTCOMES, declaration.outcome))
      throw new Error(`error code ${code} has no known outcome`);
    const other = declared.get(code);
    // The same module evaluated again (a second copy of it) may declare its codes again; another may not.
    if (other && other.module !== module) {
      throw new Error(`error code ${code} is declared by both ${other.module} and ${module}`);
    }
    declared.set(code, { code, module, ...declaration });
    catalog[code] = code;
  }
  return Object.freeze(catalog) as Catalog<keyof T & string>;
}

/** Every code declared so far (each catalog declares its codes when its module loads), in declaration order. */
export function declaredCodes(): readonly DeclaredCode[] {
  return [...declared.values()];
}

/** Where a problem sits: a file with an optional 1-based line and column. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning';

/** One thing wrong with an input, with enough context to fix it. */
export interface Problem {
  /** Stable machine-readable code from a catalog, e.g. `WORKSPACE_UNKNOWN_KEY`. */
  code: Code;
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
  /** Overrides the code's declared outcome, for an error whose meaning depends on what it carries. */
  outcome?: Outcome | undefined;
}

export class StagecraftError<C extends string = string> extends Error {
  readonly code: Code<C>;
  /** From the code's declaration: what the error means for whoever ran the command, and so its exit code. */
  readonly outcome: Outcome;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  /** Every problem found, when the error reports several at once (validation never stops at the first). */
  readonly problems: readonly Problem[];

  constructor(code: Code<C>, message: string, options: StagecraftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StagecraftError';
    this.code = code as Code<C>;
    this.outcome =
      options.outcome ?? declared.get(code)?.outcome ?? outcomeOfCause(code, options.cause) ?? 'failed';
    this.hint = options.hint;
    this.location = options.location;
    this.problems = options.problems ?? [];
  }
}

// A brand rather than instanceof alone: an app's bundled copy of the library and the CLI's copy throw
// errors of different classes, and both must be recognised.
const ERROR_BRAND = Symbol.for('stagecraft.error');
Object.defineProperty(StagecraftError.prototype, ERROR_BRAND, { value: true });

/** Whether `value` is a StagecraftError of any copy of stagecraft; with `code`, one with that code. */
export function isStagecraftError<C extends string = string>(
  value: unknown,
  code?: Code<C>,
): value is StagecraftError<C> {
  return (
    value instanceof Error &&
    (value as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true &&
    (code === undefined || (value as StagecraftError).code === code)
  );
}

/**
 * What a list of problems means as a whole: found problems when any of them is one (an invalid value, a
 * refused read), and could-not-evaluate only when every one is (a store unreachable or sealed, a read that
 * failed), since then nothing was judged. Undefined for an empty list or codes this copy does not declare.
 */
export function outcomeOfProblems(problems: readonly Problem[]): Outcome | undefined {
  const outcomes = problems
    .filter((problem) => problem.severity !== 'warning')
    .map((problem) => declared.get(problem.code)?.outcome);
  if (!outcomes.length || outcomes.includes(undefined)) return undefined;
  return outcomes.every((outcome) => outcome === 'unavailable' || outcome === 'failed')
    ? 'unavailable'
    : undefined;
}

/**
 * An error passed on with its code (an app's copy of stagecraft threw it while its config module loaded)
 * keeps its outcome when this copy does not declare the code: the app's copy may be another version.
 */
function outcomeOfCause(code: string, cause: unknown): Outcome | undefined {
  if (!isStagecraftError(cause) || cause.code !== code) return undefined;
  return Object.hasOwn(OUTCOMES, cause.outcome) ? cause.outcome : undefined;
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
