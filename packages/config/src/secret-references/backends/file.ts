/**
 * `ref+file://PATH[#/key]`: a file, or a directory holding one file per key as Kubernetes and Docker mount
 * secrets (`ref+file:///var/run/secrets/db#/password`). A relative path is relative to the workspace root.
 * Kubernetes swaps a mounted directory's `..data` link atomically on update, so each key is read through its
 * link at read time and the directory, not a file, is watched.
 *
 * Only folders stagecraft.yaml allows are read (`secrets.file.roots`; the workspace always), judged on the
 * path with every link followed: a config file is not always written by the people who run it, and a
 * reference such as `ref+file://../../etc/shadow` would otherwise put any readable file into a process's
 * environment or a rendered manifest.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { readSecretFile } from '../../config/layers.ts';
import { secretFileRoots } from '../../workspace/load.ts';
import { type BackendContext, checkParams, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
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
    throw new SecretError(SecretCodes.SECRET_NOT_FOUND, `${reference.text}: ${path} does not exist`, {
      hint,
    });
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
    throw new SecretError(SecretCodes.SECRET_FILE_REFUSED, `${reference.text}: ${read.message}`, {
      hint: read.hint,
    });
  return read.value;
}

/**
 * The allowed root (links followed) that `path` is inside; refuses a path outside them all. A path that does
 * not exist is judged by its nearest existing folder, so a missing file outside the roots is refused rather
 * than reported missing, which would tell what exists there.
 */
function confine(reference: SecretReference, path: string, context: BackendContext): string {
  const roots = context.fileRoots ?? secretFileRoots(context.root, undefined);
  const real = realpathOfNearest(path);
  for (const root of roots) {
    let base: string;
    try {
      base = realpathSync(root);
    } catch {
      continue; // a root that is not there (no /run/secrets on a laptop) holds nothing to read
    }
    if (real === base || real.startsWith(base.endsWith(sep) ? base : base + sep)) return base;
  }
  const folder = existsSync(real) && statSync(real).isDirectory() ? real : dirname(real);
  throw new SecretError(
    SecretCodes.SECRET_FILE_OUTSIDE_ROOTS,
    `${reference.text}: ${real === path ? path : `${path} (${real} once links are followed)`} is outside the folders secret files are read from: ${roots.join(', ')}`,
    {
      hint: `if secrets are meant to be read from there, add ${folder} to secrets.file.roots in stagecraft.yaml`,
    },
  );
}

/** `path` with every link followed, as far as it exists; the missing rest appended as written. */
function realpathOfNearest(path: string): string {
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch {
      if (dirname(at) === at) return path;
      missing.push(basename(at));
    }
  }
}

export const backend: SecretBackend = {
  read(reference, context) {
    checkParams(reference, []);
    const path = filePath(reference, context);
    const root = confine(reference, path, context);
    // A folder's keys stay inside the folder itself, as a mounted secret's do; a file is checked against its
    // root again as it is read, so a link swapped in since the check above cannot lead out either.
    const folder = existsSync(path) && statSync(path).isDirectory();
    return Promise.resolve(
      readMounted(
        reference,
        path,
        folder ? undefined : root,
        'check the path; a relative path starts at the folder of stagecraft.yaml',
      ),
    );
  },
  watchPaths(reference, context) {
    const path = filePath(reference, context);
    return [existsSync(path) && statSync(path).isDirectory() ? path : dirname(path)];
  },
};
