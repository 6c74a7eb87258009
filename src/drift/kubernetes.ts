/**
 * Desired manifests against what runs, quiet by construction: the server's defaults are applied to the
 * desired side, fields the server writes are removed from both, quantities compare as numbers, replicas an
 * autoscaler owns are skipped, and objects controllers create (Pods, ReplicaSets, Endpoints, …) are not
 * "unmanaged". What remains is drift: a field changed or added by hand, an object missing or created by hand.
 * Each change is attributed to the field manager and time managedFields record for it.
 */
import { createHash } from 'node:crypto';
import { StagecraftError } from '../errors.ts';
import { isJsonObject, mismatch } from '../input/json.ts';
import { apiGroup, type KubeObject, resourceOf } from '../kubernetes/manifests.ts';
import { sameQuantity } from '../kubernetes/quantity.ts';
import { diffTrees, formatPath, type LeafNode, shown, toTree } from '../parity/tree.ts';
import { applyDefaults } from './defaults.ts';

export interface Resource {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface Attribution {
  manager: string;
  operation: string;
  time: string | undefined;
}

export interface DriftItem {
  type: 'modified' | 'missing' | 'extra';
  resource: Resource;
  path: string;
  desired: unknown;
  live: unknown;
  attribution: Attribution | undefined;
  /** A change made with kubectl in an environment stagecraft.yaml marks as changed through IaC only. */
  manual: boolean;
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
  compared: { desired: number; live: number; ignored: number };
}

/** Objects the cluster makes for itself. */
const SYSTEM_KINDS = new Set([
  'Endpoints',
  'EndpointSlice',
  'ReplicaSet',
  'Pod',
  'Event',
  'ControllerRevision',
  'Lease',
]);
const NOISE_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];
const NOISE_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];
const SECRET_MARK = '\u0000secret:';

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
  const liveByKey = new Map(
    live.filter((object) => !isSystem(object)).map((object) => [key(object), object]),
  );
  const items: DriftItem[] = [];
  let ignored = 0;
  const push = (item: DriftItem) => {
    if (ignoredBy(options.ignore, item)) ignored++;
    else items.push(item);
  };
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
    const desiredTree = toTree(
      comparable(applyDefaults(structuredClone(object) as Record<string, unknown>) as KubeObject),
      (text) => text,
    );
    const liveTree = toTree(comparable(running), (text) => text);
    for (const difference of diffTrees(desiredTree, liveTree)) {
      const { path } = difference;
      const dl = difference.left?.kind === 'leaf' ? (difference.left as LeafNode) : undefined;
      const ll = difference.right?.kind === 'leaf' ? (difference.right as LeafNode) : undefined;
      if (dl && ll && sameQuantity(dl.raw, ll.raw)) continue;
      if (
        path[0] === 'spec' &&
        path[1] === 'replicas' &&
        path.length === 2 &&
        autoscaled.has(`${resource.kind}/${resource.namespace}/${resource.name}`)
      )
        continue;
      const attribution = attribute(managed, path);
      push({
        type: 'modified',
        resource,
        path: formatPath(path),
        desired: masked(shown(difference.left)),
        live: masked(shown(difference.right)),
        attribution,
        manual: options.iacOnly && attribution !== undefined && /^kubectl/.test(attribution.manager),
      });
    }
  }
  for (const [k, object] of liveByKey) {
    const resource = resourceOf(object);
    if (desiredKeys.has(k) || !managedNamespaces.has(resource.namespace)) continue;
    const managed = managedFieldsOf(object);
    const creator = managed.find((entry) => entry.operation === 'Update' || entry.operation === 'Apply');
    const attribution = creator
      ? { manager: creator.manager, operation: creator.operation, time: creator.time }
      : undefined;
    push({
      type: 'extra',
      resource,
      path: '',
      desired: null,
      live: describe(resource),
      attribution,
      manual: options.iacOnly && attribution !== undefined && /^kubectl/.test(attribution.manager),
    });
  }
  return {
    verdict: items.length ? 'drift' : 'no-drift',
    items,
    compared: { desired: desired.length, live: liveByKey.size, ignored },
  };
}

function isSystem(object: KubeObject): boolean {
  if (SYSTEM_KINDS.has(object.kind)) return true;
  if (Array.isArray(object.metadata['ownerReferences']) && object.metadata['ownerReferences'].length)
    return true;
  const name = object.metadata.name;
  return (
    (object.kind === 'ServiceAccount' && name === 'default') ||
    (object.kind === 'ConfigMap' && name === 'kube-root-ca.crt')
  );
}

/** Without what the server writes; a Secret's values replaced by a digest, compared but never shown. */
function comparable(object: KubeObject): Record<string, unknown> {
  const { status: _status, ...rest } = structuredClone(object) as KubeObject;
  const metadata = rest.metadata as Record<string, unknown>;
  for (const field of NOISE_METADATA) delete metadata[field];
  delete metadata['name'];
  delete metadata['namespace'];
  const annotations = metadata['annotations'] as Record<string, unknown> | undefined;
  if (annotations) {
    for (const annotation of NOISE_ANNOTATIONS) delete annotations[annotation];
    if (Object.keys(annotations).length === 0) delete metadata['annotations'];
  }
  const labels = metadata['labels'] as Record<string, unknown> | undefined;
  if (labels && object.kind === 'Namespace') delete labels['kubernetes.io/metadata.name'];
  if (labels && Object.keys(labels).length === 0) delete metadata['labels'];
  if (Object.keys(metadata).length === 0) delete (rest as Record<string, unknown>)['metadata'];
  const spec = rest['spec'] as Record<string, unknown> | undefined;
  if (spec && object.kind === 'Service') {
    for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[field];
  }
  if (spec && object.kind === 'Namespace') delete spec['finalizers'];
  if (spec && Object.keys(spec).length === 0) delete rest['spec'];
  const podTemplate = (spec?.['template'] as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  if (podTemplate && podTemplate['creationTimestamp'] === null) delete podTemplate['creationTimestamp'];
  if (object.kind === 'Secret' && object.apiVersion === 'v1') {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries((rest['data'] as Record<string, string> | undefined) ?? {}))
      values[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries((rest['stringData'] as Record<string, string> | undefined) ?? {}))
      values[k] = String(v);
    delete rest['stringData'];
    rest['data'] = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        `${SECRET_MARK}${createHash('sha256').update(v).digest('hex')}`,
      ]),
    );
  }
  return rest;
}

/** Secret values (held as digests) are shown as a fixed marker. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(SECRET_MARK) ? '(secret value)' : value;
  if (Array.isArray(value)) return value.map(masked);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  return value;
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
    new StagecraftError('DRIFT_LIVE_INVALID', `${path} ${mismatch(expected, found)}`, {
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
          return Object.values(JSON.parse(key.slice(2)) as Record<string, unknown>).some(
            (v) => String(v) === value,
          );
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

function describe(resource: Resource): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
}
