/**
 * `stagecraft check` on a fresh copy of examples/shop, as a new user runs it: committed in git, the app's
 * packages installed (linked), a developer's .env, Vault and a mounted Kubernetes Secret for the references,
 * a cluster per environment (the Kubernetes API test server, reached by the real kubectl through the contexts
 * the shop names), and storefront taken from dev to production in the local ledger (rehearsal). Every check
 * the shop configures is clean; a drifted object in production's cluster is named.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { startFakeVault } from '../../packages/config/src/test-support/vault-server.ts';
import { EXAMPLE_SHOP, REPO_ROOT, runCli, spawnCli, tempDir } from '../test-support/cli.ts';
import { gitOk } from '../test-support/git.ts';
import { KUBECTL_MISSING, startKubernetesApi } from '../test-support/kubernetes-api.ts';
import { digest } from '../test-support/ledger.ts';
import { asLive } from '../test-support/live-objects.ts';

// biome-ignore lint/suspicious/noExplicitAny: live objects are edited as kubectl would.
type Json = Record<string, any>;
type Test = { after(fn: () => Promise<void> | void): void };

/** Monday 24 November 2026 in Berlin: production's window is open. */
const NOW = '2026-11-24T12:10:00Z';
const secretValue = () => randomBytes(12).toString('base64url');

/** The live objects a cluster returns for an environment's manifests, as applied by Argo CD. */
function liveObjects(dir: string, environment: string): Json[] {
  const folder = join(dir, 'deploy', environment);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((doc) => doc.toJS()))
    .filter(Boolean)
    .map((object: Json) => asLive(object));
}

/** storefront at `sha` through the shop's chain and gates to production, in the local ledger (rehearsal). */
async function deployStorefront(dir: string, sha: string): Promise<void> {
  const cli = async (args: string[], role: string, actor: string, now: string) => {
    const result = await runCli(args, {
      cwd: dir,
      env: { STAGECRAFT_ROLE: role, STAGECRAFT_ACTOR: actor, STAGECRAFT_NOW: now, STAGECRAFT_REHEARSAL: '1' },
    });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  };
  const image = `registry.example.com/shop/storefront@${digest()}`;
  await cli(
    ['artifact', 'register', 'storefront', image, '--commit', sha, '--author', 'alice'],
    'ci',
    'ci-bot',
    '2026-11-24T10:00:00Z',
  );
  await cli(['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci', 'ci-bot', '2026-11-24T10:00:00Z');
  await cli(['deploy', 'storefront', '--env', 'dev'], 'developer', 'alice', '2026-11-24T10:00:00Z');
  await cli(['promote', 'storefront', '--to', 'staging'], 'ci', 'ci-bot', '2026-11-24T10:05:00Z');
  await cli(
    ['deployed', 'storefront', '--env', 'staging', '--confirm'],
    'ci',
    'ci-bot',
    '2026-11-24T10:05:00Z',
  );
  await cli(['approve', 'storefront', '--env', 'production'], 'developer', 'bob', '2026-11-24T10:30:00Z');
  await cli(['promote', 'storefront', '--to', 'production'], 'ci', 'ci-bot', '2026-11-24T12:00:00Z');
  await cli(
    ['deployed', 'storefront', '--env', 'production', '--confirm'],
    'ci',
    'ci-bot',
    '2026-11-24T12:05:00Z',
  );
}

/** A fresh shop with everything its checks read; `production` edits production's live objects first. */
async function freshShop(t: Test, production: (live: Json[]) => void = () => {}) {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  gitOk(dir, ['init', '-q', '-b', 'main']);
  gitOk(dir, ['config', 'user.name', 'Alice']);
  gitOk(dir, ['config', 'user.email', 'alice@example.invalid']);
  gitOk(dir, ['add', '-A']);
  gitOk(dir, ['commit', '-q', '-m', 'The shop']);
  const sha = gitOk(dir, ['rev-parse', 'HEAD']).trim();
  // Installed as an app installs them; .env as a developer writes it (both stay out of git).
  mkdirSync(join(dir, 'node_modules/@stagecraft'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/stagecraft'));
  symlinkSync(join(REPO_ROOT, 'packages/config'), join(dir, 'node_modules/@stagecraft/config'));
  writeFileSync(join(dir, '.env'), `DB_PASSWORD=${secretValue()}\nAPI_KEY=${secretValue()}\n`);
  await deployStorefront(dir, sha);

  const mount = tempDir(t);
  mkdirSync(join(mount, 'shop-payments'));
  writeFileSync(join(mount, 'shop-payments/api-key'), secretValue());
  const vault = await startFakeVault(t);
  vault.put('secret/shop/db', { username: 'shop', password: secretValue() });

  const productionLive = liveObjects(dir, 'production');
  production(productionLive);
  const clusters = await Promise.all(
    [liveObjects(dir, 'staging'), productionLive].map(async (objects) => {
      const { kubeconfig } = await startKubernetesApi(t, tempDir(t), {
        serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.4' },
        nodes: [],
        objects,
      });
      return /server: "([^"]+)"/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] as string;
    }),
  );
  const kubeconfig = join(tempDir(t), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - { name: staging, cluster: { server: "${clusters[0]}" } }
  - { name: production, cluster: { server: "${clusters[1]}" } }
users:
  - { name: test, user: {} }
contexts:
  - { name: shop-staging, context: { cluster: staging, user: test } }
  - { name: shop-production, context: { cluster: production, user: test } }
current-context: shop-staging
`,
  );
  // kubectl runs synchronously and the stand-in API answers from this process: the CLI runs as a child.
  const check = async (...args: string[]) => {
    const result = await spawnCli(['check', ...args], {
      cwd: dir,
      env: {
        KUBECONFIG: kubeconfig,
        DB_HOST: 'db.internal',
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: vault.issueToken(),
        HOME: tempDir(t),
        STAGECRAFT_K8S_SECRETS_ROOT: mount,
        STAGECRAFT_REHEARSAL: '1',
        STAGECRAFT_NOW: NOW,
        GITHUB_STEP_SUMMARY: undefined,
      },
    });
    return result;
  };
  return { dir, check };
}

interface Report {
  verdict: string;
  counts: Record<string, number>;
  checks: { name: string; status: string; summary: string; report: unknown; skipped: string | null }[];
}

test('a fresh copy of the shop passes every check it configures, lint included', {
  skip: KUBECTL_MISSING && 'kubectl is not installed',
}, async (t) => {
  const { check } = await freshShop(t);
  const result = await check('--format', 'json');
  const data = JSON.parse(result.stdout) as Report;
  assert.equal(
    result.code,
    0,
    JSON.stringify(
      data.checks.filter((c) => c.status !== 'clean'),
      null,
      2,
    ) + result.stderr,
  );
  assert.deepEqual(
    data.checks.map((c) => `${c.name}: ${c.status}`),
    [
      'config: clean',
      'scan: clean',
      'gitignore: clean',
      'secrets dev: clean',
      'secrets staging: clean',
      'secrets production: clean',
      'parity staging↔production: clean',
      'drift kubernetes staging: clean',
      'drift kubernetes production: clean',
      'drift hotfix production: clean',
      'drift deps staging↔production: clean',
      'drift freshness staging: clean',
      'lint: clean',
    ],
  );
});

test('a drifted object in production’s cluster fails check, naming the object and the field', {
  skip: KUBECTL_MISSING && 'kubectl is not installed',
}, async (t) => {
  const { check } = await freshShop(t, (live) => {
    const config = live.find((o) => o['kind'] === 'ConfigMap') as Json;
    config['data']['LOG_LEVEL'] = 'DEBUG';
  });
  const result = await check('--only', 'drift');
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stdout, /✗ problems +drift kubernetes production/);
  assert.match(result.stdout, /── drift kubernetes production ──[\s\S]*ConfigMap[\s\S]*data\.LOG_LEVEL/);
});
