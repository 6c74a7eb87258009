import { uninstallHook } from '../../hooks/install.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { hookReport } from '../hooks-report.ts';

export async function run(ctx: CommandContext): Promise<number> {
  ctx.output.report(hookReport(uninstallHook(ctx.cwd, { env: ctx.env }), ctx.root));
  return ExitCode.Clean;
}
