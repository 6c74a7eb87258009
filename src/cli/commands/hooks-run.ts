/**
 * `stagecraft hooks run pre-commit`, what the installed hook runs: the staged secret scan and the .gitignore
 * check in one process (each Node start-up adds to every commit), printed as one report. The commit is refused
 * when either finds a problem or cannot tell; the report ends by saying what to do.
 */
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { HookCodes } from '../../hooks/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode, exitCodeFor } from '../exit-codes.ts';
import { errorData, type Report } from '../output.ts';
import { run as checkGitignore } from './gitignore-check.ts';
import { run as scan } from './scan.ts';

type CheckName = 'scan' | 'gitignore';

const CHECKS: readonly { name: CheckName; run(ctx: CommandContext): Promise<number> }[] = [
  { name: 'scan', run: (ctx) => scan(ctx, { staged: true }, []) },
  { name: 'gitignore', run: (ctx) => checkGitignore(ctx, {}) },
];

interface CheckRun {
  name: CheckName;
  exitCode: number;
  report: Report | undefined;
  error: StagecraftError | undefined;
}

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const [hook] = args;
  if (hook !== 'pre-commit') {
    throw new StagecraftError(
      HookCodes.HOOKS_UNKNOWN_HOOK,
      `stagecraft has no ${JSON.stringify(hook)} hook`,
      {
        hint: 'the hook stagecraft runs is pre-commit: stagecraft hooks run pre-commit',
      },
    );
  }
  const runs: CheckRun[] = [];
  for (const check of CHECKS) runs.push(await runCheck(ctx, check));
  const exitCode = runs.some((r) => r.exitCode === ExitCode.Problems)
    ? ExitCode.Problems
    : runs.some((r) => r.exitCode !== ExitCode.Clean)
      ? ExitCode.Error
      : ExitCode.Clean;
  const advice = adviceFor(runs, exitCode);
  ctx.output.report({
    data: {
      hook,
      exitCode,
      checks: runs.map((r) => ({
        name: r.name,
        exitCode: r.exitCode,
        ...(r.report ? { report: r.report.data } : {}),
        ...(r.error ? { error: errorData(r.error, ctx.output.style) } : {}),
      })),
      ...(advice ? { refused: advice.headline, hint: advice.lines } : {}),
    },
    text: (s) =>
      [
        ...runs.flatMap((r) => (r.report ? [r.report.text(s), ''] : [])),
        ...(advice ? [`${s.red('✗')} ${s.bold(advice.headline)}`, ...advice.lines.map((l) => `  ${l}`)] : []),
      ]
        .join('\n')
        .trimEnd(),
    markdown: () =>
      [
        ...runs.flatMap((r) => (r.report ? [r.report.markdown(), ''] : [])),
        ...(advice ? [`**${advice.headline}**`, '', ...advice.lines.map((l) => `- ${l}`)] : []),
      ]
        .join('\n')
        .trimEnd(),
  });
  return exitCode;
}

/** Runs one check as its own command would, keeping its report to print with the other's. */
async function runCheck(ctx: CommandContext, check: (typeof CHECKS)[number]): Promise<CheckRun> {
  let report: Report | undefined;
  const output = ctx.output.collecting((collected) => {
    report = collected;
  });
  try {
    return { name: check.name, exitCode: await check.run({ ...ctx, output }), report, error: undefined };
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    // Under --format json the error goes into the one JSON report instead.
    if (ctx.output.format !== 'json') ctx.output.error(error);
    return { name: check.name, exitCode: exitCodeFor(error.outcome), report, error };
  }
}

function adviceFor(
  runs: readonly CheckRun[],
  exitCode: number,
): { headline: string; lines: string[] } | undefined {
  if (exitCode === ExitCode.Clean) return undefined;
  const skip =
    'To skip the checks once: git commit --no-verify (discouraged: a committed secret must be rotated).';
  // What a check found, as against an error it stopped on (even one that exits 2, such as invalid settings).
  const failed = (name: CheckName) =>
    runs.some((r) => r.name === name && !r.error && r.exitCode === ExitCode.Problems);
  if (!failed('scan') && !failed('gitignore')) {
    return {
      headline: 'Commit refused: stagecraft could not check it (see the error above).',
      lines: ['Fix what the error names, then commit again.', skip],
    };
  }
  return {
    headline: 'Commit refused by the stagecraft pre-commit hook.',
    lines: [
      ...(failed('scan')
        ? [
            'Remove each secret from the staged files and stage them again (git add); rotate any secret that was pushed or shared.',
            'A false positive? Add a `stagecraft:allow` comment on its line.',
          ]
        : []),
      ...(failed('gitignore')
        ? [
            '.gitignore: `stagecraft gitignore check --fix` adds the missing patterns; untrack the files it lists.',
          ]
        : []),
      ...(runs.some((r) => r.error) ? ['Fix what the error above names.'] : []),
      skip,
    ],
  };
}
