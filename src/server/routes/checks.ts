/**
 * Recorded parity and drift results: any authenticated identity records one (evidence, not a gate; attributed
 * and audited) and reads the newest of each, which the dashboard shows.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers, jsonAnswer, jsonBody } from '../route.ts';
import * as s from '../schemas.ts';

export function checkRoutes(app: OpenAPIHono<AuthenticatedEnv>, ledger: Ledger): void {
  const tag = 'checks';
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/checks',
      tags: [tag],
      security: bearer,
      summary: 'Record a parity, drift or check result (stagecraft parity|drift|check … --record)',
      request: { body: jsonBody(s.RecordCheck) },
      responses: { 200: jsonAnswer(s.Check), ...errorAnswers },
    }),
    async (c) => c.json(await ledger.recordCheck(c.req.valid('json'), c.get('identity')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/checks/latest',
      tags: [tag],
      security: bearer,
      summary: 'The newest recorded result of each check, by kind and name',
      responses: { 200: jsonAnswer(s.LatestChecks), ...errorAnswers },
    }),
    async (c) => c.json({ checks: await ledger.latestChecks() }, 200),
  );
}
