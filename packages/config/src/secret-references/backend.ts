/**
 * A secret backend reads what a reference's path names: one value (a string), or a document of keys (a
 * directory of mounted files, a JSON secret) that the reference's pointer selects from. Each backend is its
 * own module (backends/), found by name in registry.ts; this is the contract they implement.
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
  /** The time (ms) by which backends reckon lifetimes (a store token's TTL); tests pass a clock they move. */
  now?: (() => number) | undefined;
}

export interface SecretBackend {
  /** Reads the path (one read per path and version per resolution; the resolver caches it). */
  read(reference: SecretReference, context: BackendContext): Promise<unknown>;
  /** Files and folders whose change means the value may have changed (mounted secrets). */
  watchPaths?(reference: SecretReference, context: BackendContext): string[];
  /**
   * The value cannot change while the process runs (its own variables). A backend with no watch paths that
   * is not fixed (an API: Vault, AWS, the Kubernetes API) is read again on an interval while watching.
   */
  readonly fixed?: boolean;
}

/** A reference that cannot be resolved: the message names the reference, never a value. */
export class SecretError extends StagecraftError {}

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

/**
 * A lease on what a read returned (a dynamic database credential): the value is good for `ttlSeconds` unless
 * renewed, and should be revoked when the process no longer needs it. See lease-keeper.ts.
 */
export interface SecretLease {
  /** The store's lease id: names a lease, not a secret, so it may appear in messages. */
  readonly id: string;
  readonly ttlSeconds: number;
  readonly renewable: boolean;
  /**
   * Extends the lease; resolves to the TTL granted, which may be less than asked when a maximum is near.
   * `final` says whether this was the last extension; when absent, granting less than asked means it was.
   */
  renew(incrementSeconds: number): Promise<{ ttlSeconds: number; final?: boolean }>;
  revoke(): Promise<void>;
}

const LEASED: unique symbol = Symbol.for('stagecraft.secret-references.leased');

/** What a backend's `read` returns for a leased value: the resolver keeps the lease and uses the value. */
export interface LeasedValue {
  readonly [LEASED]: true;
  readonly value: unknown;
  readonly lease: SecretLease;
}

export function leased(value: unknown, lease: SecretLease): LeasedValue {
  return { [LEASED]: true, value, lease };
}

export function isLeased(read: unknown): read is LeasedValue {
  return read !== null && typeof read === 'object' && LEASED in read;
}
