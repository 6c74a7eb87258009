/**
 * package-lock.json and npm-shrinkwrap.json, every lockfileVersion npm has written
 * (https://docs.npmjs.com/cli/configuring-npm/package-lock-json):
 * - 2 and 3: `packages`, keyed by install path (`node_modules/a/node_modules/b`); `""` is the root project
 *   and keys outside node_modules are workspaces (`packages/web`), whose dependencies are direct too. An
 *   entry's name is its `name`, else the path after its last `node_modules/`.
 * - 1: nested `dependencies` with `requires`; it does not say which are direct, so the package.json beside
 *   it at the same commit does.
 * Version 2 carries both; `packages` is read, as npm 7 and later do.
 */
import { parseJsonInput } from '@stagecraft/config/input';
import { DriftCodes } from '../errors.ts';
import {
  DEPENDENCY_SECTIONS,
  invalidLockfile,
  keysOf,
  type LockGraph,
  LockGraphBuilder,
  objectAt,
} from './lock-graph.ts';

const NODE_MODULES = 'node_modules/';

export function readNpmLockfile(text: string, file: string, manifest?: Record<string, unknown>): LockGraph {
  const lock = objectAt(
    parseJsonInput(text, file, {
      what: 'package-lock.json',
      code: DriftCodes.DEPS_LOCKFILE_INVALID,
      hint: 'regenerate it with `npm install --package-lock-only`, or resolve the merge conflict in it',
    }),
  );
  if (!lock) throw invalidLockfile(file, 'the lockfile is not a JSON object');
  const builder = new LockGraphBuilder('npm', file);
  const packages = objectAt(lock['packages']);
  if (packages) readPackages(packages, builder);
  else if (objectAt(lock['dependencies']) || lock['lockfileVersion'] === 1) readV1(lock, builder, manifest);
  else if (lock['lockfileVersion'] === undefined) {
    throw invalidLockfile(file, 'this is not a package-lock.json: it has no lockfileVersion');
  }
  return builder.build();
}

function readPackages(packages: Record<string, unknown>, builder: LockGraphBuilder): void {
  for (const [path, value] of Object.entries(packages)) {
    const entry = objectAt(value);
    if (!entry) continue;
    const at = path.lastIndexOf(NODE_MODULES);
    if (at === -1) {
      // The root project or a workspace: what it declares is direct.
      for (const section of DEPENDENCY_SECTIONS)
        for (const name of keysOf(entry[section])) builder.direct(name);
      continue;
    }
    // A workspace's link under node_modules stands for the folder, which is read as a workspace above.
    if (entry['link'] === true) continue;
    const name = typeof entry['name'] === 'string' ? entry['name'] : path.slice(at + NODE_MODULES.length);
    if (typeof entry['version'] === 'string') builder.add(name, entry['version']);
    for (const section of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const dependency of keysOf(entry[section])) builder.depend(name, dependency);
    }
  }
}

function readV1(
  lock: Record<string, unknown>,
  builder: LockGraphBuilder,
  manifest?: Record<string, unknown>,
): void {
  if (manifest) {
    for (const section of DEPENDENCY_SECTIONS)
      for (const name of keysOf(manifest[section])) builder.direct(name);
  }
  // Nesting is bounded by the JSON reader (256 levels); a stack, not recursion, all the same.
  const stack: Record<string, unknown>[] = [];
  const top = objectAt(lock['dependencies']);
  if (top) stack.push(top);
  for (let dependencies = stack.pop(); dependencies; dependencies = stack.pop()) {
    for (const [name, value] of Object.entries(dependencies)) {
      const entry = objectAt(value);
      if (!entry) continue;
      if (typeof entry['version'] === 'string') builder.add(name, entry['version']);
      for (const dependency of keysOf(entry['requires'])) builder.depend(name, dependency);
      const nested = objectAt(entry['dependencies']);
      if (nested) stack.push(nested);
    }
  }
}
