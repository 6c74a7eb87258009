/**
 * A small HashiCorp Vault / OpenBao on 127.0.0.1 for tests: the HTTP API's paths, headers, JSON bodies and
 * error shape for the parts stagecraft uses, with fault injection. Each route cites the documentation it
 * follows (https://developer.hashicorp.com/vault/api-docs/…; OpenBao's openbao.org/api-docs pages are the
 * same). Tokens, role ids and secret ids are generated per test, never written down.
 *
 * Overview (api-docs/index): every route is under /v1/, the token in X-Vault-Token, the namespace in
 * X-Vault-Namespace, JSON request and response bodies, and an error is `{"errors": [...]}` with its status:
 * 400 invalid request, 403 forbidden (a bad or expired token, or a policy), 404 invalid path, 429 rate limit
 * exceeded, 500 internal error, 503 sealed or down for maintenance.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface VaultTokenInfo {
  /** Path prefixes the token may read (its "policy"); `*` for all. */
  paths: string[];
  policies: string[];
  /** A namespace the token lives in (tokens are namespaced); undefined for the root namespace. */
  namespace?: string;
  /** Its TTL in seconds as created (0: it never expires, like a root token), and its maximum TTL. */
  ttl?: number;
  maxTtl?: number;
  renewable?: boolean;
  /** When it ends and when it can no longer be renewed past (ms by the server's clock); set when issued. */
  endsAt?: number;
  maxEnd?: number;
}

/** What a login issues (docs/concepts/tokens#the-token-lifecycle: a TTL, a maximum TTL, renewable or not). */
export interface VaultLoginTokens {
  ttl: number;
  maxTtl: number;
  renewable: boolean;
}

export interface VaultRequestSeen {
  method: string;
  path: string;
  namespace: string | undefined;
  hadToken: boolean;
}

export interface FakeVault {
  url: string;
  /** Tokens known to the server; add one with `issueToken`. */
  tokens: Map<string, VaultTokenInfo>;
  issueToken(info?: Partial<VaultTokenInfo>): string;
  /**
   * Expires (revokes) a token: it then answers 403 "permission denied", as Vault does for an unknown token,
   * and the leases created with it are revoked with it (docs/concepts/tokens#token-hierarchies-and-orphan-tokens,
   * docs/concepts/lease#revocation).
   */
  expire(token: string): void;
  /** Expires every token whose TTL has run out by the server's clock (each request does this first). */
  sweep(): void;
  /** The TTL, maximum TTL and renewability of the tokens logins issue (default 1 h, 24 h, renewable). */
  loginTokens: VaultLoginTokens;
  /** Tokens renewed with auth/token/renew-self, and revoked with auth/token/revoke-self, in order. */
  renewedSelf: string[];
  revokedSelf: string[];
  /** `secret/` (KV v2) and `kv/` (KV v1) exist; mount another (in a namespace with `ns/path/`). */
  mount(path: string, version: 1 | 2, namespace?: string): void;
  /** Writes a secret as `vault kv put` would (a new version on KV v2). */
  put(path: string, data: Record<string, unknown>, namespace?: string): void;
  /** Marks the newest version of a KV v2 secret deleted (soft delete). */
  deleteLatest(path: string, namespace?: string): void;
  approle: { roleName: string; roleId: string; secretId: string; mount: string };
  kubernetes: { role: string; jwt: string };
  jwt: { role: string; jwt: string };
  /** A wrapping token holding a fresh secret id of the AppRole, created at `creationPath` (by default the role's secret-id path). */
  wrapSecretId(creationPath?: string): string;
  /** The token issued by the last login. */
  lastLogin: string | undefined;
  logins: number;
  sealed: boolean;
  /** The next `count` requests answer 429 with this Retry-After (seconds). */
  throttle(count: number, retryAfter: string): void;
  seen: VaultRequestSeen[];
  /** database/creds/ROLE leases: their TTL and maximum TTL (seconds), and what happened to each. */
  database: { ttl: number; maxTtl: number };
  leases: Map<
    string,
    { username: string; renewals: number; revoked: boolean; maxEnd: number; token: string }
  >;
  /** The server's clock (ms), which tests may move: leases end by it. */
  now: () => number;
  stop(): Promise<void>;
}

interface KvSecret {
  versions: { data: Record<string, unknown> | null; created: string; deleted: string }[];
}

/** `tls`: serve https with this key and certificate (PEM) instead of plain http. */
export async function startFakeVault(
  t: { after(fn: () => Promise<void>): void },
  options: { tls?: { key: string; cert: string } } = {},
): Promise<FakeVault> {
  const mounts = new Map<string, 1 | 2>([
    ['/secret/', 2],
    ['/kv/', 1],
  ]);
  const kv = new Map<string, KvSecret>();
  const wraps = new Map<string, { creationPath: string; data: Record<string, unknown>; created: string }>();
  let throttled = 0;
  let retryAfter = '1';
  const approle = {
    roleName: 'shop',
    roleId: randomUUID(),
    secretId: randomUUID(),
    mount: 'approle',
  };
  const secretIds = new Set<string>([approle.secretId]);
  const fake: FakeVault = {
    url: '',
    tokens: new Map(),
    issueToken(info = {}) {
      const token = `hvs.${randomUUID().replace(/-/g, '')}`;
      const ttl = info.ttl ?? 0;
      const now = fake.now();
      fake.tokens.set(token, {
        paths: ['*'],
        policies: ['default'],
        ...info,
        ttl,
        maxTtl: info.maxTtl ?? ttl,
        renewable: info.renewable ?? ttl > 0,
        ...(ttl > 0 ? { endsAt: now + ttl * 1000, maxEnd: now + (info.maxTtl ?? ttl) * 1000 } : {}),
      });
      return token;
    },
    expire(token) {
      fake.tokens.delete(token);
      for (const lease of fake.leases.values()) if (lease.token === token) lease.revoked = true;
    },
    sweep() {
      for (const [token, info] of fake.tokens) {
        if (info.endsAt !== undefined && info.endsAt <= fake.now()) fake.expire(token);
      }
    },
    loginTokens: { ttl: 3600, maxTtl: 86400, renewable: true },
    renewedSelf: [],
    revokedSelf: [],
    mount(path, version, namespace) {
      mounts.set(`${namespace ?? ''}/${path.replace(/\/?$/, '/')}`, version);
    },
    put(path, data, namespace) {
      const key = `${namespace ?? ''}/${path}`;
      const secret = kv.get(key) ?? { versions: [] };
      const mount = mountFor(key);
      const entry = { data, created: new Date().toISOString(), deleted: '' };
      if (mount?.version === 1) secret.versions = [entry];
      else secret.versions.push(entry);
      kv.set(key, secret);
    },
    deleteLatest(path, namespace) {
      const latest = kv.get(`${namespace ?? ''}/${path}`)?.versions.at(-1);
      if (latest) latest.deleted = new Date().toISOString();
    },
    approle,
    kubernetes: { role: 'shop', jwt: `k8s.${randomUUID()}` },
    jwt: { role: 'ci', jwt: `oidc.${randomUUID()}` },
    wrapSecretId(creationPath = `auth/${approle.mount}/role/${approle.roleName}/secret-id`) {
      const secretId = randomUUID();
      secretIds.add(secretId);
      const token = `hvs.${randomUUID().replace(/-/g, '')}`;
      wraps.set(token, {
        creationPath,
        data: { secret_id: secretId, secret_id_accessor: randomUUID(), secret_id_ttl: 600 },
        created: new Date().toISOString(),
      });
      return token;
    },
    lastLogin: undefined,
    logins: 0,
    sealed: false,
    throttle(count, after) {
      throttled = count;
      retryAfter = after;
    },
    seen: [],
    database: { ttl: 60, maxTtl: 150 },
    leases: new Map(),
    now: () => Date.now(),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  /** The mount a namespaced key (`ns/path`) falls under: the longest mount prefix. */
  function mountFor(key: string): { path: string; version: 1 | 2 } | undefined {
    let best: { path: string; version: 1 | 2 } | undefined;
    for (const [path, version] of mounts) {
      if (`${key}/`.startsWith(path) && (!best || path.length > best.path.length)) best = { path, version };
    }
    return best;
  }

  function send(
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
  const fail = (res: ServerResponse, status: number, ...errors: string[]) => send(res, status, { errors });
  const envelope = (extra: Record<string, unknown>) => ({
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: null,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  });

  function login(res: ServerResponse, ok: boolean, policies: string[]): void {
    if (!ok) {
      fail(res, 400, 'invalid role or secret ID');
      return;
    }
    // Auth method login responses (e.g. api-docs/auth/approle#login-with-approle): the token is auth.client_token.
    const { ttl, maxTtl, renewable } = fake.loginTokens;
    const token = fake.issueToken({ policies, ttl, maxTtl, renewable });
    fake.lastLogin = token;
    fake.logins++;
    send(
      res,
      200,
      envelope({
        auth: {
          client_token: token,
          accessor: randomUUID(),
          policies,
          lease_duration: ttl,
          renewable,
        },
      }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return fail(res, 400, 'failed to parse JSON input');
    }
    const namespaceHeader = req.headers['x-vault-namespace'];
    const namespace =
      typeof namespaceHeader === 'string' ? namespaceHeader.replace(/^\/|\/$/g, '') : undefined;
    const token = req.headers['x-vault-token'];
    const path = url.pathname.replace(/^\/v1\//, '');
    fake.seen.push({ method: req.method ?? '', path, namespace, hadToken: typeof token === 'string' });
    const method = req.method ?? 'GET';

    fake.sweep();
    // Rate limit quotas (docs/concepts/resource-quotas): 429 with Retry-After.
    if (throttled > 0) {
      throttled--;
      return send(
        res,
        429,
        { errors: ['request path "' + path + '": rate limit quota exceeded'] },
        { 'retry-after': retryAfter },
      );
    }
    // api-docs/index#http-status-codes: 503 while sealed; the message is Vault's own.
    if (fake.sealed) return fail(res, 503, 'Vault is sealed');

    // api-docs/auth/approle#login-with-approle — POST /auth/approle/login {role_id, secret_id}.
    if (method === 'POST' && path === `auth/${approle.mount}/login`) {
      const ok = body['role_id'] === approle.roleId && secretIds.has(String(body['secret_id']));
      return login(res, ok, ['shop-read']);
    }
    // api-docs/auth/kubernetes#login — POST /auth/kubernetes/login {role, jwt}.
    if (method === 'POST' && path === 'auth/kubernetes/login') {
      return login(res, body['role'] === fake.kubernetes.role && body['jwt'] === fake.kubernetes.jwt, [
        'shop-read',
      ]);
    }
    // api-docs/auth/jwt#jwt-login — POST /auth/jwt/login {role, jwt}; role may be omitted for default_role.
    if (method === 'POST' && path === 'auth/jwt/login') {
      const role = body['role'] ?? fake.jwt.role;
      return login(res, role === fake.jwt.role && body['jwt'] === fake.jwt.jwt, ['ci-read']);
    }
    if (path.startsWith('auth/') && path.endsWith('/login'))
      return fail(res, 404, `no handler for route "${path}". route entry not found.`);

    // api-docs/system/wrapping-lookup — POST /sys/wrapping/lookup {token}; unauthenticated.
    if (method === 'POST' && path === 'sys/wrapping/lookup') {
      const wrap = wraps.get(String(body['token']));
      if (!wrap) return fail(res, 400, 'wrapping token is not valid or does not exist');
      return send(
        res,
        200,
        envelope({
          data: { creation_path: wrap.creationPath, creation_time: wrap.created, creation_ttl: 300 },
        }),
      );
    }
    // api-docs/system/wrapping-unwrap — POST /sys/wrapping/unwrap with the wrapping token as X-Vault-Token
    // (or another token and {token}); single use: the wrapping token is revoked by the unwrap.
    if (method === 'POST' && path === 'sys/wrapping/unwrap') {
      const id = typeof body['token'] === 'string' ? body['token'] : String(token);
      const wrap = wraps.get(id);
      if (!wrap) return fail(res, 400, 'wrapping token is not valid or does not exist');
      wraps.delete(id);
      return send(res, 200, envelope({ data: wrap.data }));
    }

    // Everything below needs a valid token; an unknown or expired one is 403 "permission denied".
    const info = typeof token === 'string' ? fake.tokens.get(token) : undefined;
    if (!info || (info.namespace ?? undefined) !== (namespace || undefined))
      return fail(res, 403, 'permission denied');

    // api-docs/auth/token#lookup-a-token-self — GET /auth/token/lookup-self: data.ttl is what is left (s),
    // 0 for a token that never expires; creation_ttl the TTL it was given; renewable; expire_time.
    if (method === 'GET' && path === 'auth/token/lookup-self') {
      const left = info.endsAt !== undefined ? Math.floor((info.endsAt - fake.now()) / 1000) : 0;
      return send(
        res,
        200,
        envelope({
          data: {
            policies: info.policies,
            ttl: left,
            creation_ttl: info.ttl ?? 0,
            explicit_max_ttl: 0,
            renewable: info.renewable ?? false,
            expire_time: info.endsAt !== undefined ? new Date(info.endsAt).toISOString() : null,
          },
        }),
      );
    }
    // api-docs/auth/token#renew-a-token-self — POST (or PUT) /auth/token/renew-self {increment}: the TTL
    // granted in auth.lease_duration, capped by the maximum TTL (with a warning saying so); a token that is
    // not renewable is refused with 400.
    if ((method === 'POST' || method === 'PUT') && path === 'auth/token/renew-self') {
      if (!info.renewable || info.endsAt === undefined || info.maxEnd === undefined)
        return fail(res, 400, 'lease is not renewable');
      const asked = Number(body['increment'] ?? info.ttl);
      const cap = Math.floor((info.maxEnd - fake.now()) / 1000);
      const granted = Math.max(0, Math.min(asked, cap));
      info.endsAt = fake.now() + granted * 1000;
      fake.renewedSelf.push(String(token));
      return send(
        res,
        200,
        envelope({
          warnings:
            granted < asked
              ? [
                  `TTL of "${asked}s" exceeded the effective max_ttl of "${granted}s"; TTL value is capped accordingly`,
                ]
              : null,
          auth: {
            client_token: token,
            accessor: randomUUID(),
            policies: info.policies,
            lease_duration: granted,
            renewable: true,
          },
        }),
      );
    }
    // api-docs/auth/token#revoke-a-token-self — POST /auth/token/revoke-self: 204; the token's leases go
    // with it (docs/concepts/tokens#token-hierarchies-and-orphan-tokens).
    if ((method === 'POST' || method === 'PUT') && path === 'auth/token/revoke-self') {
      fake.revokedSelf.push(String(token));
      fake.expire(String(token));
      return send(res, 204);
    }
    // api-docs/secret/databases#generate-credentials — GET /database/creds/:name: a new username and
    // password under a lease (lease_id, lease_duration, renewable).
    const creds = /^database\/creds\/([^/]+)$/.exec(path);
    if (method === 'GET' && creds) {
      const id = `database/creds/${creds[1]}/${randomUUID()}`;
      const username = `v-${creds[1]}-${randomUUID().slice(0, 8)}`;
      fake.leases.set(id, {
        username,
        renewals: 0,
        revoked: false,
        maxEnd: fake.now() + fake.database.maxTtl * 1000,
        token: String(token),
      });
      return send(
        res,
        200,
        envelope({
          lease_id: id,
          lease_duration: fake.database.ttl,
          renewable: true,
          data: { username, password: randomUUID() },
        }),
      );
    }
    // api-docs/system/leases#renew-lease — PUT /sys/leases/renew {lease_id, increment}: the TTL granted,
    // capped by the maximum TTL; 400 for a lease that is unknown, revoked or over.
    if (method === 'PUT' && path === 'sys/leases/renew') {
      const lease = fake.leases.get(String(body['lease_id']));
      if (!lease || lease.revoked || lease.maxEnd <= fake.now()) return fail(res, 400, 'lease not found');
      lease.renewals++;
      const granted = Math.min(
        Number(body['increment'] ?? fake.database.ttl),
        Math.floor((lease.maxEnd - fake.now()) / 1000),
      );
      return send(
        res,
        200,
        envelope({ lease_id: body['lease_id'], renewable: true, lease_duration: granted }),
      );
    }
    // api-docs/system/leases#revoke-lease — PUT /sys/leases/revoke {lease_id}: 204 No Content.
    if (method === 'PUT' && path === 'sys/leases/revoke') {
      const lease = fake.leases.get(String(body['lease_id']));
      if (lease) lease.revoked = true;
      return send(res, 204);
    }
    const ns = namespace ?? '';
    const allowed = (p: string) => info.paths.some((prefix) => prefix === '*' || p.startsWith(prefix));

    // api-docs/system/internal-ui-mounts#get-single-mount-details — GET /sys/internal/ui/mounts/:path:
    // {data: {path, type, options: {version}}}; 400 when no mount matches the path.
    if (method === 'GET' && path.startsWith('sys/internal/ui/mounts/')) {
      const target = path.slice('sys/internal/ui/mounts/'.length);
      const mount = mountFor(`${ns}/${decodeURIComponent(target)}`);
      if (!mount) return fail(res, 400, `no mount found for path "${target}"`);
      const mountPath = mount.path.slice(ns.length + 1);
      // Allowed when the token has any capability under the mount.
      if (!info.paths.some((p) => p === '*' || p.startsWith(mountPath) || mountPath.startsWith(p)))
        return fail(res, 403, 'permission denied');
      return send(
        res,
        200,
        envelope({
          data: { path: mountPath, type: 'kv', options: { version: String(mount.version) }, description: '' },
        }),
      );
    }

    const key = `${ns}/${decodeURIComponent(path)}`;
    const mount = mountFor(key);
    if (!mount) return fail(res, 404, `no handler for route "${path}". route entry not found.`);
    if (!allowed(decodeURIComponent(path))) return fail(res, 403, 'permission denied');
    const inner = key.slice(mount.path.length);

    if (mount.version === 2) {
      // api-docs/secret/kv/kv-v2#read-secret-version — GET /:mount/data/:path[?version=N]: data.data and
      // data.metadata; 404 with {"errors": []} when absent; a deleted version is 404 with its metadata.
      if (!inner.startsWith('data/'))
        return fail(
          res,
          404,
          "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
        );
      const secretKey = mount.path + inner.slice('data/'.length);
      if (method === 'GET') {
        const secret = kv.get(secretKey.replace(/\/$/, ''));
        const asked = url.searchParams.get('version');
        const index = asked ? Number(asked) - 1 : (secret?.versions.length ?? 0) - 1;
        const version = secret?.versions[index];
        if (!version) return send(res, 404, { errors: [] });
        const metadata = {
          created_time: version.created,
          deletion_time: version.deleted,
          destroyed: false,
          version: index + 1,
        };
        if (version.deleted) return send(res, 404, envelope({ data: { data: null, metadata } }));
        return send(res, 200, envelope({ data: { data: version.data, metadata } }));
      }
      // api-docs/secret/kv/kv-v2#create-update-secret — POST/PUT /:mount/data/:path {data}.
      if (method === 'POST' || method === 'PUT') {
        fake.put(secretKey.slice(ns.length + 1), (body['data'] ?? {}) as Record<string, unknown>, namespace);
        const versions = kv.get(secretKey)?.versions.length ?? 1;
        return send(
          res,
          200,
          envelope({ data: { created_time: new Date().toISOString(), version: versions } }),
        );
      }
    } else {
      // api-docs/secret/kv/kv-v1#read-secret — GET /:mount/:path: the pairs in data; 404 {"errors": []} when absent.
      if (method === 'GET') {
        const version = kv.get(key)?.versions[0];
        if (!version?.data) return send(res, 404, { errors: [] });
        return send(res, 200, envelope({ data: version.data, lease_duration: 2764800 }));
      }
      // api-docs/secret/kv/kv-v1#create-update-secret — POST/PUT /:mount/:path: 204 No Content.
      if (method === 'POST' || method === 'PUT') {
        fake.put(key.slice(ns.length + 1), body, namespace);
        return send(res, 204);
      }
    }
    return fail(res, 405, 'unsupported operation');
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: Error) => fail(res, 500, error.message));
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(() => fake.stop());
  return fake;
}
