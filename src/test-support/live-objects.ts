/**
 * What `kubectl get -o json` prints for an object applied to a cluster, as an API server of Kubernetes 1.31
 * returns it: server metadata (uid, resourceVersion, managedFields), status, and the fields the server fills
 * in. Written from the API reference and real clusters' output, apart from the defaults table under test,
 * so the drift tests check that table against an independent account of the server's behaviour.
 */
import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;

export const APPLIED_AT = '2026-11-20T09:00:00Z';

/** managedFields' FieldsV1 for a value: f:field, k:{key} for keyed list items, v:value for set members. */
export function fieldsV1(value: unknown): Json {
  if (Array.isArray(value)) {
    const out: Json = {};
    for (const item of value) {
      if (item !== null && typeof item === 'object') {
        const entry = item as Json;
        const key =
          entry['containerPort'] !== undefined
            ? { containerPort: entry['containerPort'], protocol: entry['protocol'] ?? 'TCP' }
            : entry['port'] !== undefined && entry['name'] === undefined
              ? { port: entry['port'], protocol: entry['protocol'] ?? 'TCP' }
              : { name: entry['name'] };
        out[`k:${JSON.stringify(key)}`] = { '.': {}, ...fieldsV1(entry) };
      } else out[`v:${JSON.stringify(item)}`] = {};
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [key, child] of Object.entries(value))
      out[`f:${key}`] = child !== null && typeof child === 'object' ? fieldsV1(child) : {};
    return out;
  }
  return {};
}

function container(spec: Json): void {
  const image = String(spec['image']);
  spec['imagePullPolicy'] ??= image.includes('@') || !/:latest$/.test(image) ? 'IfNotPresent' : 'Always';
  spec['terminationMessagePath'] ??= '/dev/termination-log';
  spec['terminationMessagePolicy'] ??= 'File';
  spec['resources'] ??= {};
  for (const port of (spec['ports'] as Json[] | undefined) ?? []) port['protocol'] ??= 'TCP';
  for (const name of ['readinessProbe', 'livenessProbe']) {
    const probe = spec[name] as Json | undefined;
    if (!probe) continue;
    Object.assign(probe, { timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, ...probe });
    if (probe['httpGet']) (probe['httpGet'] as Json)['scheme'] ??= 'HTTP';
  }
}

function podTemplate(template: Json): void {
  (template['metadata'] as Json)['creationTimestamp'] = null;
  const spec = template['spec'] as Json;
  Object.assign(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    ...spec,
  });
  for (const c of (spec['containers'] as Json[]) ?? []) container(c);
  for (const volume of (spec['volumes'] as Json[] | undefined) ?? []) {
    if (volume['secret']) (volume['secret'] as Json)['defaultMode'] ??= 420;
    if (volume['configMap']) (volume['configMap'] as Json)['defaultMode'] ??= 420;
  }
}

/** The object as the server returns it after `manager` applied it. */
export function asLive(desired: Json, manager = 'argocd-controller'): Json {
  const object = structuredClone(desired);
  const metadata = object['metadata'] as Json;
  const applied = structuredClone(desired);
  Object.assign(metadata, {
    uid: randomUUID(),
    resourceVersion: String(100000 + Math.floor(Math.random() * 900000)),
    creationTimestamp: APPLIED_AT,
    managedFields: [
      {
        manager,
        operation: 'Apply',
        apiVersion: object['apiVersion'],
        time: APPLIED_AT,
        fieldsType: 'FieldsV1',
        fieldsV1: fieldsV1({
          metadata: { labels: (applied['metadata'] as Json)['labels'] },
          spec: applied['spec'],
          data: applied['data'],
        }),
      },
    ],
  });
  const spec = object['spec'] as Json | undefined;
  switch (object['kind']) {
    case 'Namespace':
      metadata['labels'] = {
        ...(metadata['labels'] as Json),
        'kubernetes.io/metadata.name': metadata['name'],
      };
      object['spec'] = { finalizers: ['kubernetes'] };
      object['status'] = { phase: 'Active' };
      break;
    case 'Deployment':
      metadata['generation'] = 1;
      metadata['annotations'] = {
        ...(metadata['annotations'] as Json),
        'deployment.kubernetes.io/revision': '1',
      };
      Object.assign(spec as Json, {
        progressDeadlineSeconds: 600,
        revisionHistoryLimit: 10,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        ...(spec as Json),
      });
      podTemplate((spec as Json)['template'] as Json);
      object['status'] = {
        observedGeneration: 1,
        replicas: (spec as Json)['replicas'],
        readyReplicas: (spec as Json)['replicas'],
        conditions: [{ type: 'Available', status: 'True' }],
      };
      break;
    case 'Service':
      Object.assign(spec as Json, {
        clusterIP: '10.100.23.7',
        clusterIPs: ['10.100.23.7'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        type: 'ClusterIP',
      });
      for (const port of ((spec as Json)['ports'] as Json[]) ?? []) {
        port['protocol'] ??= 'TCP';
        port['targetPort'] ??= port['port'];
      }
      object['status'] = { loadBalancer: {} };
      break;
    case 'Ingress':
      object['status'] = { loadBalancer: { ingress: [{ hostname: 'k8s-shop-0123456789.elb.example.com' }] } };
      break;
    case 'HorizontalPodAutoscaler':
      (spec as Json)['behavior'] ??= {
        scaleDown: {
          policies: [{ periodSeconds: 15, type: 'Percent', value: 100 }],
          selectPolicy: 'Max',
          stabilizationWindowSeconds: 300,
        },
        scaleUp: {
          policies: [
            { periodSeconds: 15, type: 'Pods', value: 4 },
            { periodSeconds: 15, type: 'Percent', value: 100 },
          ],
          selectPolicy: 'Max',
          stabilizationWindowSeconds: 0,
        },
      };
      object['status'] = {
        currentReplicas: (spec as Json)['minReplicas'],
        desiredReplicas: (spec as Json)['minReplicas'],
      };
      break;
  }
  return object;
}

/** What every namespace also holds: objects the cluster and controllers create. */
export function systemObjects(namespace: string, deployment: string): Json[] {
  const owned = (kind: string, name: string) => ({
    apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1',
    kind,
    metadata: {
      name,
      namespace,
      uid: randomUUID(),
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: randomUUID(), controller: true },
      ],
    },
  });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace, uid: randomUUID() } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace },
      data: { 'ca.crt': '(cluster CA)' },
    },
    owned('ReplicaSet', `${deployment}-7c9d8b6f5d`),
    owned('Pod', `${deployment}-7c9d8b6f5d-x2kq9`),
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: deployment, namespace } },
    owned('EndpointSlice', `${deployment}-abcde`),
  ];
}
