import { relative } from 'node:path';
import { isStagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { WorkspaceCodes } from '@stagecraft/config/workspace';
import { checkGitignore } from '../../scan/gitignore-check.ts';
import { scanSettings } from '../../scan/scan-config.ts';
import { ensureGitignore } from '../../workspace/scaffold.ts';
import type { CheckOutcome } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable } from '../output.ts';

/** Exit 0 when every required pattern is ignored and nothing matching is tracked; 2 otherwise (also after --fix). */
export async function run(ctx: CommandContext, options: { fix?: boolean }): Promise<number> {
  const extra = extraPatterns(ctx);
  let report = checkGitignore(ctx.cwd, extra, ctx.env);
  let added: string[] = [];
  if (options.fix && report.missing.length) {
    added = ensureGitignore(`${report.root}/.gitignore`, report.missing);
    report = checkGitignore(ctx.cwd, extra, ctx.env);
  }
  const outcome = gitignoreOutcome(ctx, report, added);
  ctx.output.report({ data: outcome.report, text: outcome.text, markdown: outcome.markdown });
  return outcome.status === 'clean' ? ExitCode.Clean : ExitCode.Problems;
}

/** `gitignore check` (without --fix) as a check other commands run (`stagecraft check`); nothing printed. */
export function evaluateGitignore(ctx: CommandContext): CheckOutcome {
  return gitignoreOutcome(ctx, checkGitignore(ctx.cwd, extraPatterns(ctx), ctx.env), []);
}

function gitignoreOutcome(
  ctx: CommandContext,
  report: ReturnType<typeof checkGitignore>,
  added: readonly string[],
): CheckOutcome {
  // Untracking is the user's call: it changes the index, and the secret stays in history until rotated.
  const untrack = report.tracked.map((file) => `git rm --cached -- ${JSON.stringify(file)}`);
  const clean = report.missing.length === 0 && report.tracked.length === 0;
  const problems = [
    ...report.missing.map((pattern) => `${pattern} is not ignored`),
    ...report.tracked.map((file) => `${file} is tracked`),
  ];
  return {
    status: clean ? 'clean' : 'problems',
    summary: clean
      ? '.gitignore covers every required pattern; nothing matching is tracked'
      : `${counted(problems.length, 'problem')}: ${problems.join(', ')}`,
    findings: problems.length,
    report: {
      root: relative(ctx.root, report.root) || '.',
      missing: report.missing,
      tracked: report.tracked,
      added,
      untrack,
    },
    text: (s) =>
      [
        ...added.map((pattern) => `${s.green('added')}    ${pattern} to .gitignore`),
        ...report.missing.map(
          (pattern) =>
            `${s.red('missing')}  ${pattern} is not ignored  ${s.dim('(stagecraft gitignore check --fix adds it)')}`,
        ),
        ...report.tracked.map(
          (file) => `${s.red('tracked')}  ${file} matches a pattern that must never be committed`,
        ),
        ...(untrack.length
          ? [
              '',
              'Untrack them (history keeps them: rotate every secret they hold):',
              ...untrack.map((command) => `  ${command}`),
            ]
          : []),
        clean
          ? `${s.green('✓')} .gitignore covers every required pattern; nothing matching is tracked (${relative(ctx.root, report.root) || '.'})`
          : '',
      ]
        .filter((line, index, lines) => line !== '' || index < lines.length - 1)
        .join('\n'),
    markdown: () =>
      markdownTable(
        ['Problem', 'Pattern or file'],
        [...report.missing.map((p) => ['not ignored', p]), ...report.tracked.map((f) => ['tracked', f])],
      ),
  };
}

function extraPatterns(ctx: CommandContext): string[] {
  try {
    return scanSettings(ctx.workspace()).gitignore;
  } catch (error) {
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return [];
    throw error;
  }
}
