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

/** Edge visits spent naming every direct dependency behind each change; past it, `alsoVia` is left out. */
const ALSO_VIA_BUDGET = 10_000_000;

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
  const edges = unionEdges(left.edges, right.edges);
  const owners = firstOwners([...direct].sort(compareText), edges);
  const result: GraphDifference = { direct: [], transitive: [], unattributed: [] };
  const groups = new Map<string, TransitiveGroup>();
  const reverse = reverseEdges(edges);
  let budget = ALSO_VIA_BUDGET;
  for (const change of changes) {
    if (direct.has(change.name)) {
      result.direct.push(change);
      continue;
    }
    const owner = owners.get(change.name);
    if (owner === undefined) {
      result.unattributed.push(change);
      continue;
    }
    if (budget > 0) {
      const roots = reachingRoots(change.name, reverse, direct, (spent) => {
        budget -= spent;
      });
      const others = roots.filter((root) => root !== owner).sort(compareText);
      if (others.length) change.alsoVia = others;
    }
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

/** Each package reached from a root, with the first root (in the order given) that reaches it: one pass. */
function firstOwners(roots: string[], edges: Map<string, Set<string>>): Map<string, string> {
  const owners = new Map<string, string>();
  const rootSet = new Set(roots);
  for (const root of roots) {
    const queue = [...(edges.get(root) ?? [])];
    for (let i = 0; i < queue.length; i++) {
      const name = queue[i] as string;
      // Reached by an earlier root already: so is everything it pulls in.
      if (owners.has(name) || rootSet.has(name)) continue;
      owners.set(name, root);
      for (const next of edges.get(name) ?? []) if (!owners.has(next)) queue.push(next);
    }
  }
  return owners;
}

function reachingRoots(
  name: string,
  reverse: Map<string, Set<string>>,
  direct: Set<string>,
  spend: (n: number) => void,
): string[] {
  const seen = new Set([name]);
  const roots: string[] = [];
  const queue = [name];
  for (let i = 0; i < queue.length; i++) {
    for (const parent of reverse.get(queue[i] as string) ?? []) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      if (direct.has(parent)) roots.push(parent);
      else queue.push(parent);
    }
  }
  spend(seen.size);
  return roots;
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

function reverseEdges(edges: Map<string, Set<string>>): Map<string, Set<string>> {
  const reverse = new Map<string, Set<string>>();
  for (const [from, targets] of edges) {
    for (const target of targets) {
      const set = reverse.get(target) ?? new Set<string>();
      set.add(from);
      reverse.set(target, set);
    }
  }
  return reverse;
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
