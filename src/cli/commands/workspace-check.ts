import { relative } from 'node:path';
import { isStagecraftError, type Problem } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { checkDeclaredPaths, findWorkspaceFile, WorkspaceCodes } from '@stagecraft/config/workspace';
import { DriftCodes } from '../../drift/errors.ts';
import { driftSettingsOf } from '../../drift/settings.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, shownProblems } from '../output.ts';

interface CheckResult {
  file: string;
  valid: boolean;
  environments: number;
  services: number;
  problems: Problem[];
}

/** Invalid is a finding (exit 2); a missing or unreadable file means nothing could be checked (exit 1). */
export async function run(ctx: CommandContext): Promise<number> {
  const file = findWorkspaceFile({ cwd: ctx.cwd, ...(ctx.workspaceFile ? { file: ctx.workspaceFile } : {}) });
  let result: CheckResult;
  try {
    const workspace = ctx.workspace();
    result = {
      file,
      valid: true,
      environments: workspace.environments.length,
      services: workspace.services.length,
      problems: checkDeclaredPaths(workspace),
    };
    // What the drift section names must be declared: checked here too, not first in the nightly run.
    driftSettingsOf(workspace);
  } catch (error) {
    const invalid =
      isStagecraftError(error, WorkspaceCodes.WORKSPACE_INVALID) ||
      isStagecraftError(error, DriftCodes.DRIFT_SETTINGS_INVALID);
    if (!invalid) throw error;
    result = { file, valid: false, environments: 0, services: 0, problems: [...error.problems] };
  }
  const shown = relative(ctx.root, file) || file;
  ctx.output.report({
    data: {
      ...result,
      file: ctx.output.path(file),
      problems: shownProblems(result.problems, ctx.output.style),
    },
    text: (s) => {
      const lines = result.problems.map((problem) => formatProblemStyled(problem, s));
      const errors = result.problems.filter((problem) => problem.severity === 'error').length;
      lines.push(
        result.valid
          ? `${s.green('✓')} ${shown} is valid: ${counted(result.environments, 'environment')}, ${counted(result.services, 'service')}`
          : `${s.red('✗')} ${shown} has ${counted(errors, 'error')}`,
      );
      return lines.join('\n');
    },
    markdown: () =>
      [
        `## ${shown}: ${result.valid ? 'valid' : 'invalid'}`,
        '',
        result.problems.length === 0
          ? 'No problems.'
          : markdownTable(
              ['Severity', 'Where', 'Problem', 'Hint'],
              result.problems.map((p) => [
                p.severity,
                p.location ? `${relative(ctx.root, p.location.file)}:${p.location.line ?? ''}` : '',
                p.message,
                p.hint ?? '',
              ]),
            ),
      ].join('\n'),
  });
  return result.valid ? ExitCode.Clean : ExitCode.Problems;
}
