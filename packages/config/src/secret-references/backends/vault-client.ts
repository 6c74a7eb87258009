/**
 * Talking to HashiCorp Vault or OpenBao: the address, namespace, CA and token from the variables their own
 * CLIs read (OpenBao's `BAO_*` first, then `VAULT_*`, as `bao` does), a login once per process for the
 * machine login methods, and errors that tell not found from forbidden from unavailable, quoting the
 * store's own `errors` text and never a response body.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../backend.ts';
import { SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import { type HttpResponse, HttpUnavailable, sendWithRetries } from '../http.ts';
import type { SecretReference } from '../reference.ts';

export interface VaultSettings {
  /** `Vault` or `OpenBao`, for messages. */
  product: string;
  addr: string;
  namespace: string | undefined;
  ca: Buffer | undefined;
  insecure: boolean;
  /** A variable's value: `BAO_X` then `VAULT_X` for OpenBao, `VAULT_X` for Vault. */
  variable(name: string): string | undefined;
  /** How to write a variable's name in a hint. */
  named(name: string): string;
  env: Env;
}

export function vaultSettings(reference: SecretReference, env: Env): VaultSettings {
  const bao = reference.backend === 'openbao';
  const variable = (name: string) => {
    const value = (bao ? env[`BAO_${name}`] : undefined) ?? env[`VAULT_${name}`];
    return value === '' ? undefined : value;
  };
  const named = (name: string) => (bao ? `BAO_${name}` : `VAULT_${name}`);
  const caFile = variable('CACERT');
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      throw new SecretError(
        SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
        `${reference.text}: ${named('CACERT')} names ${caFile}, which cannot be read (${(error as NodeJS.ErrnoException).code})`,
        { hint: `point ${named('CACERT')} at the PEM file of the CA that signed the server's certificate` },
      );
    }
  }
  const skip = variable('SKIP_VERIFY');
  return {
    product: bao ? 'OpenBao' : 'Vault',
    // The CLIs' default address.
    addr: (variable('ADDR') ?? 'https://127.0.0.1:8200').replace(/\/+$/, ''),
    namespace: variable('NAMESPACE'),
    ca,
    insecure: skip !== undefined && !/^(0|false|no)$/i.test(skip),
    variable,
    named,
    env,
  };
}

export interface VaultAnswer {
  status: number;
  body: Record<string, unknown>;
  /** The store's `errors` list, joined and shortened: it names a problem, never a value. */
  errors: string;
}

/** One API call (`path` without /v1/), with bounded retries for 429, 503 and dropped connections. */
export async function callVault(
  settings: VaultSettings,
  reference: SecretReference,
  method: 'GET' | 'POST' | 'PUT' | 'LIST',
  path: string,
  options: { token?: string | undefined; body?: unknown } = {},
): Promise<VaultAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['x-vault-token'] = options.token;
  if (settings.namespace !== undefined) headers['x-vault-namespace'] = settings.namespace;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: HttpResponse;
  try {
    response = await sendWithRetries({
      method,
      url: `${settings.addr}/v1/${path}`,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
      insecure: settings.insecure,
    });
  } catch (error) {
    const code = error instanceof HttpUnavailable ? error.code : 'ENETWORK';
    throw new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${settings.product} at ${settings.addr} did not answer (${code})`,
      {
        hint: /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(code)
          ? `its certificate is not trusted: set ${settings.named('CACERT')} to the PEM file of the CA that signed it`
          : settings.variable('ADDR') === undefined
            ? `${settings.named('ADDR')} is not set, so the CLI's default address was tried: set it to your ${settings.product} server`
            : `check ${settings.named('ADDR')} and that ${settings.product} is reachable from here`,
      },
    );
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = response.body.trim() === '' ? {} : JSON.parse(response.body);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status says what happened.
  }
  const list = Array.isArray(body['errors']) ? body['errors'].filter((e) => typeof e === 'string') : [];
  const joined = list.join('; ');
  return {
    status: response.status,
    body,
    errors: joined.length > 300 ? `${joined.slice(0, 300)}…` : joined,
  };
}

/** The failures every call shares: throttled, sealed, a server error. Returns only for the caller to explain. */
export function throwUnavailable(
  settings: VaultSettings,
  reference: SecretReference,
  answer: VaultAnswer,
): void {
  const quoted = `${answer.status}${answer.errors ? `: ${answer.errors}` : ''}`;
  if (answer.status === 429) {
    throw new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${settings.product} is throttling requests (${quoted}), still after retries`,
      { hint: 'wait and try again; ask the operator about the rate-limit quota if it persists' },
    );
  }
  if (answer.status === 503) {
    const sealed = /sealed/i.test(answer.errors);
    throw new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${settings.product} ${sealed ? 'is sealed' : 'is not ready'} (${quoted}), still after retries`,
      {
        hint: sealed
          ? `${settings.product} must be unsealed by its operators before any secret can be read`
          : `check ${settings.product}'s health (sys/health) and try again`,
      },
    );
  }
  if (answer.status >= 500) {
    throw new SecretError(
      SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${settings.product} failed to answer (${quoted})`,
      { hint: `check ${settings.product}'s logs and health, then try again` },
    );
  }
}

/** A 403: the token is unknown or expired, or its policies do not allow `what`. Asks lookup-self to tell which. */
export async function throwForbidden(
  settings: VaultSettings,
  reference: SecretReference,
  answer: VaultAnswer,
  token: VaultToken,
  what: string,
): Promise<never> {
  const self = await callVault(settings, reference, 'GET', 'auth/token/lookup-self', { token: token.value });
  const quoted = `403${answer.errors ? `: ${answer.errors}` : ''}`;
  if (self.status === 403) {
    throw new SecretError(
      SecretCodes.SECRET_UNAUTHENTICATED,
      `${reference.text}: ${settings.product} refused the token from ${token.source} (${quoted}); the token is expired, revoked or unknown to this ${settings.product}${settings.namespace ? ` (namespace ${settings.namespace})` : ''}`,
      {
        hint: token.login
          ? "the login succeeded but its token no longer works: check the role's token TTL"
          : `log in again (\`${cliName(settings)} login\`) or set a current ${settings.named('TOKEN')}`,
      },
    );
  }
  const data = self.body['data'] as { policies?: unknown } | undefined;
  const policies = Array.isArray(data?.policies) ? data.policies.join(', ') : undefined;
  throw new SecretError(
    SecretCodes.SECRET_FORBIDDEN,
    `${reference.text}: ${settings.product} does not let the token from ${token.source} read ${what} (${quoted})`,
    {
      hint: `add a policy granting "read" on ${what} to the token${policies ? ` (its policies are ${policies})` : ''}`,
    },
  );
}

/** The store's CLI, for hints: `vault login` or `bao login`. */
export function cliName(settings: VaultSettings): string {
  return settings.product === 'OpenBao' ? 'bao' : 'vault';
}

/**
 * A token's own lifetime (docs/concepts/tokens): the leases read with it are its children and end when it
 * ends, so it is kept alive as long as they are (see vault-token.ts).
 */
export interface TokenLife {
  /** The TTL it was given (s), asked again at each renewal; 0 when it never expires (a root token). */
  ttl: number;
  /** When it ends (ms by the reading context's clock); Infinity when it never expires. */
  endsAt: number;
  renewable: boolean;
  /** It cannot be extended further: not renewable, its maximum TTL reached, or a renewal refused. */
  final: boolean;
  /** A renewal under way, shared by every lease of the token. */
  renewing: Promise<void> | undefined;
  /** Leases read with it and not yet revoked. */
  leases: number;
  /** Whether its coming end was reported already (a token the user gave: once). */
  warned: boolean;
}

export interface VaultToken {
  value: string;
  /** Where it came from, for messages: a variable's name, the token file, or a login. */
  source: string;
  login: boolean;
  /** Known from the login's response, or looked up (lookup-self) when a lease is first read with it. */
  life?: TokenLife | undefined;
  /** Refused as expired or revoked, or revoked by us: a login is made again for the next read. */
  dead?: boolean;
}

export function tokenLife(ttl: number, renewable: boolean, now: number): TokenLife {
  return {
    ttl,
    endsAt: ttl > 0 ? now + ttl * 1000 : Number.POSITIVE_INFINITY,
    renewable,
    final: ttl > 0 && !renewable,
    renewing: undefined,
    leases: 0,
    warned: false,
  };
}

/** Expired, revoked, or with less than a third of its TTL left: a login-based client logs in again. */
export function nearEnd(token: VaultToken, now: number): boolean {
  if (token.dead) return true;
  const life = token.life;
  return life !== undefined && life.ttl > 0 && life.endsAt - now < (life.ttl * 1000) / 3;
}

const logins = new Map<string, Promise<VaultToken>>();
/** Given tokens by store and value (hashed), so that what is known of a token's life is shared. */
const given = new Map<string, VaultToken>();

/**
 * The client token: a login by VAULT_AUTH_METHOD (once per process, and again when its token is near its
 * end), else VAULT_TOKEN, else ~/.vault-token — which are the user's and never replaced.
 */
export async function clientToken(
  settings: VaultSettings,
  reference: SecretReference,
  now: () => number = Date.now,
): Promise<VaultToken> {
  const method = settings.variable('AUTH_METHOD') ?? 'token';
  if (method === 'token') return staticToken(settings, reference);
  if (!['approle', 'kubernetes', 'jwt'].includes(method)) {
    throw new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: ${settings.named('AUTH_METHOD')} is "${method}", which is not a login method stagecraft knows`,
      { hint: 'use token, approle, kubernetes or jwt' },
    );
  }
  const mount = (settings.variable('AUTH_MOUNT') ?? method).replace(/^\/+|\/+$/g, '');
  // The credentials are part of the key, hashed: other credentials are another login, never the cached one.
  const credentials = ['ROLE', 'ROLE_ID', 'SECRET_ID', 'WRAPPED_SECRET_ID', 'JWT', 'JWT_FILE'].map(
    (name) => settings.variable(name) ?? '',
  );
  const digest = createHash('sha256').update(credentials.join('\0')).digest('hex');
  const key = [settings.addr, settings.namespace ?? '', method, mount, digest].join('\0');
  for (let attempt = 0; ; attempt++) {
    let login = logins.get(key);
    if (!login) {
      login = logIn(settings, reference, method, mount, now);
      logins.set(key, login);
      login.catch(() => logins.delete(key)); // a failed login is tried again by the next read
    }
    const token = await login;
    // Near its end: a fresh login, so that what is read now hangs under a token with its life ahead of it.
    if (attempt > 0 || !nearEnd(token, now())) return token;
    if (logins.get(key) === login) logins.delete(key);
  }
}

function staticToken(settings: VaultSettings, reference: SecretReference): VaultToken {
  const token = givenToken(settings, reference);
  const key = [settings.addr, settings.namespace ?? '', token.source, hashOf(token.value)].join('\0');
  const known = given.get(key);
  if (known) return known;
  given.set(key, token);
  return token;
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function givenToken(settings: VaultSettings, reference: SecretReference): VaultToken {
  const fromEnv = settings.variable('TOKEN');
  if (fromEnv !== undefined) {
    const name = settings.env[settings.named('TOKEN')] ? settings.named('TOKEN') : 'VAULT_TOKEN';
    return { value: fromEnv.trim(), source: name, login: false };
  }
  const file = join(settings.env['HOME'] ?? homedir(), '.vault-token');
  let value: string | undefined;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch {
    value = undefined;
  }
  if (!value) {
    throw new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: no ${settings.product} token: ${settings.named('TOKEN')} is not set and ~/.vault-token is absent or empty`,
      {
        hint: `set ${settings.named('TOKEN')}, run \`${cliName(settings)} login\`, or set ${settings.named('AUTH_METHOD')} to approle, kubernetes or jwt`,
      },
    );
  }
  return { value, source: '~/.vault-token', login: false };
}

/** Reads a required variable or a file it names, with a message saying which to set. */
function required(settings: VaultSettings, reference: SecretReference, name: string, why: string): string {
  const value = settings.variable(name);
  if (value === undefined) {
    throw new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: ${settings.named(name)} is not set, and ${why}`,
      { hint: `set ${settings.named(name)} where this runs` },
    );
  }
  return value;
}

function readJwt(settings: VaultSettings, reference: SecretReference, method: string): string {
  const inline = settings.variable('JWT');
  if (inline !== undefined) return inline.trim();
  const file =
    settings.variable('JWT_FILE') ??
    (method === 'kubernetes' ? '/var/run/secrets/kubernetes.io/serviceaccount/token' : undefined);
  if (file === undefined) {
    throw new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: the jwt login needs a token: set ${settings.named('JWT')} or ${settings.named('JWT_FILE')}`,
      {
        hint: "in CI, pass the job's OIDC ID token (e.g. GitLab's id_tokens) in a variable and name it there",
      },
    );
  }
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new SecretError(
      SecretCodes.SECRET_BACKEND_NOT_CONFIGURED,
      `${reference.text}: the ${method} login reads its JWT from ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code})`,
      {
        hint:
          method === 'kubernetes'
            ? `run in a pod with a service account token mounted, or set ${settings.named('JWT_FILE')}`
            : `set ${settings.named('JWT_FILE')} to a readable file or ${settings.named('JWT')}`,
      },
    );
  }
}

async function logIn(
  settings: VaultSettings,
  reference: SecretReference,
  method: string,
  mount: string,
  now: () => number,
): Promise<VaultToken> {
  let body: Record<string, string>;
  if (method === 'approle') {
    const roleId = required(settings, reference, 'ROLE_ID', 'the approle login needs it');
    const secretId =
      settings.variable('SECRET_ID') ??
      (settings.variable('WRAPPED_SECRET_ID') !== undefined
        ? await unwrapSecretId(settings, reference, mount)
        : undefined);
    body = { role_id: roleId, ...(secretId !== undefined ? { secret_id: secretId } : {}) };
  } else {
    const role = settings.variable('ROLE');
    if (role === undefined && method === 'kubernetes')
      required(settings, reference, 'ROLE', 'the kubernetes login needs the role');
    body = { jwt: readJwt(settings, reference, method), ...(role !== undefined ? { role } : {}) };
  }
  const answer = await callVault(settings, reference, 'POST', `auth/${mount}/login`, { body });
  throwUnavailable(settings, reference, answer);
  const auth = answer.body['auth'] as
    | { client_token?: unknown; lease_duration?: unknown; renewable?: unknown }
    | undefined;
  if (answer.status !== 200 || typeof auth?.client_token !== 'string') {
    throw new SecretError(
      answer.status === 404 ? SecretCodes.SECRET_BACKEND_NOT_CONFIGURED : SecretCodes.SECRET_UNAUTHENTICATED,
      `${reference.text}: the ${method} login at auth/${mount}/login was refused (${answer.status}${answer.errors ? `: ${answer.errors}` : ''})`,
      {
        hint:
          answer.status === 404
            ? `no ${method} auth method is enabled at auth/${mount}: set ${settings.named('AUTH_MOUNT')} to where it is`
            : method === 'approle'
              ? `check ${settings.named('ROLE_ID')} and the secret id (it may be expired or used up)`
              : `check ${settings.named('ROLE')} and that the role is bound to this token's subject and audience`,
      },
    );
  }
  return {
    value: auth.client_token,
    source: `the ${method} login`,
    login: true,
    // The login response says the token's TTL (auth.lease_duration) and whether it renews.
    life: tokenLife(Number(auth.lease_duration ?? 0), auth.renewable === true, now()),
  };
}

/**
 * A response-wrapped AppRole secret id (the trusted-orchestrator pattern): the wrapping token is looked up
 * first, and refused unless it was created by a secret-id endpoint of this AppRole mount (of VAULT_ROLE when
 * set) — a token from anywhere else may be an attacker's substitute. Then it is unwrapped, which uses it up:
 * a second unwrap failing means someone else unwrapped it first, and the secret id must be treated as leaked.
 */
async function unwrapSecretId(
  settings: VaultSettings,
  reference: SecretReference,
  mount: string,
): Promise<string> {
  const wrapping = required(settings, reference, 'WRAPPED_SECRET_ID', 'the approle login needs it').trim();
  const lookup = await callVault(settings, reference, 'POST', 'sys/wrapping/lookup', {
    body: { token: wrapping },
  });
  throwUnavailable(settings, reference, lookup);
  const name = settings.named('WRAPPED_SECRET_ID');
  if (lookup.status !== 200) {
    throw new SecretError(
      SecretCodes.SECRET_FORBIDDEN,
      `${reference.text}: the wrapping token in ${name} is not valid (${lookup.status}${lookup.errors ? `: ${lookup.errors}` : ''}): it expired or was already unwrapped`,
      {
        hint: 'if nothing of yours unwrapped it, treat the secret id as leaked: revoke it and issue a new one',
      },
    );
  }
  const creationPath = String(
    (lookup.body['data'] as { creation_path?: unknown } | undefined)?.creation_path ?? '',
  );
  const role = settings.variable('ROLE');
  const expected = new RegExp(
    `^auth/${escapeRegExp(mount)}/role/${role !== undefined ? escapeRegExp(role) : '[^/]+'}/secret-id$`,
  );
  if (!expected.test(creationPath)) {
    throw new SecretError(
      SecretCodes.SECRET_FORBIDDEN,
      `${reference.text}: the wrapping token in ${name} was created by ${creationPath || 'an unknown path'}, not by auth/${mount}/role/${role ?? 'ROLE'}/secret-id; it is not unwrapped`,
      { hint: 'a wrapping token from another path may have been substituted: issue a new wrapped secret id' },
    );
  }
  const unwrap = await callVault(settings, reference, 'POST', 'sys/wrapping/unwrap', { token: wrapping });
  throwUnavailable(settings, reference, unwrap);
  const secretId = (unwrap.body['data'] as { secret_id?: unknown } | undefined)?.secret_id;
  if (unwrap.status !== 200 || typeof secretId !== 'string') {
    throw new SecretError(
      SecretCodes.SECRET_FORBIDDEN,
      `${reference.text}: unwrapping the token in ${name} failed (${unwrap.status}${unwrap.errors ? `: ${unwrap.errors}` : ''})`,
      { hint: 'a wrapping token unwraps once: if nothing of yours used it, treat the secret id as leaked' },
    );
  }
  return secretId;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
