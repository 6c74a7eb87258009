import { join } from 'node:path';
import { installHook } from '../../hooks/install.ts';
import { packageRoot } from '../../package-info.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { hookReport } from '../hooks-report.ts';

export async function run(ctx: CommandContext, options: { force?: boolean }): Promise<number> {
  // The plain git hook falls back on this copy's CLI (a global or npx install that PATH may not show git).
  const installer = { cli: join(packageRoot(), 'dist', 'cli', 'main.js'), node: process.execPath };
  ctx.output.report(
    hookReport(installHook(ctx.cwd, { force: options.force === true, env: ctx.env, installer }), ctx.root),
  );
  return ExitCode.Clean;
}
