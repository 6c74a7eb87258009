/**
 * A stand-in Kubernetes API server on 127.0.0.1 answering `GET /api/v1/namespaces/NS/secrets/NAME` as the real
 * one does, over TLS with a test CA (or plain HTTP), with bearer-token and client-certificate authentication,
 * per-identity grants in place of RBAC, and faults to inject. Sources, from the Kubernetes documentation:
 * - "API Conventions" (community/contributors/devel/sig-architecture/api-conventions.md), "HTTP Status codes"
 *   and "Response Status Kind": every failure is a `kind: Status` object with `status: Failure`, a `reason`,
 *   a `message`, `details` and the HTTP `code`.
 * - "Secrets" reference (core/v1 Secret): `data` holds base64-encoded values.
 * - "Authenticating" (bearer tokens: `Authorization: Bearer …`; X509 client certificates: the CN is the user)
 *   and "Using RBAC Authorization" (a refused request: 403 Forbidden, `User "…" cannot get resource …`).
 * - "API Priority and Fairness": a request shed under load gets 429 with a Retry-After header.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Fault {
  status: 429 | 500 | 503;
  retryAfter?: string;
}

export interface KubernetesSecretsApi {
  url: string;
  port: number;
  /** Secrets by `namespace/name`: plain values, stored base64-encoded as the API does. */
  secrets: Map<string, Record<string, string>>;
  /** Bearer tokens accepted, each with the user it authenticates ("system:serviceaccount:NS:NAME"). */
  tokens: Map<string, string>;
  /** Users allowed `get` on secrets, with the namespaces they may read (RBAC's effect, not its objects). */
  grants: Map<string, string[]>;
  /** Answers to give before any others, in order. */
  faults: Fault[];
  /** Each request: its path and whether it carried a token or a client certificate. */
  requests: { path: string; auth: 'token' | 'certificate' | 'none' }[];
}

/** A Status object (API Conventions, "Response Status Kind"). */
export function kubernetesStatus(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export async function startKubernetesSecretsApi(
  t: { after(fn: () => Promise<void> | void): void },
  tls?: { cert: Buffer; key: Buffer; ca: Buffer },
): Promise<KubernetesSecretsApi> {
  const api: Omit<KubernetesSecretsApi, 'url' | 'port'> = {
    secrets: new Map(),
    tokens: new Map(),
    grants: new Map(),
    faults: [],
    requests: [],
  };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const reply = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(code, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    // Authentication: a client certificate signed by the cluster CA names the user by its CN; else a token.
    const socket = request.socket as TLSSocket;
    const peer = tls && socket.authorized ? socket.getPeerCertificate() : undefined;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    api.requests.push({ path, auth: bearer ? 'token' : peer?.subject ? 'certificate' : 'none' });
    const fault = api.faults.shift();
    if (fault?.status === 429) {
      // API Priority and Fairness: 429 TooManyRequests with Retry-After.
      return reply(
        429,
        kubernetesStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', {
          retryAfterSeconds: Number(fault.retryAfter ?? '1'),
        }),
        { 'retry-after': fault.retryAfter ?? '1' },
      );
    }
    if (fault?.status === 503) {
      return reply(
        503,
        kubernetesStatus(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
    }
    if (fault?.status === 500) {
      return reply(
        500,
        kubernetesStatus(500, 'InternalError', 'Internal error occurred: etcdserver: leader changed'),
      );
    }
    const user = bearer ? api.tokens.get(bearer) : peer?.subject ? String(peer.subject.CN) : undefined;
    if (user === undefined) {
      // "Authenticating": a request with a token that is not valid (expired, unknown) gets 401.
      return reply(401, kubernetesStatus(401, 'Unauthorized', 'Unauthorized'));
    }
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
    if (!match || request.method !== 'GET') {
      return reply(
        404,
        kubernetesStatus(404, 'NotFound', 'the server could not find the requested resource'),
      );
    }
    const [, namespace = '', name = ''] = match;
    if (!(api.grants.get(user) ?? []).includes(namespace)) {
      // "Using RBAC Authorization": the refused verb, resource and namespace, and the user.
      return reply(
        403,
        kubernetesStatus(
          403,
          'Forbidden',
          `secrets "${name}" is forbidden: User "${user}" cannot get resource "secrets" in API group "" in the namespace "${namespace}"`,
          { name, kind: 'secrets' },
        ),
      );
    }
    const data = api.secrets.get(`${namespace}/${name}`);
    if (!data) {
      return reply(
        404,
        kubernetesStatus(404, 'NotFound', `secrets "${name}" not found`, { name, kind: 'secrets' }),
      );
    }
    reply(200, {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name, namespace, resourceVersion: '1' },
      type: 'Opaque',
      data: Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      ),
    });
  };
  const server = tls
    ? createHttpsServer(
        { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false },
        handle,
      )
    : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  const port = (server.address() as AddressInfo).port;
  return { ...api, url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port };
}
