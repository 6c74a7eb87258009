import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, spawnCli, tempDir } from '../test-support/cli.ts';
import { KUBECTL_MISSING, SERVER_VERSION, startKubernetesApi } from '../test-support/kubernetes-api.ts';

// kubectl is run synchronously, and the stand-in API answers from this process: the CLI runs as a child.

test('facts collect: an unreachable cluster or database is exit 1 with a hint, and no URL password is shown', {
  skip: KUBECTL_MISSING && 'kubectl is not installed',
}, async (t) => {
  const dir = tempDir(t);
  const unreachable = await runCli(['facts', 'collect', '--kubeconfig', join(dir, 'none'), '--out', '-'], {
    cwd: dir,
    env: { KUBECONFIG: join(dir, 'none') },
  });
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /kubectl version -o json failed/);
  const cluster = await startKubernetesApi(t, dir, { serverVersion: SERVER_VERSION, nodes: [] });
  const password = `pw${Date.now()}`;
  const badDatabase = await spawnCli(
    [
      'facts',
      'collect',
      '--kubeconfig',
      cluster.kubeconfig,
      '--database',
      `db=postgres://app:${password}@127.0.0.1:1/shop`,
    ],
    { cwd: dir },
  );
  assert.equal(badDatabase.code, 1);
  assert.match(badDatabase.stderr, /cannot ask postgres:\/\/127\.0\.0\.1:1\/shop for its version/);
  assert.ok(!badDatabase.stderr.includes(password));
  const mysql = await spawnCli(
    ['facts', 'collect', '--kubeconfig', cluster.kubeconfig, '--database', 'db=mysql://127.0.0.1/shop'],
    { cwd: dir },
  );
  assert.equal(mysql.code, 1);
  assert.match(mysql.stderr, /only PostgreSQL URLs are supported/);
});
