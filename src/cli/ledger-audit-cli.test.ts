/**
 * Every refusal is audited, also those raised after a deployment was recorded: confirming a deployment the
 * cluster does not run yet, and a GitOps step that finds nothing to rewrite — which ends its deployment
 * failed rather than leaving it pending — and a clock set outside rehearsal, refused before any action starts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';
import { GIT_ENV, gitOk, repository } from '../test-support/git.ts';
import { assertRefused, digest, liveDeployment, registerArgs } from '../test-support/ledger.ts';

interface AuditEntry {
  actor: string;
  role: string;
  action: string;
  subject: string;
  outcome: string;
  detail: string | null;
}

function ledger(dir: string) {
  const cli = (args: string[], role = 'developer', env: Record<string, string> = {}) =>
    runCli(args, {
      cwd: dir,
      env: {
        ...GIT_ENV,
        STAGECRAFT_ROLE: role,
        STAGECRAFT_ACTOR: 'dana',
        STAGECRAFT_DATABASE_URL: undefined,
        STAGECRAFT_NOW: undefined,
        STAGECRAFT_REHEARSAL: undefined,
        ...env,
      },
    });
  const json = async (args: string[]) => JSON.parse((await cli([...args, '--format', 'json'])).stdout);
  const audit = async (): Promise<AuditEntry[]> => (await json(['audit'])).audit;
  const history = async (): Promise<{ id: number; status: string }[]> =>
    (await json(['history'])).deployments;
  return { cli, audit, history };
}

/** What `kubectl get -o json` shows of a cluster running `image`. */
const live = (image: string) => liveDeployment(image, { name: 'web' });

test('a refused deployed --confirm is audited with who and why, and the deployment stays pending', async (t) => {
  const dir = repository(t, {
    'stagecraft.yaml':
      'environments:\n  dev: { deployers: [developer] }\nservices:\n  web: { image: registry.example.com/shop/web }\n',
  });
  const { cli, audit, history } = ledger(dir);
  const d = digest();
  assert.equal((await cli(registerArgs('web', d))).code, 0);
  assert.equal((await cli(['deploy', 'web', '--env', 'dev'])).code, 0);
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/web@${digest()}`));
  const early = await cli(['deployed', 'web', '--env', 'dev', '--confirm', '--live', 'live.json']);
  assertRefused(early, 'LEDGER_NOT_LIVE');
  const [refused] = await audit();
  assert.deepEqual(refused, {
    ...refused,
    actor: 'dana',
    role: 'developer',
    action: 'deployed succeeded',
    subject: 'web → dev',
    outcome: 'refused',
    detail: `the live objects do not run registry.example.com/shop/web@${d} yet`,
  });
  assert.equal((await history())[0]?.status, 'pending');
  // The table says the same, as `audit` shows it to people (the text table wraps long cells).
  assert.match(
    (await cli(['audit', '--format', 'markdown'])).stdout,
    /deployed succeeded \| web → dev \| refused: the live objects do not run registry\.example\.com\/shop\/web@sha256:[0-9a-f]{12}… yet/,
  );
  // Once the cluster runs it, the confirmation is done, and audited as such.
  writeFileSync(join(dir, 'live.json'), live(`registry.example.com/shop/web@${d}`));
  assert.equal((await cli(['deployed', 'web', '--env', 'dev', '--confirm', '--live', 'live.json'])).code, 0);
  const [done] = await audit();
  assert.equal(done?.outcome, 'done');
  assert.equal((await history())[0]?.status, 'succeeded');
});

test('a refused GitOps deploy is audited and ends its deployment failed; a GitOps commit is audited too', async (t) => {
  const dir = repository(t, {
    'stagecraft.yaml':
      'environments:\n  dev:\n    deployers: [developer]\n    manifests: deploy/dev\n    deploy: { gitops: true }\nservices:\n  web: { image: registry.example.com/shop/web }\n',
    'deploy/dev/web.yaml': 'spec:\n  containers:\n    - image: registry.example.com/shop/other:1.0\n',
  });
  const { cli, audit, history } = ledger(dir);
  assert.equal((await cli(registerArgs('web'))).code, 0);
  const refused = await cli(['deploy', 'web', '--env', 'dev']);
  assertRefused(refused, 'LEDGER_GITOPS_NO_REFERENCE');
  const [first] = await history();
  assert.equal(first?.status, 'failed', 'a refused step leaves nothing pending');
  const [entry] = await audit();
  assert.deepEqual(entry, {
    ...entry,
    actor: 'dana',
    action: 'gitops commit',
    subject: `deployment #${first?.id}`,
    outcome: 'refused',
    detail: `no image reference of registry.example.com/shop/web was found in ${join(dir, 'deploy/dev')}`,
  });
  // Nothing blocks the next attempt; with the image in the manifests, the commit is the deployment.
  writeFileSync(
    join(dir, 'deploy/dev/web.yaml'),
    'spec:\n  containers:\n    - image: registry.example.com/shop/web:1.0\n',
  );
  gitOk(dir, ['commit', '-qam', 'name the image']);
  const deployed = await cli(['deploy', 'web', '--env', 'dev']);
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  const head = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  const [committed] = await audit();
  assert.deepEqual(committed, {
    ...committed,
    action: 'gitops commit',
    outcome: 'done',
    detail: `committed ${head}: deploy/dev/web.yaml`,
  });
  assert.equal((await history())[0]?.status, 'pending');
});

test('a clock set outside rehearsal is refused before the command runs, and audited', async (t) => {
  const dir = repository(t, {
    'stagecraft.yaml':
      'environments:\n  dev: { deployers: [developer] }\nservices:\n  web: { image: registry.example.com/shop/web }\n',
  });
  const { cli, audit, history } = ledger(dir);
  assert.equal((await cli(registerArgs('web'))).code, 0);
  const now = '2030-01-01T00:00:00Z';
  assertRefused(
    await cli(['deploy', 'web', '--env', 'dev'], 'developer', { STAGECRAFT_NOW: now }),
    'LEDGER_CLOCK_REFUSED',
  );
  assert.deepEqual(await history(), []);
  const [entry] = await audit();
  assert.deepEqual(entry, {
    ...entry,
    actor: 'dana',
    action: 'set clock',
    subject: `STAGECRAFT_NOW=${now}`,
    outcome: 'refused',
  });
  assert.match(entry?.detail ?? '', /only in rehearsal mode/);
});

test('a deploy that names no service (or a service and a release) is a usage error, exit 1, and nothing is audited', async (t) => {
  const dir = tempDir(t, {
    'stagecraft.yaml': 'services:\n  web:\n    image: registry.example.com/shop/web\n',
  });
  const { cli, audit } = ledger(dir);
  for (const args of [
    ['deploy', '--env', 'dev'],
    ['promote', '--to', 'staging'],
    ['deploy', 'web', '--env', 'dev', '--release', '2026.12'],
  ]) {
    const result = await cli(args);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /\[LEDGER_BAD_OPTION\] (deploy|promote) needs a service, or --release NAME|give a service or --release/,
    );
  }
  assert.deepEqual(await audit(), []);
});
