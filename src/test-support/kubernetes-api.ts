/**
 * A local HTTP endpoint answering what kubectl asks for `kubectl version` and `kubectl get nodes`, in the
 * Kubernetes API's documented shapes (/version, the discovery documents /api, /apis and /api/v1, and a
 * NodeList), with a kubeconfig pointing the real kubectl at it.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export interface FakeCluster {
  kubeconfig: string;
  requests: string[];
}

export async function startKubernetesApi(
  t: { after(fn: () => void): void },
  dir: string,
  cluster: { serverVersion: Record<string, string>; nodes: { name: string; instanceType: string }[] },
): Promise<FakeCluster> {
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
    if (path === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') {
      return send({
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          {
            name: 'nodes',
            singularName: 'node',
            namespaced: false,
            kind: 'Node',
            verbs: ['get', 'list', 'watch'],
            shortNames: ['no'],
          },
        ],
      });
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
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }),
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
