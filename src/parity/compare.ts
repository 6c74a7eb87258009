/**
 * The comparison: two environments' manifests, facts and Terraform, matched object by object
 * (apiGroup/kind/namespace/name, with equivalents substituted so `shop-staging` meets `shop-production`), then
 * field by field. Each difference is either allowed (size and traffic, or the team's policy) or a violation
 * of one of a fixed set of types. Secret values are dropped when an object is read: only key names remain.
 */

import type { KubeObject, ManifestSet } from '../kubernetes/manifests.ts';
import { sameQuantity } from '../kubernetes/quantity.ts';
import { apiGroup, describeResource as describe, type Resource, resourceOf } from '../kubernetes/resource.ts';
import { removeServerMetadata } from '../kubernetes/server-fields.ts';
import {
  diffTrees,
  formatPath,
  type LeafNode,
  type Substitute,
  shown,
  type TreeDifference,
  type TreeNode,
  toTree,
} from '../kubernetes/tree.ts';
import { groupCauses, type NamespaceCause, pairNamespaces, rekey } from './causes.ts';
import { databaseMajor, type Facts } from './facts.ts';
import { allowedBy, type ParityPolicy } from './policy.ts';
import type {
  AllowedDifference,
  Difference,
  Equivalence,
  IndexedObject,
  ParityResult,
  ParitySide,
  Violation,
  ViolationType,
} from './result.ts';
import { reportable } from './secret-values.ts';
import { SIZE_ATTRIBUTES, type TerraformResource } from './terraform.ts';

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

export function compareEnvironments(left: ParitySide, right: ParitySide, policy: ParityPolicy): ParityResult {
  const equivalence = substitution(left.name, right.name, policy);
  const { substitute } = equivalence;
  let violations: Violation[] = [];
  const allowed: AllowedDifference[] = [];
  const warnings: string[] = [];
  const record = (
    type: ViolationType,
    kind: string,
    resource: Resource | undefined,
    path: readonly string[],
    leftValue: unknown,
    rightValue: unknown,
    message: string,
    redacted?: true,
  ) => {
    const rule = resource ? allowedBy(policy, kind, path) : undefined;
    const difference: Difference = {
      resource,
      path: formatPath(path),
      left: leftValue,
      right: rightValue,
      message,
      ...(redacted ? { redacted } : {}),
    };
    if (rule) allowed.push({ ...difference, rule: rule.origin });
    else violations.push({ type, ...difference });
  };

  let objects = 0;
  let namespaces: NamespaceCause[] = [];
  if (left.manifests && right.manifests) {
    const leftObjects = indexObjects(left.manifests, substitute);
    let rightObjects = indexObjects(right.manifests, substitute);
    // Objects that match only once each side's namespace is taken for the other's are paired and compared;
    // that the namespaces differ is reported once, below.
    namespaces = pairNamespaces(leftObjects, rightObjects);
    if (namespaces.length) rightObjects = rekey(rightObjects, namespaces);
    objects = new Set([...leftObjects.keys(), ...rightObjects.keys()]).size;
    for (const [key, l] of leftObjects) {
      const r = rightObjects.get(key);
      if (!r) {
        record(
          'object-missing',
          l.resource.kind,
          l.resource,
          [],
          describe(l.resource),
          null,
          `${describe(l.resource)} exists in ${left.name} only`,
        );
        continue;
      }
      const trees = [toTree(comparable(l.object), substitute), toTree(comparable(r.object), substitute)];
      for (const difference of diffTrees(trees[0] as TreeNode, trees[1] as TreeNode)) {
        classify(difference, l.resource, left.name, right.name, record, warnings);
      }
    }
    for (const [key, r] of rightObjects) {
      if (!leftObjects.has(key)) {
        record(
          'object-missing',
          r.resource.kind,
          r.resource,
          [],
          null,
          describe(r.resource),
          `${describe(r.resource)} exists in ${right.name} only`,
        );
      }
    }
  }

  let databases = 0;
  if (left.facts && right.facts) databases = compareFacts(left, right, substitute, record, allowed);
  let terraformResources = 0;
  if (left.terraform && right.terraform) {
    terraformResources = compareTerraform(left, right, substitute, violations, allowed);
  }
  violations = groupCauses(violations, namespaces, equivalence, left.name, right.name);
  return {
    verdict: violations.length ? 'violations' : 'parity',
    left: left.name,
    right: right.name,
    violations,
    allowed,
    warnings: [...new Set(warnings)],
    compared: { objects, terraformResources, databases },
  };
}

/**
 * One replacement for both sides that makes equivalent values equal: every string of a class (the two
 * environments' names; each policy entry's values for them) becomes the class's placeholder, on the left and
 * the right alike, so a value identical on both sides always compares equal (`NODE_ENV=production` in
 * staging and production) and `shop-staging` equals `shop-production`. Entries that share a string are one
 * class. Longest strings are replaced first, in one pass.
 */
export function substitution(leftName: string, rightName: string, policy: ParityPolicy): Equivalence {
  const pairs: [string, string][] = [];
  // The environments' names first: a class is shown by its first pair.
  if (leftName !== rightName) pairs.push([leftName, rightName]);
  for (const entry of policy.equivalents) {
    const l = entry[leftName];
    const r = entry[rightName];
    if (l !== undefined && r !== undefined && l !== r) pairs.push([l, r]);
  }
  const classes = new Classes();
  for (const [l, r] of pairs) classes.join(l, r);
  const members = classes.members();
  const shownAs = new Map<string, [string, string]>();
  for (const pair of pairs) {
    const placeholder = members.get(pair[0]) as string;
    if (!shownAs.has(placeholder)) shownAs.set(placeholder, pair);
  }
  const show = (text: string, side: 0 | 1) =>
    text.includes('\u0000')
      ? text.replace(/\u0000\d+\u0000/g, (placeholder) => shownAs.get(placeholder)?.[side] ?? placeholder)
      : text;
  if (members.size === 0) return { substitute: (text) => text, show };
  const pattern = new RegExp(
    [...members.keys()]
      .sort((a, b) => b.length - a.length)
      .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  const replace = (found: string) => members.get(found) as string;
  const substitute = (text: string) => {
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.replace(pattern, replace) : text;
  };
  return { substitute, show };
}

/** Strings joined into classes of equivalents (union-find); each class is named by a placeholder. */
class Classes {
  private readonly parent = new Map<string, string>();

  private root(text: string): string {
    let at = text;
    for (let up = this.parent.get(at); up !== undefined && up !== at; up = this.parent.get(at)) at = up;
    return at;
  }

  join(a: string, b: string): void {
    if (!this.parent.has(a)) this.parent.set(a, a);
    if (!this.parent.has(b)) this.parent.set(b, b);
    this.parent.set(this.root(a), this.root(b));
  }

  /** Each string → its class's placeholder: NUL-delimited, so it can be no part of a value as written. */
  members(): Map<string, string> {
    const names = new Map<string, string>();
    const result = new Map<string, string>();
    for (const text of this.parent.keys()) {
      const root = this.root(text);
      if (!names.has(root)) names.set(root, `\u0000${names.size}\u0000`);
      result.set(text, names.get(root) as string);
    }
    return result;
  }
}

function indexObjects(set: ManifestSet, substitute: Substitute): Map<string, IndexedObject> {
  const index = new Map<string, IndexedObject>();
  for (const { object } of set.objects) {
    const resource = resourceOf(object);
    const type = `${apiGroup(resource.apiVersion)}/${resource.kind}`;
    const namespace = substitute(resource.namespace);
    const name = substitute(resource.name);
    index.set(`${type}/${namespace}/${name}`, { resource, object, type, namespace, name });
  }
  return index;
}

/** The object without what the server writes, and a Secret as its key names only. */
function comparable(object: KubeObject): Record<string, unknown> {
  const { status: _status, ...rest } = object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  if (metadata['annotations'] && typeof metadata['annotations'] === 'object')
    metadata['annotations'] = { ...(metadata['annotations'] as Record<string, unknown>) };
  removeServerMetadata(metadata);
  delete metadata['name'];
  delete metadata['namespace'];
  if (object.kind === 'Secret' && object.apiVersion === 'v1') {
    // data and stringData are one key set; the values are not kept, in any encoding.
    const keys = [
      ...Object.keys((object['data'] as object | undefined) ?? {}),
      ...Object.keys((object['stringData'] as object | undefined) ?? {}),
    ];
    const { data: _data, stringData: _stringData, ...secret } = rest;
    return { ...secret, metadata, data: Object.fromEntries(keys.map((key) => [key, 'set'])) };
  }
  return { ...rest, metadata };
}

type Record_ = (
  type: ViolationType,
  kind: string,
  resource: Resource | undefined,
  path: readonly string[],
  left: unknown,
  right: unknown,
  message: string,
  redacted?: true,
) => void;

function classify(
  difference: TreeDifference,
  resource: Resource,
  leftName: string,
  rightName: string,
  record: Record_,
  warnings: string[],
): void {
  const { path } = difference;
  const last = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  const leftLeaf = difference.left?.kind === 'leaf' ? (difference.left as LeafNode) : undefined;
  const rightLeaf = difference.right?.kind === 'leaf' ? (difference.right as LeafNode) : undefined;
  if (leftLeaf && rightLeaf && sameQuantity(leftLeaf.raw, rightLeaf.raw)) return;
  const where = `${describe(resource)} ${formatPath(path)}`;
  const one = (node: TreeNode | undefined) => (node === undefined ? null : last.slice(1, -1));
  const kind = resource.kind;

  if (last === 'image' && /ontainers$/.test(path[path.length - 3] ?? '') && leftLeaf && rightLeaf) {
    const l = String(leftLeaf.raw);
    const r = String(rightLeaf.raw);
    const [ld, rd] = [DIGEST.exec(l)?.[1], DIGEST.exec(r)?.[1]];
    if (ld && rd && ld === rd) return;
    const sameTag = l.replace(DIGEST, '') === r.replace(DIGEST, '');
    record(
      'image-mismatch',
      kind,
      resource,
      path,
      l,
      r,
      `${where}: different images${sameTag ? ' under the same tag' : ''}`,
    );
    return;
  }
  if (/ontainers$/.test(parent) && (!difference.left || !difference.right)) {
    record(
      'container-set-mismatch',
      kind,
      resource,
      path,
      one(difference.left),
      one(difference.right),
      `${where}: container ${last.slice(1, -1)} runs in ${difference.left ? leftName : rightName} only`,
    );
    return;
  }
  if (parent === 'env' && (!difference.left || !difference.right)) {
    record(
      'env-var-set-mismatch',
      kind,
      resource,
      path,
      one(difference.left),
      one(difference.right),
      `${where}: variable ${last.slice(1, -1)} is set in ${difference.left ? leftName : rightName} only`,
    );
    return;
  }
  if (kind === 'Secret' && path[0] === 'data' && path.length === 2) {
    record(
      'secret-keys-mismatch',
      kind,
      resource,
      path,
      difference.left ? last : null,
      difference.right ? last : null,
      `${where}: key ${last} exists in ${difference.left ? leftName : rightName} only`,
    );
    return;
  }
  const {
    left = null,
    right = null,
    notShown,
  } = reportable(path, shown(difference.left), shown(difference.right));
  const why = notShown ? ` (not shown: ${notShown})` : '';
  const redacted = notShown ? true : undefined;
  if ((kind === 'ConfigMap' && (path[0] === 'data' || path[0] === 'binaryData')) || path.includes('env')) {
    record(
      'config-value-mismatch',
      kind,
      resource,
      path,
      left,
      right,
      `${where}: different values${why}`,
      redacted,
    );
    return;
  }
  if (last === 'image')
    warnings.push(
      `${where}: compare images by digest (repository@sha256:…); a tag does not prove the same image`,
    );
  record('field-mismatch', kind, resource, path, left, right, `${where}: differs${why}`, redacted);
}

function compareFacts(
  left: ParitySide,
  right: ParitySide,
  substitute: Substitute,
  record: Record_,
  allowed: AllowedDifference[],
): number {
  const l = left.facts as Facts;
  const r = right.facts as Facts;
  if (l.kubernetes !== r.kubernetes) {
    record(
      'kubernetes-version-mismatch',
      'Cluster',
      undefined,
      ['kubernetes'],
      l.kubernetesRaw ?? null,
      r.kubernetesRaw ?? null,
      `Kubernetes ${l.kubernetes ?? 'unknown'} in ${left.name}, ${r.kubernetes ?? 'unknown'} in ${right.name}`,
    );
  }
  const rightDbs = new Map(r.databases.map((db) => [substitute(db.name), db]));
  const seen = new Set<string>();
  for (const db of l.databases) {
    const key = substitute(db.name);
    seen.add(key);
    const other = rightDbs.get(key);
    const leftMajor = `${db.engine} ${databaseMajor(db.engine, db.serverVersion)}`;
    const rightMajor = other
      ? `${other.engine} ${databaseMajor(other.engine, other.serverVersion)}`
      : undefined;
    if (leftMajor !== rightMajor) {
      record(
        'database-version-mismatch',
        'Database',
        undefined,
        ['databases', `[${db.name}]`],
        db.serverVersion,
        other?.serverVersion ?? null,
        `database ${db.name}: ${leftMajor} in ${left.name}, ${rightMajor ?? 'none'} in ${right.name}`,
      );
    }
  }
  for (const [key, db] of rightDbs) {
    if (!seen.has(key)) {
      record(
        'database-version-mismatch',
        'Database',
        undefined,
        ['databases', `[${db.name}]`],
        null,
        db.serverVersion,
        `database ${db.name} exists in ${right.name} only`,
      );
    }
  }
  if (JSON.stringify(l.nodes ?? null) !== JSON.stringify(r.nodes ?? null)) {
    allowed.push({
      resource: undefined,
      path: 'nodes',
      left: l.nodes ?? null,
      right: r.nodes ?? null,
      message: 'node count and instance types (size)',
      rule: 'default',
    });
  }
  return new Set([...l.databases.map((db) => substitute(db.name)), ...rightDbs.keys()]).size;
}

function compareTerraform(
  left: ParitySide,
  right: ParitySide,
  substitute: Substitute,
  violations: Violation[],
  allowed: AllowedDifference[],
): number {
  const index = (resources: TerraformResource[], substitute: Substitute) =>
    new Map(resources.map((resource) => [substitute(resource.address), resource]));
  const l = index(left.terraform ?? [], substitute);
  const r = index(right.terraform ?? [], substitute);
  const push = (address: string, path: string, lv: unknown, rv: unknown, message: string) =>
    violations.push({
      type: 'infrastructure-mismatch',
      resource: undefined,
      path: `${address}${path ? `.${path}` : ''}`,
      left: lv,
      right: rv,
      message,
    });
  for (const [key, resource] of l) {
    const other = r.get(key);
    if (!other) {
      push(resource.address, '', resource.type, null, `${resource.address} exists in ${left.name} only`);
      continue;
    }
    if (resource.type !== other.type) {
      push(
        resource.address,
        '',
        resource.type,
        other.type,
        `${resource.address} is a ${resource.type} in ${left.name} and a ${other.type} in ${right.name}`,
      );
      continue;
    }
    for (const difference of diffTrees(
      toTree(resource.values, substitute),
      toTree(other.values, substitute),
    )) {
      const path = formatPath(difference.path);
      const attribute = difference.path[0] ?? '';
      const {
        left = null,
        right = null,
        notShown,
      } = reportable(difference.path, shown(difference.left), shown(difference.right));
      const entry = {
        resource: undefined,
        path: `${resource.address}.${path}`,
        left,
        right,
        ...(notShown ? { redacted: true as const } : {}),
      };
      const why = notShown ? ` (not shown: ${notShown})` : '';
      if (SIZE_ATTRIBUTES.has(attribute))
        allowed.push({ ...entry, message: `${resource.address}.${path} (size)${why}`, rule: 'default' });
      else
        violations.push({
          type: 'infrastructure-mismatch',
          ...entry,
          message: `${resource.address}.${path} differs${why}`,
        });
    }
  }
  for (const [key, resource] of r) {
    if (!l.has(key))
      push(resource.address, '', null, resource.type, `${resource.address} exists in ${right.name} only`);
  }
  return new Set([...l.keys(), ...r.keys()]).size;
}
