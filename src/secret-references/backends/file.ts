/**
 * `ref+file://PATH[#/key]`: a file, or a directory holding one file per key as Kubernetes and Docker mount
 * secrets (`ref+file:///var/run/secrets/db#/password`). A relative path is relative to the workspace root.
 * Kubernetes swaps a mounted directory's `..data` link atomically on update, so each key is read through its
 * link at read time and the directory, not a file, is watched.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readSecretFile } from '../../config/layers.ts';
import { type BackendContext, checkParams, type SecretBackend, SecretError } from '../backend.ts';
import type { SecretReference } from '../reference.ts';

export function filePath(reference: SecretReference, context: BackendContext): string {
  return isAbsolute(reference.path) ? reference.path : resolve(context.root, reference.path);
}

/** Reads a file (its text) or a mounted directory (a map of key → text); `within` confines links. */
export function readMounted(
  reference: SecretReference,
  path: string,
  within: string | undefined,
  hint: string,
): unknown {
  if (!existsSync(path)) {
    throw new SecretError('SECRET_NOT_FOUND', `${reference.text}: ${path} does not exist`, { hint });
  }
  if (statSync(path).isDirectory()) {
    const keys: Record<string, string> = {};
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue; // ..data and the timestamped folders behind it
      keys[name] = readOne(reference, join(path, name), within ?? path);
    }
    return keys;
  }
  return readOne(reference, path, within);
}

function readOne(reference: SecretReference, path: string, within: string | undefined): string {
  const read = readSecretFile(path, within);
  if (!read.ok)
    throw new SecretError('SECRET_FILE_REFUSED', `${reference.text}: ${read.message}`, { hint: read.hint });
  return read.value;
}

export const backend: SecretBackend = {
  read(reference, context) {
    checkParams(reference, []);
    const path = filePath(reference, context);
    return Promise.resolve(
      readMounted(
        reference,
        path,
        undefined,
        'check the path; a relative path starts at the folder of stagecraft.yaml',
      ),
    );
  },
  watchPaths(reference, context) {
    const path = filePath(reference, context);
    return [existsSync(path) && statSync(path).isDirectory() ? path : dirname(path)];
  },
};
