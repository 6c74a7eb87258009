/**
 * A secret backend reads what a reference's path names: one value (a string), or a document of keys (a
 * directory of mounted files, a JSON secret) that the reference's pointer selects from. Each backend is its
 * own module, imported the first time a reference names it, so a config with no references loads none.
 */
import { StagecraftError } from '../errors.ts';
import { SecretCodes } from './errors.ts';
import type { SecretReference } from './reference.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface BackendContext {
  /** The workspace root: relative file paths and `.env` are found from here. */
  root: string;
  environment: string;
  /** Whether stagecraft.yaml lets this environment read `.env` files. */
  dotenvAllowed: boolean;
  env: Env;
  /**
   * Absolute folders `ref+file://` may read under (stagecraft.yaml's `secrets.file.roots`); when absent,
   * `root` and the usual secret mount folders.
   */
  fileRoots?: readonly string[] | undefined;
}

export interface SecretBackend {
  /** Reads the path (one read per path and version per resolution; the resolver caches it). */
  read(reference: SecretReference, context: BackendContext): Promise<unknown>;
  /** Files and folders whose change means the value may have changed (mounted secrets). */
  watchPaths?(reference: SecretReference, context: BackendContext): string[];
}

/** A reference that cannot be resolved: the message names the reference, never a value. */
export class SecretError extends StagecraftError {}

const LOADERS: Record<string, () => Promise<{ backend: SecretBackend }>> = {
  env: () => import('./backends/env.ts'),
  dotenv: () => import('./backends/dotenv.ts'),
  file: () => import('./backends/file.ts'),
  k8s: () => import('./backends/k8s.ts'),
};

const loaded = new Map<string, Promise<SecretBackend>>();

export function loadBackend(reference: SecretReference): Promise<SecretBackend> {
  const load = LOADERS[reference.backend];
  if (!load) {
    return Promise.reject(
      new SecretError(
        SecretCodes.SECRET_BACKEND_UNAVAILABLE,
        `${reference.text}: the ${reference.backend} backend is not available in this version of stagecraft`,
        { hint: `available here: ${Object.keys(LOADERS).join(', ')}` },
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

/** Refuses parameters a backend does not take: a typo must not silently change what is read. */
export function checkParams(reference: SecretReference, allowed: readonly string[]): void {
  const unknown = Object.keys(reference.params).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    throw new SecretError(
      SecretCodes.SECRET_REFERENCE_INVALID,
      `${reference.text}: the ${reference.backend} backend takes no parameter ${unknown.map((k) => `"${k}"`).join(', ')}`,
      { hint: allowed.length ? `its parameters are ${allowed.join(', ')}` : 'remove the ?… part' },
    );
  }
}
