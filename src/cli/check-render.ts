/**
 * `stagecraft check` in text and Markdown: one line per check (status, name, summary), then what each check
 * that found problems or could not evaluate reports itself — the file:line, environment and variable its own
 * command names — and the verdict.
 */
import { agreeing, counted } from '@stagecraft/config/text';
import type { Style } from '../terminal/style.ts';
import type { CheckReport, CheckStatus, Evaluated } from './check-list.ts';
import { markdownTable, textTable } from './output.ts';

const MARK: Record<CheckStatus, string> = { clean: '✓', problems: '✗', error: '!', skipped: '-' };

/** The verdict in one line: the text report's last, and the Markdown summary's first. */
export function verdictLine(report: CheckReport): string {
  const { clean, problems, error, skipped } = report.counts;
  const ran = report.checks.length - skipped;
  const skippedNote = skipped ? `; ${skipped} skipped` : '';
  if (error)
    return `${counted(error, 'check')} could not be evaluated${problems ? `, ${problems} found problems` : ''} (of ${ran} run${skippedNote}): the result is incomplete`;
  if (ran === 0) return `no check ran${skippedNote.replace(';', ':')}`;
  if (problems) return `problems in ${problems} of ${counted(ran, 'check')} run${skippedNote}`;
  return `${clean} of ${counted(ran, 'check')} run ${agreeing(clean, 'is', 'are')} clean${skippedNote}`;
}

/** The checks whose own report is shown under the summary: those that found problems or could not evaluate. */
const failing = (evaluated: readonly Evaluated[]) =>
  evaluated.filter(({ result }) => result.status === 'problems' || result.status === 'error');

export function renderText(report: CheckReport, evaluated: readonly Evaluated[], s: Style): string {
  const color: Record<CheckStatus, (text: string) => string> = {
    clean: s.green,
    problems: s.red,
    error: s.yellow,
    skipped: s.dim,
  };
  const lines = [
    textTable(
      report.checks.map((r) => [color[r.status](`${MARK[r.status]} ${r.status}`), r.name, s.dim(r.summary)]),
    ),
    '',
  ];
  for (const { result, outcome, error } of failing(evaluated)) {
    lines.push(s.bold(`── ${result.name} ──`));
    if (outcome) lines.push(outcome.text(s));
    else if (error) {
      const label = result.status === 'error' ? s.yellow('could not evaluate:') : s.red(`${error.code}:`);
      lines.push(`${label} ${error.message}`);
      if (error.hint) lines.push(`${s.cyan('hint:')} ${error.hint}`);
    }
    lines.push('');
  }
  const mark =
    report.counts.skipped === report.checks.length
      ? s.dim('-')
      : report.verdict === 'clean'
        ? s.green('✓')
        : report.verdict === 'problems'
          ? s.red('✗')
          : s.yellow('!');
  lines.push(`${mark} ${verdictLine(report)}`);
  return lines.join('\n');
}

export function renderMarkdown(report: CheckReport, evaluated: readonly Evaluated[]): string {
  const heading = { clean: 'passed', problems: 'problems found', error: 'incomplete' }[report.verdict];
  const sections = failing(evaluated).map(({ result, outcome, error }) => {
    if (outcome) return `### ${result.name}\n\n${outcome.markdown().replace(/^(#{1,4}) /gm, '$1## ')}`;
    const heading = result.status === 'error' ? 'could not evaluate' : (error?.code ?? '');
    return `### ${result.name}: ${heading}\n\n${error?.message ?? ''}${error?.hint ? `\n\nHint: ${error.hint}` : ''}`;
  });
  return [
    `## stagecraft check: ${heading}`,
    '',
    verdictLine(report),
    '',
    markdownTable(
      ['', 'Check', 'Status', 'Summary'],
      report.checks.map((r) => [MARK[r.status], r.name, r.status, r.summary]),
    ),
    '',
    ...sections.flatMap((section) => [section, '']),
  ]
    .join('\n')
    .trimEnd();
}
