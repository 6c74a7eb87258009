/**
 * `stagecraft secrets check --env NAME`: every secret the environment's config uses — each reference, and
 * each secret field fed by a variable or file — and whether it resolves here. Values are never printed.
 */
import { outcomeOfProblems, type Problem } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import type { CheckOutcome } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatProblemStyled, markdownTable, textTable } from '../output.ts';
import { requireDeclaredEnvironment, resolvedConfig } from '../secrets-support.ts';
import { describeProvenance } from './config-show.ts';

interface Options {
  env?: string;
  module?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  requireDeclaredEnvironment(ctx, options.env);
  const { outcome, unjudged } = await evaluateSecrets(ctx, options);
  ctx.output.report({ data: outcome.report, text: outcome.text, markdown: outcome.markdown });
  if (outcome.status === 'clean') return ExitCode.Clean;
  return unjudged ? ExitCode.Error : ExitCode.Problems;
}

/**
 * Whether each secret of the environment resolves here, nothing printed: what `run` reports and
 * `stagecraft check` runs. `unjudged`: every failure was a store that could not answer (unreachable, sealed,
 * throttled), so nothing was judged.
 */
export async function evaluateSecrets(
  ctx: CommandContext,
  options: Options,
): Promise<{ outcome: CheckOutcome; unjudged: boolean }> {
  const { inspection } = await resolvedConfig(ctx, options);
  const root = inspection.context.root;
  const problemsByField = new Map<string, Problem[]>();
  for (const problem of inspection.problems) {
    if (problem.field === undefined) continue;
    problemsByField.set(problem.field, [...(problemsByField.get(problem.field) ?? []), problem]);
  }
  const rows = inspection.entries
    .filter((entry) => entry.secretReference || entry.field.spec.secret)
    .map((entry) => {
      const problems = problemsByField.get(entry.field.key) ?? [];
      return {
        field: entry.field.key,
        variable: entry.field.envName,
        secret: entry.field.spec.secret,
        references: entry.secretReferences,
        from: describeProvenance(entry.provenance, root),
        resolves: problems.length === 0 && (entry.value !== undefined || entry.field.spec.optional),
        problems,
      };
    });
  const failing = rows.filter((row) => !row.resolves);
  const outcome: CheckOutcome = {
    status: failing.length === 0 ? 'clean' : 'problems',
    summary:
      failing.length === 0
        ? `all ${counted(rows.length, 'secret')} of ${inspection.environment} resolve here`
        : `${failing.length} of ${counted(rows.length, 'secret')} of ${inspection.environment} do not resolve here: ${failing.map((row) => row.field).join(', ')}`,
    findings: failing.length,
    report: { environment: inspection.environment, secrets: rows, resolves: failing.length === 0 },
    text: (s) =>
      [
        textTable([
          ['', 'field', 'reference or source'].map((h) => s.dim(h)),
          ...rows.map((row) => [
            row.resolves ? s.green('✓') : s.red('✗'),
            row.field,
            row.references.length ? row.references.join(', ') : s.dim(row.from),
          ]),
        ]),
        ...failing.flatMap((row) => row.problems.map((problem) => formatProblemStyled(problem, s))),
        '',
        failing.length === 0
          ? `${s.green('✓')} all ${counted(rows.length, 'secret')} of ${inspection.environment} resolve here`
          : `${s.red('✗')} ${failing.length} of ${counted(rows.length, 'secret')} of ${inspection.environment} do not resolve here`,
      ].join('\n'),
    markdown: () =>
      markdownTable(
        ['Field', 'Reference or source', 'Resolves'],
        rows.map((row) => [
          row.field,
          row.references.join(', ') || row.from,
          row.resolves ? 'yes' : `no: ${row.problems.map((p) => p.message).join('; ')}`,
        ]),
      ),
  };
  // Every failure a store that could not answer (unreachable, sealed, throttled): nothing was judged.
  const unjudged =
    failing.length > 0 && outcomeOfProblems(failing.flatMap((row) => row.problems)) === 'unavailable';
  return { outcome, unjudged };
}
