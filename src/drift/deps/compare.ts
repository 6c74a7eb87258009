/**
 * Two lockfiles' graphs compared: the packages whose resolved versions differ, were added or removed.
 * Direct dependencies come first; each transitive one is listed under the first direct dependency (in name
 * order) that pulls it in, with the others that also do named in `alsoVia`, so each change appears once
 * and a reader still sees every path to it. Changes no direct dependency reaches (a v1 lockfile without its
 * package.json, a package left over in the lockfile) are listed as unattributed.
 */
import type { LockGraph } from './lock-graph.ts';

export type ChangeKind = 'changed' | 'added' | 'removed';

export interface PackageChange {
  name: string;
  change: ChangeKind;
  /** Versions on each side, sorted; empty on the side that does not have the package. */
  left: string[];
  right: string[];
  /** A semver-breaking difference: another major version (or, below 1.0.0, another minor). */
  majorChange: boolean;
  /** Other direct dependencies that pull in this transitive one. */
  alsoVia?: string[];
}

export interface TransitiveGroup {
  /** The direct dependency that pulls these in. */
  via: string;
  changes: PackageChange[];
}

export interface GraphDifference {
  direct: PackageChange[];
  transitive: TransitiveGroup[];
  unattributed: PackageChange[];
}

/** Steps of the walks that name every direct dependency behind each change; past it, only the first. */
const WALK_BUDGET = 100_000_000;

export function compareGraphs(left: LockGraph, right: LockGraph): GraphDifference {
  const changes: PackageChange[] = [];
  for (const name of new Set([...left.versions.keys(), ...right.versions.keys()])) {
    const before = sorted(left.versions.get(name));
    const after = sorted(right.versions.get(name));
    if (before.length === after.length && before.every((version, i) => version === after[i])) continue;
    changes.push({
      name,
      change: before.length === 0 ? 'added' : after.length === 0 ? 'removed' : 'changed',
      left: before,
      right: after,
      majorChange: before.length > 0 && after.length > 0 && breaking(before, after),
    });
  }
  changes.sort((a, b) => compareText(a.name, b.name));
  const direct = new Set([...left.direct, ...right.direct]);
  const attribution = attribute(direct, unionEdges(left.edges, right.edges), changes);
  const result: GraphDifference = { direct: [], transitive: [], unattributed: [] };
  const groups = new Map<string, TransitiveGroup>();
  for (const change of changes) {
    if (direct.has(change.name)) {
      result.direct.push(change);
      continue;
    }
    const roots = attribution.get(change.name);
    const owner = roots?.[0];
    if (owner === undefined) {
      result.unattributed.push(change);
      continue;
    }
    if ((roots?.length ?? 0) > 1) change.alsoVia = roots?.slice(1) as string[];
    let group = groups.get(owner);
    if (!group) {
      group = { via: owner, changes: [] };
      groups.set(owner, group);
    }
    group.changes.push(change);
  }
  result.transitive = [...groups.values()].sort((a, b) => compareText(a.via, b.via));
  return result;
}

/**
 * For each changed package, the direct dependencies that pull it in (without passing through another direct
 * one), in name order. One breadth-first walk per direct dependency over the graph as integers: fast for
 * real graphs. Past WALK_BUDGET (thousands of direct dependencies over a huge graph) only the first is
 * named: one walk in name order, each package going to the first that reaches it.
 */
function attribute(
  direct: Set<string>,
  edges: Map<string, Set<string>>,
  changes: PackageChange[],
): Map<string, string[]> {
  const ids = new Map<string, number>();
  const id = (name: string) => {
    let known = ids.get(name);
    if (known === undefined) {
      known = ids.size;
      ids.set(name, known);
    }
    return known;
  };
  let edgeCount = 0;
  const pairs: [number, number[]][] = [];
  for (const [from, targets] of edges) {
    pairs.push([id(from), [...targets].map(id)]);
    edgeCount += targets.size;
  }
  const roots = [...direct].sort(compareText);
  const rootIds = roots.map(id);
  const adjacency: number[][] = Array.from({ length: ids.size }, () => []);
  for (const [from, targets] of pairs) adjacency[from] = targets;
  const isRoot = new Uint8Array(ids.size);
  for (const root of rootIds) isRoot[root] = 1;
  const wanted = new Int32Array(ids.size).fill(-1);
  const found: string[][] = [];
  for (const change of changes) {
    const known = ids.get(change.name);
    if (known !== undefined && !isRoot[known]) {
      wanted[known] = found.length;
      found.push([]);
    }
  }
  const everyRoot = roots.length * (ids.size + edgeCount) <= WALK_BUDGET;
  const stamp = new Int32Array(ids.size).fill(-1);
  const queue = new Int32Array(ids.size);
  rootIds.forEach((root, k) => {
    let head = 0;
    let tail = 0;
    for (const next of adjacency[root] as number[]) {
      if (isRoot[next] || stamp[next] === (everyRoot ? k : 0)) continue;
      if (!everyRoot && stamp[next] !== -1) continue;
      stamp[next] = everyRoot ? k : 0;
      queue[tail++] = next;
    }
    while (head < tail) {
      const node = queue[head++] as number;
      const slot = wanted[node] as number;
      if (slot !== -1) found[slot]?.push(roots[k] as string);
      for (const next of adjacency[node] as number[]) {
        if (isRoot[next]) continue;
        if (everyRoot ? stamp[next] === k : stamp[next] !== -1) continue;
        stamp[next] = everyRoot ? k : 0;
        queue[tail++] = next;
      }
    }
  });
  const attribution = new Map<string, string[]>();
  for (const change of changes) {
    const known = ids.get(change.name);
    const slot = known === undefined ? -1 : (wanted[known] as number);
    if (slot !== -1 && found[slot]?.length) attribution.set(change.name, found[slot] as string[]);
  }
  return attribution;
}

function unionEdges(a: Map<string, Set<string>>, b: Map<string, Set<string>>): Map<string, Set<string>> {
  const union = new Map<string, Set<string>>();
  for (const source of [a, b]) {
    for (const [from, targets] of source) {
      const set = union.get(from) ?? new Set<string>();
      for (const target of targets) set.add(target);
      union.set(from, set);
    }
  }
  return union;
}

/** Whether the semver-breaking parts of the versions differ; versions that are not semver never count. */
function breaking(before: string[], after: string[]): boolean {
  const keys = (versions: string[]) => versions.map(breakingKey);
  const a = keys(before);
  const b = keys(after);
  if (a.includes(undefined) || b.includes(undefined)) return false;
  const left = new Set(a);
  const right = new Set(b);
  return left.size !== right.size || [...left].some((key) => !right.has(key));
}

/** `2` for 2.3.4, `0.3` for 0.3.4, `0.0.4` for 0.0.4 (each a breaking line by semver's caret rules). */
export function breakingKey(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  const [, major, minor, patch] = match;
  if (major !== '0') return major;
  return minor !== '0' ? `0.${minor}` : `0.0.${patch}`;
}

function sorted(versions: Set<string> | undefined): string[] {
  return versions ? [...versions].sort(compareText) : [];
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
