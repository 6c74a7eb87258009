/** What the ledger shows, for the CLI's status/history/audit and the dashboard; any authenticated identity reads. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { describeGate } from '@stagecraft/config/workspace';
import type { Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers, jsonAnswer } from '../route.ts';
import * as s from '../schemas.ts';
import { StatusCache } from '../status-cache.ts';

export function ledgerViewRoutes(app: OpenAPIHono<AuthenticatedEnv>, ledger: Ledger): void {
  const tag = 'views';
  const status = new StatusCache(ledger);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/whoami',
      tags: [tag],
      security: bearer,
      summary: 'The identity the request authenticates as',
      responses: { 200: jsonAnswer(s.Identity), ...errorAnswers },
    }),
    (c) => {
      const { name, role, environments, via } = c.get('identity');
      return c.json(
        {
          name,
          role,
          environments: environments ? [...environments] : null,
          via: via === 'oidc' ? 'oidc' : 'token',
        } as const,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/status',
      tags: [tag],
      security: bearer,
      summary: 'What runs where, and the gates still ahead of each promotion',
      responses: { 200: jsonAnswer(s.Status), ...errorAnswers },
    }),
    async (c) => {
      return c.json(await status.get(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/history',
      tags: [tag],
      security: bearer,
      summary: 'Every deployment, newest first',
      request: {
        query: z.object({
          environment: z.string().max(100).optional(),
          service: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(50),
        }),
      },
      responses: { 200: jsonAnswer(s.History), ...errorAnswers },
    }),
    async (c) => {
      return c.json(await ledger.history(c.req.valid('query')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit',
      tags: [tag],
      security: bearer,
      summary: 'The audit log, newest first: every action, done or refused',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(50) }) },
      responses: { 200: jsonAnswer(s.Audit), ...errorAnswers },
    }),
    async (c) => {
      return c.json({ audit: await ledger.auditLog(c.req.valid('query').limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/deployments/{id}',
      tags: [tag],
      security: bearer,
      summary: 'One deployment with everything kept of it, its deploy step’s (redacted) output included',
      request: {
        params: z.object({
          id: z.coerce
            .number()
            .int()
            .positive()
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 200: jsonAnswer(s.DeploymentDetail), ...errorAnswers },
    }),
    async (c) => {
      return c.json(await ledger.deployment(c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/artifacts',
      tags: [tag],
      security: bearer,
      summary: 'Registered artifacts, newest first',
      request: { query: z.object({ service: z.string().max(100).optional() }) },
      responses: { 200: jsonAnswer(s.ArtifactList), ...errorAnswers },
    }),
    async (c) => {
      return c.json({ artifacts: await ledger.artifacts(c.req.valid('query').service) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/overview',
      tags: [tag],
      security: bearer,
      summary:
        'The workspace the ledger serves: environments in promotion order, services, and rejected artifacts',
      responses: { 200: jsonAnswer(s.Overview), ...errorAnswers },
    }),
    async (c) => {
      const { workspace } = ledger;
      return c.json(
        {
          name: workspace.name,
          environments: workspace.environments.map((environment) => ({
            name: environment.name,
            from: environment.from ?? null,
            gates: environment.gates.map(describeGate),
          })),
          services: workspace.services.map((service) => service.name),
          approvers: [...workspace.ledger.approvers],
          rejected: await ledger.rejectedArtifacts(),
        },
        200,
      );
    },
  );
}
