/**
 * YAML documents that remember where each value came from, so every problem can name file:line:column.
 * Shared by the workspace loader and the config layers.
 */
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import type { Problem, SourceLocation } from '../errors.ts';

// Loaded on first use: an app whose config comes only from environment variables never pays for a YAML
// parser at start-up. (A synchronous require keeps config loading synchronous; yaml ships CommonJS.)
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}

export type KeyPath = readonly (string | number)[];

/** Plain parsing, for YAML that needs no positions (a secret stored as YAML). Throws on a syntax error. */
export function parseYaml(text: string): unknown {
  return yaml().parse(text);
}

export interface YamlSource {
  file: string;
  /** The document as plain JavaScript values (maps become objects, in document order). */
  value: unknown;
  /** Syntax errors, each with its position; when there are any, `value` is not to be trusted. */
  syntaxProblems: Problem[];
  /** Where the value at `path` is written; with `key`, where its key is written. */
  locate(path: KeyPath, options?: { key?: boolean }): SourceLocation;
}

export function parseYamlSource(text: string, file: string, problemCode = 'YAML_SYNTAX'): YamlSource {
  const { isMap, isNode, isPair, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });

  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };

  const syntaxProblems: Problem[] = doc.errors.map((error) => ({
    code: problemCode,
    severity: 'error',
    message: `YAML syntax error: ${firstLine(error.message)}`,
    location: at(error.pos[0]),
    hint:
      error.code === 'DUPLICATE_KEY'
        ? 'a key may appear once in a map: remove or merge the repeated one'
        : 'fix the YAML syntax; the position is where the parser stopped understanding the file',
  }));

  const locate = (path: KeyPath, options: { key?: boolean } = {}): SourceLocation => {
    let node: unknown = doc.contents;
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

  return { file, value: doc.errors.length > 0 ? undefined : doc.toJS(), syntaxProblems, locate };
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
