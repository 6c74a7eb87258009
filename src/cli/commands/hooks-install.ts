import { installHook } from '../../hooks/install.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { hookReport } from '../hooks-report.ts';

export async function run(ctx: CommandContext, options: { force?: boolean }): Promise<number> {
  ctx.output.report(hookReport(installHook(ctx.cwd, { force: options.force === true, env: ctx.env })));
  return ExitCode.Clean;
}
