/**
 * bun.lock, the text lockfile of bun 1.1.39 and later: JSON with comments and trailing commas, read with
 * `jsonc-parser`. `workspaces` holds the root project (`""`) and each workspace with their declared
 * dependencies, the direct ones; `packages` maps an install path (`a`, or `parent/a` for a nested copy) to
 * `[name@version, registry, {dependencies…}, integrity]`. bun.lockb, the binary lockfile before it, is not
 * read: see lockfiles.ts.
 */
import { createRequire } from 'node:module';
import { MAX_NESTING } from '@stagecraft/config/input';
import {
  DEPENDENCY_SECTIONS,
  invalidLockfile,
  keysOf,
  type LockGraph,
  LockGraphBuilder,
  lineAt,
  objectAt,
} from './lock-graph.ts';

const require = createRequire(import.meta.url);

// jsonc-parser's SyntaxKind values; a const enum, which isolated modules cannot read from its declarations.
const Token = { OpenBrace: 1, CloseBrace: 2, OpenBracket: 3, CloseBracket: 4, EOF: 17 } as const;

export function readBunLockfile(text: string, file: string): LockGraph {
  const jsonc = require('jsonc-parser') as typeof import('jsonc-parser');
  checkNesting(jsonc, text, file);
  const errors: import('jsonc-parser').ParseError[] = [];
  const lock = objectAt(jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false }));
  const [error] = errors;
  if (error) {
    throw invalidLockfile(
      file,
      `bun.lock is not valid JSONC: ${jsonc.printParseErrorCode(error.error)}`,
      lineAt(text, error.offset),
    );
  }
  if (!lock || lock['lockfileVersion'] === undefined) {
    throw invalidLockfile(file, 'this is not a bun.lock: it has no lockfileVersion', 1);
  }
  const builder = new LockGraphBuilder('bun', file);
  for (const workspace of Object.values(objectAt(lock['workspaces']) ?? {})) {
    for (const section of DEPENDENCY_SECTIONS)
      for (const name of keysOf(objectAt(workspace)?.[section])) builder.direct(name);
  }
  for (const value of Object.values(objectAt(lock['packages']) ?? {})) {
    if (!Array.isArray(value) || typeof value[0] !== 'string') continue;
    const id = value[0];
    const at = id.indexOf('@', 1);
    if (at === -1) continue;
    const name = id.slice(0, at);
    // Workspace packages are `name@workspace:path`: the folder, not a resolved version.
    const version = id.slice(at + 1);
    if (version.startsWith('workspace:')) continue;
    builder.add(name, version.startsWith('npm:') ? version.slice(4) : version);
    const info = value.find((item, index) => index > 0 && objectAt(item));
    for (const section of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const dependency of keysOf(objectAt(info)?.[section])) builder.depend(name, dependency);
    }
  }
  return builder.build();
}

/** The parser recurses per level: nesting is counted token by token first, so no input can overflow it. */
function checkNesting(jsonc: typeof import('jsonc-parser'), text: string, file: string): void {
  const scanner = jsonc.createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== Token.EOF; token = scanner.scan()) {
    if (token === Token.OpenBrace || token === Token.OpenBracket) {
      if (++depth > MAX_NESTING) {
        throw invalidLockfile(
          file,
          `bun.lock nests maps and lists more than ${MAX_NESTING} levels deep`,
          scanner.getTokenStartLine() + 1,
        );
      }
    } else if (token === Token.CloseBrace || token === Token.CloseBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
}
