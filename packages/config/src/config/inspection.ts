/**
 * What inspecting a config gives: every field's resolution with where its value came from, and its
 * problems. The loader (define.ts) produces it; watching (watch.ts) resolves it again when a secret changes.
 */
import type { ConfigContext } from './context.ts';
import type { Resolution } from './resolve.ts';

export interface ConfigInspection extends Resolution {
  context: ConfigContext;
}

/** An inspection whose secret references were resolved. */
export interface ResolvedInspection extends ConfigInspection {
  /**
   * The variables that give a child process this same config (secrets in plain text: handle the result as
   * a secret).
   */
  toEnvironment(): Record<string, string>;
}
