/**
 * `.terraform.lock.hcl`, the dependency lock file `terraform init` writes
 * (https://developer.hashicorp.com/terraform/language/files/dependency-lock): a `provider "ADDRESS" {}`
 * block per provider with `version`, `constraints` and `hashes` attributes. Its grammar is a small part of
 * HCL (blocks with quoted labels, attributes whose values are strings or lists of strings, comments), read
 * here with a tokenizer for that part: no HCL parser for JavaScript is both maintained and light. Each
 * provider is direct: the file pins no transitive dependencies.
 */
import { invalidLockfile, type LockGraph, LockGraphBuilder } from './lock-graph.ts';

type Token =
  | { kind: 'word'; text: string; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: 'punct'; text: string; line: number }
  | { kind: 'newline'; line: number };

export function readTerraformLockfile(text: string, file: string): LockGraph {
  const tokens = tokenize(text, file);
  const builder = new LockGraphBuilder('terraform', file);
  let i = 0;
  const peek = () => tokens[i];
  const skipNewlines = () => {
    while (peek()?.kind === 'newline') i++;
  };
  const fail = (message: string, token = peek()): never => {
    throw invalidLockfile(
      file,
      `.terraform.lock.hcl is not valid: ${message}`,
      token?.line ?? lineCount(text),
    );
  };
  const expect = (kind: Token['kind'], text?: string): Token => {
    const token = peek();
    if (!token || token.kind !== kind || (text !== undefined && 'text' in token && token.text !== text)) {
      fail(
        `expected ${text ? `"${text}"` : `a ${kind}`}${token && 'text' in token ? `, found "${token.text}"` : ''}`,
      );
    }
    i++;
    return token as Token;
  };
  for (skipNewlines(); i < tokens.length; skipNewlines()) {
    const type = expect('word') as { text: string };
    const labels: string[] = [];
    while (peek()?.kind === 'string') labels.push((tokens[i++] as { text: string }).text);
    expect('punct', '{');
    const attributes = readBody(tokens, i, fail);
    i = attributes.next;
    if (type.text === 'provider') {
      const address = labels[0];
      if (address === undefined) fail('a provider block has no address');
      const version = attributes.values.get('version');
      if (typeof version !== 'string') fail(`provider "${address}" has no version`);
      builder.direct(address as string);
      builder.add(address as string, version as string);
    }
  }
  return builder.build();
}

/** A block's attributes up to its closing brace; nested blocks are skipped (the format has none today). */
function readBody(
  tokens: Token[],
  start: number,
  fail: (message: string, token?: Token) => never,
): { values: Map<string, string | string[]>; next: number } {
  const values = new Map<string, string | string[]>();
  let i = start;
  let depth = 1;
  while (depth > 0) {
    const token = tokens[i++];
    if (!token) fail('a block is not closed');
    const t = token as Token;
    if (t.kind === 'newline') continue;
    if (t.kind === 'punct' && t.text === '}') {
      depth--;
      continue;
    }
    if (t.kind === 'punct' && t.text === '{') {
      depth++;
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'string') fail(`unexpected "${t.kind === 'punct' ? t.text : ''}"`, t);
    const next = tokens[i];
    if (next?.kind === 'punct' && next.text === '=') {
      i++;
      const value = tokens[i++];
      if (value?.kind === 'string') {
        if (depth === 1 && t.kind === 'word') values.set(t.text, value.text);
      } else if (value?.kind === 'punct' && value.text === '[') {
        const list: string[] = [];
        for (let item = tokens[i++]; !(item?.kind === 'punct' && item.text === ']'); item = tokens[i++]) {
          if (!item) fail('a list is not closed');
          const it = item as Token;
          if (it.kind === 'string') list.push(it.text);
          else if (!(it.kind === 'newline' || (it.kind === 'punct' && it.text === ','))) {
            fail('a list may hold only quoted strings', it);
          }
        }
        if (depth === 1 && t.kind === 'word') values.set(t.text, list);
      } else if (value?.kind !== 'word') {
        fail(`an attribute has no value`, value ?? t);
      }
    }
  }
  return { values, next: i };
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const fail = (message: string): never => {
    throw invalidLockfile(file, `.terraform.lock.hcl is not valid: ${message}`, line);
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\n') {
      tokens.push({ kind: 'newline', line });
      line++;
      i++;
    } else if (char === ' ' || char === '\t' || char === '\r') i++;
    else if (char === '#' || (char === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) fail('a comment is not closed');
      for (let j = i; j < end; j++) if (text.charCodeAt(j) === 10) line++;
      i = end + 2;
    } else if (char === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\n') fail('a string is not closed on its line');
        if (text[j] === '\\') j++;
        value += text[j] ?? '';
      }
      if (j >= text.length) fail('a string is not closed');
      tokens.push({ kind: 'string', text: value, line });
      i = j + 1;
    } else if ('{}[]=,'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, line });
      i++;
    } else if (isWordChar(char)) {
      let j = i;
      while (j < text.length && isWordChar(text[j] as string)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), line });
      i = j;
    } else fail(`unexpected character "${char}"`);
  }
  return tokens;
}

function isWordChar(char: string): boolean {
  const code = char.charCodeAt(0);
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    char === '_' ||
    char === '-' ||
    char === '.'
  );
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
