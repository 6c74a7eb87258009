import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, REPO_ROOT, runCli, tempDir } from '../test-support/cli.ts';

/** Writes deployments in a loop, in the real CLI's transactions, until it is killed. */
const WRITER = `
const { openStore } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/ledger/store.js'))});
const { Ledger } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/ledger/ledger.js'))});
const { loadWorkspace } = await import(${JSON.stringify(join(REPO_ROOT, 'packages/config/dist/workspace/load.js'))});
const workspace = loadWorkspace({ cwd: process.cwd() });
const store = await openStore({ file: '.stagecraft/state.db' });
const ledger = new Ledger(store, workspace);
const actor = { name: 'writer', role: 'developer' };
// What an operator does after a crash: the deployment the killed writer left pending is marked failed.
await store.db.updateTable('deployments').set({ status: 'failed', finished_at: new Date().toISOString() }).where('status', '=', 'pending').execute();
console.log('ready');
for (let i = 0; ; i++) {
  const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const digest = 'sha256:' + hex(64);
  await ledger.registerArtifact({ service: 'web', image: 'registry.example.com/shop/web@' + digest, commit: hex(40) }, actor);
  const { id } = await ledger.startDeployment({ service: 'web', environment: 'dev', digest, kind: 'deploy' }, actor);
  await ledger.finishDeployment(id, 'succeeded', 'ok', actor);
}
`;

test('a writer killed with SIGKILL mid-write leaves a store that reopens consistent', async (t) => {
  assertBuilt();
  const dir = tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: { deployers: [developer] }\nservices:\n  web: { image: registry.example.com/shop/web }\n',
    'writer.mjs': WRITER,
  });
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, ['writer.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout
        .setEncoding('utf8')
        .on('data', () => setTimeout(() => child.kill('SIGKILL'), 150 + round * 100));
      child.on('close', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended ${code}: ${stderr}`)),
      );
    });
  }
  // Reopened by the CLI: readable, and every deployment's artifact is there (no half-written transaction).
  const history = await runCli(['history', '--format', 'json'], { cwd: dir });
  assert.equal(history.code, 0, history.stderr);
  const rows = JSON.parse(history.stdout).deployments as { status: string; digest: string }[];
  assert.ok(rows.length > 0, 'the writers wrote something before they were killed');
  assert.ok(rows.every((row) => /^sha256:[0-9a-f]{64}$/.test(row.digest)));
  assert.ok(
    rows.filter((row) => row.status === 'pending').length <= 3,
    'at most one deployment per killed writer was left pending',
  );
  const check = spawn(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(join(REPO_ROOT, 'node_modules/better-sqlite3'))}); const d = new D('.stagecraft/state.db'); process.stdout.write(d.pragma('integrity_check', { simple: true }));`,
    ],
    { cwd: dir },
  );
  let integrity = '';
  check.stdout.setEncoding('utf8').on('data', (chunk: string) => (integrity += chunk));
  await new Promise((resolve) => check.on('close', resolve));
  assert.equal(integrity, 'ok');
  // And it takes new writes.
  const fresh = `registry.example.com/shop/web@sha256:${'e'.repeat(64)}`;
  const register = await runCli(['artifact', 'register', 'web', fresh, '--commit', 'f'.repeat(40)], {
    cwd: dir,
    env: { STAGECRAFT_ROLE: 'developer' },
  });
  assert.equal(register.code, 0, register.stderr);
  const deploy = await runCli(['deploy', 'web', '--env', 'dev', '--format', 'json'], {
    cwd: dir,
    env: { STAGECRAFT_ROLE: 'developer' },
  });
  assert.ok(
    deploy.code === 0 || /LEDGER_DEPLOYMENT_IN_PROGRESS/.test(deploy.stdout + deploy.stderr),
    deploy.stdout + deploy.stderr,
  );
});
