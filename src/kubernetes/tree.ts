/**
 * A comparable form of a manifest: maps everywhere, lists of named things keyed by name (containers, env
 * vars, ports, volumes), so neither document order nor field order matters, and every leaf keeps the value
 * as written (for reports) beside the value compared (with environment equivalents substituted).
 */
export type TreeNode = MapNode | LeafNode;

export interface MapNode {
  kind: 'map';
  /** Keyed by the compared key (equivalents substituted). */
  entries: Map<string, TreeNode>;
  /** Compared key → the key as written, for reports. */
  written: Map<string, string>;
  /** A list keyed by its items' names for comparison, shown as the list it is. */
  list?: boolean;
}

export interface LeafNode {
  kind: 'leaf';
  /** What is compared: the value with equivalents substituted, as canonical JSON for lists and objects. */
  compared: string;
  /** What is shown: the value as written. */
  raw: unknown;
}

export type Substitute = (text: string) => string;

/** Fields that name a list item, in the order tried: the first that every item has, uniquely, keys the list. */
const ITEM_KEYS = ['name', 'mountPath', 'containerPort', 'port', 'host', 'path', 'key', 'ip'];
const METADATA_NAME = 'metadata.name';

function keyOf(item: Record<string, unknown>, key: string): string {
  return String(key === METADATA_NAME ? (item['metadata'] as { name: string }).name : item[key]);
}

export function toTree(value: unknown, substitute: Substitute): TreeNode {
  if (Array.isArray(value)) {
    const key = itemKey(value);
    if (key === undefined) return { kind: 'leaf', compared: canonical(value, substitute), raw: value };
    const entries = new Map<string, TreeNode>();
    const written = new Map<string, string>();
    for (const item of value as Record<string, unknown>[]) {
      const compared = `[${substitute(keyOf(item, key))}]`;
      entries.set(compared, toTree(item, substitute));
      written.set(compared, `[${keyOf(item, key)}]`);
    }
    return { kind: 'map', entries, written, list: true };
  }
  if (value !== null && typeof value === 'object') {
    const entries = new Map<string, TreeNode>();
    const written = new Map<string, string>();
    for (const [key, child] of Object.entries(value)) {
      const compared = substitute(key);
      entries.set(compared, toTree(child, substitute));
      written.set(compared, key);
    }
    return { kind: 'map', entries, written };
  }
  return {
    kind: 'leaf',
    compared: typeof value === 'string' ? substitute(value) : JSON.stringify(value),
    raw: value,
  };
}

function itemKey(items: unknown[]): string | undefined {
  if (
    items.length === 0 ||
    !items.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  ) {
    return undefined;
  }
  const objects = items as Record<string, unknown>[];
  // Templates inside a spec (volumeClaimTemplates) are named by their metadata.
  const named = objects.map((item) => (item['metadata'] as { name?: unknown } | undefined)?.name);
  if (named.every((name) => typeof name === 'string') && new Set(named).size === named.length)
    return METADATA_NAME;
  for (const key of ITEM_KEYS) {
    const values = objects.map((item) => item[key]);
    if (
      values.every((v) => typeof v === 'string' || typeof v === 'number') &&
      new Set(values).size === values.length
    ) {
      return key;
    }
  }
  return undefined;
}

/** JSON with sorted keys and substituted strings: two lists that mean the same compare equal. */
export function canonical(value: unknown, substitute: Substitute = (text) => text): string {
  if (typeof value === 'string') return JSON.stringify(substitute(value));
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, substitute)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        (key) =>
          `${JSON.stringify(substitute(key))}:${canonical((value as Record<string, unknown>)[key], substitute)}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface TreeDifference {
  path: string[];
  left: TreeNode | undefined;
  right: TreeNode | undefined;
}

/** Every place the two trees differ: a key on one side only, or leaves that compare unequal. */
export function diffTrees(
  left: TreeNode,
  right: TreeNode,
  path: string[] = [],
  out: TreeDifference[] = [],
): TreeDifference[] {
  if (left.kind === 'leaf' || right.kind === 'leaf') {
    if (left.kind !== right.kind || (left as LeafNode).compared !== (right as LeafNode).compared) {
      out.push({ path, left, right });
    }
    return out;
  }
  // Paths name keys as written (on the left side when both have them), not as compared.
  for (const [key, child] of left.entries) {
    const segment = left.written.get(key) ?? key;
    const other = right.entries.get(key);
    if (other === undefined) out.push({ path: [...path, segment], left: child, right: undefined });
    else diffTrees(child, other, [...path, segment], out);
  }
  for (const [key, child] of right.entries) {
    if (!left.entries.has(key))
      out.push({ path: [...path, right.written.get(key) ?? key], left: undefined, right: child });
  }
  return out;
}

/** A node as a report shows it: a leaf's value as written, a keyed list as the list it is, a map as an object. */
export function shown(node: TreeNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.kind === 'leaf') return node.raw;
  if (node.list) return [...node.entries.values()].map(shown);
  return Object.fromEntries(
    [...node.entries].map(([key, child]) => [node.written.get(key) ?? key, shown(child)]),
  );
}

export function formatPath(path: readonly string[]): string {
  return path.reduce(
    (text, segment) =>
      segment.startsWith('[') ? `${text}${segment}` : text ? `${text}.${segment}` : segment,
    '',
  );
}
