import { configJsonSchema } from '@stagecraft/config/engine';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(ctx: CommandContext, options: { module?: string }): Promise<number> {
  const { loader } = await loadConfigModule(ctx, options.module);
  ctx.output.write(
    JSON.stringify(configJsonSchema(loader.fields(), { strict: loader.options.strict === true }), null, 2),
  );
  return ExitCode.Clean;
}
