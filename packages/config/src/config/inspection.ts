/**
 * What inspecting a config gives: every field's resolution with where its value came from, and its
 * problems. The loader (define.ts) produces it; watching (watch.ts) resolves it again when a secret changes.
 */
import type { SecretLease } from '../secret-references/backend.ts';
import type { ConfigContext } from './context.ts';
import type { Resolution, ResolvedEntry } from './resolve.ts';

export interface ConfigInspection extends Resolution {
  context: ConfigContext;
  /**
   * An entry's value as written, before parsing (`30s`, not 30000), after `${VAR}` expansion: what a variable
   * must hold to load the same value. A method of the inspection (not a field of the entry, so printing an
   * inspection cannot show a secret), answered by the library copy that made it.
   */
  rawValue(entry: ResolvedEntry): unknown;
}

/** An inspection whose secret references were resolved. */
export interface ResolvedInspection extends ConfigInspection {
  /**
   * The variables that give a child process this same config (secrets in plain text: handle the result as
   * a secret).
   */
  toEnvironment(): Record<string, string>;
  /**
   * The leases of dynamic secrets it read (absent from older versions): keep them with a LeaseKeeper while
   * the values are in use, and revoke them after.
   */
  readonly leases?: readonly SecretLease[];
}
