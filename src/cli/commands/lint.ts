/**
 * `stagecraft lint [paths...]`: application code that branches on the environment's name. Exit 0 clean,
 * 2 when it found a branch, 1 when a file could not be read or parsed (the findings made are still
 * printed): an input it could not read never comes out as clean.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { type Workspace, WorkspaceCodes } from '@stagecraft/config/workspace';
import { LintCodes } from '../../lint/errors.ts';
import { lintTree } from '../../lint/lint-files.ts';
import { renderLintMarkdown, renderLintSarif, renderLintText } from '../../lint/report.ts';
import { lintSettings } from '../../lint/settings.ts';
import { packageVersion } from '../../package-info.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const settings = lintSettings(workspaceOf(ctx));
  // Paths are named from the workspace's folder, whichever subfolder lint runs in; outside it, from there.
  const inside = relative(ctx.root, ctx.cwd);
  const root = inside.startsWith('..') || isAbsolute(inside) ? ctx.cwd : ctx.root;
  const paths = (args.length > 0 ? args : ['.']).map((given) => resolve(ctx.cwd, given));
  const data = lintTree(root, paths, settings);

  const failure =
    data.problems.length > 0
      ? new StagecraftError(
          LintCodes.LINT_INCOMPLETE,
          `${counted(data.problems.length, 'file')} could not be checked: ${data.problems
            .slice(0, 5)
            .map((problem) =>
              problem.line === null ? problem.file : `${problem.file}:${problem.line}:${problem.column}`,
            )
            .join(', ')}${data.problems.length > 5 ? ', …' : ''}`,
          {
            hint: 'fix the syntax error or permissions named, or exclude the file in .gitignore; lint cannot call code it could not read clean',
          },
        )
      : undefined;
  if (ctx.output.format === 'sarif') {
    ctx.output.write(JSON.stringify(renderLintSarif(data, packageVersion()), null, 2));
  } else {
    ctx.output.report({
      data,
      text: (style) => renderLintText(data, style),
      markdown: () => renderLintMarkdown(data),
    });
  }
  if (failure) throw failure;
  return data.findings.length > 0 ? ExitCode.Problems : ExitCode.Clean;
}

/** Lint needs no workspace: without one, the usual environment names and variables apply. */
function workspaceOf(ctx: CommandContext): Workspace | undefined {
  try {
    return ctx.workspace();
  } catch (error) {
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return undefined;
    throw error;
  }
}
