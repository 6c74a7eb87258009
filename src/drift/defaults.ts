/**
 * What the API server fills in when an object is created, so a manifest that leaves a field out is not
 * reported as drifting from the live object that has it. Each entry follows the Kubernetes API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/) for the field's default; fields the server assigns
 * per object (clusterIP, uid, …) are removed on both sides instead (see noise.ts).
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Sets `key` on `target` when absent. Defaults apply only where the manifest has the shape the API expects:
 * a field of another type (a string where a map belongs) is left as written, and shows up as drift.
 */
function fill(target: unknown, key: string, value: unknown): void {
  if (isObject(target) && target[key] === undefined) target[key] = structuredClone(value);
}

/** The maps in a list field; nothing when the field is not a list. */
function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Pod template defaults (PodSpec, Container: /docs/reference/kubernetes-api/workload-resources/pod-v1/). */
function podSpec(spec: Json): void {
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'securityContext', {});
  fill(spec, 'terminationGracePeriodSeconds', 30);
  for (const list of ['containers', 'initContainers']) {
    for (const container of objects(spec[list])) containerDefaults(container);
  }
  for (const volume of objects(spec['volumes'])) {
    for (const source of ['secret', 'configMap', 'projected', 'downwardAPI']) {
      if (isObject(volume[source])) fill(volume[source] as Json, 'defaultMode', 420);
    }
  }
}

function containerDefaults(container: Json): void {
  const image = String(container['image'] ?? '');
  // imagePullPolicy: Always for :latest or no tag, IfNotPresent otherwise (a digest counts as pinned).
  const tag = image.includes('@') ? 'digest' : /:[^/]+$/.exec(image)?.[0].slice(1);
  fill(container, 'imagePullPolicy', tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent');
  fill(container, 'terminationMessagePath', '/dev/termination-log');
  fill(container, 'terminationMessagePolicy', 'File');
  fill(container, 'resources', {});
  for (const port of objects(container['ports'])) fill(port, 'protocol', 'TCP');
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const value = container[probe];
    if (!isObject(value)) continue;
    fill(value, 'timeoutSeconds', 1);
    fill(value, 'periodSeconds', 10);
    fill(value, 'successThreshold', 1);
    fill(value, 'failureThreshold', 3);
    if (isObject(value['httpGet'])) fill(value['httpGet'] as Json, 'scheme', 'HTTP');
  }
  for (const variable of objects(container['env'])) {
    const valueFrom = variable['valueFrom'];
    const fieldRef = isObject(valueFrom) ? valueFrom['fieldRef'] : undefined;
    if (isObject(fieldRef)) fill(fieldRef, 'apiVersion', 'v1');
  }
}

function template(spec: Json): void {
  const podTemplate = spec['template'];
  if (isObject(podTemplate) && isObject(podTemplate['spec'])) podSpec(podTemplate['spec'] as Json);
}

const BY_KIND: Record<string, (object: Json, spec: Json) => void> = {
  // DeploymentSpec: /docs/reference/kubernetes-api/workload-resources/deployment-v1/
  Deployment(_object, spec) {
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'progressDeadlineSeconds', 600);
    fill(spec, 'strategy', { type: 'RollingUpdate' });
    const strategy = spec['strategy'];
    if (isObject(strategy) && strategy['type'] === 'RollingUpdate')
      fill(strategy, 'rollingUpdate', { maxSurge: '25%', maxUnavailable: '25%' });
    template(spec);
  },
  // StatefulSetSpec: /docs/reference/kubernetes-api/workload-resources/stateful-set-v1/
  StatefulSet(_object, spec) {
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'podManagementPolicy', 'OrderedReady');
    fill(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    fill(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
    for (const claim of objects(spec['volumeClaimTemplates'])) {
      fill(claim, 'apiVersion', 'v1');
      fill(claim, 'kind', 'PersistentVolumeClaim');
      if (isObject(claim['spec'])) fill(claim['spec'] as Json, 'volumeMode', 'Filesystem');
    }
    template(spec);
  },
  // DaemonSetSpec: /docs/reference/kubernetes-api/workload-resources/daemon-set-v1/
  DaemonSet(_object, spec) {
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'updateStrategy', {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    template(spec);
  },
  // JobSpec: /docs/reference/kubernetes-api/workload-resources/job-v1/
  Job(_object, spec) {
    fill(spec, 'backoffLimit', 6);
    fill(spec, 'completionMode', 'NonIndexed');
    fill(spec, 'suspend', false);
    template(spec);
  },
  // CronJobSpec: /docs/reference/kubernetes-api/workload-resources/cron-job-v1/
  CronJob(_object, spec) {
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3);
    fill(spec, 'failedJobsHistoryLimit', 1);
    const jobTemplate = spec['jobTemplate'];
    const job = isObject(jobTemplate) ? jobTemplate['spec'] : undefined;
    if (isObject(job)) BY_KIND['Job']?.({}, job);
  },
  // ServiceSpec: /docs/reference/kubernetes-api/service-resources/service-v1/
  Service(_object, spec) {
    fill(spec, 'type', 'ClusterIP');
    fill(spec, 'sessionAffinity', 'None');
    if (spec['type'] !== 'ExternalName') fill(spec, 'internalTrafficPolicy', 'Cluster');
    for (const port of objects(spec['ports'])) {
      fill(port, 'protocol', 'TCP');
      fill(port, 'targetPort', port['port']);
    }
  },
  // HorizontalPodAutoscalerSpec (autoscaling/v2): minReplicas 1, and the default scaling behavior
  // (/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior).
  HorizontalPodAutoscaler(object, spec) {
    fill(spec, 'minReplicas', 1);
    if (String(object['apiVersion']) !== 'autoscaling/v2') return;
    fill(spec, 'behavior', {});
    const behavior = spec['behavior'];
    if (!isObject(behavior)) return;
    fill(behavior, 'scaleUp', {});
    fill(behavior, 'scaleDown', {});
    const up = behavior['scaleUp'];
    fill(up, 'stabilizationWindowSeconds', 0);
    fill(up, 'selectPolicy', 'Max');
    fill(up, 'policies', [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    const down = behavior['scaleDown'];
    fill(down, 'stabilizationWindowSeconds', 300);
    fill(down, 'selectPolicy', 'Max');
    fill(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  },
};

/** Applies the server's defaults to a desired object, in place. */
export function applyDefaults(object: Json): Json {
  const kind = String(object['kind']);
  if (kind === 'Secret' || kind === 'ConfigMap') {
    if (kind === 'Secret') fill(object, 'type', 'Opaque');
    return object;
  }
  const spec = object['spec'];
  if (isObject(spec)) BY_KIND[kind]?.(object, spec);
  return object;
}
