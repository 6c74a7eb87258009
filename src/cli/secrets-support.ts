/**
 * What the secrets commands, `run` and the deploy step share: the environment they act for, the app's
 * resolved config, and the secret values in it.
 */

import type { ResolvedInspection } from '@stagecraft/config/engine';
import { type ConfigContext, resolveContext } from '@stagecraft/config/engine';
import { StagecraftError } from '@stagecraft/config/errors';
import type { BackendContext, SecretLease } from '@stagecraft/config/secret-references';
import { loadConfigModule } from './config-module.ts';
import type { CommandContext } from './context.ts';
import { requireEnvironment } from './environment-name.ts';
import { CliCodes } from './errors.ts';

/** The environment named by --env, else ENVIRONMENT, else the start of the chain; and how to read its secrets. */
export function secretsEnvironment(
  ctx: CommandContext,
  name: string | undefined,
): { context: ConfigContext; environment: string; backend: BackendContext } {
  const context = resolveContext({ cwd: ctx.cwd, workspace: ctx.workspaceFile });
  const environment = name ?? ctx.env['ENVIRONMENT'] ?? context.defaultEnvironment;
  const declared = declaredIn(context, environment);
  return {
    context,
    environment,
    backend: {
      root: context.root,
      environment,
      dotenvAllowed: declared.dotenv,
      env: ctx.env,
      fileRoots: context.fileRoots,
    },
  };
}

/**
 * `--env NAME` as a command line gives it: a name stagecraft.yaml does not declare is a usage error (exit 1),
 * as in every command, rather than one problem among the config's. Without a stagecraft.yaml nothing is
 * declared, and any name is taken.
 */
export function requireDeclaredEnvironment(ctx: CommandContext, name: string | undefined): void {
  if (name === undefined) return;
  const context = resolveContext({ cwd: ctx.cwd, workspace: ctx.workspaceFile });
  if (context.workspaceFile) declaredIn(context, name);
}

function declaredIn(context: ConfigContext, environment: string): ConfigContext['environments'][number] {
  requireEnvironment(
    context.environments.map((e) => e.name),
    environment,
  );
  return context.environments.find(
    (candidate) => candidate.name === environment,
  ) as ConfigContext['environments'][number];
}

/** The app's config for an environment with its secret references resolved (problems listed, not thrown). */
export async function resolvedConfig(
  ctx: CommandContext,
  options: { env?: string | undefined; module?: string | undefined },
): Promise<{ path: string; inspection: ResolvedInspection }> {
  const { path, loader } = await loadConfigModule(ctx, options.module);
  if (typeof loader.inspectWithSecrets !== 'function') {
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_OUTDATED,
      'the config module was made by an older stagecraft that cannot resolve secret references',
      { hint: 'update the stagecraft package the app depends on to this version' },
    );
  }
  // An undeclared environment is refused with a hint to the declared one, not resolved as an empty one.
  secretsEnvironment(ctx, options.env);
  const inspection = await loader.inspectWithSecrets(ctx.env, {
    cwd: ctx.cwd,
    ...(options.env ? { environment: options.env } : {}),
  });
  return { path, inspection };
}

/**
 * Every secret value an environment's resolved config holds, to mask wherever output may show one: each
 * field marked secret and each field whose value came through a reference, as the child process receives
 * it, and for a list or map (which it receives as JSON) also each string inside, since a program may print
 * those one at a time. No empty strings, no repeats.
 */
export function secretValues(inspection: ResolvedInspection): string[] {
  const variables = inspection.toEnvironment();
  const values = new Set<string>();
  for (const entry of inspection.entries) {
    if (!entry.field.spec.secret && !entry.secretReference) continue;
    const value = variables[entry.field.envName];
    if (value === undefined || value === '') continue;
    values.add(value);
    if (/^\s*[[{]/.test(value)) for (const inner of jsonStrings(value)) values.add(inner);
  }
  values.delete('');
  return [...values];
}

/** The strings inside a JSON text (none when it is not JSON). */
function jsonStrings(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') found.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(parsed);
  return found;
}

/**
 * Says, on stderr, which dynamic credentials a command that exits leaves running for whoever uses what it
 * printed or wrote (`secrets get`, `secrets render`): each lease by id (which names a lease, not a secret).
 */
export function noteLeasesLeftRunning(
  ctx: CommandContext,
  leases: readonly SecretLease[],
  purpose: string,
): void {
  for (const lease of leases) {
    ctx.output.note(
      `lease ${lease.id} (${lease.ttlSeconds} s${lease.renewable ? ', renewable' : ''}) is left running for ${purpose}; it ends with its TTL, or revoke it when done: vault lease revoke ${lease.id}`,
    );
  }
}
