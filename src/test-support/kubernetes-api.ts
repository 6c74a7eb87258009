/**
 * A local HTTP endpoint answering what kubectl asks for `kubectl version` and `kubectl get nodes`, in the
 * Kubernetes API's documented shapes (/version, the discovery documents /api, /apis and /api/v1, and a
 * NodeList), with a kubeconfig pointing the real kubectl at it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { kubernetesStatus } from '../../packages/config/src/test-support/kubernetes-secrets-api.ts';

/** kubectl itself is driven; .ci/run installs it, a developer's machine may lack it. */
export const KUBECTL_MISSING: boolean =
  spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim() === '';

/** The version an EKS cluster reports, for the stand-in API to answer `kubectl version` with. */
export const SERVER_VERSION = {
  major: '1',
  minor: '31+',
  gitVersion: 'v1.31.4-eks-2d5f260',
  gitCommit: '2d5f260e1b5ae1e2bbbd39a6b01b5e5d1c8c4e65',
  gitTreeState: 'clean',
  buildDate: '2024-12-05T20:22:09Z',
  goVersion: 'go1.22.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface FakeCluster {
  kubeconfig: string;
  requests: string[];
}

type Json = Record<string, unknown>;

/** The plural resource name the API uses for a kind (Ingress → ingresses, Endpoints → endpoints). */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return lower;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return lower.endsWith('ss')
    ? `${lower}es`
    : lower.endsWith('x')
      ? `${lower}es`
      : lower === 'ingress'
        ? 'ingresses'
        : `${lower}s`;
}

export async function startKubernetesApi(
  t: { after(fn: () => void): void },
  dir: string,
  cluster: {
    serverVersion: Record<string, string>;
    nodes: { name: string; instanceType: string }[];
    objects?: Json[];
  },
): Promise<FakeCluster> {
  const objects = cluster.objects ?? [];
  // Discovery: one group version per apiVersion among the objects, listing their kinds as resources.
  const groupVersions = new Map<string, Map<string, { kind: string; namespaced: boolean }>>();
  // Every cluster serves the built-in kinds, whether or not any object of them exists.
  const builtIn = [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'ServiceAccount'],
    ['v1', 'Service'],
    ['v1', 'Namespace'],
    ['v1', 'Pod'],
    ['v1', 'Endpoints'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['apps/v1', 'ReplicaSet'],
  ];
  for (const object of [...builtIn.map(([apiVersion, kind]) => ({ apiVersion, kind })), ...objects]) {
    const apiVersion = String(object['apiVersion']);
    const kind = String(object['kind']);
    const resources = groupVersions.get(apiVersion) ?? new Map();
    resources.set(plural(kind), { kind, namespaced: kind !== 'Namespace' });
    groupVersions.set(apiVersion, resources);
  }
  const core = groupVersions.get('v1') ?? new Map();
  core.set('nodes', { kind: 'Node', namespaced: false });
  groupVersions.set('v1', core);
  const resourceList = (apiVersion: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersion,
    resources: [...(groupVersions.get(apiVersion) ?? new Map())].map(([name, { kind, namespaced }]) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced,
      kind,
      verbs: ['get', 'list', 'watch'],
    })),
  });
  const list = (
    apiVersion: string,
    resource: string,
    namespace: string | undefined,
    name: string | undefined,
  ) => {
    const kind = groupVersions.get(apiVersion)?.get(resource)?.kind;
    const items = objects.filter(
      (o) =>
        o['apiVersion'] === apiVersion &&
        o['kind'] === kind &&
        (namespace === undefined || (o['metadata'] as Json)['namespace'] === namespace) &&
        (name === undefined || (o['metadata'] as Json)['name'] === name),
    );
    if (name !== undefined) return items[0];
    return { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '1' }, items };
  };
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    requests.push(path);
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/version') return send(cluster.serverVersion);
    if (path === '/api')
      return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis' && groupVersions.size <= 1)
      return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') return send(resourceList('v1'));
    if (path === '/apis' && groupVersions.size > 1) {
      const groups = [...groupVersions.keys()].filter((gv) => gv.includes('/'));
      return send({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [group, version] = gv.split('/');
          return {
            name: group,
            versions: [{ groupVersion: gv, version }],
            preferredVersion: { groupVersion: gv, version },
          };
        }),
      });
    }
    const apiPath =
      /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        path,
      );
    if (apiPath && (apiPath[4] !== undefined || path.startsWith('/apis/'))) {
      const apiVersion = apiPath[1] ?? apiPath[2] ?? '';
      const [namespace, resource, name] = [apiPath[3], apiPath[4], apiPath[5]];
      if (resource === undefined) return send(resourceList(apiVersion));
      // /api/v1/namespaces/NAME is the Namespace itself.
      if (
        resource !== undefined &&
        namespace === undefined &&
        resource === 'namespaces' &&
        name !== undefined
      ) {
        const found = list('v1', 'namespaces', undefined, name);
        if (found) return send(found);
      } else if (groupVersions.get(apiVersion)?.has(resource) && resource !== 'nodes') {
        const found = list(apiVersion, resource, namespace, name);
        if (found) return send(found);
      }
    }
    if (path === '/api/v1/nodes') {
      return send({
        kind: 'NodeList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items: cluster.nodes.map((node) => ({
          kind: 'Node',
          apiVersion: 'v1',
          metadata: { name: node.name, labels: { 'node.kubernetes.io/instance-type': node.instanceType } },
        })),
      });
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(kubernetesStatus(404, 'NotFound', 'the server could not find the requested resource')),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: test
    cluster: { server: "http://127.0.0.1:${port}" }
users:
  - name: test
    user: {}
contexts:
  - name: staging
    context: { cluster: test, user: test }
current-context: staging
`,
  );
  return { kubeconfig, requests };
}
