/**
 * `stagecraft serve`'s application: the JSON API over the ledger, its OpenAPI document, health checks and the
 * dashboard. Built on Hono (see README: small, standards-based Request/Response, and zod-openapi derives
 * validation and /openapi.json from one set of schemas). Everything under /v1 needs a bearer token; the
 * health checks, the OpenAPI document and the dashboard's static page do not (the page asks for a token).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { sql } from 'kysely';
import type { Ledger } from '../ledger/ledger.ts';
import {
  type AuthenticatedEnv,
  authenticate,
  clientAddress,
  clientAddressing,
  type TokenVerifier,
} from './authenticate.ts';
import { ServerCodes } from './errors.ts';
import { bodyOf, problem } from './problem.ts';
import { FailureLimiter } from './rate-limit.ts';
import { checkRoutes } from './routes/checks.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { type Differ, diffRoutes } from './routes/diff.ts';
import { eventRoutes } from './routes/events.ts';
import { ledgerViewRoutes } from './routes/ledger-views.ts';
import { ledgerWriteRoutes } from './routes/ledger-writes.ts';
import { tokenRoutes } from './routes/tokens.ts';

/** A request body larger than this is refused before it is read whole. */
export const MAX_BODY_BYTES: number = 1024 * 1024;

export interface AppOptions {
  ledger: Ledger;
  oidc?: TokenVerifier | undefined;
  limiter?: FailureLimiter | undefined;
  /** Where a request's failure is logged: never with a token or a body. */
  log?: ((line: string) => void) | undefined;
  /**
   * How many proxies (load balancers) stand in front of the server: the client's address is then read from
   * the X-Forwarded-For hop the outermost of them appended. 0 (the default): the peer's address.
   */
  trustedProxies?: number | undefined;
  /** One line per request: method, path, status, time, identity. Never a header or a body. */
  accessLog?: ((line: string) => void) | undefined;
  /** Aborted when the server stops: open event streams end, so closing does not wait for them. */
  stopping?: AbortSignal | undefined;
  /** How often event streams read the ledger, and how long they stay silent before a ping (tests shorten them). */
  eventTiming?: { pollMs?: number | undefined; pingMs?: number | undefined } | undefined;
  /** Builds GET /v1/diff's report; default: from the served workspace, secret config fields judged by name. */
  diff?: Differ | undefined;
  /** More routes beside the API. */
  extend?: ((app: OpenAPIHono<AuthenticatedEnv>) => void) | undefined;
}

export function createApp(options: AppOptions): OpenAPIHono<AuthenticatedEnv> {
  const { ledger } = options;
  const log = options.log ?? (() => {});
  const app = new OpenAPIHono<AuthenticatedEnv>({
    // A body the schema refuses: 400 with every problem, in the error shape of the rest of the API.
    defaultHook: (result, c) => {
      if (result.success) return;
      const details = result.error.issues
        .slice(0, 20)
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; ');
      return refuseRequest(
        c,
        400,
        `the request is not valid: ${details}`,
        'GET /openapi.json describes each body',
      );
    },
  });

  /**
   * A request whose body the API cannot take (too large, not JSON, not what the schema describes) is refused
   * before any rule runs, and audited like every other refusal: with the identity that sent it, since the
   * bearer token is checked before the body is read.
   */
  const refuseRequest = async (
    c: Context<AuthenticatedEnv>,
    status: 400 | 413 | 415,
    message: string,
    hint: string,
  ): Promise<Response> => {
    const error = new StagecraftError(ServerCodes.SERVER_BAD_REQUEST, message, { hint });
    const identity = c.get('identity');
    if (identity) {
      await ledger
        .refuse(identity, 'request', `${c.req.method} ${c.req.path} from ${clientAddress(c)}`, error)
        .catch((failure: unknown) => {
          if (failure !== error) log(`audit of a refused request failed: ${String(failure)}`);
        });
    }
    return c.json(bodyOf(error), status);
  };

  app.onError((error, c) => {
    // What the framework's own validators throw: a body that is not JSON, or not sent as JSON.
    if (error instanceof HTTPException && error.status === 415) {
      return refuseRequest(
        c,
        415,
        'the request body must be JSON, sent with Content-Type: application/json',
        'send the body as application/json',
      );
    }
    if (error instanceof HTTPException && error.status === 400) {
      return refuseRequest(
        c,
        400,
        'the request body is not valid JSON',
        'GET /openapi.json describes each body',
      );
    }
    const { status, body } = problem(error);
    if (status === 500)
      log(
        `${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    return c.json(body, status);
  });
  app.notFound((c) => {
    const error = new StagecraftError(
      ServerCodes.SERVER_NOT_FOUND,
      `no route answers ${c.req.method} ${c.req.path}`,
      {
        hint: 'GET /openapi.json lists the routes',
      },
    );
    return c.json(bodyOf(error), 404);
  });

  app.use('*', clientAddressing(options.trustedProxies ?? 0));
  const accessLog = options.accessLog;
  if (accessLog) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      const who = c.get('identity');
      const ms = (performance.now() - started).toFixed(1);
      accessLog(
        `${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms${who ? ` ${who.name} (${who.role})` : ''}`,
      );
    });
  }

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Ready: the database answers and the ledger's tables are migrated (the audit head exists).
  app.get('/readyz', async (c) => {
    try {
      await sql`select count from audit_head where id = 1`.execute(ledger.store.db);
      return c.json({ ok: true, database: ledger.store.description });
    } catch (error) {
      log(`readyz: ${error instanceof Error ? error.message : String(error)}`);
      return c.json(
        { ok: false, database: ledger.store.description, error: 'the database does not answer' },
        503,
      );
    }
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A token from `stagecraft token create`, or an OIDC token (a GitHub Actions job’s) from an issuer stagecraft.yaml trusts',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'stagecraft',
      version: '1',
      description:
        'The deployment ledger: artifacts promoted unchanged dev → staging → production, with who may deploy where enforced.',
    },
  });

  const limiter = options.limiter ?? new FailureLimiter();
  // Who is asking comes first: a body is not read for someone the server does not know, and a body it refuses
  // is audited with the identity that sent it.
  app.use('/v1/*', authenticate({ ledger, limiter, oidc: options.oidc }));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is not read: the connection cannot carry another request, and the client is
        // told so (RFC 9110 §15.5.14), or it would send its next request down a socket that is closing.
        c.header('Connection', 'close');
        return refuseRequest(
          c,
          413,
          `the request body is larger than ${MAX_BODY_BYTES} bytes`,
          'send less: a deploy step’s output is cut to its end before it is sent',
        );
      },
    }),
  );

  ledgerWriteRoutes(app, ledger);
  ledgerViewRoutes(app, ledger);
  tokenRoutes(app, ledger);
  checkRoutes(app, ledger);
  diffRoutes(app, ledger, options.diff);
  eventRoutes(app, ledger, { ...options.eventTiming, stopping: options.stopping, log });
  dashboardRoutes(app);
  options.extend?.(app);
  return app;
}
