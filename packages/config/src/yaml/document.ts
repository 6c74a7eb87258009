/**
 * The one YAML parser (eemeli/yaml) for every YAML stagecraft reads: stagecraft.yaml, config files, policies,
 * manifests and secrets stored as YAML. Documents remember where each value came from, so every problem can
 * name file:line:column, and every document is checked before it becomes JavaScript values:
 *
 * - Aliases may add at most MAX_ALIAS_EXPANSION values and characters. The library's own `maxAliasCount`
 *   counts alias uses, not what they add: an anchor of a million values may be used a hundred times, and that
 *   is what exhausts memory once a comparison walks it. An alias inside the node it names (an endless
 *   structure) is refused too.
 * - Maps and lists nest at most MAX_NESTING levels, so the recursive walks downstream never overflow.
 *
 * Either is reported like a syntax error, at the alias or node concerned. Parsing itself is bounded too (see
 * parseBounded): nesting is counted as the text is read, and a file of noise stops after a few errors.
 */
import { createRequire } from 'node:module';
import type {
  CST,
  Document,
  DocumentOptions,
  LineCounter,
  Node,
  ParsedNode,
  ParseOptions,
  SchemaOptions,
  ToJSOptions,
} from 'yaml';
import { type Code, type Problem, type SourceLocation, StagecraftError } from '../errors.ts';
import { MAX_NESTING, tooDeepProblem } from '../input/nesting.ts';
import { YamlCodes } from './errors.ts';

type Token = CST.Token;

// Loaded on first use: an app whose config comes only from environment variables never pays for a YAML
// parser at start-up. (A synchronous require keeps config loading synchronous; yaml ships CommonJS.)
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}

/**
 * What aliases may add to one document: generous for anchors reused as defaults, far below a bomb's. Values
 * and text are both counted: a hundred thousand aliases of one long string are small in memory as parsed
 * (shared), but not once compared or printed.
 */
export const MAX_ALIAS_EXPANSION: { values: number; characters: number } = {
  values: 100_000,
  characters: 16 * 1024 * 1024,
};

// Warnings (an unknown tag read as a string) must not reach stderr as process warnings; errors are reported.
// Repeated keys are refused, but found by the structure check (a set per map): the library's own check
// compares each key with every earlier one, so a map of 60,000 keys (575 KiB) took a minute and a half.
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true, logLevel: 'error' } as const;

export type KeyPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  /** The document as plain JavaScript values (maps become objects, in document order). */
  value: unknown;
  /** Syntax errors, aliases that expand too far, nesting too deep, each with its position; when there are
   * any, `value` is not to be trusted. */
  syntaxProblems: Problem[];
  /** Where the value at `path` is written; with `key`, where its key is written. */
  locate(path: KeyPath, options?: { key?: boolean }): SourceLocation;
}

export function parseYamlSource(
  text: string,
  file: string,
  problemCode: Code = YamlCodes.YAML_SYNTAX,
): YamlSource {
  const { isMap, isNode, isPair, isSeq, LineCounter } = yaml();
  const lineCounter = new LineCounter();
  const at = locator(file, lineCounter);
  const { documents, problems } = parseBounded(text, lineCounter, PARSE_OPTIONS, true, at, problemCode);
  const doc = documents[0];
  const syntaxProblems = problems.length > 0 || !doc ? problems : documentProblems(doc, at, problemCode);

  const locate = (path: KeyPath, options: { key?: boolean } = {}): SourceLocation => {
    let node: unknown = doc?.contents;
    let lastGood: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) break;
        if (isLast && options.key && isNode(pair.key)) return at(pair.key.range?.[0]);
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) break;
      } else {
        break;
      }
      lastGood = node;
    }
    return at(isNode(lastGood) ? (lastGood as Node).range?.[0] : undefined);
  };

  return {
    file,
    value: syntaxProblems.length > 0 || !doc ? undefined : toValue(doc),
    syntaxProblems,
    locate,
  };
}

/**
 * Every document of a multi-document stream (rendered manifests), as plain values. `<<` merge keys are
 * honoured, as Kubernetes' own YAML reader does. The first problem is thrown: a syntax error with
 * `syntaxCode`, an alias bomb as YAML_ALIAS_LIMIT, deep nesting as INPUT_TOO_DEEP.
 */
export function parseYamlDocuments(
  text: string,
  file: string,
  syntaxCode: Code = YamlCodes.YAML_SYNTAX,
): unknown[] {
  const { LineCounter } = yaml();
  const lineCounter = new LineCounter();
  const at = locator(file, lineCounter);
  const { documents, problems } = withEnvironmentSnapshot(() =>
    parseBounded(text, lineCounter, { ...PARSE_OPTIONS, merge: true }, false, at, syntaxCode),
  );
  if (problems[0]) throw problemError(problems[0]);
  for (const doc of documents) {
    const [problem] = documentProblems(doc, at, syntaxCode);
    if (problem) throw problemError(problem);
  }
  return documents.map(toValue);
}

export interface EditableYaml {
  /** yaml's documents, comments, order and quoting included, to change and write back with toString(). */
  documents: Document.Parsed[];
  /** Syntax errors, aliases that expand too far, nesting too deep: when there are any, write nothing. */
  problems: Problem[];
  /** Where an offset in the text is (a node's `range[0]`), as file:line:column. */
  locate(offset: number | undefined): SourceLocation;
}

/**
 * YAML read to be edited and written back (a hook manager's config, Helm values, a file whose secret
 * references are rendered): the same bounded parser and limits as every other read, the documents kept.
 * With `stream`, every document of a multi-document file; otherwise a second document is a problem.
 */
export function parseEditableYaml(
  text: string,
  file: string,
  options: { stream?: boolean; problemCode?: Code } = {},
): EditableYaml {
  const { LineCounter } = yaml();
  const lineCounter = new LineCounter();
  const at = locator(file, lineCounter);
  const code = options.problemCode ?? YamlCodes.YAML_SYNTAX;
  const parsed = parseBounded(text, lineCounter, PARSE_OPTIONS, !options.stream, at, code);
  const problems =
    parsed.problems.length > 0
      ? parsed.problems
      : parsed.documents.flatMap((doc) => documentProblems(doc, at, code));
  return { documents: parsed.documents, problems, locate: at };
}

/** Plain parsing, for YAML that needs no positions (a secret stored as YAML). Throws on any problem. */
export function parseYaml(text: string, file = 'YAML value'): unknown {
  const source = parseYamlSource(text, file);
  const [problem] = source.syntaxProblems;
  if (problem) throw problemError(problem);
  return source.value;
}

/** Errors kept from one file: enough to fix it; composing stops at the next one, so noise costs little. */
const MAX_REPORTED_ERRORS = 20;

/**
 * What YAML.parseDocument and YAML.parseAllDocuments do, with a parser that stops once the text nests too
 * deeply and a composer that stops after MAX_REPORTED_ERRORS errors. The parser keeps every open collection,
 * so `[[[[…` or `- - - …` (or `a: a: a: …`, which it nests before finding it invalid) costs hundreds of bytes
 * of memory per byte of input: a megabyte of it would take hundreds of megabytes before any check of the
 * result could run. Flow collections and the block indicators on one line are counted as they are read;
 * deeper nesting spread over lines needs indentation, so a file under its size cap cannot nest far that way.
 * Each error the composer records is an Error with a stack: a million lines of noise would be gigabytes.
 * Warnings (an unknown tag read as a string) are not kept at all.
 */
function parseBounded(
  text: string,
  lineCounter: LineCounter,
  options: DocumentOptions & ParseOptions & SchemaOptions & ToJSOptions,
  single: boolean,
  at: Locate,
  problemCode: Code,
): { documents: Document.Parsed[]; problems: Problem[] } {
  const { Composer, YAMLParseError } = yaml();
  const parser = new (boundedParser())(lineCounter.addNewLine);
  const composer = new Composer(options);
  // The composer reports through this callback (a private field): wrapped to count, and to drop warnings.
  const internals = composer as unknown as { onError: ErrorCallback };
  const record = internals.onError;
  const kept: ParseErrorEntry[] = [];
  internals.onError = (source, code, message, warning) => {
    if (warning) return;
    const offset = typeof source === 'number' ? source : Array.isArray(source) ? source[0] : source.offset;
    if (kept.length === MAX_REPORTED_ERRORS) throw new TooManyErrors(offset);
    kept.push({ offset, code, message });
    record(source, code, message, warning);
  };
  const documents: Document.Parsed[] = [];
  try {
    for (const doc of composer.compose(parser.parse(text), single, text.length)) {
      if (single && documents.length === 1) {
        (documents[0] as Document.Parsed).errors.push(
          new YAMLParseError(
            [doc.range[0], doc.range[1]],
            'MULTIPLE_DOCS',
            'the file holds more than one document',
          ),
        );
        break;
      }
      documents.push(doc);
    }
  } catch (error) {
    if (error instanceof NestingTooDeep)
      return { documents: [], problems: [tooDeepProblem(at(error.offset))] };
    if (!(error instanceof TooManyErrors)) throw error;
    const problems = [...parser.errorTokens, ...kept]
      .sort((a, b) => a.offset - b.offset)
      .slice(0, MAX_REPORTED_ERRORS)
      .map((entry) => syntaxProblem(entry.code, entry.message, at(entry.offset), problemCode));
    problems.push({
      code: problemCode,
      severity: 'error',
      message: `YAML syntax error: more than ${MAX_REPORTED_ERRORS} errors; reading stopped here`,
      location: at(error.offset),
      hint: 'check that this is a YAML file at all, then fix the errors from the first',
    });
    return { documents: [], problems };
  }
  return { documents, problems: [] };
}

type ErrorCallback = (
  source: number | [number, number] | { offset: number },
  code: string,
  message: string,
  warning?: boolean,
) => void;

class TooManyErrors extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super('too many errors');
    this.offset = offset;
  }
}

class NestingTooDeep extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super('nesting too deep');
    this.offset = offset;
  }
}

interface ParseErrorEntry {
  offset: number;
  code: string;
  message: string;
}

type BoundedParserClass = new (
  onNewLine?: (offset: number) => void,
) => InstanceType<typeof import('yaml').Parser> & { readonly errorTokens: ParseErrorEntry[] };

let boundedParserClass: BoundedParserClass | undefined;

/** yaml's Parser, counting nesting as each lexeme arrives (defined on first use: yaml is loaded lazily). */
function boundedParser(): BoundedParserClass {
  const { CST, Parser } = yaml();
  boundedParserClass ??= class BoundedParser extends Parser {
    private read = 0;
    private flow = 0;
    private onLine = 0;
    private scalarNext = false;
    /** Errors the parser itself finds, which the composer records past its error callback. */
    readonly errorTokens: ParseErrorEntry[] = [];

    override *next(source: string): Generator<Token, void> {
      // A scalar's text follows its marker: never an indicator, whatever its first character.
      if (this.scalarNext) this.scalarNext = false;
      else {
        switch (CST.tokenType(source)) {
          case 'scalar':
            this.scalarNext = true;
            break;
          case 'flow-map-start':
          case 'flow-seq-start':
            this.flow++;
            break;
          case 'flow-map-end':
          case 'flow-seq-end':
            this.flow = Math.max(0, this.flow - 1);
            break;
          case 'newline':
            this.onLine = 0;
            break;
          case 'seq-item-ind':
          case 'map-value-ind':
          case 'explicit-key-ind':
            this.onLine++;
            break;
        }
        if (this.flow > MAX_NESTING || this.onLine > MAX_NESTING) throw new NestingTooDeep(this.read);
      }
      this.read += source.length;
      for (const token of super.next(source)) {
        if (token.type === 'error') {
          if (this.errorTokens.length === MAX_REPORTED_ERRORS) throw new TooManyErrors(token.offset);
          this.errorTokens.push({ offset: token.offset, code: 'UNEXPECTED_TOKEN', message: token.message });
        }
        yield token;
      }
    }
  };
  return boundedParserClass;
}

/**
 * The parser reads `process.env.LOG_TOKENS` once per token, and every read of the real environment is a call
 * into the operating system's environment (a linear search of it): about a quarter of the time parsing
 * rendered manifests. Parsing is synchronous, so a plain copy can stand in for it meanwhile; nothing else
 * runs until it is put back.
 */
function withEnvironmentSnapshot<T>(parse: () => T): T {
  const environment = process.env;
  process.env = { ...environment };
  try {
    return parse();
  } finally {
    process.env = environment;
  }
}

// The structure check has bounded what aliases can add, so the library's own count (of uses) is not needed.
function toValue(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}

type Locate = (offset: number | undefined) => SourceLocation;

function locator(file: string, lineCounter: LineCounter): Locate {
  return (offset) => {
    if (offset === undefined) return { file };
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
}

function documentProblems(doc: Document.Parsed, at: Locate, problemCode: Code): Problem[] {
  const syntax = doc.errors.map((error) =>
    syntaxProblem(error.code, error.message, at(error.pos[0]), problemCode),
  );
  if (syntax.length > 0) return syntax;
  const structure = structureProblem(doc, at, problemCode);
  return structure ? [structure] : [];
}

function syntaxProblem(code: string, message: string, location: SourceLocation, problemCode: Code): Problem {
  if (code === 'RESOURCE_EXHAUSTION') return tooDeepProblem(location);
  return {
    code: problemCode,
    severity: 'error',
    message: `YAML syntax error: ${firstLine(message)}`,
    location,
    hint:
      code === 'DUPLICATE_KEY'
        ? 'a key may appear once in a map: remove or merge the repeated one'
        : 'fix the YAML syntax; the position is where the parser stopped understanding the file',
  };
}

function problemError(problem: Problem): StagecraftError {
  return new StagecraftError(problem.code, problem.message, {
    location: problem.location,
    hint: problem.hint,
  });
}

/** How much a node stands for once its aliases are expanded: values, characters of scalars, nesting. */
interface Extent {
  size: number;
  characters: number;
  height: number;
}

interface Frame {
  node: ParsedNode | null;
  /** Children still to visit (a pair's key and value, a collection's items). */
  children: unknown[];
  next: number;
  extent: Extent;
  /** Collections (not pairs) above and including this node. */
  depth: number;
  /** Pairs are transparent: they neither nest nor count as a value. */
  counts: boolean;
}

/**
 * Walks the document once, in document order, without recursion (any depth is safe) and without expanding
 * aliases: an alias adds the extent of the anchored node it names, known by then since anchors precede
 * their aliases.
 */
function structureProblem(doc: Document.Parsed, at: Locate, syntaxCode: Code): Problem | undefined {
  const { isAlias, isCollection, isMap, isPair, isScalar } = yaml();
  const anchored = new Map<string, object>();
  const extents = new Map<object, Extent>();
  const added = { values: 0, characters: 0 };
  const stack: Frame[] = [];

  // A leaf's extent is known at once; a collection or pair is pushed (undefined) and finished later.
  const visit = (node: unknown, depth: number): Extent | Problem | undefined => {
    if (node === null || node === undefined) return { size: 0, characters: 0, height: 0 };
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchored.set(anchor, node as object);
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      const where = at(node.range?.[0]);
      if (target === undefined) {
        return {
          code: syntaxCode,
          severity: 'error',
          message: `YAML syntax error: alias *${node.source} names no anchor (&${node.source}) written before it`,
          location: where,
          hint: 'define the anchor before its first alias, or correct the name',
        };
      }
      const extent = extents.get(target);
      if (extent === undefined) {
        return aliasProblem(
          where,
          `alias *${node.source} is inside the node it names, so it would repeat forever`,
        );
      }
      added.values += extent.size;
      added.characters += extent.characters;
      if (added.values > MAX_ALIAS_EXPANSION.values || added.characters > MAX_ALIAS_EXPANSION.characters) {
        const limit =
          added.values > MAX_ALIAS_EXPANSION.values
            ? `${MAX_ALIAS_EXPANSION.values} values`
            : `${MAX_ALIAS_EXPANSION.characters} characters`;
        return aliasProblem(
          where,
          `aliases expand this document by more than ${limit} (at alias *${node.source})`,
        );
      }
      if (depth + extent.height > MAX_NESTING) return tooDeepProblem(where);
      return extent;
    }
    if (isCollection(node)) {
      if (depth + 1 > MAX_NESTING) return tooDeepProblem(at(node.range?.[0]));
      if (isMap(node)) {
        // Keys equal as the library compares them (scalars by value), in one pass.
        const seen = new Set<unknown>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          if (seen.has(pair.key.value)) return duplicateKeyProblem(at(pair.key.range?.[0]), syntaxCode);
          seen.add(pair.key.value);
        }
      }
      const extent = { size: 1, characters: 0, height: 1 };
      stack.push({
        node: node as ParsedNode,
        children: node.items,
        next: 0,
        extent,
        depth: depth + 1,
        counts: true,
      });
      return undefined;
    }
    if (isPair(node)) {
      const extent = { size: 0, characters: 0, height: 0 };
      stack.push({ node: null, children: [node.key, node.value], next: 0, extent, depth, counts: false });
      return undefined;
    }
    const range = (node as Node).range;
    const leaf = { size: 1, characters: range ? range[1] - range[0] : 0, height: 0 };
    if (anchor) extents.set(node as object, leaf);
    return leaf;
  };

  const add = (extent: Extent) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    parent.extent.size += extent.size;
    parent.extent.characters += extent.characters;
    parent.extent.height = Math.max(parent.extent.height, extent.height + (parent.counts ? 1 : 0));
  };

  const first = visit(doc.contents, 0);
  if (first && 'code' in first) return first;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next < frame.children.length) {
      const result = visit(frame.children[frame.next++], frame.depth);
      if (result && 'code' in result) return result;
      if (result) add(result);
      continue;
    }
    stack.pop();
    if (frame.node && (frame.node as { anchor?: string }).anchor) extents.set(frame.node, frame.extent);
    add(frame.extent);
  }
  return undefined;
}

function duplicateKeyProblem(location: SourceLocation, code: Code): Problem {
  return {
    code,
    severity: 'error',
    message: 'YAML syntax error: Map keys must be unique',
    location,
    hint: 'a key may appear once in a map: remove or merge the repeated one',
  };
}

function aliasProblem(location: SourceLocation, message: string): Problem {
  return {
    code: YamlCodes.YAML_ALIAS_LIMIT,
    severity: 'error',
    message,
    location,
    hint: 'write the repeated values out, or reuse fewer of them; aliases nested in aliases multiply',
  };
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
