/**
 * What `stagecraft diff` reads beyond stagecraft.yaml, gathered for the report builder (src/diff/): the ledger
 * (local, or the server's when STAGECRAFT_URL is set), the git repository, and which config fields the app's
 * definition declares secret. `serve` gathers the same for the dashboard's diff. Each one that cannot be had
 * is handed on as its error, so only the sections that need it say they could not be evaluated.
 */
import { isStagecraftError, type StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import { buildDiff, type DiffLedger, type DiffReport } from '../diff/report.ts';
import { repositoryRoot } from '../git/run.ts';
import { loadConfigModule } from './config-module.ts';
import type { CommandContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';

/** The config fields declared secret, by key (`db.password`); undefined when the definition cannot be loaded. */
export async function secretFieldsOf(ctx: CommandContext): Promise<ReadonlySet<string> | undefined> {
  try {
    const { loader } = await loadConfigModule(ctx, undefined);
    return new Set(
      loader
        .fields()
        .filter((field) => field.spec.secret)
        .map((field) => field.key),
    );
  } catch (error) {
    // Without the definition, key names decide what is secret (src/diff/config-values.ts): never a value shown.
    if (isStagecraftError(error)) return undefined;
    throw error;
  }
}

export function repositoryOf(ctx: CommandContext, workspace: Workspace): string | StagecraftError {
  try {
    return repositoryRoot(workspace.root, ctx.env);
  } catch (error) {
    if (isStagecraftError(error)) return error;
    throw error;
  }
}

/** A builder of diffs for this workspace, given the ledger to read: the CLI's own, or the server's. */
export async function differ(
  ctx: CommandContext,
): Promise<(left: string, right: string, ledger: DiffLedger | StagecraftError) => Promise<DiffReport>> {
  const workspace = ctx.workspace();
  const secretFields = await secretFieldsOf(ctx);
  return (left, right, ledger) =>
    buildDiff({
      workspace,
      left,
      right,
      ledger,
      // Asked per report: the server may be started before `git init`, or the clone moved.
      repository: repositoryOf(ctx, workspace),
      gitEnv: ctx.env,
      secretFields,
    });
}

/** The diff with the CLI's ledger; a ledger that cannot be opened fails only the sections that read it. */
export async function diffWithLedger(ctx: CommandContext, left: string, right: string): Promise<DiffReport> {
  const build = await differ(ctx);
  const { withLedger } = await import('./ledger-support.ts');
  let report: DiffReport | undefined;
  try {
    await withLedger(ctx, async (ledger) => {
      report = await build(left, right, ledger);
      return ExitCode.Clean;
    });
  } catch (error) {
    if (!isStagecraftError(error) || report) throw error;
    report = await build(left, right, error);
  }
  return report as DiffReport;
}
