import { renderMarkdownReference } from '@stagecraft/config/engine';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(ctx: CommandContext, options: { module?: string }): Promise<number> {
  const { loader } = await loadConfigModule(ctx, options.module);
  ctx.output.write(renderMarkdownReference(loader.fields(), { prefix: loader.options.prefix ?? '' }));
  return ExitCode.Clean;
}
