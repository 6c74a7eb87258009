/**
 * The ledger's actions over HTTP: each is the local ledger's own method, run as the authenticated identity,
 * so every rule is enforced in the same database transaction as on a laptop, and every refusal is audited
 * there. The server keeps nothing between requests: several servers on one PostgreSQL are one authority.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Admitted, Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers, jsonAnswer, jsonBody } from '../route.ts';
import * as s from '../schemas.ts';

const Id = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const Done = z.object({ ok: z.literal(true) });

export function ledgerWriteRoutes(app: OpenAPIHono<AuthenticatedEnv>, ledger: Ledger): void {
  const tag = 'ledger';
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/artifacts',
      tags: [tag],
      security: bearer,
      summary: 'Register a built artifact (image by digest)',
      request: { body: jsonBody(s.RegisterArtifact) },
      responses: { 200: jsonAnswer(s.Artifact), ...errorAnswers },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const artifact = await ledger.registerArtifact(body, c.get('identity'));
      return c.json(artifact, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deployments',
      tags: [tag],
      security: bearer,
      summary:
        'Record a deployment (deploy, promote, rollback) if every rule allows it; the caller then runs the deploy step',
      request: { body: jsonBody(s.StartDeployment) },
      responses: { 200: jsonAnswer(z.array(s.Admitted)), ...errorAnswers },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const identity = c.get('identity');
      const admitted =
        body.release === undefined || body.kind === 'rollback'
          ? [await ledger.startDeployment({ ...body, service: body.service ?? '' }, identity)]
          : await ledger.startRelease({ ...body, release: body.release, kind: body.kind }, identity);
      return c.json(admitted.map(wire), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deployments/{id}/heartbeat',
      tags: [tag],
      security: bearer,
      summary: 'The deploy step is still running',
      request: { params: Id },
      responses: { 200: jsonAnswer(Done), ...errorAnswers },
    }),
    async (c) => {
      await ledger.heartbeat(c.req.valid('param').id, c.get('identity'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deployments/{id}/finish',
      tags: [tag],
      security: bearer,
      summary: 'How the deploy step ended, with its redacted output',
      request: { params: Id, body: jsonBody(s.FinishStep) },
      responses: { 200: jsonAnswer(Done), ...errorAnswers },
    }),
    async (c) => {
      const { status, output } = c.req.valid('json');
      await ledger.finishDeployment(c.req.valid('param').id, status, output, c.get('identity'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deployments/{id}/commit',
      tags: [tag],
      security: bearer,
      summary: 'The GitOps commit the deploy step made',
      request: { params: Id, body: jsonBody(s.RecordCommit) },
      responses: { 200: jsonAnswer(s.RecordCommit), ...errorAnswers },
    }),
    async (c) => {
      const result = c.req.valid('json');
      const kept = await ledger.recordCommit(c.req.valid('param').id, () => result, c.get('identity'));
      return c.json(kept, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deployments/confirm',
      tags: [tag],
      security: bearer,
      summary: 'How a pending deployment without a step ended (stagecraft deployed)',
      request: { body: jsonBody(s.Confirm) },
      responses: { 200: jsonAnswer(z.object({ id: z.number().int() })), ...errorAnswers },
    }),
    async (c) => {
      const { live, ...rest } = c.req.valid('json');
      const images = live === undefined ? undefined : new Set(live);
      const id = await ledger.confirm({ ...rest, live: images && (() => images) }, c.get('identity'));
      return c.json({ id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/releases',
      tags: [tag],
      security: bearer,
      summary: 'Several services’ artifacts, promoted together',
      request: { body: jsonBody(s.CreateRelease) },
      responses: { 200: jsonAnswer(z.object({ id: z.number().int() })), ...errorAnswers },
    }),
    async (c) => {
      const { name, items } = c.req.valid('json');
      return c.json({ id: await ledger.createRelease(name, items, c.get('identity')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/gates/tests',
      tags: [tag],
      security: bearer,
      summary: 'Report a commit’s tests (the tests gate)',
      request: { body: jsonBody(s.GateReport) },
      responses: { 200: jsonAnswer(z.object({ commit: z.string() })), ...errorAnswers },
    }),
    async (c) => {
      const { kind, commit, result } = c.req.valid('json');
      return c.json({ commit: await ledger.reportGate(kind, commit, result, c.get('identity')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/verifications',
      tags: [tag],
      security: bearer,
      summary: 'A check of a running environment (soaks read them)',
      request: { body: jsonBody(s.Verification) },
      responses: { 200: jsonAnswer(Done), ...errorAnswers },
    }),
    async (c) => {
      const { environment, service, result } = c.req.valid('json');
      await ledger.verify(environment, service, result, c.get('identity'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/approvals',
      tags: [tag],
      security: bearer,
      summary:
        'Approve what would be promoted to an environment now, or every artifact of a release (all or none)',
      request: { body: jsonBody(s.Approval) },
      responses: { 200: jsonAnswer(s.Approved), ...errorAnswers },
    }),
    async (c) => {
      const { service, release, environment } = c.req.valid('json');
      const identity = c.get('identity');
      const artifacts =
        release === undefined
          ? [await ledger.approve(service ?? '', environment, identity)]
          : await ledger.approveRelease(release, environment, identity);
      return c.json({ artifacts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/rejections',
      tags: [tag],
      security: bearer,
      summary: 'Reject an artifact everywhere',
      request: { body: jsonBody(s.Rejection) },
      responses: { 200: jsonAnswer(z.object({ count: z.number().int() })), ...errorAnswers },
    }),
    async (c) => {
      const { digest, reason } = c.req.valid('json');
      return c.json({ count: await ledger.reject(digest, reason, c.get('identity')) }, 200);
    },
  );
}

/** An admission as the API sends it: the environment by name (the caller runs the step its workspace declares). */
function wire(admitted: Admitted): z.infer<typeof s.Admitted> {
  const { environment, ...rest } = admitted;
  return { ...rest, environment: environment.name };
}
