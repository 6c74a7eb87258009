/**
 * `stagecraft diff LEFT RIGHT`: everything that differs between two environments in one report — what each
 * runs (digests, commits and the commits between, who deployed it when), config values (secrets: only
 * whether they differ), secret structure, infrastructure parity and dependency versions. Exit like diff(1):
 * 0 when every section is the same (or skipped), 2 when they differ, 1 when a section could not be evaluated
 * or an environment is unknown. The report is built in src/diff/, which the server's /v1/diff shares.
 */

import type { CommandContext } from '../context.ts';
import { diffWithLedger } from '../diff-inputs.ts';
import { renderDiffMarkdown, renderDiffText } from '../diff-report.ts';
import { requireEnvironment } from '../environment-name.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(ctx: CommandContext, _options: object, args: string[]): Promise<number> {
  const [left, right] = args as [string, string];
  const declared = ctx.workspace().environments.map((env) => env.name);
  requireEnvironment(declared, left);
  requireEnvironment(declared, right);
  const report = await diffWithLedger(ctx, left, right);
  ctx.output.report({
    data: report,
    text: (s) => renderDiffText(report, s),
    markdown: () => renderDiffMarkdown(report),
  });
  return { identical: ExitCode.Clean, differs: ExitCode.Problems, incomplete: ExitCode.Error }[
    report.verdict
  ];
}
