/**
 * What the API server and its controllers write into an object that its manifest leaves out, so a live
 * object carrying them is not reported as drifting. Three tables, each entry citing its source:
 *
 * - DEFAULTS: the API server's defaulting (kubernetes/kubernetes `pkg/apis/<group>/<version>/defaults.go`
 *   and the API reference, https://kubernetes.io/docs/reference/kubernetes-api/). Applied to the desired
 *   side; a default the live object does not carry is not drift either (an older server lacks newer
 *   defaults), which the comparison decides, not this table.
 * - serverWrites: values the server allocates or a controller writes into an object after it is created
 *   (node ports, an injected CA bundle, aggregated rules, token references). Removed from the live side
 *   where the manifest does not declare them; declared, they are compared like any field.
 * - printedNoise: what `kubectl get -o json` prints for an empty embedded object (a template's
 *   `creationTimestamp: null`, a claim template's status). Removed from both sides.
 *
 * Metadata every object carries from the server (uid, resourceVersion, …) is removed by server-fields.ts, a
 * Service's allocated cluster IPs by drift/kubernetes.ts.
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

const child = (object: unknown, key: string): Json | undefined =>
  isObject(object) && isObject(object[key]) ? (object[key] as Json) : undefined;

/** Pod template defaults: core/v1 defaults.go SetDefaults_PodSpec, _Container, _Probe, volume sources. */
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
    // SetDefaults_SecretVolumeSource, _ConfigMapVolumeSource, _ProjectedVolumeSource,
    // _DownwardAPIVolumeSource: defaultMode 0644.
    for (const source of ['secret', 'configMap', 'projected', 'downwardAPI']) {
      if (isObject(volume[source])) fill(volume[source] as Json, 'defaultMode', 420);
    }
    // SetDefaults_HostPathVolumeSource: type "" (no check).
    if (isObject(volume['hostPath'])) fill(volume['hostPath'] as Json, 'type', '');
    for (const item of objects(child(volume, 'downwardAPI')?.['items'])) selectors(item);
    for (const source of objects(child(volume, 'projected')?.['sources'])) {
      for (const item of objects(child(source, 'downwardAPI')?.['items'])) selectors(item);
      // SetDefaults_ServiceAccountTokenProjection: expirationSeconds one hour.
      fill(child(source, 'serviceAccountToken'), 'expirationSeconds', 3600);
    }
  }
}

/**
 * SetDefaults_ObjectFieldSelector: fieldRef.apiVersion v1. ResourceFieldSelector.divisor is a Quantity
 * value (not a pointer) in core/v1 types.go, so an unset divisor is printed as "0"; the API reference gives
 * its meaning as the default "1".
 */
function selectors(holder: Json): void {
  fill(child(holder, 'fieldRef'), 'apiVersion', 'v1');
  fill(child(holder, 'resourceFieldRef'), 'divisor', '0');
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
    // SetDefaults_HTTPGetAction: path "/", scheme HTTP.
    fill(child(value, 'httpGet'), 'path', '/');
    fill(child(value, 'httpGet'), 'scheme', 'HTTP');
  }
  for (const variable of objects(container['env'])) {
    const valueFrom = child(variable, 'valueFrom');
    if (valueFrom) selectors(valueFrom);
  }
}

function template(spec: Json): void {
  const podTemplate = spec['template'];
  if (isObject(podTemplate) && isObject(podTemplate['spec'])) podSpec(podTemplate['spec'] as Json);
}

/** admissionregistration/v1 defaults.go SetDefaults_ValidatingWebhook / _MutatingWebhook / _Rule / _ServiceReference. */
function webhooks(object: Json, mutating: boolean): void {
  for (const webhook of objects(object['webhooks'])) {
    fill(webhook, 'failurePolicy', 'Fail');
    fill(webhook, 'matchPolicy', 'Equivalent');
    fill(webhook, 'namespaceSelector', {});
    fill(webhook, 'objectSelector', {});
    // 10 in v1 (the API reference: "Default to 10 seconds"); 30 was v1beta1's.
    fill(webhook, 'timeoutSeconds', 10);
    if (mutating) fill(webhook, 'reinvocationPolicy', 'Never');
    fill(child(child(webhook, 'clientConfig'), 'service'), 'port', 443);
    for (const rule of objects(webhook['rules'])) fill(rule, 'scope', '*');
    // sideEffects and admissionReviewVersions are required in v1 (validation rejects a webhook without
    // them); the defaults the v1beta1 API had for them do not apply.
  }
}

/** PersistentVolumeClaimSpec: core/v1 defaults.go SetDefaults_PersistentVolumeClaimSpec. */
function claimSpec(spec: unknown): void {
  fill(spec, 'volumeMode', 'Filesystem');
}

const BY_KIND: Record<string, (object: Json, spec: Json | undefined) => void> = {
  // apps/v1 defaults.go SetDefaults_Deployment.
  Deployment(_object, spec) {
    if (!spec) return;
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'progressDeadlineSeconds', 600);
    fill(spec, 'strategy', {});
    const strategy = child(spec, 'strategy');
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy?.['type'] === 'RollingUpdate') {
      fill(strategy, 'rollingUpdate', {});
      fill(child(strategy, 'rollingUpdate'), 'maxUnavailable', '25%');
      fill(child(strategy, 'rollingUpdate'), 'maxSurge', '25%');
    }
    template(spec);
  },
  // apps/v1 defaults.go SetDefaults_StatefulSet; the claim templates are PersistentVolumeClaims, and the
  // server prints them with apiVersion/kind.
  StatefulSet(_object, spec) {
    if (!spec) return;
    fill(spec, 'replicas', 1);
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'podManagementPolicy', 'OrderedReady');
    if (spec['updateStrategy'] === undefined)
      spec['updateStrategy'] = { type: 'RollingUpdate', rollingUpdate: {} };
    const strategy = child(spec, 'updateStrategy');
    if (strategy?.['type'] === 'RollingUpdate') fill(child(strategy, 'rollingUpdate'), 'partition', 0);
    // Behind the StatefulSetAutoDeletePVC gate (on by default from 1.27).
    fill(spec, 'persistentVolumeClaimRetentionPolicy', {});
    fill(child(spec, 'persistentVolumeClaimRetentionPolicy'), 'whenDeleted', 'Retain');
    fill(child(spec, 'persistentVolumeClaimRetentionPolicy'), 'whenScaled', 'Retain');
    for (const claim of objects(spec['volumeClaimTemplates'])) {
      fill(claim, 'apiVersion', 'v1');
      fill(claim, 'kind', 'PersistentVolumeClaim');
      claimSpec(claim['spec']);
    }
    template(spec);
  },
  // apps/v1 defaults.go SetDefaults_DaemonSet.
  DaemonSet(_object, spec) {
    if (!spec) return;
    fill(spec, 'revisionHistoryLimit', 10);
    fill(spec, 'updateStrategy', {});
    const strategy = child(spec, 'updateStrategy');
    fill(strategy, 'type', 'RollingUpdate');
    if (strategy?.['type'] === 'RollingUpdate') {
      fill(strategy, 'rollingUpdate', {});
      fill(child(strategy, 'rollingUpdate'), 'maxUnavailable', 1);
      fill(child(strategy, 'rollingUpdate'), 'maxSurge', 0);
    }
    template(spec);
  },
  // batch/v1 (JobSpec, /docs/reference/kubernetes-api/workload-resources/job-v1/).
  Job(_object, spec) {
    if (!spec) return;
    fill(spec, 'backoffLimit', 6);
    fill(spec, 'completionMode', 'NonIndexed');
    fill(spec, 'suspend', false);
    template(spec);
  },
  // batch/v1 (CronJobSpec, /docs/reference/kubernetes-api/workload-resources/cron-job-v1/).
  CronJob(_object, spec) {
    if (!spec) return;
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3);
    fill(spec, 'failedJobsHistoryLimit', 1);
    const job = child(child(spec, 'jobTemplate'), 'spec');
    if (job) BY_KIND['Job']?.({}, job);
  },
  // core/v1 defaults.go SetDefaults_Service.
  Service(_object, spec) {
    if (!spec) return;
    fill(spec, 'type', 'ClusterIP');
    fill(spec, 'sessionAffinity', 'None');
    if (spec['sessionAffinity'] === 'ClientIP')
      fill(spec, 'sessionAffinityConfig', { clientIP: { timeoutSeconds: 10800 } });
    const type = spec['type'];
    if (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')
      fill(spec, 'internalTrafficPolicy', 'Cluster');
    // "externally accessible" (pkg/api/v1/service): NodePort, LoadBalancer, or with externalIPs.
    if (
      type === 'NodePort' ||
      type === 'LoadBalancer' ||
      (Array.isArray(spec['externalIPs']) && spec['externalIPs'].length > 0)
    )
      fill(spec, 'externalTrafficPolicy', 'Cluster');
    if (type === 'LoadBalancer') fill(spec, 'allocateLoadBalancerNodePorts', true);
    for (const port of objects(spec['ports'])) {
      fill(port, 'protocol', 'TCP');
      fill(port, 'targetPort', port['port']);
    }
  },
  // core/v1 defaults.go SetDefaults_Endpoints: port protocol TCP.
  Endpoints(object) {
    for (const subset of objects(object['subsets']))
      for (const port of objects(subset['ports'])) fill(port, 'protocol', 'TCP');
  },
  PersistentVolumeClaim(_object, spec) {
    claimSpec(spec);
  },
  // core/v1 defaults.go SetDefaults_Secret.
  Secret(object) {
    fill(object, 'type', 'Opaque');
  },
  // autoscaling/v2 defaults.go SetDefaults_HorizontalPodAutoscaler.
  HorizontalPodAutoscaler(object, spec) {
    if (!spec) return;
    fill(spec, 'minReplicas', 1);
    const version = String(object['apiVersion']);
    if (version !== 'autoscaling/v2' && version !== 'autoscaling/v2beta2') return;
    // No metrics: 80% average CPU utilization (autoscaling.DefaultCPUUtilization).
    if (!Array.isArray(spec['metrics']) || spec['metrics'].length === 0)
      spec['metrics'] = [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ];
    // The server fills a behavior only when one is present (SetDefaults_HorizontalPodAutoscalerBehavior);
    // without one the controller uses the same rules (the API reference: "If not set, the default
    // HPAScalingRules for scale up and scale down are used"), so a live behavior equal to them is not
    // drift either. scaleDown's stabilization window is left unset by the server and read as 300 s by the
    // controller (the API reference for HPAScalingRules.stabilizationWindowSeconds).
    fill(spec, 'behavior', {});
    const behavior = child(spec, 'behavior');
    fill(behavior, 'scaleUp', {});
    fill(behavior, 'scaleDown', {});
    const up = child(behavior, 'scaleUp');
    fill(up, 'stabilizationWindowSeconds', 0);
    fill(up, 'selectPolicy', 'Max');
    fill(up, 'policies', [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    const down = child(behavior, 'scaleDown');
    fill(down, 'stabilizationWindowSeconds', 300);
    fill(down, 'selectPolicy', 'Max');
    fill(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  },
  ValidatingWebhookConfiguration(object) {
    webhooks(object, false);
  },
  MutatingWebhookConfiguration(object) {
    webhooks(object, true);
  },
};

/** Applies the server's defaults to a desired object, in place. */
export function applyDefaults(object: Json): Json {
  const kind = String(object['kind']);
  const spec = object['spec'];
  BY_KIND[kind]?.(object, isObject(spec) ? spec : undefined);
  return object;
}

const listByName = (list: unknown) =>
  new Map(objects(list).map((item) => [String(item['name']), item] as const));

/**
 * Values the server allocates or a controller writes after creation, removed from the live side (in place)
 * where the desired object does not declare them. Both are comparable copies.
 */
export function serverWrites(kind: string, name: string, desired: Json, live: Json): void {
  switch (kind) {
    case 'Service': {
      // Node ports are allocated from --service-node-port-range when not given, and a health-check node
      // port for an externalTrafficPolicy: Local load balancer (API reference, ServiceSpec ports.nodePort
      // and healthCheckNodePort).
      const desiredSpec = child(desired, 'spec');
      const liveSpec = child(live, 'spec');
      if (!liveSpec) return;
      const declared = new Map(
        objects(desiredSpec?.['ports']).map((port) => [`${port['port']}/${port['protocol'] ?? 'TCP'}`, port]),
      );
      for (const port of objects(liveSpec['ports'])) {
        const mine = declared.get(`${port['port']}/${port['protocol'] ?? 'TCP'}`);
        if (mine?.['nodePort'] === undefined) delete port['nodePort'];
      }
      if (desiredSpec?.['healthCheckNodePort'] === undefined) delete liveSpec['healthCheckNodePort'];
      return;
    }
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration': {
      // A CA bundle injected by a controller (cert-manager's cainjector, a service CA operator) into a
      // webhook that declares none.
      const declared = listByName(desired['webhooks']);
      for (const webhook of objects(live['webhooks'])) {
        const config = child(declared.get(String(webhook['name'])), 'clientConfig');
        if (config?.['caBundle'] === undefined) delete child(webhook, 'clientConfig')?.['caBundle'];
      }
      return;
    }
    case 'ClusterRole':
      // "If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will
      // be stomped by controller" (API reference, ClusterRole; pkg/controller/clusterroleaggregation).
      if (desired['aggregationRule'] !== undefined) {
        delete desired['rules'];
        delete live['rules'];
      }
      return;
    case 'ServiceAccount': {
      // The legacy token controller (pkg/controller/serviceaccount/tokens_controller.go, before 1.24)
      // creates a Secret named "<account>-token-<random>" and adds it to the account's secrets.
      const declared = listByName(desired['secrets']);
      const token = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-token-[a-z0-9]{5}$`);
      if (!Array.isArray(live['secrets'])) return;
      live['secrets'] = live['secrets'].filter(
        (entry) =>
          !(isObject(entry) && token.test(String(entry['name'])) && !declared.has(String(entry['name']))),
      );
      if ((live['secrets'] as unknown[]).length === 0 && desired['secrets'] === undefined)
        delete live['secrets'];
      return;
    }
  }
}

/**
 * What `kubectl get -o json` prints for an embedded object the manifest wrote without it: ObjectMeta's
 * creationTimestamp is a struct value, printed as null in every template, and a claim template, being a
 * PersistentVolumeClaim, gets the Pending status SetDefaults_PersistentVolumeClaim gives. Removed in place.
 */
export function printedNoise(spec: Json | undefined): void {
  if (!spec) return;
  const metadataOf = (holder: unknown) => {
    const metadata = child(holder, 'metadata');
    if (metadata && metadata['creationTimestamp'] === null) delete metadata['creationTimestamp'];
  };
  metadataOf(spec['template']);
  const jobTemplate = child(spec, 'jobTemplate');
  metadataOf(jobTemplate);
  metadataOf(child(child(jobTemplate, 'spec'), 'template'));
  for (const claim of objects(spec['volumeClaimTemplates'])) {
    metadataOf(claim);
    delete claim['status'];
  }
}
