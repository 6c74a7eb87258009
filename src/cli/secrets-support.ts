/** What the secrets commands and `run` share: the environment they act for, and the app's resolved config. */

import { type ConfigContext, resolveContext } from '../config/context.ts';
import type { ResolvedInspection } from '../config/define.ts';
import { StagecraftError } from '../errors.ts';
import type { BackendContext } from '../secret-references/backend.ts';
import { loadConfigModule } from './config-module.ts';
import type { CommandContext } from './context.ts';

/** The environment named by --env, else ENVIRONMENT, else the start of the chain; and how to read its secrets. */
export function secretsEnvironment(
  ctx: CommandContext,
  name: string | undefined,
): { context: ConfigContext; environment: string; backend: BackendContext } {
  const context = resolveContext({ cwd: ctx.cwd, workspace: ctx.workspaceFile });
  const environment = name ?? ctx.env['ENVIRONMENT'] ?? context.defaultEnvironment;
  const declared = context.environments.find((candidate) => candidate.name === environment);
  if (!declared) {
    throw new StagecraftError('ENVIRONMENT_UNKNOWN', `there is no environment "${environment}"`, {
      hint: `use one of ${context.environments.map((e) => e.name).join(', ')}`,
    });
  }
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

/** The app's config for an environment with its secret references resolved (problems listed, not thrown). */
export async function resolvedConfig(
  ctx: CommandContext,
  options: { env?: string | undefined; module?: string | undefined },
): Promise<{ path: string; inspection: ResolvedInspection }> {
  const { path, loader } = await loadConfigModule(ctx, options.module);
  if (typeof loader.inspectWithSecrets !== 'function') {
    throw new StagecraftError(
      'CONFIG_MODULE_OUTDATED',
      'the config module was made by an older stagecraft that cannot resolve secret references',
      { hint: 'update the stagecraft package the app depends on to this version' },
    );
  }
  const inspection = await loader.inspectWithSecrets(
    ctx.env,
    options.env ? { environment: options.env } : {},
  );
  return { path, inspection };
}
