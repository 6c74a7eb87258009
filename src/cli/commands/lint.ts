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
import { renderLintMarkdown, renderLintSarif, renderLintText } from '../../lint/report.ts';
import { lintSettings } from '../../lint/settings.ts';
import { packageVersion } from '../../package-info.ts';
import type { CheckOutcome } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

/**
 * The linter, loaded only when it runs: it parses with the project's own `typescript` (a peer dependency), and
 * without it the command says what to install instead of failing to load.
 */
async function loadLinter(): Promise<typeof import('../../lint/lint-files.ts')> {
  try {
    return await import('../../lint/lint-files.ts');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      /'typescript'/.test(String(error))
    ) {
      throw new StagecraftError(
        LintCodes.LINT_NEEDS_TYPESCRIPT,
        "stagecraft lint parses code with TypeScript's parser, and the typescript package is not installed here",
        { hint: 'install it beside stagecraft: npm install --save-dev typescript', cause: error },
      );
    }
    throw error;
  }
}

/** Lints the workspace's code (or `paths`): its report, and the error to throw when a file could not be read. */
async function lintWorkspace(ctx: CommandContext, args: readonly string[]) {
  const settings = lintSettings(workspaceOf(ctx));
  // Paths are named from the workspace's folder, whichever subfolder lint runs in; outside it, from there.
  const inside = relative(ctx.root, ctx.cwd);
  const root = inside.startsWith('..') || isAbsolute(inside) ? ctx.cwd : ctx.root;
  const paths = (args.length > 0 ? args : ['.']).map((given) => resolve(ctx.cwd, given));
  const { lintTree } = await loadLinter();
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
  return { data, failure };
}

/**
 * What `stagecraft check` runs as its lint: the whole workspace, as `stagecraft lint` does with no paths. A file
 * that could not be read or parsed makes it an error (could not evaluate), as it makes the command exit 1.
 */
export async function evaluateLint(ctx: CommandContext): Promise<CheckOutcome> {
  const { data, failure } = await lintWorkspace(ctx, []);
  if (failure) throw failure;
  const count = data.findings.length;
  return {
    status: count > 0 ? 'problems' : 'clean',
    summary:
      count > 0
        ? `${counted(count, 'branch', 'branches')} on the environment's name: ${data.findings
            .slice(0, 3)
            .map((finding) => `${finding.file}:${finding.line}`)
            .join(', ')}${count > 3 ? ', …' : ''}`
        : `no code branches on the environment's name (${counted(data.files, 'file')})`,
    findings: count,
    report: data,
    text: (style) => renderLintText(data, style),
    markdown: () => renderLintMarkdown(data),
  };
}

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const { data, failure } = await lintWorkspace(ctx, args);
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
