/**
 * `stagecraft drift kubernetes` against live objects shaped as `kubectl get -o json --show-managed-fields`
 * prints them: what a real cluster adds (defaults, allocations, controllers' writes) is silent, what a
 * person changed is reported, readably, and no Secret value is ever shown.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';
import {
  createdBy,
  asLive as liveObject,
  type ServerOptions,
  updatedBy,
} from '../test-support/live-objects.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests reach deep into live objects to edit them as kubectl would.
type Json = Record<string, any>;

const asLive = (object: Json, manager?: string, server?: ServerOptions): Json =>
  liveObject(object, manager, server);

interface Item {
  type: string;
  resource: { kind: string; name: string; namespace: string };
  path: string;
  change?: string;
  desired: unknown;
  live: unknown;
  attribution?: { manager: string; time?: string };
  manual: boolean;
}

interface Report {
  verdict: string;
  items: Item[];
  informational: { resource: { kind: string; name: string }; reason: string; createdBy?: string }[];
}

const NS = 'shop-production';
const meta = (name: string, extra: Json = {}) => ({ name, namespace: NS, ...extra });
const EDITED = '2026-11-25T23:10:00Z';

async function drift(t: { after(fn: () => void): void }, desired: Json[], live: Json[], format = 'json') {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'desired'));
  writeFileSync(
    join(dir, 'desired/manifests.yaml'),
    desired.map((object) => JSON.stringify(object, null, 2)).join('\n---\n'),
  );
  writeFileSync(join(dir, 'live.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: live }));
  const result = await runCli(
    ['drift', 'kubernetes', '--desired', 'desired', '--live', 'live.json', '--format', format],
    { cwd: dir },
  );
  assert.equal(result.stderr, '', result.stderr);
  return {
    code: result.code,
    stdout: result.stdout,
    report: format === 'json' ? (JSON.parse(result.stdout) as Report) : undefined,
  };
}

const summary = (items: Item[]) =>
  items.map((i) => [i.type, `${i.resource.kind}/${i.resource.name}`, i.path, i.attribution?.manager ?? null]);

function owner(kind: string, apiVersion: string, name: string) {
  return { apiVersion, kind, name, uid: randomUUID(), controller: true, blockOwnerDeletion: true };
}

test('declared objects of system kinds or with ownerReferences are compared, never reported missing', async (t) => {
  const config = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('shop-flags'),
    data: { CHECKOUT: 'on', SEARCH: 'v2' },
  };
  // A Service without a selector, and the Endpoints that give its addresses.
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('legacy-db'),
    spec: { ports: [{ name: 'pg', port: 5432 }] },
  };
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('legacy-db'),
    subsets: [{ addresses: [{ ip: '10.0.8.15' }], ports: [{ name: 'pg', port: 5432 }] }],
  };
  const liveConfig = asLive(config);
  // Adopted by a controller (an operator's custom resource now owns it).
  liveConfig['metadata']['ownerReferences'] = [owner('ShopConfig', 'shop.example.com/v1', 'production')];
  const liveEndpoints = asLive(endpoints);
  liveEndpoints['subsets'][0]['ports'][0]['protocol'] = 'TCP';
  const live = [liveConfig, asLive(service), liveEndpoints];
  const clean = await drift(t, [config, service, endpoints], live);
  assert.equal(clean.code, 0, JSON.stringify(clean.report?.items));

  liveConfig['data']['CHECKOUT'] = 'off';
  updatedBy(liveConfig, 'kubectl-edit', EDITED, { 'f:data': { 'f:CHECKOUT': {} } });
  liveEndpoints['subsets'][0]['addresses'][0]['ip'] = '10.0.8.99';
  updatedBy(liveEndpoints, 'kubectl-edit', EDITED, { 'f:subsets': {} });
  // Live-only objects of those kinds stay silent.
  live.push(
    createdBy('kube-controller-manager', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta('legacy-db-x7k2p', { ownerReferences: [owner('Service', 'v1', 'legacy-db')] }),
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.8.99'] }],
    }),
    createdBy('shop-operator', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('shop-flags-history', {
        ownerReferences: [owner('ShopConfig', 'shop.example.com/v1', 'production')],
      }),
      data: { last: 'on' },
    }),
  );
  const { code, report } = await drift(t, [config, service, endpoints], live);
  assert.equal(code, 2);
  assert.deepEqual(summary(report?.items ?? []), [
    ['modified', 'ConfigMap/shop-flags', 'data.CHECKOUT', 'kubectl-edit'],
    ['modified', 'Endpoints/legacy-db', 'subsets', 'kubectl-edit'],
  ]);
  assert.deepEqual(
    [report?.items[0]?.desired, report?.items[0]?.live],
    ['on', 'off'],
    'a declared ConfigMap with an ownerReference hides no change',
  );
});

/** Objects a platform team declares, as rendered manifests: no server defaults written out. */
function platformManifests(): Json[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('storefront-public'),
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector: { app: 'storefront' },
        ports: [{ name: 'https', port: 443, targetPort: 8443 }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('dns'),
      spec: {
        type: 'NodePort',
        selector: { app: 'dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        serviceName: 'db',
        replicas: 3,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              {
                name: 'postgres',
                image: 'postgres:16.4',
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  {
                    name: 'MEMORY_LIMIT',
                    valueFrom: { resourceFieldRef: { containerName: 'postgres', resource: 'limits.memory' } },
                  },
                ],
                volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
                resources: { limits: { memory: '2Gi' } },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'shop-policy', annotations: { 'cert-manager.io/inject-ca-from': `${NS}/policy` } },
      webhooks: [
        {
          name: 'validate.shop.example.com',
          clientConfig: { service: { name: 'policy', namespace: NS, path: '/validate' } },
          rules: [
            {
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['deployments'],
            },
          ],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'shop-defaults', annotations: { 'cert-manager.io/inject-ca-from': `${NS}/policy` } },
      webhooks: [
        {
          name: 'default.shop.example.com',
          clientConfig: { service: { name: 'policy', namespace: NS, path: '/mutate' } },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'shop-viewer' },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { 'rbac.shop.example.com/aggregate-to-viewer': 'true' } }],
      },
      rules: [],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('orders') },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('orders'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
        maxReplicas: 12,
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('catalog'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'catalog' },
        minReplicas: 2,
        maxReplicas: 8,
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      },
    },
  ];
}

/** What a cluster returns for them: the server's defaults and allocations, and its controllers' writes. */
function platformLive(desired: Json[], server: ServerOptions = {}): Json[] {
  const live = desired.map((object) => asLive(object, 'argocd-controller', server));
  const find = (kind: string, name: string) =>
    live.find((o) => o.kind === kind && o.metadata.name === name) as Json;
  const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n').toString(
    'base64',
  );
  for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
    const object = live.find((o) => o.kind === kind) as Json;
    object.webhooks[0].clientConfig.caBundle = caBundle;
    updatedBy(object, 'cert-manager-cainjector', '2026-11-20T09:00:05Z', {
      'f:webhooks': {
        [`k:{"name":"${object.webhooks[0].name}"}`]: { 'f:clientConfig': { 'f:caBundle': {} } },
      },
    });
  }
  const viewer = find('ClusterRole', 'shop-viewer');
  viewer.rules = [
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] },
  ];
  updatedBy(viewer, 'clusterrole-aggregation-controller', '2026-11-20T09:00:02Z', { 'f:rules': {} });
  const account = find('ServiceAccount', 'orders');
  account.secrets = [{ name: 'orders-token-7xk2p' }];
  updatedBy(account, 'kube-controller-manager', '2026-11-20T09:00:01Z', {
    'f:secrets': { '.': {}, 'k:{"name":"orders-token-7xk2p"}': { '.': {}, 'f:name': {} } },
  });
  return live;
}

test('server defaults, allocations and controllers’ writes that real clusters produce are silent', async (t) => {
  const desired = platformManifests();
  const current = await drift(t, desired, platformLive(desired));
  assert.equal(current.code, 0, JSON.stringify(current.report?.items, null, 2));
  // An older server lacks newer defaults (internalTrafficPolicy, allocateLoadBalancerNodePorts, the
  // StatefulSet's PVC retention policy): absent is not drift.
  const older = await drift(t, desired, platformLive(desired, { minor: 21 }));
  assert.equal(older.code, 0, JSON.stringify(older.report?.items, null, 2));
});

test('real changes among those fields are still reported', async (t) => {
  const desired = platformManifests();
  // The UDP port's nodePort is declared: a different one on the cluster is drift.
  const dns = desired.find((o) => o.metadata.name === 'dns') as Json;
  dns.spec.ports[0].nodePort = 30053;
  const live = platformLive(desired);
  const find = (kind: string, name: string) =>
    live.find((o) => o.kind === kind && o.metadata.name === name) as Json;
  find('Service', 'dns').spec.ports[0].nodePort = 30054;
  find('HorizontalPodAutoscaler', 'catalog').spec.behavior.scaleDown.stabilizationWindowSeconds = 120;
  find('HorizontalPodAutoscaler', 'orders').spec.behavior = {
    scaleUp: { stabilizationWindowSeconds: 30 },
  };
  find('ValidatingWebhookConfiguration', 'shop-policy').webhooks[0].timeoutSeconds = 30;
  find('ClusterRole', 'shop-viewer').aggregationRule.clusterRoleSelectors[0].matchLabels = {
    'rbac.shop.example.com/aggregate-to-admin': 'true',
  };
  find('ServiceAccount', 'orders').secrets.push({ name: 'registry-pull' });
  const { code, report } = await drift(t, desired, live);
  assert.equal(code, 2);
  assert.deepEqual(
    (report?.items ?? []).map((i) => [`${i.resource.kind}/${i.resource.name}`, i.path]),
    [
      ['Service/dns', 'spec.ports[53/UDP].nodePort'],
      ['ValidatingWebhookConfiguration/shop-policy', 'webhooks[validate.shop.example.com].timeoutSeconds'],
      ['ClusterRole/shop-viewer', 'aggregationRule.clusterRoleSelectors'],
      ['ServiceAccount/orders', 'secrets'],
      ['HorizontalPodAutoscaler/orders', 'spec.behavior.scaleUp.stabilizationWindowSeconds'],
      ['HorizontalPodAutoscaler/catalog', 'spec.behavior.scaleDown.stabilizationWindowSeconds'],
    ],
  );
  // The hand-added reference is reported; the token controller's is not.
  assert.deepEqual(report?.items[3]?.live, [{ name: 'registry-pull' }]);
});

test('empty equals absent where the API treats them alike; where it does not, the difference is reported', async (t) => {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('nothing-yet'),
    rules: [],
  };
  const worker = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('worker', { labels: { app: 'worker', tier: '' }, annotations: {} }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'worker' } },
      template: {
        metadata: { labels: { app: 'worker' } },
        spec: {
          nodeSelector: {},
          tolerations: [],
          containers: [
            {
              name: 'app',
              image: 'registry.example.com/shop/worker:2.0.1',
              args: [],
              env: [
                { name: 'EXTRA_OPTS', value: '' },
                { name: 'UNSET', value: null },
              ],
              resources: {},
            },
          ],
        },
      },
    },
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('tokens'),
    type: 'Opaque',
    data: { EMPTY: null, SET: Buffer.from('s3cr3t-value').toString('base64') },
  };
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('flags'), data: { BETA: '' } };
  // A chart that renders an unset class as null: unset, like no field at all.
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('uploads'),
    spec: {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '5Gi' } },
      storageClassName: null,
    },
  };
  const liveClaim = asLive(claim);
  delete liveClaim['spec']['storageClassName'];
  liveClaim['spec']['volumeMode'] = 'Filesystem';
  liveClaim['status'] = { phase: 'Bound', accessModes: ['ReadWriteMany'], capacity: { storage: '5Gi' } };
  // What the server prints: omitempty fields dropped, a nil list printed as null, a nil []byte as "".
  const liveRole = asLive(role);
  liveRole['rules'] = null;
  const liveWorker = asLive(worker);
  delete liveWorker['metadata']['annotations'];
  const podSpec = liveWorker['spec']['template']['spec'];
  delete podSpec['nodeSelector'];
  delete podSpec['tolerations'];
  delete podSpec['containers'][0]['args'];
  podSpec['containers'][0]['env'] = [{ name: 'EXTRA_OPTS' }, { name: 'UNSET' }];
  const liveSecret = asLive(secret);
  liveSecret['data']['EMPTY'] = '';
  const liveConfig = asLive(config);
  const live = [liveRole, liveWorker, liveSecret, liveConfig, liveClaim];
  const clean = await drift(t, [role, worker, secret, config, claim], live);
  assert.equal(clean.code, 0, JSON.stringify(clean.report?.items, null, 2));

  // A label with an empty value, and a ConfigMap key with an empty value, exist: removing them is drift.
  delete liveWorker['metadata']['labels']['tier'];
  delete liveConfig['data']['BETA'];
  const { code, report } = await drift(t, [role, worker, secret, config, claim], live);
  assert.equal(code, 2);
  assert.deepEqual(
    (report?.items ?? []).map((i) => [i.path, i.change, i.desired, i.live ?? null]),
    [
      ['metadata.labels.tier', 'removed', '', null],
      ['data.BETA', 'removed', '', null],
    ],
  );
});

test('objects controllers create are listed as informational, not as created by hand', async (t) => {
  const statefulSet = platformManifests().find((o) => o.kind === 'StatefulSet') as Json;
  const desired = [statefulSet, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('orders') }];
  const tls = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('storefront-tls', {
      labels: { 'controller.cert-manager.io/fao': 'true' },
      annotations: {
        'cert-manager.io/alt-names': 'shop.example.com',
        'cert-manager.io/certificate-name': 'storefront',
        'cert-manager.io/common-name': 'shop.example.com',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
        'cert-manager.io/issuer-name': 'letsencrypt',
      },
    }),
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': randomBytes(24).toString('base64'), 'tls.key': randomBytes(24).toString('base64') },
  };
  const claim = (name: string) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, {
      labels: { app: 'db' },
      annotations: {
        'pv.kubernetes.io/bind-completed': 'yes',
        'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
      },
    }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      storageClassName: 'gp3',
      volumeMode: 'Filesystem',
      volumeName: `pvc-${randomUUID()}`,
    },
    status: { phase: 'Bound' },
  });
  const token = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('orders-token-7xk2p', {
      annotations: {
        'kubernetes.io/service-account.name': 'orders',
        'kubernetes.io/service-account.uid': randomUUID(),
      },
    }),
    type: 'kubernetes.io/service-account-token',
    data: { token: randomBytes(24).toString('base64'), namespace: Buffer.from(NS).toString('base64') },
  };
  const sealed = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('db-credentials', {
      ownerReferences: [owner('SealedSecret', 'bitnami.com/v1alpha1', 'db-credentials')],
    }),
    type: 'Opaque',
    data: { password: randomBytes(12).toString('base64') },
  };
  const withoutManagedFields = (object: Json) => {
    const copy = structuredClone(object);
    delete copy.metadata.managedFields;
    return copy;
  };
  const live = [
    ...desired.map((o) => asLive(o)),
    createdBy('cert-manager-certificates-issuing', tls),
    createdBy('kube-controller-manager', claim('data-db-0')),
    // Without --show-managed-fields the markers still tell: the claim's name follows the StatefulSet's.
    withoutManagedFields(createdBy('kube-controller-manager', claim('data-db-1'))),
    createdBy('kube-controller-manager', token),
    createdBy('controller', sealed),
    createdBy('kubectl-create', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('hotfix'),
      data: { FLAG: 'on' },
    }),
    createdBy('kubectl-create', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('debug-token'),
      type: 'Opaque',
      data: { token: randomBytes(12).toString('base64') },
    }),
  ];
  const { code, report } = await drift(t, desired, live);
  assert.equal(code, 2);
  assert.deepEqual(summary(report?.items ?? []), [
    ['extra', 'ConfigMap/hotfix', '', 'kubectl-create'],
    ['extra', 'Secret/debug-token', '', 'kubectl-create'],
  ]);
  assert.deepEqual((report?.informational ?? []).map((i) => `${i.resource.kind}/${i.resource.name}`).sort(), [
    'PersistentVolumeClaim/data-db-0',
    'PersistentVolumeClaim/data-db-1',
    'Secret/db-credentials',
    'Secret/orders-token-7xk2p',
    'Secret/storefront-tls',
  ]);
  const text = await drift(t, desired, live, 'text');
  assert.match(text.stdout, /created by controllers \(not drift\)/);
  assert.match(text.stdout, /Secret shop-production\/storefront-tls +cert-manager certificate storefront/);
  assert.doesNotMatch(text.stdout, /storefront-tls[^\n]*created by hand/);
});

test('output is readable: list items by their keys, lists shown as lists, Secret keys without values', async (t) => {
  const dns = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('dns'),
    spec: { selector: { app: 'dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
  };
  const api = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('api'),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example.com/shop/api:4.1.0',
              ports: [{ containerPort: 8080 }],
              env: [{ name: 'OPTIONAL', value: null }],
            },
          ],
        },
      },
    },
  };
  const values = {
    password: 'pa55-' + randomBytes(8).toString('hex'),
    legacy: 'old-' + randomBytes(8).toString('hex'),
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('shop-db'),
    type: 'Opaque',
    stringData: values,
  };
  const liveDns = asLive(dns);
  liveDns['spec']['ports'].push({ name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 });
  updatedBy(liveDns, 'kubectl-patch', EDITED, {
    'f:spec': { 'f:ports': { 'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } } },
  });
  const liveApi = asLive(api);
  liveApi['spec']['template']['spec']['containers'][0]['env'] = [{ name: 'OPTIONAL' }];
  liveApi['spec']['template']['spec']['containers'].push({
    name: 'metrics',
    image: 'registry.example.com/tools/exporter:0.9.2',
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 9090, protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  updatedBy(liveApi, 'kubectl-edit', EDITED, {
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"metrics"}': { '.': {} } } } } },
  });
  const changed = 'changed-' + randomBytes(8).toString('hex');
  const added = 'added-' + randomBytes(8).toString('hex');
  const { stringData: _s, ...secretLive } = asLive(secret);
  secretLive['data'] = {
    password: Buffer.from(changed).toString('base64'),
    'debug-token': Buffer.from(added).toString('base64'),
  };
  const desired = [dns, api, secret];
  const live = [liveDns, liveApi, secretLive];
  const { code, report } = await drift(t, desired, live);
  assert.equal(code, 2);
  assert.deepEqual(
    (report?.items ?? []).map((i) => [i.path, i.change, i.attribution?.manager ?? null]),
    [
      ['spec.ports[53/TCP]', 'added', 'kubectl-patch'],
      ['spec.template.spec.containers[metrics]', 'added', 'kubectl-edit'],
      ['data.debug-token', 'added', null],
      ['data.legacy', 'removed', null],
      ['data.password', 'changed', null],
    ],
  );
  assert.deepEqual(report?.items[0]?.live, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 });
  assert.deepEqual((report?.items[1]?.live as Json | undefined)?.['ports'], [
    { containerPort: 9090, protocol: 'TCP' },
  ]);

  const outputs = await Promise.all(
    ['json', 'text', 'markdown'].map((format) => drift(t, desired, live, format)),
  );
  for (const { stdout } of outputs) {
    assert.doesNotMatch(stdout, /"\[\d+/, 'no internal keyed form');
    for (const value of [values.password, values.legacy, changed, added])
      assert.ok(
        !stdout.includes(value) && !stdout.includes(Buffer.from(value).toString('base64')),
        'no Secret value in any format',
      );
  }
  const text = outputs[1]?.stdout ?? '';
  assert.doesNotMatch(text, /\(absent\)\s+live:\s+\(absent\)/);
  assert.match(text, /modified spec\.ports\[53\/TCP\] by kubectl-patch/);
  assert.match(text, /data\.debug-token: key added \(value not shown\)/);
  assert.match(text, /data\.legacy: key removed/);
  assert.match(text, /data\.password: value changed \(not shown\)/);
  assert.match(
    outputs[2]?.stdout ?? '',
    /\| modified \| Secret shop-db \| data\.password \| value changed \(not shown\)/,
  );
});

test('values that name or look like a secret outside Secrets are reported as changed, never shown', async (t) => {
  // Generated at run time: nothing credential-shaped is committed.
  const word = () => randomBytes(12).toString('hex');
  const [passwordOld, passwordNew, urlOld, urlNew, envOld, envNew] = [
    word(),
    word(),
    word(),
    word(),
    word(),
    word(),
  ];
  const [noteOld, noteNew] = [`note-${word()}`, `note-${word()}`];
  const config = (password: string, url: string, note: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('extra'),
    data: {
      SMTP_PASSWORD: password,
      DATABASE_URL: `postgres://shop:${url}@db.example.com:5432/shop`,
      NOTE: note,
    },
  });
  const web = (value: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'app', image: 'registry.example.com/shop/web:1', env: [{ name: 'DB_PASSWORD', value }] },
          ],
        },
      },
    },
  });
  const desired = [config(passwordOld, urlOld, noteOld), web(envOld)];
  const live = [asLive(config(passwordNew, urlNew, noteNew)), asLive(web(envNew))];
  const { code, report } = await drift(t, desired, live);
  assert.equal(code, 2);
  assert.deepEqual(
    report?.items.map((i) => [i.path, i.desired, i.live, (i as { redacted?: true }).redacted ?? false]),
    [
      ['data.SMTP_PASSWORD', '(not shown)', '(not shown)', true],
      ['data.DATABASE_URL', '(not shown)', '(not shown)', true],
      ['data.NOTE', noteOld, noteNew, false],
      ['spec.template.spec.containers[app].env[DB_PASSWORD].value', '(not shown)', '(not shown)', true],
    ],
  );
  for (const format of ['json', 'text', 'markdown']) {
    const { stdout } = await drift(t, desired, live, format);
    for (const value of [passwordOld, passwordNew, urlOld, urlNew, envOld, envNew])
      assert.ok(!stdout.includes(value), `${format} shows a secret value`);
    assert.ok(stdout.includes(noteNew), `${format} still shows what is no secret`);
  }
});
