/**
 * Desired manifests against what runs, quiet by construction: the server's defaults are applied to the
 * desired side (and a default the live object lacks is not drift), fields the server or its controllers
 * write are removed, empty and absent compare alike where the API treats them alike, quantities compare as
 * numbers, replicas an autoscaler owns are skipped. Every declared object is compared; of the objects only
 * the cluster has, those controllers create are listed as informational, the rest are drift. Each change is
 * attributed to the field manager and time managedFields record for it.
 */
import { createHash } from 'node:crypto';
import { StagecraftError } from '@stagecraft/config/errors';
import { isJsonObject, mismatch } from '@stagecraft/config/input';
import { applyDefaults, printedNoise, serverWrites } from '../kubernetes/defaults.ts';
import type { KubeObject } from '../kubernetes/manifests.ts';
import { sameQuantity } from '../kubernetes/quantity.ts';
import { apiGroup, describeResource as describe, type Resource, resourceOf } from '../kubernetes/resource.ts';
import { removeServerMetadata } from '../kubernetes/server-fields.ts';
import {
  canonical,
  diffTrees,
  formatPath,
  type LeafNode,
  type MapNode,
  shown,
  type TreeNode,
} from '../kubernetes/tree.ts';
import { reportable } from '../parity/secret-values.ts';
import { DriftCodes } from './errors.ts';

export interface Attribution {
  manager: string;
  operation: string;
  time: string | undefined;
}

export interface DriftItem {
  type: 'modified' | 'missing' | 'extra';
  resource: Resource;
  path: string;
  /** For `modified`: a field only the cluster has (added), only the manifest has (removed), or both with different values. */
  change?: 'added' | 'removed' | 'changed';
  desired: unknown;
  live: unknown;
  attribution: Attribution | undefined;
  /** A change made with kubectl in an environment stagecraft.yaml marks as changed through IaC only. */
  manual: boolean;
  /** Set when the values name or look like a secret: desired and live then say only `(not shown)`. */
  redacted?: true;
}

/** An object only the cluster has that a controller created: listed, not drift. */
export interface ControllerObject {
  resource: Resource;
  /** Why it counts as a controller's: its owner, a well-known marker, or the field manager that created it. */
  reason: string;
  createdBy: string | undefined;
}

export interface IgnoreRule {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  /** JSON pointers such as `/spec/replicas` (`*` matches any one segment); a prefix ignores what is below it. */
  jsonPointers?: string[];
  /** Changes made by these field managers. */
  managers?: string[];
}

export interface DriftOptions {
  ignore: IgnoreRule[];
  iacOnly: boolean;
}

export interface KubernetesDrift {
  verdict: 'no-drift' | 'drift';
  items: DriftItem[];
  informational: ControllerObject[];
  compared: { desired: number; live: number; ignored: number };
}

/** Objects the cluster makes for itself, silent when only the cluster has them. */
const SYSTEM_KINDS = new Set([
  'Endpoints',
  'EndpointSlice',
  'ReplicaSet',
  'Pod',
  'Event',
  'ControllerRevision',
  'Lease',
]);
/**
 * Field managers of controllers: the managers kube-controller-manager, cloud-controller-manager, kubelet and
 * kube-scheduler record (the server names a manager after the client's binary), the aggregation controller,
 * and cert-manager's controllers (cert-manager-certificates-issuing, …).
 */
const CONTROLLER_MANAGERS = [
  /^kube-controller-manager$/,
  /^cloud-controller-manager$/,
  /^kubelet$/,
  /^kube-scheduler$/,
  /^clusterrole-aggregation-controller$/,
  /^cert-manager-/,
];
const SECRET_VALUE = '(secret value)';

export function compareKubernetes(
  desired: readonly KubeObject[],
  live: readonly KubeObject[],
  options: DriftOptions,
): KubernetesDrift {
  const key = (object: KubeObject) => {
    const r = resourceOf(object);
    return `${apiGroup(r.apiVersion)}/${r.kind}/${r.namespace}/${r.name}`;
  };
  const managedNamespaces = new Set(desired.map((object) => resourceOf(object).namespace).filter(Boolean));
  for (const object of desired)
    if (object.kind === 'Namespace') managedNamespaces.add(object.metadata.name ?? '');
  // Replicas of a workload an HPA scales are the HPA's to set.
  const autoscaled = new Set<string>();
  for (const object of desired) {
    const target = (object['spec'] as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)
      ?.scaleTargetRef;
    if (object.kind === 'HorizontalPodAutoscaler' && target)
      autoscaled.add(`${target.kind}/${resourceOf(object).namespace}/${target.name}`);
  }
  // Every live object is matched: a declared object of a system kind, or one a controller owns, is compared.
  const liveByKey = new Map(live.map((object) => [key(object), object]));
  const items: DriftItem[] = [];
  const informational: ControllerObject[] = [];
  let ignored = 0;
  const push = (item: DriftItem) => {
    if (ignoredBy(options.ignore, item)) ignored++;
    else items.push(item);
  };
  const manual = (attribution: Attribution | undefined) =>
    options.iacOnly && attribution !== undefined && /^kubectl/.test(attribution.manager);
  const desiredKeys = new Set<string>();
  for (const object of desired) {
    const k = key(object);
    desiredKeys.add(k);
    const resource = resourceOf(object);
    const running = liveByKey.get(k);
    if (!running) {
      push({
        type: 'missing',
        resource,
        path: '',
        desired: describe(resource),
        live: null,
        attribution: undefined,
        manual: false,
      });
      continue;
    }
    const managed = managedFieldsOf(running);
    const desiredSide = comparable(
      applyDefaults(structuredClone(object) as Record<string, unknown>) as KubeObject,
      true,
    );
    const liveSide = comparable(running);
    serverWrites(object.kind, resource.name, desiredSide, liveSide);
    const secret = isSecret(object);
    const secretData = secret ? [takeData(desiredSide), takeData(liveSide)] : undefined;
    // The manifest as written, to tell a default the live object lacks from a field it lost.
    let written: TreeNode | undefined;
    const declared = (path: readonly string[]) => {
      written ??= kubeTree(comparable(object));
      return has(written, path);
    };
    for (const difference of diffTrees(kubeTree(desiredSide), kubeTree(liveSide))) {
      const { path, left, right } = difference;
      const dl = left?.kind === 'leaf' ? (left as LeafNode) : undefined;
      const ll = right?.kind === 'leaf' ? (right as LeafNode) : undefined;
      if (dl && ll && sameQuantity(dl.raw, ll.raw)) continue;
      if (emptyAlike(left, path, object.kind) && emptyAlike(right, path, object.kind)) continue;
      // null is unset in the API's JSON: never "(absent) vs (absent)".
      if ((left === undefined || dl?.raw === null) && (right === undefined || ll?.raw === null)) continue;
      if (right === undefined && !declared(path)) continue;
      if (
        path[0] === 'spec' &&
        path[1] === 'replicas' &&
        path.length === 2 &&
        autoscaled.has(`${resource.kind}/${resource.namespace}/${resource.name}`)
      )
        continue;
      const attribution = attribute(managed, path);
      // A value that names or looks like a secret (an env var's password, a ConfigMap's connection string)
      // is reported as changed, never shown: a drift report ends up in CI logs and in the ledger.
      const values = reportable(path, shown(left), shown(right));
      push({
        type: 'modified',
        resource,
        path: formatPath(path),
        change: left === undefined ? 'added' : right === undefined ? 'removed' : 'changed',
        desired: values.left,
        live: values.right,
        ...(values.notShown ? { redacted: true as const } : {}),
        attribution,
        manual: manual(attribution),
      });
    }
    if (secretData) {
      // A Secret's keys are compared by the digest of their values; what is reported is which key was
      // added, removed or changed, never a value.
      const [mine, theirs] = secretData as [Map<string, string>, Map<string, string>];
      for (const name of [...new Set([...mine.keys(), ...theirs.keys()])].sort()) {
        const a = mine.get(name);
        const b = theirs.get(name);
        if (a === b) continue;
        const path = ['data', name];
        const attribution = attribute(managed, path);
        push({
          type: 'modified',
          resource,
          path: formatPath(path),
          change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
          desired: a === undefined ? undefined : SECRET_VALUE,
          live: b === undefined ? undefined : SECRET_VALUE,
          attribution,
          manual: manual(attribution),
        });
      }
    }
  }
  const claimTemplates = statefulSetClaims([...desired, ...live]);
  for (const [k, object] of liveByKey) {
    const resource = resourceOf(object);
    if (desiredKeys.has(k) || !managedNamespaces.has(resource.namespace) || isSystem(object)) continue;
    const managed = managedFieldsOf(object);
    const creator = creatorOf(managed);
    const attribution = creator
      ? { manager: creator.manager, operation: creator.operation, time: creator.time }
      : undefined;
    const reason = controllerReason(object, creator?.manager, claimTemplates);
    if (reason !== undefined) {
      informational.push({ resource, reason, createdBy: creator?.manager });
      continue;
    }
    push({
      type: 'extra',
      resource,
      path: '',
      desired: null,
      live: describe(resource),
      attribution,
      manual: manual(attribution),
    });
  }
  return {
    verdict: items.length ? 'drift' : 'no-drift',
    items,
    informational,
    compared: { desired: desired.length, live: live.length, ignored },
  };
}

/** Live-only objects that are the cluster's own: silent, not even listed. */
function isSystem(object: KubeObject): boolean {
  if (SYSTEM_KINDS.has(object.kind)) return true;
  const name = object.metadata.name;
  return (
    (object.kind === 'ServiceAccount' && name === 'default') ||
    (object.kind === 'ConfigMap' && name === 'kube-root-ca.crt')
  );
}

/** The entry of the manager that created the object: the earliest one managedFields record. */
function creatorOf(managed: readonly ManagedFields[]): ManagedFields | undefined {
  let first: ManagedFields | undefined;
  for (const entry of managed) {
    if (entry.operation !== 'Update' && entry.operation !== 'Apply') continue;
    if (!first || (entry.time ?? '') < (first.time ?? '')) first = entry;
  }
  return first;
}

/** The claim names a StatefulSet's controller gives: `<template>-<statefulset>-<ordinal>`. */
function statefulSetClaims(objects: readonly KubeObject[]): Map<string, string> {
  const prefixes = new Map<string, string>();
  for (const object of objects) {
    if (object.kind !== 'StatefulSet') continue;
    const spec = object['spec'] as { volumeClaimTemplates?: unknown } | undefined;
    const templates = Array.isArray(spec?.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
    for (const claim of templates) {
      const name =
        isJsonObject(claim) && isJsonObject(claim['metadata']) ? claim['metadata']['name'] : undefined;
      if (typeof name === 'string')
        prefixes.set(
          `${object.metadata.namespace ?? ''}/${name}-${object.metadata.name}-`,
          object.metadata.name ?? '',
        );
    }
  }
  return prefixes;
}

/** Why a live-only object is a controller's, or undefined when it counts as made by hand. */
function controllerReason(
  object: KubeObject,
  creator: string | undefined,
  claims: ReadonlyMap<string, string>,
): string | undefined {
  const owners = object.metadata['ownerReferences'];
  if (Array.isArray(owners) && owners.length) {
    const owner = isJsonObject(owners[0]) ? owners[0] : {};
    return `owned by ${String(owner['kind'] ?? 'an object')} ${String(owner['name'] ?? '')}`.trim();
  }
  const byHand = creator !== undefined && /^kubectl/.test(creator);
  const annotations = isJsonObject(object.metadata['annotations']) ? object.metadata['annotations'] : {};
  const name = object.metadata.name ?? '';
  // cert-manager writes the Certificate's name on the Secret it issues (cert-manager.io/certificate-name).
  if (object.kind === 'Secret' && typeof annotations['cert-manager.io/certificate-name'] === 'string')
    return `cert-manager certificate ${annotations['cert-manager.io/certificate-name']}`;
  // The legacy token controller's Secrets: "<account>-token-<random>", typed and annotated with the account.
  const account = annotations['kubernetes.io/service-account.name'];
  if (
    !byHand &&
    object.kind === 'Secret' &&
    object['type'] === 'kubernetes.io/service-account-token' &&
    typeof account === 'string' &&
    name.startsWith(`${account}-token-`)
  )
    return `token of ServiceAccount ${account}`;
  // The StatefulSet controller's claims, one per template and ordinal (kept after scale-down by default).
  if (object.kind === 'PersistentVolumeClaim') {
    const namespace = object.metadata.namespace ?? '';
    for (const [prefix, statefulSet] of claims) {
      if (
        `${namespace}/${name}`.startsWith(prefix) &&
        /^\d+$/.test(`${namespace}/${name}`.slice(prefix.length))
      )
        return `claim of StatefulSet ${statefulSet}`;
    }
  }
  if (creator !== undefined && CONTROLLER_MANAGERS.some((pattern) => pattern.test(creator)))
    return `created by ${creator}`;
  return undefined;
}

const isSecret = (object: KubeObject) => object.kind === 'Secret' && object.apiVersion === 'v1';

/**
 * Without what the server writes; a Secret's values as digests (data and stringData alike). A copy, unless
 * the object is already one (`owned`).
 */
function comparable(object: KubeObject, owned = false): Record<string, unknown> {
  const { status: _status, ...rest } = (owned ? object : structuredClone(object)) as KubeObject;
  const metadata = (rest.metadata ?? {}) as Record<string, unknown>;
  removeServerMetadata(metadata);
  delete metadata['name'];
  delete metadata['namespace'];
  const labels = metadata['labels'] as Record<string, unknown> | undefined;
  if (labels && object.kind === 'Namespace') delete labels['kubernetes.io/metadata.name'];
  const spec = rest['spec'] as Record<string, unknown> | undefined;
  if (spec && object.kind === 'Service') {
    for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[field];
  }
  if (spec && object.kind === 'Namespace') delete spec['finalizers'];
  if (spec && typeof spec === 'object') printedNoise(spec);
  if (isSecret(object)) {
    const values = new Map<string, string>();
    // A null value is an empty one (a nil []byte is printed as "").
    for (const [k, v] of Object.entries((rest['data'] as Record<string, unknown> | undefined) ?? {}))
      values.set(k, Buffer.from(v === null || v === undefined ? '' : String(v), 'base64').toString('utf8'));
    for (const [k, v] of Object.entries((rest['stringData'] as Record<string, unknown> | undefined) ?? {}))
      values.set(k, v === null || v === undefined ? '' : String(v));
    delete rest['stringData'];
    delete rest['data'];
    const digests = new Map([...values].map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]));
    Object.defineProperty(rest, SECRET_DATA, { value: digests, enumerable: false });
  }
  return rest;
}

const SECRET_DATA = Symbol('secret data');

function takeData(side: Record<string, unknown>): Map<string, string> {
  return ((side as Record<symbol, unknown>)[SECRET_DATA] as Map<string, string> | undefined) ?? new Map();
}

/**
 * The keys the API gives list items (x-kubernetes-list-map-keys in the OpenAPI schema): a path names
 * `containers[app]`, `ports[53/UDP]`, `volumeMounts[/data]`, never a position. Lists without keys, or whose
 * items lack them, compare as one value.
 */
const LIST_KEYS: Record<string, readonly string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  secrets: ['name'],
  webhooks: ['name'],
  resourceClaims: ['name'],
  hostAliases: ['ip'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  conditions: ['type'],
};
/** For lists the schema leaves without keys, the first field every item has, uniquely. */
const FALLBACK_KEYS = ['name', 'host', 'path', 'key'];
function listKeys(
  field: string,
  items: Record<string, unknown>[],
): ((item: Record<string, unknown>) => string) | undefined {
  const candidates: ((item: Record<string, unknown>) => unknown)[] = [];
  const fields = (names: readonly string[]) => (item: Record<string, unknown>) =>
    names.every((name) => item[name] !== undefined)
      ? names.map((name) => String(item[name])).join('/')
      : undefined;
  if (field === 'ports') {
    // Container ports by containerPort/protocol, Service ports by port/protocol (protocol defaults to TCP).
    const by = items.every((item) => item['containerPort'] !== undefined) ? 'containerPort' : 'port';
    candidates.push((item) =>
      typeof item[by] === 'number' || typeof item[by] === 'string'
        ? `${item[by]}/${item['protocol'] ?? 'TCP'}`
        : undefined,
    );
  } else if (field === 'volumeClaimTemplates') {
    candidates.push((item) => (isJsonObject(item['metadata']) ? item['metadata']['name'] : undefined));
  } else if (LIST_KEYS[field]) {
    candidates.push(fields(LIST_KEYS[field]));
  } else {
    for (const name of FALLBACK_KEYS) candidates.push(fields([name]));
  }
  for (const candidate of candidates) {
    const keys = items.map(candidate);
    if (
      keys.every((k) => typeof k === 'string' || typeof k === 'number') &&
      new Set(keys).size === keys.length
    )
      return (item) => String(candidate(item));
  }
  return undefined;
}

/** A comparable tree: maps everywhere, keyed lists as maps of their items (remembered as lists for display). */
function kubeTree(value: unknown, field = ''): TreeNode {
  if (Array.isArray(value)) {
    const items = value as unknown[];
    const keyOf =
      items.length > 0 && items.every(isJsonObject)
        ? listKeys(field, items as Record<string, unknown>[])
        : undefined;
    if (!keyOf) return { kind: 'leaf', compared: canonical(value), raw: value };
    const node: MapNode = { kind: 'map', entries: new Map(), written: new Map(), list: true };
    for (const item of items as Record<string, unknown>[]) {
      const segment = `[${keyOf(item)}]`;
      node.entries.set(segment, kubeTree(item, field));
      node.written.set(segment, segment);
    }
    return node;
  }
  if (value !== null && typeof value === 'object') {
    const node: MapNode = { kind: 'map', entries: new Map(), written: new Map() };
    for (const [key, entry] of Object.entries(value)) {
      node.entries.set(key, kubeTree(entry, key));
      node.written.set(key, key);
    }
    return node;
  }
  return { kind: 'leaf', compared: JSON.stringify(value) ?? 'null', raw: value };
}

function has(tree: TreeNode, path: readonly string[]): boolean {
  let node: TreeNode | undefined = tree;
  for (const segment of path) {
    if (node?.kind !== 'map') return false;
    node = node.entries.get(segment);
  }
  return node !== undefined;
}

/**
 * Maps whose entries exist with an empty value: a label `tier: ""`, a ConfigMap key with an empty value, a
 * node selector term, are not the same as none.
 */
const PRESENCE_MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'matchLabels',
  'nodeSelector',
  'parameters',
]);
/**
 * Fields where empty and absent differ (the API reference for each): a LabelSelector that is empty matches
 * everything and a null one nothing (meta/v1 LabelSelector: PodDisruptionBudget, affinity terms, network
 * policy peers, webhooks); `emptyDir: {}` is the volume's source; `storageClassName: ""` asks for no class
 * where absent asks for the default one (PersistentVolumeClaimSpec).
 */
const EMPTY_MEANS_SOMETHING = new Set([
  'labelSelector',
  'namespaceSelector',
  'podSelector',
  'objectSelector',
  'emptyDir',
  'storageClassName',
]);

/**
 * Absent, null, "", [] or {} (or a map of only such values) where the API reads them alike: `rules: []` and
 * none, `resources: {}` and none, `value: ""` and none. A Service's `selector: {}` is none as well; a
 * LabelSelector `selector` (PodDisruptionBudget, workloads) is not.
 */
function emptyAlike(node: TreeNode | undefined, path: readonly string[], kind: string): boolean {
  if (node === undefined) return true;
  const field = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (EMPTY_MEANS_SOMETHING.has(field) || PRESENCE_MAPS.has(parent)) return false;
  // A Service's selector is a map of labels (its entries keep their presence); elsewhere a LabelSelector.
  if (kind === 'Service' && parent === 'selector') return false;
  if (field === 'selector' && kind !== 'Service') return false;
  if (node.kind === 'leaf') {
    const raw = node.raw;
    return raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
  }
  for (const [key, entry] of node.entries) if (!emptyAlike(entry, [...path, key], kind)) return false;
  return true;
}

interface ManagedFields {
  manager: string;
  operation: string;
  time?: string | undefined;
  fieldsV1?: Record<string, unknown> | undefined;
}

/**
 * A live object's field managers, as the API server records them. They only attribute changes, but a list
 * that is not what the server writes means the live objects were edited or cut: an error, not a guess.
 */
function managedFieldsOf(object: KubeObject): ManagedFields[] {
  const value = object.metadata['managedFields'];
  if (value === undefined || value === null) return [];
  const where = `live object ${describe(resourceOf(object))}: metadata.managedFields`;
  const invalid = (path: string, expected: string, found: unknown) =>
    new StagecraftError(DriftCodes.DRIFT_LIVE_INVALID, `${path} ${mismatch(expected, found)}`, {
      hint: 'give the objects as kubectl get -o json --show-managed-fields prints them',
    });
  if (!Array.isArray(value)) throw invalid(where, 'a list of field managers', value);
  return value.map((entry: unknown, index) => {
    if (!isJsonObject(entry))
      throw invalid(`${where}[${index}]`, 'an object (manager, operation, fieldsV1)', entry);
    const text = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string) : undefined);
    const fields = entry['fieldsV1'];
    return {
      manager: text('manager') ?? '',
      operation: text('operation') ?? '',
      time: text('time'),
      fieldsV1: isJsonObject(fields) ? fields : undefined,
    };
  });
}

/**
 * The manager that last set a path, per managedFields (fieldsV1: `f:name` for fields, `k:{…}` for list items
 * by their keys, `v:` for set members). The most recent of the managers owning it wins.
 */
export function attribute(
  managed: readonly ManagedFields[],
  path: readonly string[],
): Attribution | undefined {
  let best: ManagedFields | undefined;
  for (const entry of managed) {
    if (!entry.fieldsV1 || !owns(entry.fieldsV1, path)) continue;
    if (!best || (entry.time ?? '') > (best.time ?? '')) best = entry;
  }
  return best ? { manager: best.manager, operation: best.operation, time: best.time } : undefined;
}

function owns(fields: Record<string, unknown>, path: readonly string[]): boolean {
  let node: Record<string, unknown> | undefined = fields;
  for (const segment of path) {
    if (!node) return false;
    if (segment.startsWith('[')) {
      const value = segment.slice(1, -1);
      const match: string | undefined = Object.keys(node).find((key) => {
        if (key.startsWith('v:')) return key.slice(2) === JSON.stringify(value) || key.slice(2) === value;
        if (!key.startsWith('k:')) return false;
        try {
          // A list item's key fields, in the order the path names them (port/protocol, …).
          const values = Object.values(JSON.parse(key.slice(2)) as Record<string, unknown>).map(String);
          return values.join('/') === value || values.some((v) => v === value);
        } catch {
          return false;
        }
      });
      node = match === undefined ? undefined : (node[match] as Record<string, unknown>);
    } else {
      node = node[`f:${segment}`] as Record<string, unknown> | undefined;
    }
  }
  return node !== undefined;
}

function ignoredBy(rules: readonly IgnoreRule[], item: DriftItem): boolean {
  const pointer = `/${item.path
    .replace(/\[([^\]]*)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
  return rules.some((rule) => {
    if (rule.kind !== undefined && rule.kind !== item.resource.kind) return false;
    if (rule.group !== undefined && rule.group !== apiGroup(item.resource.apiVersion)) return false;
    if (rule.namespace !== undefined && rule.namespace !== item.resource.namespace) return false;
    if (rule.name !== undefined && rule.name !== item.resource.name) return false;
    if (rule.managers && !(item.attribution && rule.managers.includes(item.attribution.manager)))
      return false;
    if (rule.jsonPointers && !rule.jsonPointers.some((p) => pointerCovers(p, pointer))) return false;
    return true;
  });
}

function pointerCovers(rule: string, pointer: string): boolean {
  const ruleSegments = rule.split('/').slice(1);
  const segments = pointer.split('/').slice(1);
  return (
    ruleSegments.length <= segments.length &&
    ruleSegments.every((segment, i) => segment === '*' || segment === segments[i])
  );
}
