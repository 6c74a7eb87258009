/**
 * The example shop's app as a user starts it: a real process per environment, given the variables that
 * environment needs and, outside dev, the payment key's Kubernetes Secret mounted as the kubelet mounts it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountKubernetesSecret } from '../packages/config/src/test-support/kubernetes-mount.ts';
import { assertBuilt, EXAMPLE_SHOP, tempDir } from './test-support/cli.ts';

const secretValue = () => `sv-${randomBytes(12).toString('hex')}`;

function startShop(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DB_|API_KEY|ENVIRONMENT|STAGECRAFT_)/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: EXAMPLE_SHOP,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('the example shop starts in dev, staging and production with the variables each needs', async (t) => {
  assertBuilt();
  const dev = await startShop({ DB_PASSWORD: secretValue(), API_KEY: secretValue() });
  assert.equal(dev.code, 0, dev.stdout + dev.stderr);
  assert.match(dev.stdout, /^shop \(dev\) → localhost:5432\/shop$/m);

  const mounts = tempDir(t, {});
  const apiKey = secretValue();
  mountKubernetesSecret(mounts, 'shop-payments', { 'api-key': apiKey }, 1);
  for (const environment of ['staging', 'production']) {
    const password = secretValue();
    const run = await startShop({
      ENVIRONMENT: environment,
      DB_HOST: `db.${environment}`,
      DB_PASSWORD: password,
      STAGECRAFT_K8S_SECRETS_ROOT: mounts,
    });
    assert.equal(run.code, 0, `${environment}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, new RegExp(`^shop \\(${environment}\\) → db\\.${environment}:5432/shop$`, 'm'));
    assert.ok(!run.stdout.includes(password) && !run.stdout.includes(apiKey), 'secrets stay redacted');
  }

  // Without the mounted Secret, production says which Secret to mount where, and exits 2.
  const unmounted = await startShop({
    ENVIRONMENT: 'production',
    DB_HOST: 'db.production',
    DB_PASSWORD: secretValue(),
    STAGECRAFT_K8S_SECRETS_ROOT: join(mounts, 'nothing-here'),
  });
  assert.equal(unmounted.code, 2, unmounted.stdout + unmounted.stderr);
  assert.match(unmounted.stderr, /apiKey: ref\+k8s:\/\/shop-payments\/api-key: .* does not exist/);
  assert.match(unmounted.stderr, /mount the Kubernetes Secret shop-payments as a volume/);
});
