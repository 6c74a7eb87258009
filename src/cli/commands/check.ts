/**
 * `stagecraft check`: every check stagecraft.yaml configures (check-list.ts) — config, the secret scan, lint,
 * .gitignore, secret references, parity, drift — run concurrently, in one report with one exit code: 1 when
 * any could not be evaluated, else 2 when any found a problem, else 0. Each check's own status is shown, so
 * one that fails hides none of the others; a check whose inputs are not configured is shown as skipped with
 * what to configure, and does not fail the run. With GITHUB_STEP_SUMMARY set, the Markdown report is
 * appended to that file.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import {
  CHECK_NAMES,
  CHECKS,
  type CheckName,
  type CheckReport,
  type CheckScope,
  type CheckStatus,
  type Evaluated,
  type PlannedUnit,
} from '../check-list.ts';
import { recordChecks } from '../check-record.ts';
import { renderMarkdown, renderText } from '../check-render.ts';
import type { CommandContext } from '../context.ts';
import { requireEnvironment } from '../environment-name.ts';
import { CliCodes } from '../errors.ts';
import { ExitCode, exitCodeFor } from '../exit-codes.ts';
import { errorData } from '../output.ts';

interface Options {
  env?: string;
  all?: boolean;
  range?: string;
  only?: string;
  skip?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const selected = selectedChecks(options);
  const workspace = ctx.workspace();
  const declared = workspace.environments.map((env) => env.name);
  if (options.env !== undefined) requireEnvironment(declared, options.env);
  const scope: CheckScope = {
    environments: options.env === undefined || options.all ? declared : [options.env],
    narrowed: options.env !== undefined && !options.all,
    range: options.range,
  };
  const planned = selected.flatMap((name) => planCheck(ctx, workspace, scope, name));
  // Independent checks run at once; each evaluation returns its report instead of printing it.
  const evaluated = await Promise.all(planned.map((unit) => evaluateUnit(ctx, unit)));
  const results = evaluated.map((entry) => entry.result);
  const counts: Record<CheckStatus, number> = { clean: 0, problems: 0, error: 0, skipped: 0 };
  for (const result of results) counts[result.status] += 1;
  const report: CheckReport = {
    verdict: counts.error ? 'error' : counts.problems ? 'problems' : 'clean',
    counts,
    checks: results,
  };
  const markdown = () => renderMarkdown(report, evaluated);
  ctx.output.report({ data: report, text: (s) => renderText(report, evaluated, s), markdown });
  appendStepSummary(ctx, markdown);
  const exit = counts.error ? ExitCode.Error : counts.problems ? ExitCode.Problems : ExitCode.Clean;
  if (!options.record) return exit;
  const recorded = await recordAll(ctx, evaluated);
  return !recorded && exit === ExitCode.Clean ? ExitCode.Error : exit;
}

/** `--only` and `--skip` applied to every check, in report order; an unknown name is a usage error. */
function selectedChecks(options: Options): CheckName[] {
  const list = (value: string | undefined) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  const only = list(options.only);
  const skipped = list(options.skip) ?? [];
  const unknown = [...(only ?? []), ...skipped].filter((name) => !CHECK_NAMES.includes(name as CheckName));
  if (unknown.length) {
    throw new StagecraftError(
      CliCodes.CHECK_UNKNOWN,
      `${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length === 1 ? 'is not a check' : 'are not checks'} stagecraft check runs`,
      {
        hint: `the checks: ${CHECK_NAMES.join(', ')} (--only a,b runs just those; --skip a,b all but those)`,
      },
    );
  }
  if (only !== undefined && only.length === 0) {
    throw new StagecraftError(CliCodes.CHECK_UNKNOWN, '--only names no check', {
      hint: `name one or more, comma-separated: ${CHECK_NAMES.join(', ')}`,
    });
  }
  return CHECK_NAMES.filter((name) => (only === undefined || only.includes(name)) && !skipped.includes(name));
}

/**
 * A check's units; a check that cannot even be planned (its section of stagecraft.yaml is invalid) is one
 * unit that fails with that error, so the other checks still run.
 */
function planCheck(
  ctx: CommandContext,
  workspace: Workspace,
  scope: CheckScope,
  name: CheckName,
): PlannedUnit[] {
  try {
    return CHECKS[name](ctx, workspace, scope);
  } catch (error) {
    return [
      {
        check: name,
        name,
        environments: [],
        record: { kind: 'check', name, environments: [] },
        evaluate: () => Promise.reject(error),
      },
    ];
  }
}

/** One unit, its failure caught: an error is that check's status, not the run's end. */
async function evaluateUnit(ctx: CommandContext, unit: PlannedUnit): Promise<Evaluated> {
  const base = { check: unit.check, name: unit.name, environments: unit.environments };
  if ('skipped' in unit) {
    return {
      result: {
        ...base,
        status: 'skipped',
        summary: unit.skipped,
        findings: 0,
        report: null,
        error: null,
        skipped: unit.skipped,
      },
    };
  }
  const record = { record: unit.record };
  try {
    const outcome = await unit.evaluate();
    return {
      ...record,
      outcome,
      result: {
        ...base,
        status: outcome.status,
        summary: outcome.summary,
        findings: outcome.findings,
        report: outcome.report,
        error: null,
        skipped: null,
      },
    };
  } catch (thrown) {
    const error = isStagecraftError(thrown)
      ? thrown
      : new StagecraftError(
          CliCodes.CHECK_FAILED,
          `internal error in ${unit.name}: ${thrown instanceof Error ? thrown.message : String(thrown)}; this is a bug in stagecraft`,
          { hint: 'please report it with the command you ran; the other checks still ran' },
        );
    // As its own command would exit: what is written wrong (an invalid section, a refusal) is a problem
    // found; what could not be read or reached leaves the check unevaluated.
    const found = exitCodeFor(error.outcome) === ExitCode.Problems;
    return {
      ...record,
      error,
      result: {
        ...base,
        status: found ? 'problems' : 'error',
        summary: error.message.split('\n')[0] ?? error.message,
        findings: 0,
        report: null,
        error: errorData(error, ctx.output.style),
        skipped: null,
      },
    };
  }
}

/**
 * GitHub Actions shows what a step appends to the file GITHUB_STEP_SUMMARY names. A failure to write it is
 * a warning: the check's result stands.
 */
function appendStepSummary(ctx: CommandContext, markdown: () => string): void {
  const file = ctx.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  try {
    appendFileSync(resolve(ctx.cwd, file), `${markdown()}\n`);
  } catch (error) {
    const s = ctx.output.errorStyle;
    ctx.output.note(
      `${s.yellow('warning')} could not append the summary to GITHUB_STEP_SUMMARY (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/**
 * Records each result that ran in one ledger session, whether all were: parity and drift under the kind and
 * name their own commands record them with, the others as kind `check` (`check config`, `check secrets
 * staging`). Skipped checks are not recorded: nothing was checked.
 */
function recordAll(ctx: CommandContext, evaluated: readonly Evaluated[]): Promise<boolean> {
  const recordable = evaluated.flatMap(({ result, record: identity }) => {
    if (!identity || result.status === 'skipped') return [];
    return [
      {
        identity,
        outcome: {
          status: result.status,
          summary: result.summary,
          findings: result.findings,
          report: result.status === 'error' ? { error: result.error } : result.report,
        },
      },
    ];
  });
  if (recordable.length === 0) return Promise.resolve(true);
  return recordChecks(ctx, recordable, 'the check results');
}
