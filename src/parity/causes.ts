/**
 * One cause, reported once. When each environment has its own namespace (`staging` and `prod`) and nothing
 * declares them equivalent, no object matches by namespace/name: objects that match by name once the
 * namespaces are taken for each other are paired and compared, and the namespaces are one `name-mismatch`.
 * Likewise a name that differs between the environments (`shop-stg` and `shop-prd` in labels, selectors,
 * templates and host names) is one `name-mismatch` listing every place, instead of a violation per place.
 * Each names the `equivalents` entry that makes the two the same.
 */

import { agreeing, counted } from '@stagecraft/config/text';
import type { Equivalence, IndexedObject, Place, Violation } from './result.ts';

export interface NamespaceCause {
  /** As compared (equivalents substituted). */
  left: string;
  right: string;
  /** As written in each environment's manifests. */
  leftWritten: string;
  rightWritten: string;
  /** The objects paired across the two namespaces, by their left side. */
  places: Place[];
}

function namespacesOf(objects: Map<string, IndexedObject>): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const object of objects.values())
    if (object.namespace && !namespaces.has(object.namespace))
      namespaces.set(object.namespace, object.resource.namespace);
  return namespaces;
}

const isNamespace = (object: IndexedObject) => object.resource.kind === 'Namespace' && !object.namespace;

/**
 * Namespaces found on one side only, paired when objects of the same type and name sit in them: each left
 * namespace with the right namespace that holds most of its objects' names, when that choice is unique.
 */
export function pairNamespaces(
  left: Map<string, IndexedObject>,
  right: Map<string, IndexedObject>,
): NamespaceCause[] {
  const leftSpaces = namespacesOf(left);
  const rightSpaces = namespacesOf(right);
  const leftOnly = new Set([...leftSpaces.keys()].filter((ns) => !rightSpaces.has(ns)));
  const rightOnly = new Set([...rightSpaces.keys()].filter((ns) => !leftSpaces.has(ns)));
  if (leftOnly.size === 0 || rightOnly.size === 0) return [];
  const holding = new Map<string, string[]>();
  for (const object of right.values()) {
    if (!rightOnly.has(object.namespace)) continue;
    const key = `${object.type}/${object.name}`;
    holding.set(key, [...(holding.get(key) ?? []), object.namespace]);
  }
  const votes = new Map<string, { left: string; right: string; count: number }>();
  for (const object of left.values()) {
    if (!leftOnly.has(object.namespace)) continue;
    for (const namespace of holding.get(`${object.type}/${object.name}`) ?? []) {
      const key = `${object.namespace}\u0001${namespace}`;
      const vote = votes.get(key) ?? { left: object.namespace, right: namespace, count: 0 };
      vote.count++;
      votes.set(key, vote);
    }
  }
  const ranked = [...votes.values()].sort((a, b) => b.count - a.count);
  const taken = new Set<string>();
  const causes: NamespaceCause[] = [];
  for (const vote of ranked) {
    if (taken.has(`l${vote.left}`) || taken.has(`r${vote.right}`)) continue;
    // Two right namespaces as likely for one left namespace (or the reverse): no guess.
    const rival = ranked.some(
      (other) =>
        other !== vote &&
        other.count === vote.count &&
        (other.left === vote.left || other.right === vote.right) &&
        !taken.has(`l${other.left}`) &&
        !taken.has(`r${other.right}`),
    );
    taken.add(`l${vote.left}`).add(`r${vote.right}`);
    if (rival) continue;
    causes.push({
      left: vote.left,
      right: vote.right,
      leftWritten: leftSpaces.get(vote.left) as string,
      rightWritten: rightSpaces.get(vote.right) as string,
      places: [],
    });
  }
  for (const cause of causes) {
    const namespace = [...left.values()].find((object) => isNamespace(object) && object.name === cause.left);
    const other = [...right.values()].some((object) => isNamespace(object) && object.name === cause.right);
    if (namespace && other) cause.places.push({ resource: namespace.resource, path: 'metadata.name' });
    for (const object of right.values()) {
      if (object.namespace !== cause.right) continue;
      const match = left.get(`${object.type}/${cause.left}/${object.name}`);
      if (match) cause.places.push({ resource: match.resource, path: 'metadata.namespace' });
    }
  }
  return causes;
}

/** The right side's objects keyed as if each paired namespace were its left counterpart. */
export function rekey(
  right: Map<string, IndexedObject>,
  causes: readonly NamespaceCause[],
): Map<string, IndexedObject> {
  const counterpart = new Map(causes.map((cause) => [cause.right, cause.left]));
  const result = new Map<string, IndexedObject>();
  for (const [key, object] of right) {
    const namespace = counterpart.get(object.namespace);
    const name = isNamespace(object) ? counterpart.get(object.name) : undefined;
    if (namespace !== undefined) result.set(`${object.type}/${namespace}/${object.name}`, object);
    else if (name !== undefined) result.set(`${object.type}//${name}`, object);
    else result.set(key, object);
  }
  return result;
}

/** Letters, digits and placeholders make a word; anything else separates words. */
const TOKENS = /(?:[A-Za-z0-9]|\u0000\d+\u0000)+|[^A-Za-z0-9\u0000]+/g;
/** What may differ for a difference to be a name: words joined by `-` or `_`, with a letter in them. */
const NAME = /^(?:[A-Za-z0-9]|\u0000\d+\u0000)+(?:[-_](?:[A-Za-z0-9]|\u0000\d+\u0000)+)*$/;
const HAS_LETTER = /[A-Za-z\u0000]/;

/**
 * The part of two compared strings that differs, word-aligned: `shop-stg.example.com` and
 * `shop-prd.example.com` → [`stg`, `prd`]; undefined when that part is not a name on both sides.
 */
export function changedName(left: string, right: string): [string, string] | undefined {
  const l = left.match(TOKENS) ?? [];
  const r = right.match(TOKENS) ?? [];
  let start = 0;
  while (start < l.length && start < r.length && l[start] === r[start]) start++;
  let end = 0;
  while (end < l.length - start && end < r.length - start && l[l.length - 1 - end] === r[r.length - 1 - end])
    end++;
  const a = l.slice(start, l.length - end).join('');
  const b = r.slice(start, r.length - end).join('');
  if (a.length > 63 || b.length > 63) return undefined;
  if (!NAME.test(a) || !NAME.test(b) || !HAS_LETTER.test(a) || !HAS_LETTER.test(b)) return undefined;
  return [a, b];
}

/** YAML for a scalar: bare when it reads back as the same string. */
function yamlScalar(text: string): string {
  return /^[A-Za-z][\w./-]*$/.test(text) && !/^(?:true|false|yes|no|on|off|null)$/i.test(text)
    ? text
    : JSON.stringify(text);
}

function entry(leftName: string, left: string, rightName: string, right: string): string {
  return `{ ${yamlScalar(leftName)}: ${yamlScalar(left)}, ${yamlScalar(rightName)}: ${yamlScalar(right)} }`;
}

interface Cause {
  key: string;
  namespace: NamespaceCause | undefined;
  left: string;
  right: string;
  members: Violation[];
}

/**
 * The violations with each cause reported once: a namespace pairing, and a name that differs the same way
 * at two places or more (values shown in full only; a redacted value is never grouped by what it holds).
 * Namespace findings come first, a name's finding where its first place was.
 */
export function groupCauses(
  violations: Violation[],
  namespaces: readonly NamespaceCause[],
  equivalence: Equivalence,
  leftName: string,
  rightName: string,
): Violation[] {
  const causes = new Map<string, Cause>();
  for (const namespace of namespaces) {
    const key = `${namespace.left}\u0001${namespace.right}`;
    causes.set(key, { key, namespace, left: namespace.left, right: namespace.right, members: [] });
  }
  const causeOf = new Map<Violation, Cause>();
  for (const violation of violations) {
    if (violation.type !== 'field-mismatch' && violation.type !== 'config-value-mismatch') continue;
    if (violation.redacted || !violation.resource) continue;
    if (typeof violation.left !== 'string' || typeof violation.right !== 'string') continue;
    const changed = changedName(
      equivalence.substitute(violation.left),
      equivalence.substitute(violation.right),
    );
    if (!changed) continue;
    const key = `${changed[0]}\u0001${changed[1]}`;
    let cause = causes.get(key);
    if (!cause) {
      cause = { key, namespace: undefined, left: changed[0], right: changed[1], members: [] };
      causes.set(key, cause);
    }
    cause.members.push(violation);
    causeOf.set(violation, cause);
  }
  const reported = (cause: Cause) => cause.namespace !== undefined || cause.members.length >= 2;
  const finding = (cause: Cause): Violation => {
    const left = cause.namespace?.leftWritten ?? equivalence.show(cause.left, 0);
    const right = cause.namespace?.rightWritten ?? equivalence.show(cause.right, 1);
    const places: Place[] = [
      ...(cause.namespace?.places ?? []),
      ...cause.members.map((member) => ({ resource: member.resource, path: member.path })),
    ];
    const declare = `declare them equivalent in the parity section — equivalents: [${entry(leftName, left, rightName, right)}]`;
    const message = cause.namespace
      ? `the namespace is ${left} in ${leftName} and ${right} in ${rightName}: ${counted(cause.namespace.places.length, 'object')} ${agreeing(cause.namespace.places.length, 'matches', 'match')} only by name${cause.members.length ? ` and ${counted(cause.members.length, 'value')} ${agreeing(cause.members.length, 'names', 'name')} the namespace` : ''}; ${declare}`
      : `${left} in ${leftName} is ${right} in ${rightName} at ${places.length} places; if they name the same thing in each environment, ${declare}`;
    return { type: 'name-mismatch', resource: undefined, path: '', left, right, message, places };
  };
  const result: Violation[] = [];
  for (const cause of causes.values()) if (cause.namespace) result.push(finding(cause));
  for (const violation of violations) {
    const cause = causeOf.get(violation);
    if (!cause || !reported(cause)) result.push(violation);
    else if (!cause.namespace && cause.members[0] === violation) result.push(finding(cause));
  }
  return result;
}
