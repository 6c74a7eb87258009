/**
 * JSON inputs (Terraform plans, live objects, facts.json, baselines): read under the input rules, parsed,
 * and checked for nesting, with errors located at the file, line and column but never quoting its content,
 * since a plan or a live Secret may hold credentials.
 */
import { type Code, type SourceLocation, StagecraftError } from '../errors.ts';
import { MAX_NESTING, nestedDeeperThan, tooDeepProblem } from './nesting.ts';
import { type ReadInputOptions, readInputFile } from './read-file.ts';

export interface JsonInputOptions {
  /** What the file is, for messages: `Terraform plan`. */
  what: string;
  /** The code of a syntax error: the command's own (`TERRAFORM_INVALID`). */
  code: Code;
  hint: string;
}

export function readJsonFile(file: string, options: JsonInputOptions & ReadInputOptions): unknown {
  return parseJsonInput(readInputFile(file, options), file, options);
}

export function parseJsonInput(text: string, file: string, options: JsonInputOptions): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const location = syntaxLocation(text, file, message);
    throw new StagecraftError(
      options.code,
      `${options.what} is not valid JSON: ${describeSyntaxError(message)}`,
      { location, hint: options.hint },
    );
  }
  if (nestedDeeperThan(value, MAX_NESTING)) {
    const problem = tooDeepProblem({ file }, options.what);
    throw new StagecraftError(problem.code, problem.message, {
      location: problem.location,
      hint: problem.hint,
    });
  }
  return value;
}

/** V8's message without the text it quotes ("Unexpected token 'x', "…" is not valid JSON"). */
function describeSyntaxError(message: string): string {
  const described = message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ (in JSON )?at position \d+.*$/s, '');
  return described.charAt(0).toLowerCase() + described.slice(1);
}

/** The position V8 reports ("… at position 12"), as a line and column. */
function syntaxLocation(text: string, file: string, message: string): SourceLocation {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return { file };
  const offset = Math.min(Number(position), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

/** What a JSON value is, for messages saying what was found instead of what was expected. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** "must be a list, found a string", or "is missing; expected a list". */
export function mismatch(expected: string, found: unknown): string {
  return found === undefined
    ? `is missing; expected ${expected}`
    : `must be ${expected}, found ${jsonKind(found)}`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
