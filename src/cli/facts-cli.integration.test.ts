/** facts collect against a real PostgreSQL (and a stand-in Kubernetes API), and parity reading the result. */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_SHOP, runCli, spawnCli, tempDir } from '../test-support/cli.ts';
import { KUBECTL_MISSING, SERVER_VERSION, startKubernetesApi } from '../test-support/kubernetes-api.ts';
import { startPostgres } from '../test-support/postgres.ts';

// kubectl is run synchronously, and the stand-in API answers from this process: the CLI runs as a child.

test('facts collect asks kubectl and a real PostgreSQL, writes facts.json, and parity reads it', {
  skip: KUBECTL_MISSING && 'kubectl is not installed',
}, async (t) => {
  const postgres = await startPostgres(t);
  if (typeof postgres === 'string') {
    t.skip(postgres);
    return;
  }
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const cluster = await startKubernetesApi(t, dir, {
    serverVersion: SERVER_VERSION,
    nodes: [
      { name: 'a', instanceType: 'm6i.large' },
      { name: 'b', instanceType: 'm6i.large' },
    ],
  });
  const result = await spawnCli(
    [
      'facts',
      'collect',
      '--env',
      'staging',
      '--kubeconfig',
      cluster.kubeconfig,
      '--context',
      'staging',
      '--database',
      `shop-db=${postgres.url}`,
    ],
    { cwd: dir },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /wrote deploy\/staging\/facts\.json: Kubernetes v1\.31\.4-eks-2d5f260, 2 nodes, 1 database/,
  );
  const facts = JSON.parse(readFileSync(join(dir, 'deploy/staging/facts.json'), 'utf8'));
  assert.deepEqual(facts.kubernetes.serverVersion, SERVER_VERSION);
  assert.deepEqual(facts.nodes, { count: 2, instanceTypes: ['m6i.large'] });
  assert.equal(facts.databases[0].name, 'shop-db');
  assert.equal(facts.databases[0].engine, 'postgresql');
  // What the server itself prints, e.g. "15.18 (Debian 15.18-0+deb12u1)".
  assert.match(facts.databases[0].server_version, /^\d+\.\d+/);
  assert.ok(cluster.requests.includes('/version') && cluster.requests.includes('/api/v1/nodes'));

  // The shop's production facts say PostgreSQL 16; this server is another major version unless it is 16.
  const parity = await runCli(['parity', 'staging', 'production', '--format', 'json'], { cwd: dir });
  const major = facts.databases[0].server_version.split('.')[0];
  const types = JSON.parse(parity.stdout).violations.map((v: { type: string }) => v.type);
  assert.deepEqual(types, major === '16' ? [] : ['database-version-mismatch']);
});
