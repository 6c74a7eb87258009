/**
 * What the server refuses, against a real `stagecraft serve` on a copy of the shop: each unauthorised or
 * malformed attempt answered with its status and code, and each in the audit log with who tried it. Then
 * that no token minted or presented here appears in an answer, the server's log, the audit log or the
 * database, and that the real server limits failed authentication too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, chunked, recordingClient } from '../test-support/api-requests.ts';
import { assertBuilt, EXAMPLE_SHOP, tempDir } from '../test-support/cli.ts';
import { commit, digest } from '../test-support/ledger.ts';
import { startServer } from '../test-support/server.ts';

interface Case {
  name: string;
  attempt(): Promise<Answer>;
  status: number;
  code: string;
  /** The audit row the attempt leaves: who, in which role, trying what. */
  audit: { actor: string; role: string; action: string; subject?: string | RegExp };
  /** More that the answer must say. */
  message?: RegExp;
}

const UNAUTHENTICATED = { actor: '(unauthenticated)', role: 'none', action: 'authenticate' };

test('the server refuses each unauthorised or malformed attempt with its status and code, and audits it with who tried', async (t) => {
  assertBuilt();
  const dir = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const server = await startServer(t, { cwd: dir });
  const { send, answers } = recordingClient(server.url);
  const admin = server.adminToken;
  const minted = [admin];
  const token = async (name: string, role: string, environments?: string[]) => {
    const made = await server.token(name, role, environments);
    minted.push(made);
    return made;
  };
  const ci = await token('ci-bot', 'ci');
  const ciStaging = await token('ci-staging', 'ci', ['staging']);
  const alice = await token('alice', 'developer');
  const bob = await token('bob', 'developer');
  const revoked = await token('leaver', 'developer');
  const expiring = await send('POST', '/v1/tokens', {
    token: admin,
    body: { name: 'temp', role: 'ci', expiresInMs: 1 },
  });
  assert.equal(expiring.status, 200, expiring.text);
  const expired = expiring.body.token as string;
  minted.push(expired);
  const unknown = `stagecraft_${randomBytes(32).toString('base64url')}`;
  const neither = randomBytes(24).toString('hex');
  const presented = [unknown, neither];

  // The shop: storefront (by alice) succeeded in dev; catalog's deployment to dev is alice's, still pending.
  const image = (service: string) => `registry.example.com/shop/${service}@${digest()}`;
  const ok = async (answer: Promise<Answer>) => {
    const { status, text, body } = await answer;
    assert.equal(status, 200, text);
    return body;
  };
  for (const service of ['storefront', 'catalog']) {
    await ok(
      send('POST', '/v1/artifacts', {
        token: ci,
        body: { service, image: image(service), commit: commit(), author: 'alice' },
      }),
    );
  }
  const deploy = (service: string) => ({ environment: 'dev', kind: 'deploy', service });
  const [storefront] = await ok(
    send('POST', '/v1/deployments', { token: alice, body: deploy('storefront') }),
  );
  await ok(
    send('POST', `/v1/deployments/${storefront.id}/finish`, {
      token: alice,
      body: { status: 'succeeded', output: 'rolled out' },
    }),
  );
  const [catalog] = await ok(send('POST', '/v1/deployments', { token: alice, body: deploy('catalog') }));
  const step = `/v1/deployments/${catalog.id}`;
  await ok(send('GET', '/v1/status', { token: revoked }));
  await ok(send('DELETE', '/v1/tokens/leaver', { token: admin }));
  await sleep(10);

  const promote = (to: string, extra: object = {}) => ({
    environment: to,
    kind: 'promote',
    service: 'storefront',
    ...extra,
  });
  const cases: Case[] = [
    {
      name: 'a developer promoting to staging (wrong role)',
      attempt: () => send('POST', '/v1/deployments', { token: alice, body: promote('staging') }),
      status: 403,
      code: 'LEDGER_ROLE_REFUSED',
      audit: { actor: 'alice', role: 'developer', action: 'promote', subject: 'storefront → staging' },
    },
    {
      name: 'a CI token made for staging promoting to production (wrong environment)',
      attempt: () => send('POST', '/v1/deployments', { token: ciStaging, body: promote('production') }),
      status: 403,
      code: 'LEDGER_ENVIRONMENT_REFUSED',
      audit: { actor: 'ci-staging', role: 'ci', action: 'promote', subject: 'storefront → production' },
    },
    {
      name: 'CI promoting to staging before the tests gate is met (missing gate)',
      attempt: () => send('POST', '/v1/deployments', { token: ci, body: promote('staging') }),
      status: 409,
      code: 'LEDGER_GATE_FAILED',
      audit: { actor: 'ci-bot', role: 'ci', action: 'promote' },
      message: /tests: no test result is reported/,
    },
    {
      name: 'break-glass by a non-admin',
      attempt: () =>
        send('POST', '/v1/deployments', {
          token: ci,
          body: promote('staging', { breakGlass: 'outage' }),
        }),
      status: 403,
      code: 'LEDGER_BREAK_GLASS_REFUSED',
      audit: { actor: 'ci-bot', role: 'ci', action: 'promote (BREAK-GLASS)' },
    },
    {
      name: 'the commit’s author approving it (self-approval)',
      attempt: () =>
        send('POST', '/v1/approvals', {
          token: alice,
          body: { service: 'storefront', environment: 'staging' },
        }),
      status: 403,
      code: 'LEDGER_SELF_APPROVAL',
      audit: { actor: 'alice', role: 'developer', action: 'approve', subject: 'storefront → staging' },
    },
    {
      name: 'an image by tag instead of by digest',
      attempt: () =>
        send('POST', '/v1/artifacts', {
          token: ci,
          body: {
            service: 'storefront',
            image: 'registry.example.com/shop/storefront:1.4',
            commit: commit(),
          },
        }),
      status: 422,
      code: 'LEDGER_NOT_A_DIGEST',
      audit: { actor: 'ci-bot', role: 'ci', action: 'artifact register' },
    },
    {
      name: 'a heartbeat for someone else’s deployment',
      attempt: () => send('POST', `${step}/heartbeat`, { token: bob }),
      status: 403,
      code: 'LEDGER_NOT_YOUR_STEP',
      audit: { actor: 'bob', role: 'developer', action: 'heartbeat', subject: `deployment #${catalog.id}` },
    },
    {
      name: 'the ending of someone else’s deployment',
      attempt: () =>
        send('POST', `${step}/finish`, { token: bob, body: { status: 'succeeded', output: null } }),
      status: 403,
      code: 'LEDGER_NOT_YOUR_STEP',
      audit: {
        actor: 'bob',
        role: 'developer',
        action: 'deploy step succeeded',
        subject: `deployment #${catalog.id}`,
      },
    },
    {
      name: 'a GitOps commit for someone else’s deployment',
      attempt: () =>
        send('POST', `${step}/commit`, {
          token: bob,
          body: { commit: commit(), files: ['deploy/dev/catalog.yaml'] },
        }),
      status: 403,
      code: 'LEDGER_NOT_YOUR_STEP',
      audit: {
        actor: 'bob',
        role: 'developer',
        action: 'gitops commit',
        subject: `deployment #${catalog.id}`,
      },
    },
    {
      name: 'token creation by a non-admin',
      attempt: () => send('POST', '/v1/tokens', { token: ci, body: { name: 'backdoor', role: 'admin' } }),
      status: 403,
      code: 'LEDGER_ROLE_REFUSED',
      audit: { actor: 'ci-bot', role: 'ci', action: 'token create', subject: 'backdoor (admin)' },
    },
    {
      name: 'token listing by a non-admin',
      attempt: () => send('GET', '/v1/tokens', { token: alice }),
      status: 403,
      code: 'LEDGER_ROLE_REFUSED',
      audit: { actor: 'alice', role: 'developer', action: 'token list' },
    },
    {
      name: 'a body that is not JSON',
      attempt: () => send('POST', '/v1/artifacts', { token: ci, body: '{"service": "storefront", ' }),
      status: 400,
      code: 'SERVER_BAD_REQUEST',
      audit: { actor: 'ci-bot', role: 'ci', action: 'request', subject: 'POST /v1/artifacts from 127.0.0.1' },
      message: /not valid JSON/,
    },
    {
      name: 'a body not sent as JSON',
      attempt: () =>
        send('POST', '/v1/gates/tests', { token: ci, body: 'tests pass', contentType: 'text/plain' }),
      status: 415,
      code: 'SERVER_BAD_REQUEST',
      audit: {
        actor: 'ci-bot',
        role: 'ci',
        action: 'request',
        subject: 'POST /v1/gates/tests from 127.0.0.1',
      },
    },
    {
      name: 'a body the schema refuses',
      attempt: () =>
        send('POST', '/v1/gates/tests', {
          token: ci,
          body: { kind: 'tests', commit: commit(), result: 'maybe' },
        }),
      status: 400,
      code: 'SERVER_BAD_REQUEST',
      audit: { actor: 'ci-bot', role: 'ci', action: 'request' },
      message: /result: Invalid option/,
    },
    {
      name: 'a body over 1 MiB, announced by Content-Length',
      attempt: () =>
        send('POST', `${step}/finish`, {
          token: alice,
          body: { status: 'succeeded', output: 'x'.repeat(1024 * 1024) },
        }),
      status: 413,
      code: 'SERVER_BAD_REQUEST',
      audit: {
        actor: 'alice',
        role: 'developer',
        action: 'request',
        subject: `POST ${step}/finish from 127.0.0.1`,
      },
    },
    {
      name: 'a body over 1 MiB, streamed in chunks',
      attempt: () => send('POST', `${step}/finish`, { token: alice, body: chunked(1024 * 1024 + 1) }),
      status: 413,
      code: 'SERVER_BAD_REQUEST',
      audit: { actor: 'alice', role: 'developer', action: 'request' },
    },
    {
      name: 'an expired token',
      attempt: () => send('GET', '/v1/status', { token: expired }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: { ...UNAUTHENTICATED, subject: 'GET /v1/status from 127.0.0.1' },
      message: /the token \(temp\) has expired/,
    },
    {
      name: 'a revoked token',
      attempt: () => send('POST', '/v1/deployments', { token: revoked, body: deploy('orders') }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: { ...UNAUTHENTICATED, subject: 'POST /v1/deployments from 127.0.0.1' },
      message: /the token \(leaver\) was revoked/,
    },
    {
      name: 'an unknown token',
      attempt: () => send('GET', '/v1/history', { token: unknown }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: UNAUTHENTICATED,
      message: /the token is unknown/,
    },
    {
      name: 'a token that is neither stagecraft’s nor a JWT',
      attempt: () => send('GET', '/v1/history', { token: neither }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: UNAUTHENTICATED,
      message: /neither a stagecraft token nor an OIDC token/,
    },
    {
      name: 'a malformed Authorization header',
      attempt: () =>
        send('GET', '/v1/status', {
          authorization: `Basic ${Buffer.from(`ci:${ci}`).toString('base64')}`,
        }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: UNAUTHENTICATED,
      message: /the Authorization header is not "Bearer TOKEN"/,
    },
    {
      name: 'no Authorization header',
      attempt: () =>
        send('POST', '/v1/approvals', { body: { service: 'storefront', environment: 'staging' } }),
      status: 401,
      code: 'SERVER_UNAUTHENTICATED',
      audit: { ...UNAUTHENTICATED, subject: 'POST /v1/approvals from 127.0.0.1' },
      message: /no token was sent/,
    },
  ];

  for (const refusal of cases) {
    await t.test(refusal.name, async () => {
      const answer = await refusal.attempt();
      assert.equal(answer.status, refusal.status, answer.text);
      assert.equal(answer.body.error.code, refusal.code);
      if (refusal.message) assert.match(answer.body.error.message, refusal.message);
      if (refusal.status === 401)
        assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="stagecraft"');
      const [row] = (await ok(send('GET', '/v1/audit?limit=1', { token: admin }))).audit;
      const { subject, ...who } = refusal.audit;
      assert.deepEqual(
        { actor: row.actor, role: row.role, action: row.action, outcome: row.outcome, detail: row.detail },
        { ...who, outcome: 'refused', detail: answer.body.error.message },
      );
      if (typeof subject === 'string') assert.equal(row.subject, subject);
      if (subject instanceof RegExp) assert.match(row.subject, subject);
    });
  }

  await t.test('a refused step report leaves the deployment to its own step', async () => {
    const pending = await ok(send('GET', '/v1/history?service=catalog', { token: admin }));
    assert.deepEqual(
      pending.deployments.map((row: { id: number; status: string }) => [row.id, row.status]),
      [[catalog.id, 'pending']],
    );
    await ok(send('POST', `${step}/heartbeat`, { token: alice }));
    await ok(send('POST', `${step}/finish`, { token: alice, body: { status: 'succeeded', output: 'ok' } }));
    const ended = await ok(send('GET', '/v1/history?service=catalog', { token: admin }));
    assert.equal(ended.deployments[0].status, 'succeeded');
  });

  await t.test('no token appears in an answer, the server’s log, the audit log or the database', async () => {
    const audit = (await send('GET', '/v1/audit?limit=10000', { token: admin })).text;
    const database = readdirSync(join(dir, '.stagecraft'))
      .map((file) => readFileSync(join(dir, '.stagecraft', file)).toString('latin1'))
      .join('\n');
    const shown = answers.filter(
      ({ request, answer }) => !(request === 'POST /v1/tokens' && answer.status === 200),
    );
    assert.ok(shown.length > 40);
    for (const value of [...minted, ...presented]) {
      const at = shown.find(({ answer }) => answer.text.includes(value));
      assert.equal(at, undefined, `a token is in the answer to ${at?.request}`);
      assert.ok(!server.log().includes(value), 'a token is in the server’s log');
      assert.ok(!audit.includes(value), 'a token is in the audit log');
      assert.ok(!database.includes(value), 'a token is in the database');
    }
    // The log is not empty: it has a line per request, with who made it.
    assert.match(server.log(), /POST \/v1\/deployments 403 [\d.]+ms alice \(developer\)/);
  });

  await t.test('the real server limits failed authentication per client', async () => {
    const failed = answers.filter(({ answer }) => answer.status === 401).length;
    assert.equal(failed, 6);
    for (let attempt = failed + 1; attempt <= 10; attempt++)
      assert.equal((await send('GET', '/v1/status', { token: unknown })).status, 401);
    const limited = await send('GET', '/v1/status', { token: admin });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'SERVER_RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Health and the OpenAPI document stay open: they carry no ledger data.
    assert.equal((await send('GET', '/healthz')).status, 200);
  });
});
