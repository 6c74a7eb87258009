/**
 * Parsing for `stagecraft lint` and for following imports: @typescript-eslint/typescript-estree (TypeScript's
 * own parser, its AST in the ESTree shape ESLint rules read) and @typescript-eslint/scope-manager, the scope
 * analysis ESLint uses for TypeScript, which understands type annotations as types rather than values. The
 * `typescript` package it parses with is the project's own (a peer dependency): `stagecraft lint` says so
 * when it is missing.
 */

import { analyze } from '@typescript-eslint/scope-manager';
import { parse, TSError } from '@typescript-eslint/typescript-estree';
import ts from 'typescript';
import type { CommentLines } from './inline-allow.ts';

/** The extensions linted, and the syntax each is parsed with. */
const LANGUAGES: Readonly<Record<string, 'ts' | 'tsx' | 'jsx'>> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  // JSX is a superset plain JavaScript parses under, and React projects put it in .js files.
  '.js': 'jsx',
  '.mjs': 'jsx',
  '.cjs': 'jsx',
  '.jsx': 'jsx',
};

/**
 * Larger modules are not read: an application's own modules are far smaller, and a bundle this size that
 * .gitignore does not exclude would otherwise be held and parsed whole. lintTree reports each it meets, so
 * the run is incomplete rather than clean; imports of one are not followed.
 */
export const MAX_MODULE_BYTES: number = 4 * 1024 * 1024;

export const LINTED_EXTENSIONS: readonly string[] = Object.keys(LANGUAGES);

export function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(dot).toLowerCase();
}

export interface ParsedModule {
  // biome-ignore lint/suspicious/noExplicitAny: an ESTree program, read structurally by the rule.
  program: any;
  // biome-ignore lint/suspicious/noExplicitAny: the scope manager, read structurally by the rule.
  scopeManager: any;
  comments: CommentLines[];
  /** The line and column (1-based) of an offset into the text. */
  position(offset: number): { line: number; column: number };
}

export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

/** TypeScript's own kind of each language, for a syntax check without the ESTree conversion. */
const SCRIPT_KINDS: Readonly<Record<'ts' | 'tsx' | 'jsx', ts.ScriptKind>> = {
  ts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  jsx: ts.ScriptKind.JSX,
};

/**
 * A module's AST and scopes, or the first syntax error that stopped it. With `analyse: false` the syntax is
 * still checked but, when it is sound, nothing more is built and the result is undefined: TypeScript parses
 * the module and its syntax errors are read, without the conversion to ESTree, which takes several times as
 * long as the parse itself.
 */
export function parseModule(
  path: string,
  text: string,
  analyse = true,
): ParsedModule | SyntaxProblem | undefined {
  const extension = extensionOf(path);
  const commonjs = extension === '.cjs' || extension === '.cts';
  // As ESLint's defaults: ES modules, except .cjs and .cts (a TypeScript or JavaScript file today is a module;
  // guessing from the syntax would parse a module with only a top-level await as a script).
  const lines = lineStarts(text);
  const position = (offset: number) => {
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lines[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lines[low] as number) + 1 };
  };
  if (!analyse) {
    const source = ts.createSourceFile(
      path,
      text,
      ts.ScriptTarget.Latest,
      false,
      SCRIPT_KINDS[LANGUAGES[extension] ?? 'jsx'],
    );
    // The parser's own diagnostics, as typescript-estree throws the first of them.
    const first = (source as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] })
      .parseDiagnostics?.[0];
    if (first === undefined) return undefined;
    const at = position(first.start ?? 0);
    return { message: ts.flattenDiagnosticMessageText(first.messageText, '\n'), ...at };
  }
  // biome-ignore lint/suspicious/noExplicitAny: an ESTree program, read structurally by the rule.
  let program: any;
  try {
    program = parse(text, {
      // The file's name tells TypeScript its syntax: .ts, .tsx, .mts, .cts; JSX in .js files as ESLint's React
      // configurations allow.
      filePath: path,
      jsx: (LANGUAGES[extension] ?? 'jsx') !== 'ts',
      sourceType: commonjs ? 'script' : 'module',
      range: true,
      loc: false,
      comment: true,
      errorOnUnknownASTType: false,
    });
  } catch (error) {
    if (!(error instanceof TSError)) throw error;
    return { message: error.message, line: error.lineNumber, column: error.column + 1 };
  }
  const scopeManager = analyze(program, {
    sourceType: program.sourceType === 'module' ? 'module' : 'script',
    globalReturn: commonjs,
    // Type names of the standard library are not values; without them the analysis is smaller and faster.
    lib: [],
  });
  const comments = (program.comments ?? []).map((comment: { value: string; range: [number, number] }) => ({
    value: comment.value,
    startLine: position(comment.range[0]).line,
    endLine: position(comment.range[1]).line,
  }));
  return { program, scopeManager, comments, position };
}

export function isSyntaxProblem(parsed: ParsedModule | SyntaxProblem | undefined): parsed is SyntaxProblem {
  return parsed !== undefined && 'message' in parsed;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    starts.push(index + 1);
  return starts;
}
