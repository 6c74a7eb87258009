import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE_SHOP, runCli, spawnCli, tempDir } from '../test-support/cli.ts';
import { startKubernetesApi } from '../test-support/kubernetes-api.ts';
import { asLive, systemObjects } from '../test-support/live-objects.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests reach deep into live objects to edit them as kubectl would.
type Json = Record<string, any>;

interface Item {
  type: string;
  resource: { kind: string; name: string; namespace: string };
  path: string;
  desired: unknown;
  live: unknown;
  attribution?: { manager: string; time?: string };
  manual: boolean;
}

/** The shop's production manifests, and the live objects a cluster returns for them. */
function shopProduction(t: { after(fn: () => void): void }) {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const manifests = join(dir, 'deploy/production');
  const desired = readdirSync(manifests)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(manifests, file), 'utf8')).map((doc) => doc.toJS() as Json),
    )
    .filter(Boolean);
  const live: Json[] = [
    ...desired.map((object) => asLive(object)),
    ...systemObjects('shop-production', 'storefront'),
  ];
  const find = (kind: string, name: string) => {
    const object = live.find((o) => o['kind'] === kind && o['metadata']['name'] === name);
    assert.ok(object, `${kind} ${name}`);
    return object as Json;
  };
  const write = () =>
    writeFileSync(join(dir, 'live.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: live }));
  const drift = async (...args: string[]) => {
    write();
    const result = await runCli(
      ['drift', 'kubernetes', '--env', 'production', '--live', 'live.json', '--format', 'json', ...args],
      { cwd: dir },
    );
    return {
      code: result.code,
      data: JSON.parse(result.stdout) as { verdict: string; items: Item[] },
      stderr: result.stderr,
    };
  };
  return { dir, live, find, drift, write };
}

/** A field manager's entry, as kubectl writes it when it changes an object. */
function managed(object: Json, manager: string, time: string, fieldsV1: Json, subresource?: string): void {
  object['metadata']['managedFields'].push({
    manager,
    operation: 'Update',
    apiVersion: object['apiVersion'],
    time,
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(subresource ? { subresource } : {}),
  });
}

test('realistic live objects for every kind in the shop are no drift: defaults, server fields and system objects are silent', async (t) => {
  const { drift } = shopProduction(t);
  const { code, data } = await drift();
  assert.equal(code, 0, JSON.stringify(data.items, null, 2));
  assert.equal(data.verdict, 'no-drift');
});

test('scale, image and env changes by hand, a deleted and a hand-made object are drift, attributed and flagged', async (t) => {
  const { live, find, drift, dir } = shopProduction(t);
  // kubectl scale deployment/storefront --replicas=5
  find('Deployment', 'storefront')['spec']['replicas'] = 5;
  managed(
    find('Deployment', 'storefront'),
    'kubectl-scale',
    '2026-11-25T23:10:00Z',
    { 'f:spec': { 'f:replicas': {} } },
    'scale',
  );
  // the HPA scales orders: its replicas are the HPA's, not drift
  find('Deployment', 'orders')['spec']['replicas'] = 9;
  managed(
    find('Deployment', 'orders'),
    'kube-controller-manager',
    '2026-11-25T23:00:00Z',
    { 'f:spec': { 'f:replicas': {} } },
    'scale',
  );
  // kubectl set image deployment/catalog app=…
  const image = `registry.example.com/shop/catalog@sha256:${randomBytes(32).toString('hex')}`;
  find('Deployment', 'catalog')['spec']['template']['spec']['containers'][0]['image'] = image;
  managed(find('Deployment', 'catalog'), 'kubectl-set', '2026-11-25T23:20:00Z', {
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } } },
  });
  // kubectl set env deployment/storefront DEBUG=true
  find('Deployment', 'storefront')['spec']['template']['spec']['containers'][0]['env'].push({
    name: 'DEBUG',
    value: 'true',
  });
  managed(find('Deployment', 'storefront'), 'kubectl-set', '2026-11-25T23:30:00Z', {
    'f:spec': {
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              'f:env': { 'k:{"name":"DEBUG"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
            },
          },
        },
      },
    },
  });
  // kubectl delete ingress storefront
  live.splice(live.indexOf(find('Ingress', 'storefront')), 1);
  // kubectl create configmap hotfix --from-literal=…
  live.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'hotfix',
      namespace: 'shop-production',
      managedFields: [
        {
          manager: 'kubectl-create',
          operation: 'Update',
          time: '2026-11-25T23:40:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {},
        },
      ],
    },
    data: { FLAG: 'on' },
  });
  const { code, data } = await drift();
  assert.equal(code, 2);
  const items = data.items.map((i) => [
    i.type,
    `${i.resource.kind}/${i.resource.name}`,
    i.path,
    i.attribution?.manager ?? null,
    i.manual,
  ]);
  assert.deepEqual(items, [
    ['modified', 'Deployment/catalog', 'spec.template.spec.containers[app].image', 'kubectl-set', true],
    ['modified', 'Deployment/storefront', 'spec.replicas', 'kubectl-scale', true],
    [
      'modified',
      'Deployment/storefront',
      'spec.template.spec.containers[app].env[DEBUG]',
      'kubectl-set',
      true,
    ],
    ['missing', 'Ingress/storefront', '', null, false],
    ['extra', 'ConfigMap/hotfix', '', 'kubectl-create', true],
  ]);
  const scale = data.items[1];
  assert.deepEqual([scale?.desired, scale?.live, scale?.attribution?.time], [4, 5, '2026-11-25T23:10:00Z']);

  const text = await runCli(['drift', 'kubernetes', '--env', 'production', '--live', 'live.json'], {
    cwd: dir,
  });
  assert.match(
    text.stdout,
    /modified spec\.replicas by kubectl-scale at 2026-11-25T23:10:00Z \(manual change in an IaC-only environment\)/,
  );
  assert.match(text.stdout, /✗ 5 drift items/);

  // drift.ignore: by manager and by JSON pointer.
  const workspace = join(dir, 'stagecraft.yaml');
  writeFileSync(
    workspace,
    readFileSync(workspace, 'utf8').replace(
      '  ignore: []',
      '  ignore:\n    - managers: [kubectl-scale]\n    - kind: Deployment\n      name: catalog\n      jsonPointers: [/spec/template/spec/containers/*/image]\n',
    ),
  );
  const ignored = await drift();
  assert.deepEqual(
    ignored.data.items.map((i) => i.path || i.type),
    ['spec.template.spec.containers[app].env[DEBUG]', 'missing', 'extra'],
  );
});

test('noise stays silent: quantity spellings, server annotations; a Secret change is reported without its value', async (t) => {
  const { find, live, drift, dir } = shopProduction(t);
  const resources = find('Deployment', 'orders')['spec']['template']['spec']['containers'][0]['resources'];
  resources['limits'] = { cpu: '2000m', memory: '1024Mi' }; // the manifests say "2" and 1Gi
  find('Deployment', 'orders')['metadata']['annotations'][
    'kubectl.kubernetes.io/last-applied-configuration'
  ] = '{}';
  const password = randomBytes(12).toString('base64url');
  const changed = randomBytes(12).toString('base64url');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'shop-db', namespace: 'shop-production' },
    type: 'Opaque',
    stringData: { password },
  };
  writeFileSync(join(dir, 'deploy/production/secret.yaml'), JSON.stringify(secret));
  live.push({
    ...asLive(secret),
    stringData: undefined,
    data: { password: Buffer.from(password).toString('base64') },
  });
  assert.equal((await drift()).code, 0, 'same value in data (base64) and stringData');
  live[live.length - 1] = {
    ...asLive(secret),
    stringData: undefined,
    data: { password: Buffer.from(changed).toString('base64') },
  };
  const { code, data } = await drift();
  assert.equal(code, 2);
  assert.deepEqual(
    data.items.map((i) => [i.path, i.desired, i.live]),
    [['data.password', '(secret value)', '(secret value)']],
  );
  const text = JSON.stringify(data);
  for (const value of [password, changed])
    assert.ok(!text.includes(value) && !text.includes(Buffer.from(value).toString('base64')));
});

const plan = (body: Json) =>
  JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    ...body,
  });
const change = (address: string, actions: string[], extra: Json = {}) => ({
  address,
  mode: 'managed',
  type: address.split('.')[0],
  name: 'x',
  change: { actions },
  ...extra,
});

test('drift terraform follows terraform plan -detailed-exitcode: changes and outside drift 2, nothing 0, errored 1', async (t) => {
  // Fixtures follow https://developer.hashicorp.com/terraform/internals/json-format (plan representation).
  const dir = tempDir(t, {
    'clean.json': plan({ resource_changes: [change('aws_s3_bucket.logs', ['no-op'])] }),
    'changes.json': plan({
      resource_changes: [
        change('aws_db_instance.shop', ['update']),
        change('aws_instance.web', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
        change('aws_s3_bucket.new', ['create']),
        change('aws_iam_role.old', ['delete']),
        change('aws_s3_bucket.renamed', ['no-op'], { previous_address: 'aws_s3_bucket.old_name' }),
        change('aws_s3_bucket.logs', ['no-op']),
      ],
    }),
    'refresh-only.json': plan({ resource_drift: [change('aws_security_group.web', ['update'])] }),
    'errored.json': plan({ errored: true, resource_changes: [] }),
    'future.json': JSON.stringify({ format_version: '2.0', resource_changes: [] }),
  });
  const run = (file: string, format = 'json') =>
    runCli(['drift', 'terraform', file, '--format', format], { cwd: dir });
  assert.equal((await run('clean.json')).code, 0);
  const changes = await run('changes.json');
  assert.equal(changes.code, 2);
  const data = JSON.parse(changes.stdout);
  assert.deepEqual(data.counts, {
    create: 1,
    update: 1,
    delete: 1,
    replace: 1,
    forget: 0,
    'create,forget': 0,
    read: 0,
    'no-op': 1,
    move: 1,
    import: 0,
    output: 0,
  });
  assert.deepEqual(
    data.changes.find((c: Json) => c.action === 'move'),
    {
      address: 'aws_s3_bucket.renamed',
      action: 'move',
      actions: ['no-op'],
      previousAddress: 'aws_s3_bucket.old_name',
    },
  );
  const refresh = await run('refresh-only.json', 'text');
  assert.equal(refresh.code, 2);
  assert.match(
    refresh.stdout,
    /Changed outside Terraform \(refresh-only plan\):\n {2}update {3}aws_security_group\.web/,
  );
  const errored = await run('errored.json');
  assert.equal(errored.code, 1);
  assert.match(errored.stdout, /TERRAFORM_PLAN_ERRORED/);
  const future = await run('future.json', 'text');
  assert.equal(future.code, 1);
  assert.match(future.stderr, /format_version "2\.0"; stagecraft reads 1\.x/);
});

const KUBECTL_MISSING =
  spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim() === '';

test('drift kubernetes --context asks the cluster through kubectl', {
  skip: KUBECTL_MISSING && 'kubectl is not installed',
}, async (t) => {
  const { dir, live, find } = shopProduction(t);
  find('Deployment', 'storefront')['spec']['replicas'] = 7;
  managed(find('Deployment', 'storefront'), 'kubectl-edit', '2026-11-26T01:00:00Z', {
    'f:spec': { 'f:replicas': {} },
  });
  const cluster = await startKubernetesApi(t, dir, {
    serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.4' },
    nodes: [],
    objects: live,
  });
  // kubectl is run synchronously, and the stand-in API answers from this process: the CLI runs as a child.
  const result = await spawnCli(
    [
      'drift',
      'kubernetes',
      '--env',
      'production',
      '--context',
      'staging',
      '--kubeconfig',
      cluster.kubeconfig,
      '--format',
      'json',
    ],
    { cwd: dir },
  );
  assert.equal(result.code, 2, result.stdout + result.stderr);
  const items = (JSON.parse(result.stdout) as { items: Item[] }).items;
  assert.deepEqual(
    items.map((i) => [i.type, i.resource.name, i.path, i.attribution?.manager]),
    [['modified', 'storefront', 'spec.replicas', 'kubectl-edit']],
  );
  assert.ok(cluster.requests.some((path) => path === '/apis/apps/v1/namespaces/shop-production/deployments'));
});
