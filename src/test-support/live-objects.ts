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
        // The list-map keys the API declares (x-kubernetes-list-map-keys); lists without keys are atomic.
        const key =
          entry['containerPort'] !== undefined
            ? { containerPort: entry['containerPort'], protocol: entry['protocol'] ?? 'TCP' }
            : typeof entry['port'] === 'number'
              ? { port: entry['port'], protocol: entry['protocol'] ?? 'TCP' }
              : entry['mountPath'] !== undefined
                ? { mountPath: entry['mountPath'] }
                : entry['name'] !== undefined
                  ? { name: entry['name'] }
                  : undefined;
        if (key === undefined) return {};
        out[`k:${JSON.stringify(key)}`] = { '.': {}, ...fieldsV1(entry) };
      } else out[`v:${JSON.stringify(item)}`] = {};
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [key, child] of Object.entries(value))
      if (child !== undefined)
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
  for (const name of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const probe = spec[name] as Json | undefined;
    if (!probe) continue;
    Object.assign(probe, {
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      ...probe,
    });
    if (probe['httpGet']) {
      (probe['httpGet'] as Json)['scheme'] ??= 'HTTP';
      (probe['httpGet'] as Json)['path'] ??= '/';
    }
  }
  // ObjectFieldSelector.apiVersion defaults to v1; ResourceFieldSelector.divisor is a Quantity value, not a
  // pointer, so an unset divisor is printed as "0".
  for (const variable of (spec['env'] as Json[] | undefined) ?? []) {
    const from = variable['valueFrom'] as Json | undefined;
    if (from?.['fieldRef']) (from['fieldRef'] as Json)['apiVersion'] ??= 'v1';
    if (from?.['resourceFieldRef']) (from['resourceFieldRef'] as Json)['divisor'] ??= '0';
  }
}

function podTemplate(template: Json): void {
  template['metadata'] ??= {};
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
  for (const c of [...((spec['containers'] as Json[]) ?? []), ...((spec['initContainers'] as Json[]) ?? [])])
    container(c);
  for (const volume of (spec['volumes'] as Json[] | undefined) ?? []) {
    if (volume['secret']) (volume['secret'] as Json)['defaultMode'] ??= 420;
    if (volume['configMap']) (volume['configMap'] as Json)['defaultMode'] ??= 420;
  }
}

export interface ServerOptions {
  /** The API server's minor version (1.x): older servers lack newer defaults. */
  minor?: number;
}

let nextNodePort = 30080;

/** The object as the server returns it after `manager` applied it. */
export function asLive(desired: Json, manager = 'argocd-controller', server: ServerOptions = {}): Json {
  const minor = server.minor ?? 31;
  const object = structuredClone(desired);
  const metadata = object['metadata'] as Json;
  const applied = structuredClone(desired);
  const { apiVersion: _v, kind: _k, metadata: appliedMetadata, ...fields } = applied;
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
          metadata: { labels: (appliedMetadata as Json)['labels'] },
          ...fields,
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
    case 'StatefulSet': {
      const s = spec as Json;
      metadata['generation'] = 1;
      Object.assign(s, {
        replicas: 1,
        revisionHistoryLimit: 10,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        // StatefulSetAutoDeletePVC: beta and on by default from 1.27.
        ...(minor >= 27
          ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } }
          : {}),
        ...s,
      });
      podTemplate(s['template'] as Json);
      // The claim templates are PersistentVolumeClaims: defaulted as such, with an empty object's metadata
      // and status printed.
      for (const claim of (s['volumeClaimTemplates'] as Json[] | undefined) ?? []) {
        claim['apiVersion'] ??= 'v1';
        claim['kind'] ??= 'PersistentVolumeClaim';
        (claim['metadata'] as Json)['creationTimestamp'] = null;
        (claim['spec'] as Json)['volumeMode'] ??= 'Filesystem';
        claim['status'] = { phase: 'Pending' };
      }
      object['status'] = {
        observedGeneration: 1,
        replicas: s['replicas'],
        readyReplicas: s['replicas'],
        currentRevision: `${metadata['name']}-6d4b5c7f8`,
        updateRevision: `${metadata['name']}-6d4b5c7f8`,
      };
      break;
    }
    case 'Service': {
      const s = spec as Json;
      const type = (s['type'] as string | undefined) ?? 'ClusterIP';
      Object.assign(s, {
        clusterIP: '10.100.23.7',
        clusterIPs: ['10.100.23.7'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        type,
        ...s,
      });
      if (minor >= 22 && type !== 'ExternalName') s['internalTrafficPolicy'] ??= 'Cluster';
      for (const port of (s['ports'] as Json[]) ?? []) {
        port['protocol'] ??= 'TCP';
        port['targetPort'] ??= port['port'];
      }
      if (type === 'NodePort' || type === 'LoadBalancer') {
        s['externalTrafficPolicy'] ??= 'Cluster';
        for (const port of (s['ports'] as Json[]) ?? []) port['nodePort'] ??= nextNodePort++;
      }
      if (type === 'LoadBalancer') {
        if (minor >= 24) s['allocateLoadBalancerNodePorts'] ??= true;
        if (s['externalTrafficPolicy'] === 'Local') s['healthCheckNodePort'] ??= nextNodePort++;
        object['status'] = {
          loadBalancer: { ingress: [{ hostname: 'a1b2c3-shop.elb.eu-west-1.example.com' }] },
        };
      } else object['status'] = { loadBalancer: {} };
      break;
    }
    case 'Ingress':
      object['status'] = { loadBalancer: { ingress: [{ hostname: 'k8s-shop-0123456789.elb.example.com' }] } };
      break;
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      for (const webhook of (object['webhooks'] as Json[] | undefined) ?? []) {
        webhook['failurePolicy'] ??= 'Fail';
        webhook['matchPolicy'] ??= 'Equivalent';
        webhook['namespaceSelector'] ??= {};
        webhook['objectSelector'] ??= {};
        webhook['timeoutSeconds'] ??= 10;
        if (object['kind'] === 'MutatingWebhookConfiguration') webhook['reinvocationPolicy'] ??= 'Never';
        const service = (webhook['clientConfig'] as Json | undefined)?.['service'] as Json | undefined;
        if (service) service['port'] ??= 443;
        for (const rule of (webhook['rules'] as Json[] | undefined) ?? []) rule['scope'] ??= '*';
      }
      break;
    case 'HorizontalPodAutoscaler': {
      const s = spec as Json;
      s['minReplicas'] ??= 1;
      if (object['apiVersion'] === 'autoscaling/v2') {
        if (!(s['metrics'] as Json[] | undefined)?.length)
          s['metrics'] = [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
            },
          ];
        // Only a behavior that is present is filled in; scaleDown's stabilization window stays unset.
        const behavior = s['behavior'] as Json | undefined;
        if (behavior) {
          behavior['scaleUp'] = {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { periodSeconds: 15, type: 'Pods', value: 4 },
              { periodSeconds: 15, type: 'Percent', value: 100 },
            ],
            ...(behavior['scaleUp'] as Json | undefined),
          };
          behavior['scaleDown'] = {
            selectPolicy: 'Max',
            policies: [{ periodSeconds: 15, type: 'Percent', value: 100 }],
            ...(behavior['scaleDown'] as Json | undefined),
          };
        }
      }
      object['status'] = {
        currentReplicas: s['minReplicas'],
        desiredReplicas: s['minReplicas'],
      };
      break;
    }
  }
  return object;
}

/** A field manager's entry, as a client that updated the object records it. */
export function updatedBy(
  object: Json,
  manager: string,
  time: string,
  fields: Json,
  subresource?: string,
): Json {
  ((object['metadata'] as Json)['managedFields'] as Json[]).push({
    manager,
    operation: 'Update',
    apiVersion: object['apiVersion'],
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  });
  return object;
}

/** An object a client created (POST), as `kubectl get -o json --show-managed-fields` prints it. */
export function createdBy(manager: string, object: Json, time = '2026-11-25T23:40:00Z'): Json {
  const { apiVersion: _v, kind: _k, metadata, ...fields } = object;
  return {
    ...object,
    metadata: {
      ...(metadata as Json),
      uid: randomUUID(),
      resourceVersion: String(100000 + Math.floor(Math.random() * 900000)),
      creationTimestamp: time,
      managedFields: [
        {
          manager,
          operation: 'Update',
          apiVersion: object['apiVersion'],
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: fieldsV1({
            metadata: {
              labels: (metadata as Json)['labels'],
              annotations: (metadata as Json)['annotations'],
              ownerReferences: (metadata as Json)['ownerReferences'],
            },
            ...fields,
          }),
        },
      ],
    },
  };
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
