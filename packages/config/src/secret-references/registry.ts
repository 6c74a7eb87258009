/**
 * The secret backends by name. Each is its own module, imported the first time a reference names it, so a
 * config with no references loads none.
 */
import { type SecretBackend, SecretError } from './backend.ts';
import { SecretCodes } from './errors.ts';
import { AVAILABLE_ADVICE, type SecretReference } from './reference.ts';

const LOADERS: Record<string, () => Promise<{ backend: SecretBackend }>> = {
  env: () => import('./backends/env.ts'),
  dotenv: () => import('./backends/dotenv.ts'),
  file: () => import('./backends/file.ts'),
  k8s: () => import('./backends/k8s.ts'),
  awssecrets: () => import('./backends/awssecrets.ts'),
  awsssm: () => import('./backends/awsssm.ts'),
  vault: () => import('./backends/vault.ts'),
  openbao: () => import('./backends/vault.ts'),
};

/**
 * Backends whose read depends on whether the reference has a pointer, not only on its path and parameters
 * (`ref+awsssm://a/b` reads one parameter, `ref+awsssm://a/b#/c` the parameters under a/b): the resolver
 * reads such a path once with and once without.
 */
export const POINTER_CHANGES_READ: ReadonlySet<string> = new Set(['awsssm']);

const loaded = new Map<string, Promise<SecretBackend>>();

export function loadBackend(reference: SecretReference): Promise<SecretBackend> {
  const load = LOADERS[reference.backend];
  if (!load) {
    return Promise.reject(
      new SecretError(
        SecretCodes.SECRET_BACKEND_UNAVAILABLE,
        `${reference.text}: the ${reference.backend} backend is not available in this version of stagecraft`,
        { hint: `read it through a backend that is: ${AVAILABLE_ADVICE}` },
      ),
    );
  }
  let backend = loaded.get(reference.backend);
  if (!backend) {
    backend = load().then((module) => module.backend);
    loaded.set(reference.backend, backend);
  }
  return backend;
}
