/**
 * `ref+vault://PATH[?version=N][#/key]` and `ref+openbao://…`: a secret read over the HTTP API of HashiCorp
 * Vault or OpenBao. A KV mount's version is asked once per mount (as the CLI does, through
 * sys/internal/ui/mounts/PATH): on KV v2 `secret/shop/db` reads `secret/data/shop/db` and its `data.data`, on
 * KV v1 (or any other engine) the path itself and its `data`. The pointer selects a key of what was read.
 */

import { type BackendContext, checkParams, leased, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';
import {
  callVault,
  clientToken,
  throwForbidden,
  throwUnavailable,
  type VaultSettings,
  type VaultToken,
  vaultSettings,
} from './vault-client.ts';
import { vaultLease } from './vault-lease.ts';

interface Mount {
  /** The mount's path with its trailing slash, e.g. `secret/`. */
  path: string;
  kv: 1 | 2;
}

/** Per address and namespace, the mounts seen: each mount's version is asked once per process. */
const mounts = new Map<string, Promise<Mount>>();

async function mountOf(
  settings: VaultSettings,
  reference: SecretReference,
  path: string,
  token: VaultToken,
): Promise<Mount> {
  const prefix = `${settings.addr}\0${settings.namespace ?? ''}\0`;
  for (const [key, mount] of mounts) {
    if (key.startsWith(prefix) && path.startsWith(key.slice(prefix.length))) return mount;
  }
  const answer = await callVault(settings, reference, 'GET', `sys/internal/ui/mounts/${encodePath(path)}`, {
    token: token.value,
  });
  throwUnavailable(settings, reference, answer);
  const data = answer.body['data'] as
    | { path?: unknown; type?: unknown; options?: { version?: unknown } }
    | undefined;
  if (answer.status === 403) await throwForbidden(settings, reference, answer, token, path);
  if (answer.status !== 200 || typeof data?.path !== 'string' || data.path === '') {
    // No mount answers for this path (an old server, or a path outside any secrets engine): read it as is.
    return { path: '', kv: 1 };
  }
  const version = data.type === 'kv' && String(data.options?.version ?? '1') === '2' ? 2 : 1;
  const mount: Mount = { path: data.path.endsWith('/') ? data.path : `${data.path}/`, kv: version };
  mounts.set(prefix + mount.path, Promise.resolve(mount));
  return mount;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export const backend: SecretBackend = {
  async read(reference, context) {
    checkParams(reference, ['version']);
    const path = reference.path.replace(/^\/+|\/+$/g, '');
    if (path === '' || path.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new SecretError(
        SecretCodes.SECRET_REFERENCE_INVALID,
        `${reference.text}: "${reference.path}" is not a secret path`,
        {
          hint: `name the mount and the secret, e.g. ref+${reference.backend}://secret/shop/db#/password`,
        },
      );
    }
    const version = reference.params['version'];
    if (version !== undefined && !/^[1-9]\d*$/.test(version)) {
      throw new SecretError(
        SecretCodes.SECRET_REFERENCE_INVALID,
        `${reference.text}: version "${version}" is not a version number`,
        {
          hint: 'KV v2 versions are numbered from 1; leave ?version out for the current one',
        },
      );
    }
    const settings = vaultSettings(reference, context.env);
    const now = context.now ?? Date.now;
    const token = await clientToken(settings, reference, now);
    try {
      return await readWith(settings, reference, context, path, version, token);
    } catch (error) {
      // A login's token expired or was revoked under us (403, and lookup-self refused too): log in once more
      // and retry once. A token the user gave is never replaced: its error says to log in again.
      if (
        !token.login ||
        !(error instanceof SecretError) ||
        error.code !== SecretCodes.SECRET_UNAUTHENTICATED
      )
        throw error;
      token.dead = true;
      const fresh = await clientToken(settings, reference, now);
      return readWith(settings, reference, context, path, version, fresh);
    }
  },
};

async function readWith(
  settings: VaultSettings,
  reference: SecretReference,
  context: BackendContext,
  path: string,
  version: string | undefined,
  token: VaultToken,
): Promise<unknown> {
  const mount = await mountOf(settings, reference, `${path}/`, token);
  if (version !== undefined && mount.kv !== 2) {
    throw new SecretError(
      SecretCodes.SECRET_REFERENCE_INVALID,
      `${reference.text}: ?version is for KV version 2, and ${mount.path || path} is not a KV v2 mount`,
      { hint: 'remove ?version: this engine keeps one value per path' },
    );
  }
  const apiPath = mount.kv === 2 ? `${mount.path}data/${path.slice(mount.path.length)}` : path;
  const answer = await callVault(
    settings,
    reference,
    'GET',
    `${encodePath(apiPath)}${version !== undefined ? `?version=${version}` : ''}`,
    { token: token.value },
  );
  throwUnavailable(settings, reference, answer);
  if (answer.status === 403) await throwForbidden(settings, reference, answer, token, apiPath);
  const quoted = `${answer.status}${answer.errors ? `: ${answer.errors}` : ''}`;
  if (answer.status === 404) {
    throw new SecretError(
      SecretCodes.SECRET_NOT_FOUND,
      `${reference.text}: ${settings.product} has no secret at ${apiPath}${mount.kv === 2 ? ` (KV v2: the data of ${path} is read under ${mount.path}data/)` : ''}${version !== undefined ? ` in version ${version}` : ''} (${quoted})`,
      {
        hint:
          version !== undefined
            ? `check the versions there are with \`vault kv metadata get ${path}\`; a deleted or destroyed version reads as missing`
            : `write it with \`vault kv put ${path} …\`, or correct the path`,
      },
    );
  }
  if (answer.status !== 200) {
    throw new SecretError(
      SecretCodes.SECRET_READ_FAILED,
      `${reference.text}: ${settings.product} did not return ${apiPath} (${quoted})`,
      {
        hint: 'check the path names a secret that can be read with GET',
      },
    );
  }
  const data = answer.body['data'] as Record<string, unknown> | null | undefined;
  const value = mount.kv === 2 ? (data?.['data'] as unknown) : data;
  if (value === null || value === undefined) {
    throw new SecretError(
      SecretCodes.SECRET_NOT_FOUND,
      `${reference.text}: ${apiPath}${version !== undefined ? ` version ${version}` : ''} has no data: it was deleted or destroyed`,
      { hint: 'undelete it, write a new version, or read another ?version' },
    );
  }
  const leaseId = answer.body['lease_id'];
  if (mount.kv !== 2 && typeof leaseId === 'string' && leaseId !== '') {
    return leased(value, await vaultLease(settings, reference, token, answer.body, context.now ?? Date.now));
  }
  return value;
}
