/** API tokens: admins make, list and revoke them; a token is shown once, in the answer that makes it. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers, jsonAnswer, jsonBody } from '../route.ts';
import * as s from '../schemas.ts';

const Which = z.object({
  which: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'which', in: 'path' }, description: 'A token’s name, or #id' }),
});

export function tokenRoutes(app: OpenAPIHono<AuthenticatedEnv>, ledger: Ledger): void {
  const tag = 'tokens';
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/tokens',
      tags: [tag],
      security: bearer,
      summary: 'Make a token (admins); the answer is the only time it is shown',
      request: { body: jsonBody(s.CreateToken) },
      responses: {
        200: jsonAnswer(
          z.object({ id: z.number().int(), token: z.string(), expiresAt: z.string().nullable() }),
        ),
        ...errorAnswers,
      },
    }),
    async (c) => c.json(await ledger.createToken(c.req.valid('json'), c.get('identity')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/tokens',
      tags: [tag],
      security: bearer,
      summary: 'Every token, without its secret (admins)',
      responses: { 200: jsonAnswer(z.object({ tokens: z.array(s.Token) })), ...errorAnswers },
    }),
    async (c) => c.json({ tokens: await ledger.tokens(c.get('identity')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/tokens/{which}',
      tags: [tag],
      security: bearer,
      summary: 'Revoke a token (admins); it fails from its next request',
      request: { params: Which },
      responses: { 200: jsonAnswer(s.Token), ...errorAnswers },
    }),
    async (c) => c.json(await ledger.revokeToken(c.req.valid('param').which, c.get('identity')), 200),
  );
}
