/**
 * pnpm-lock.yaml, lockfileVersion 5.x, 6.0 and 9.0, read with stagecraft's bounded YAML parser (aliases
 * may add only so much, nesting is capped; see @stagecraft/config/yaml):
 * - Direct dependencies are the importers' (`importers: {'.': …, 'packages/web': …}`), or the top-level
 *   `dependencies`/`devDependencies`/`optionalDependencies` of a single project.
 * - Packages are keyed `/name/1.2.3_peer@4` (5.x), `/name@1.2.3(peer@4)` (6.0) and `name@1.2.3(peer@4)`
 *   (9.0, whose dependencies are under `snapshots`). The peer suffix names the peers a copy was resolved
 *   with; the version compared is the package's own.
 */

import { StagecraftError } from '@stagecraft/config/errors';
import { parseYamlSource } from '@stagecraft/config/yaml';
import { DriftCodes } from '../errors.ts';
import { invalidLockfile, keysOf, type LockGraph, LockGraphBuilder, objectAt } from './lock-graph.ts';

const IMPORTER_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'];

export function readPnpmLockfile(text: string, file: string): LockGraph {
  const source = parseYamlSource(text, file, DriftCodes.DEPS_LOCKFILE_INVALID);
  const [problem] = source.syntaxProblems;
  if (problem) {
    throw new StagecraftError(problem.code, problem.message, {
      ...(problem.location ? { location: problem.location } : {}),
      ...(problem.hint ? { hint: problem.hint } : {}),
    });
  }
  const lock = objectAt(source.value);
  if (!lock || lock['lockfileVersion'] === undefined) {
    throw invalidLockfile(file, 'this is not a pnpm-lock.yaml: it has no lockfileVersion', 1);
  }
  const major = Number.parseInt(String(lock['lockfileVersion']), 10);
  const builder = new LockGraphBuilder('pnpm', file);
  const importers = objectAt(lock['importers']) ?? { '.': lock };
  for (const importer of Object.values(importers)) {
    for (const section of IMPORTER_SECTIONS)
      for (const name of keysOf(objectAt(importer)?.[section])) builder.direct(name);
  }
  const packages = objectAt(lock['packages']) ?? {};
  // 9.0 keeps resolutions in `packages` and dependencies in `snapshots`; older versions both in `packages`.
  const withDependencies = major >= 9 ? (objectAt(lock['snapshots']) ?? {}) : packages;
  for (const key of Object.keys(major >= 9 ? { ...packages, ...withDependencies } : packages)) {
    const entry = objectAt(withDependencies[key]) ?? objectAt(packages[key]);
    const parsed = packageKey(key, major);
    const name = typeof entry?.['name'] === 'string' ? entry['name'] : parsed?.name;
    const version = typeof entry?.['version'] === 'string' ? entry['version'] : parsed?.version;
    if (name === undefined || version === undefined) continue;
    builder.add(name, version);
    for (const section of ['dependencies', 'optionalDependencies']) {
      for (const dependency of keysOf(entry?.[section])) builder.depend(name, dependency);
    }
  }
  return builder.build();
}

/** `name` and `version` of a packages key, peer suffix dropped; undefined for a key that names neither. */
export function packageKey(key: string, major: number): { name: string; version: string } | undefined {
  let path = key.startsWith('/') ? key.slice(1) : key;
  const peers = path.indexOf('(');
  if (peers !== -1) path = path.slice(0, peers);
  if (major < 6) {
    // /name/1.2.3_peer@4 or /@scope/name/1.2.3_peer@4 (peer names have `/` written as `+`).
    const segments = path.split('/');
    const nameLength = segments[0]?.startsWith('@') ? 2 : 1;
    if (segments.length <= nameLength) return undefined;
    const version = segments.slice(nameLength).join('/');
    const underscore = version.indexOf('_');
    return {
      name: segments.slice(0, nameLength).join('/'),
      version: underscore === -1 ? version : version.slice(0, underscore),
    };
  }
  const at = path.indexOf('@', 1);
  if (at === -1) return undefined;
  return { name: path.slice(0, at), version: path.slice(at + 1) };
}
