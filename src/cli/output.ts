/**
 * The one output layer: every command hands it a report (data plus a text and a Markdown rendering) and it
 * prints the format the user asked for. JSON is always the data itself, so scripts never parse prose, and
 * stdout under `--format json` is exactly one JSON document: a report, an error, or — when a command reports
 * and then fails (a scan that could not read every path) — the error with that report under `report`.
 */
import {
  formatLocation,
  type Problem,
  type SourceLocation,
  type StagecraftError,
} from '@stagecraft/config/errors';
import { createStyle, type Style } from '../terminal/style.ts';
import { stripStyle, TABLE_COLUMNS, visibleWidth as visible, wrapText } from '../terminal/width.ts';

/** Formats every reporting command takes; a command may add its own (`config show --format dotenv`). */
export const FORMATS: readonly string[] = ['text', 'json', 'markdown'];
export type Format = string;

export interface WritableLike {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Report<T = unknown> {
  data: T;
  text(style: Style): string;
  markdown(): string;
}

interface OutputOptions {
  stdout: WritableLike;
  stderr: WritableLike;
  format: Format;
  color: boolean;
  errorColor: boolean;
  /** Where reports' paths are relative to: the workspace's folder, else the working directory. */
  root?: string;
}

export class Output {
  readonly format: Format;
  readonly style: Style;
  readonly errorStyle: Style;
  private readonly stdout: WritableLike;
  private readonly stderr: WritableLike;
  private readonly options: OutputOptions;
  /**
   * Under --format json, the report is held until the command ends: an error raised after it must join it in
   * one document rather than follow it as a second one, which no JSON parser would read.
   */
  private pendingJson: { data: unknown } | undefined;

  constructor(options: OutputOptions) {
    this.options = options;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.format = options.format;
    this.style = createStyle(options.color && options.format === 'text', options.root);
    this.errorStyle = createStyle(options.errorColor, options.root);
  }

  /**
   * The same output, except that reports go to `collect` instead of being printed: a command that runs
   * others (`hooks run pre-commit`) prints their reports as one.
   */
  collecting(collect: (report: Report) => void): Output {
    return new CollectingOutput(this.options, collect);
  }

  report(report: Report): void {
    if (this.format === 'json') {
      // Stdout holds one JSON document: a command with several results reports them as one.
      if (this.pendingJson !== undefined) throw new Error('a command reported twice under --format json');
      this.pendingJson = { data: report.data };
    } else if (this.format === 'markdown') this.stdout.write(ensureNewline(report.markdown()));
    else this.stdout.write(ensureNewline(report.text(this.style)));
  }

  /** A file as reports name it, in every format: relative to the workspace's folder. */
  path(file: string): string {
    return this.style.path(file);
  }

  /** Writes a command's own rendering (a generated file, a format only that command has) to stdout. */
  write(text: string): void {
    this.flush();
    this.stdout.write(ensureNewline(text));
  }

  /** Prints a JSON report held back by `report`; called when the command has finished. */
  flush(): void {
    if (this.pendingJson === undefined) return;
    const { data } = this.pendingJson;
    this.pendingJson = undefined;
    this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  }

  /** A one-line progress indicator, redrawn in place; only on a terminal, never in logs or pipes. */
  progress(text: string | undefined): void {
    if (!this.stderr.isTTY) return;
    this.stderr.write(text === undefined ? '\r\u001b[K' : `\r\u001b[K${text}`);
  }

  /** Progress and notes for people; never mixed into stdout, so `--format json` output stays parseable. */
  note(message: string): void {
    this.stderr.write(ensureNewline(message));
  }

  error(error: StagecraftError): void {
    if (this.format === 'json') {
      const partial = this.pendingJson;
      this.pendingJson = undefined;
      const document = partial
        ? { error: errorData(error, this.style), report: partial.data }
        : { error: errorData(error, this.style) };
      this.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return;
    }
    this.errorOnStderr(error);
  }

  /**
   * An error beside a report rather than instead of it (a check whose result could not be recorded): on
   * stderr in every format, so stdout keeps the report alone.
   */
  errorOnStderr(error: StagecraftError): void {
    const s = this.errorStyle;
    const where = error.location ? `${s.bold(formatLocation(shownLocation(error.location, s)))}: ` : '';
    const lines = [
      `${s.red(s.bold('error'))} ${s.dim(`[${error.code}]`)} ${where}${s.paths(headline(error))}`,
    ];
    for (const problem of error.problems) lines.push(formatProblemStyled(problem, s));
    if (error.hint) lines.push(`${s.cyan('hint:')} ${s.paths(error.hint)}`);
    this.stderr.write(`${lines.join('\n')}\n`);
  }

  bug(error: unknown): void {
    this.flush();
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.stderr.write(
      `internal error: this is a bug in stagecraft, not in your input.\n${detail}\n` +
        'Please report it with the command you ran and the output above.\n',
    );
  }
}

class CollectingOutput extends Output {
  private readonly collect: (report: Report) => void;

  constructor(options: OutputOptions, collect: (report: Report) => void) {
    super(options);
    this.collect = collect;
  }

  override report(report: Report): void {
    this.collect(report);
  }
}

function headline(error: StagecraftError): string {
  // Errors listing problems carry them in the message too (for library users); the CLI prints them styled.
  return error.problems.length > 0 ? (error.message.split('\n')[0] ?? error.message) : error.message;
}

/** An error as JSON, its files named as reports name them: relative to the workspace's folder when given. */
export function errorData(error: StagecraftError, style?: Style): Record<string, unknown> {
  const shown = style ?? createStyle(false);
  return {
    code: error.code,
    outcome: error.outcome,
    message: shown.paths(headline(error)),
    ...(error.location ? { location: shownLocation(error.location, shown) } : {}),
    ...(error.hint ? { hint: shown.paths(error.hint) } : {}),
    ...(error.problems.length ? { problems: shownProblems(error.problems, shown) } : {}),
  };
}

/** Problems with their files relative to the workspace's folder, for a report's data. */
export function shownProblems(problems: readonly Problem[], s: Style): Problem[] {
  return problems.map((problem) =>
    problem.location ? { ...problem, location: shownLocation(problem.location, s) } : problem,
  );
}

export function formatProblemStyled(problem: Problem, s: Style): string {
  const where = problem.location
    ? `${s.bold(formatLocation(shownLocation(problem.location, s)))}: `
    : problem.source
      ? `${s.bold(`(${problem.source})`)} `
      : '';
  const label = problem.severity === 'warning' ? s.yellow('warning') : s.red('error');
  const lines = [`  ${where}${label} ${s.paths(problem.message)} ${s.dim(`[${problem.code}]`)}`];
  if (problem.expected !== undefined) lines.push(`      expected: ${problem.expected}`);
  if (problem.found !== undefined) lines.push(`      found:    ${problem.found}`);
  if (problem.hint !== undefined) lines.push(`      ${s.cyan('hint:')}     ${s.paths(problem.hint)}`);
  return lines.join('\n');
}

function shownLocation(location: SourceLocation, s: Style): SourceLocation {
  return { ...location, file: s.path(location.file) };
}

/** A Markdown table; pipes and newlines in cells are escaped so one value never breaks the layout. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/**
 * Pads columns for plain-text tables; widths ignore colour escape codes. A table wider than `columns` gives
 * up width from its widest columns first, and their cells wrap onto more lines rather than being cut: a
 * long reason or image name stays whole, and no two digests can look alike.
 */
export function textTable(
  rows: readonly (readonly string[])[],
  indent = '  ',
  columns: number = TABLE_COLUMNS,
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  fitWidths(rows, widths, columns - indent.length - 2 * (widths.length - 1));
  const lines: string[] = [];
  for (const row of rows) {
    const cells = row.map((cell, i) => wrapText(cell, widths[i] ?? 0));
    const height = Math.max(1, ...cells.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      const text = cells
        .map((cell, i) => {
          const part = cell[line] ?? '';
          return i === cells.length - 1
            ? part
            : part + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visible(part)));
        })
        .join('  ');
      lines.push((indent + text).trimEnd());
    }
  }
  return lines.join('\n');
}

const TIME = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?Z?$/;

/**
 * Narrows the widest columns until the table fits `room`: first only columns wider than 20 characters, then
 * any, no narrower than a column's longest word up to 24 characters (its cells wrap at spaces), then down to a few characters (words break after a separator, else anywhere) —
 * except a column of short digests (`sha256:abcdef123456…`), which keeps its width so that each reads as one word.
 */
function fitWidths(rows: readonly (readonly string[])[], widths: number[], room: number): void {
  const MINIMUM = 6;
  const SHORT = 20;
  /** A longer word (an image with its registry) may break first: the prose beside it should not. */
  const LONG_WORD = 24;
  const SHORT_DIGEST = 'sha256:abcdef123456…'.length;
  const longestWord = widths.map((_, i) =>
    Math.max(
      0,
      ...rows.flatMap((row) =>
        stripStyle(row[i] ?? '')
          .split(' ')
          .map((word) => [...word].length),
      ),
    ),
  );
  const rigid = widths.map((_, i) => rows.some((row) => /\bsha256:[0-9a-f]{1,12}…/.test(row[i] ?? '')));
  // A column of times (2026-12-04 09:30:00) keeps them on one line: a time is read, and matched, whole.
  const times = widths.map(
    (_, i) => rows.length > 1 && rows.slice(1).every((row) => TIME.test(stripStyle(row[i] ?? ''))),
  );
  const wordFloor = widths.map((width, i) =>
    times[i] ? width : Math.min(width, Math.max(Math.min(longestWord[i] ?? 0, LONG_WORD), MINIMUM)),
  );
  const floors = [
    // Short columns (a time, a role, a status) keep their width while a long one can give.
    widths.map((width, i) => (width <= SHORT ? width : (wordFloor[i] ?? 0))),
    wordFloor,
    widths.map((width, i) => (times[i] ? width : Math.min(width, rigid[i] ? SHORT_DIGEST : MINIMUM))),
  ];
  let total = widths.reduce((sum, width) => sum + width, 0);
  for (const floor of floors) {
    while (total > room) {
      let widest = -1;
      widths.forEach((width, i) => {
        if (width > (floor[i] ?? 0) && (widest === -1 || width > (widths[widest] ?? 0))) widest = i;
      });
      if (widest === -1) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      total--;
    }
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
