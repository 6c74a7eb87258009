/**
 * The API's answers are what /openapi.json says they are: one artifact driven dev → staging → production
 * through the app, each answer parsed with its route's schema (no key missing, none extra, every type right).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from '@hono/zod-openapi';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import { tempDir } from '../test-support/cli.ts';
import { commit, digest } from '../test-support/ledger.ts';
import { createApp } from './app.ts';
import * as s from './schemas.ts';

const WORKSPACE = `environments:
  dev:
    deployers: [developer]
    deploy:
      command: "true"
  staging:
    from: dev
    deployers: [ci]
    gates: [tests]
  production:
    from: staging
    deployers: [ci]
    gates:
      - { kind: approvals, count: 1 }
services:
  web:
    image: registry.example.com/shop/web
`;

async function api(t: { after(fn: () => unknown): void }) {
  const workspace = loadWorkspace({ cwd: tempDir(t, { 'stagecraft.yaml': WORKSPACE }) });
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, workspace);
  const app = createApp({ ledger });
  const admin = (await ledger.createToken({ name: 'root', role: 'admin' }, { name: 'setup', role: 'admin' }))
    .token;
  /** Calls the API; a 200 answer must parse with `schema` to exactly itself. */
  const call = async <T>(
    schema: z.ZodType<T> | undefined,
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T & { error?: { code: string } };
    if (response.status === 200 && schema)
      assert.deepEqual(schema.parse(answer), answer, `${method} ${path}`);
    if (response.status !== 200)
      assert.deepEqual(s.ErrorBody.parse(answer), answer, `${method} ${path} error`);
    return { status: response.status, answer };
  };
  const token = async (name: string, role: string) =>
    (await call(undefined, 'POST', '/v1/tokens', admin, { name, role })).answer as unknown as {
      token: string;
    };
  return { call, admin, token };
}

test('every answer of a promotion dev → staging → production has its schema’s shape', async (t) => {
  const { call, admin, token } = await api(t);
  const developer = (await token('dana', 'developer')).token;
  const ci = (await token('ci', 'ci')).token;
  const approver = (await token('bob', 'approver')).token;
  const sha = commit();
  const image = `registry.example.com/shop/web@${digest()}`;

  const artifact = await call(s.Artifact, 'POST', '/v1/artifacts', ci, {
    service: 'web',
    image,
    commit: sha,
    author: 'Alice <alice@example.com>',
  });
  assert.equal(artifact.status, 200);
  const [dev] = (
    await call(s.Admitted.array(), 'POST', '/v1/deployments', developer, {
      environment: 'dev',
      kind: 'deploy',
      service: 'web',
    })
  ).answer;
  assert.ok(dev);
  assert.equal((await call(undefined, 'POST', `/v1/deployments/${dev.id}/heartbeat`, developer)).status, 200);
  assert.equal(
    (
      await call(undefined, 'POST', `/v1/deployments/${dev.id}/finish`, developer, {
        status: 'succeeded',
        output: 'ok',
      })
    ).status,
    200,
  );
  assert.equal(
    (await call(undefined, 'POST', '/v1/gates/tests', ci, { kind: 'tests', commit: sha, result: 'pass' }))
      .status,
    200,
  );
  const staging = await call(s.Admitted.array(), 'POST', '/v1/deployments', ci, {
    environment: 'staging',
    kind: 'promote',
    service: 'web',
  });
  assert.equal(staging.status, 200);
  assert.equal(
    (
      await call(undefined, 'POST', '/v1/deployments/confirm', ci, {
        service: 'web',
        environment: 'staging',
        status: 'succeeded',
      })
    ).status,
    200,
  );
  // Production waits for an approval: refused (409, the gate named), then approved, then promoted.
  const early = await call(undefined, 'POST', '/v1/deployments', ci, {
    environment: 'production',
    kind: 'promote',
    service: 'web',
  });
  assert.equal(early.status, 409);
  assert.equal(early.answer.error?.code, 'LEDGER_GATE_FAILED');
  assert.equal(
    (await call(s.Approved, 'POST', '/v1/approvals', approver, { service: 'web', environment: 'production' }))
      .status,
    200,
  );
  assert.equal(
    (
      await call(s.Admitted.array(), 'POST', '/v1/deployments', ci, {
        environment: 'production',
        kind: 'promote',
        service: 'web',
      })
    ).status,
    200,
  );

  // A newer build succeeds in dev, then is rejected.
  const newer = `registry.example.com/shop/web@${digest()}`;
  await call(s.Artifact, 'POST', '/v1/artifacts', ci, {
    service: 'web',
    image: newer,
    commit: commit(),
    author: 'Alice <alice@example.com>',
  });
  const [again] = (
    await call(s.Admitted.array(), 'POST', '/v1/deployments', developer, {
      environment: 'dev',
      kind: 'deploy',
      service: 'web',
    })
  ).answer;
  assert.ok(again);
  await call(undefined, 'POST', `/v1/deployments/${again.id}/finish`, developer, {
    status: 'succeeded',
    output: null,
  });
  assert.equal(
    (
      await call(undefined, 'POST', '/v1/rejections', admin, {
        digest: newer.split('@')[1],
        reason: 'CVE in the base image',
      })
    ).status,
    200,
  );
  const status = await call(s.Status, 'GET', '/v1/status', developer);
  // A rejected artifact is never offered as what comes next.
  assert.equal(
    status.answer.next.find((next) => next.environment === 'staging'),
    undefined,
  );
  assert.deepEqual(status.answer.deployments.map((row) => [row.environment, row.status]).sort(), [
    ['dev', 'succeeded'],
    ['production', 'pending'],
    ['staging', 'succeeded'],
  ]);
  const history = await call(s.History, 'GET', '/v1/history?environment=staging', developer);
  assert.equal(history.answer.deployments.length, 1);
  assert.equal(history.answer.more, 0);
  // A deployment is one shape wherever it appears: status, history and the audit log.
  const [deployment] = history.answer.deployments;
  assert.deepEqual(
    status.answer.deployments.find((row) => row.id === deployment?.id),
    deployment,
  );
  const audit = await call(s.Audit, 'GET', '/v1/audit?limit=100', admin);
  const referring = audit.answer.audit.filter((entry) => entry.deployment !== null);
  assert.ok(referring.length > 0);
  for (const entry of referring) assert.deepEqual(s.Deployment.parse(entry.deployment), entry.deployment);
  const tokens = await call(undefined, 'GET', '/v1/tokens', admin);
  for (const row of (tokens.answer as unknown as { tokens: unknown[] }).tokens)
    assert.deepEqual(s.Token.parse(row), row);
  assert.deepEqual((await call(s.Identity, 'GET', '/v1/whoami', approver)).answer, {
    name: 'bob',
    role: 'approver',
    environments: null,
    via: 'token',
  });
});
