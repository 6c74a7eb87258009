/**
 * `stagecraft drift`: every drift source stagecraft.yaml configures (drift-sources.ts) in one report with one
 * exit code — 1 when any source could not be evaluated, else 2 when any found drift, else 0. Each source's
 * own status is shown, so one that fails hides none of the others. `--record` records each source's result
 * under the name its own command records it with.
 */
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { DriftCodes } from '../../drift/errors.ts';
import { driftSettingsOf } from '../../drift/settings.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckOutcome, recordChecks } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { configuredSources, type DriftSource, type SourceKind } from '../drift-sources.ts';
import { ExitCode } from '../exit-codes.ts';
import { errorData, markdownTable, textTable } from '../output.ts';

interface Options {
  record?: boolean;
}

/** One source's result in the report (`--format json`). */
export interface SourceResult {
  source: SourceKind;
  name: string;
  environments: string[];
  status: 'clean' | 'drift' | 'error';
  summary: string;
  findings: number;
  /** The source's own report, as its command prints it with --format json; null when it failed. */
  report: unknown;
  /** Why it could not be evaluated; null otherwise. */
  error: Record<string, unknown> | null;
}

export interface DriftReport {
  verdict: 'no-drift' | 'drift' | 'error';
  counts: { clean: number; drift: number; error: number };
  sources: SourceResult[];
}

interface Evaluated {
  source: DriftSource;
  result: SourceResult;
  outcome?: CheckOutcome;
  error?: StagecraftError;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const workspace = ctx.workspace();
  const sources = configuredSources(ctx, workspace, driftSettingsOf(workspace));
  if (sources.length === 0) {
    throw new StagecraftError(
      DriftCodes.DRIFT_NOTHING_CONFIGURED,
      'stagecraft.yaml configures no drift source, so there is nothing to check',
      {
        hint: 'add drift.kubernetes (how to reach each environment’s cluster), drift.freshness, drift.hotfix or drift.deps, or terraform.plan on an environment; see `stagecraft config example`',
      },
    );
  }
  const evaluated: Evaluated[] = [];
  for (const source of sources) evaluated.push(await evaluateSource(ctx, source));
  const results = evaluated.map((entry) => entry.result);
  const counts = {
    clean: results.filter((r) => r.status === 'clean').length,
    drift: results.filter((r) => r.status === 'drift').length,
    error: results.filter((r) => r.status === 'error').length,
  };
  const report: DriftReport = {
    verdict: counts.error ? 'error' : counts.drift ? 'drift' : 'no-drift',
    counts,
    sources: results,
  };
  ctx.output.report({
    data: report,
    text: (s) => renderText(report, evaluated, s),
    markdown: () => renderMarkdown(report, evaluated),
  });
  const exit = counts.error ? ExitCode.Error : counts.drift ? ExitCode.Problems : ExitCode.Clean;
  if (!options.record) return exit;
  const recorded = await recordAll(ctx, results);
  return !recorded && exit === ExitCode.Clean ? ExitCode.Error : exit;
}

/** One source, its failure caught: an error is that source's status, not the run's end. */
async function evaluateSource(ctx: CommandContext, source: DriftSource): Promise<Evaluated> {
  const base = { source: source.kind, name: source.name, environments: source.environments };
  try {
    const outcome = await source.evaluate();
    return {
      source,
      outcome,
      result: {
        ...base,
        status: outcome.status === 'problems' ? 'drift' : 'clean',
        summary: outcome.summary,
        findings: outcome.findings,
        report: outcome.report,
        error: null,
      },
    };
  } catch (thrown) {
    const error = isStagecraftError(thrown)
      ? thrown
      : new StagecraftError(
          DriftCodes.DRIFT_SOURCE_FAILED,
          `internal error in ${source.name}: ${thrown instanceof Error ? thrown.message : String(thrown)}; this is a bug in stagecraft`,
          { hint: 'please report it with the command you ran; the other sources were still checked' },
        );
    return {
      source,
      error,
      result: {
        ...base,
        status: 'error',
        summary: error.message.split('\n')[0] ?? error.message,
        findings: 0,
        report: null,
        error: errorData(error, ctx.output.style),
      },
    };
  }
}

/** Records every source's result in one ledger session, each as its own command records it; whether all were. */
function recordAll(ctx: CommandContext, results: readonly SourceResult[]): Promise<boolean> {
  return recordChecks(
    ctx,
    results.map((result) => ({
      identity: { kind: 'drift', name: result.name, environments: result.environments },
      outcome: {
        status: result.status === 'drift' ? 'problems' : result.status,
        summary: result.summary,
        findings: result.findings,
        report: result.status === 'error' ? { error: result.error } : result.report,
      },
    })),
    'the drift results',
  );
}

const MARK = { clean: '✓', drift: '✗', error: '!' } as const;

function verdictLine(report: DriftReport): string {
  const { clean, drift, error } = report.counts;
  const total = counted(report.sources.length, 'source');
  if (error)
    return `${counted(error, 'source')} could not be evaluated${drift ? `, ${drift} found drift` : ''} (of ${total}): the result is incomplete`;
  return drift ? `drift in ${drift} of ${total}` : `no drift in ${total} (${clean} clean)`;
}

function renderText(report: DriftReport, evaluated: readonly Evaluated[], s: Style): string {
  const color = { clean: s.green, drift: s.red, error: s.yellow };
  const lines: string[] = [];
  for (const { result, outcome, error } of evaluated) {
    lines.push(s.bold(`── ${result.name} ──`));
    if (outcome) lines.push(outcome.text(s));
    else if (error) {
      lines.push(`${s.yellow('could not evaluate:')} ${error.message}`);
      if (error.hint) lines.push(`${s.cyan('hint:')} ${error.hint}`);
    }
    lines.push('');
  }
  lines.push(
    s.bold('Summary'),
    textTable(
      report.sources.map((r) => [color[r.status](`${MARK[r.status]} ${r.status}`), r.name, s.dim(r.summary)]),
    ),
    '',
    `${report.verdict === 'no-drift' ? s.green('✓') : report.verdict === 'drift' ? s.red('✗') : s.yellow('!')} ${verdictLine(report)}`,
  );
  return lines.join('\n');
}

function renderMarkdown(report: DriftReport, evaluated: readonly Evaluated[]): string {
  const heading = { 'no-drift': 'none', drift: 'found', error: 'incomplete' }[report.verdict];
  const sections = evaluated.map(({ result, outcome, error }) => {
    if (outcome) return `#### ${result.name}\n\n${outcome.markdown().replace(/^### /gm, '##### ')}`;
    return `#### ${result.name}: could not evaluate\n\n${error?.message ?? ''}${error?.hint ? `\n\nHint: ${error.hint}` : ''}`;
  });
  return [
    `## Drift: ${heading}`,
    '',
    verdictLine(report),
    '',
    markdownTable(
      ['', 'Source', 'Status', 'Summary'],
      report.sources.map((r) => [MARK[r.status], r.name, r.status, r.summary]),
    ),
    '',
    ...sections.flatMap((section) => [section, '']),
  ]
    .join('\n')
    .trimEnd();
}
