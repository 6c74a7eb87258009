/**
 * `ref+k8s://SECRET[/KEY]`: a Kubernetes Secret mounted into the pod as a volume, one file per key, under a
 * mount root: `?root=`, else STAGECRAFT_K8S_SECRETS_ROOT, else /var/run/secrets/stagecraft. So
 * `ref+k8s://shop-db/password` reads /var/run/secrets/stagecraft/shop-db/password, through the `..data` link
 * Kubernetes swaps on update; links may not lead out of the Secret's folder.
 *
 * `ref+k8s://v1/Secret/NAMESPACE/NAME[/KEY]` reads the Secret through the Kubernetes API instead (k8s-api.ts,
 * loaded only for that form).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendContext, checkParams, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';
import { readMounted } from './file.ts';

/** vals' API form starts with the apiVersion and kind; a mounted Secret's path has at most two segments. */
function isApiForm(reference: SecretReference): boolean {
  return /^v1\/Secret(\/|$)/.test(reference.path);
}

export const DEFAULT_MOUNT_ROOT = '/var/run/secrets/stagecraft';

function locate(reference: SecretReference, context: BackendContext) {
  checkParams(reference, ['root']);
  const segments = reference.path.split('/').filter(Boolean);
  const name = segments[0];
  if (name === undefined || segments.length > 2 || segments.includes('..')) {
    throw new SecretError(
      SecretCodes.SECRET_REFERENCE_INVALID,
      `${reference.text}: expected ref+k8s://SECRET or ref+k8s://SECRET/KEY`,
      {
        hint: 'name the mounted Secret, then optionally one key: ref+k8s://shop-db/password',
      },
    );
  }
  const root = reference.params['root'] ?? context.env['STAGECRAFT_K8S_SECRETS_ROOT'] ?? DEFAULT_MOUNT_ROOT;
  return { root, name, dir: join(root, name), path: join(root, ...segments) };
}

export const backend: SecretBackend = {
  read(reference, context) {
    if (isApiForm(reference))
      return import('./k8s-api.ts').then((api) => api.readFromApi(reference, context));
    const { root, name, dir, path } = locate(reference, context);
    const hint = existsSync(dir)
      ? `the Secret ${name} mounted at ${dir} has no such key: check the key name`
      : `mount the Kubernetes Secret ${name} as a volume at ${dir} (or set STAGECRAFT_K8S_SECRETS_ROOT; the mount root is ${root})`;
    return Promise.resolve(readMounted(reference, path, dir, hint));
  },
  watchPaths(reference, context) {
    if (isApiForm(reference)) return [];
    return [locate(reference, context).dir];
  },
};
