import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, spawnCli, tempDir } from '../test-support/cli.ts';
import { startKubernetesApi } from '../test-support/kubernetes-api.ts';

/** kubectl itself is driven; .ci/run installs it, a developer's machine may lack it. */
const KUBECTL_MISSING =
  spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim() === '';

// kubectl is run synchronously, and the stand-in API answers from this process: the CLI runs as a child.
const SERVER_VERSION = {
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
