/** `stagecraft diff` as text and Markdown: each section under its heading, its status first. */
import type { ServiceArtifacts } from '../diff/artifacts.ts';
import { type DiffReport, SECTION_NAMES, type Section, type SectionName } from '../diff/report.ts';
import { shortDigest } from '../terminal/digest.ts';
import type { Style } from '../terminal/style.ts';
import { markdownTable, textTable } from './output.ts';

const TITLES: Readonly<Record<SectionName, string>> = {
  artifacts: 'Artifacts and deployments',
  config: 'Config values',
  secrets: 'Secret structure',
  parity: 'Infrastructure parity',
  dependencies: 'Dependency versions',
};

const MARK = { same: '=', differs: '≠', error: '!', skipped: '-' } as const;

/** A plain value as one cell; a secret never reaches here (its value is null in the data). */
function shown(value: unknown, secret: boolean, present: boolean): string {
  if (!present) return '(absent)';
  if (secret) return '(secret)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const short = (sha: string) => sha.slice(0, 7);

function deployedCells(side: ServiceArtifacts['left']): string[] {
  if (!side) return ['(not deployed)', '', '', ''];
  return [
    shortDigest(side.digest),
    short(side.commit),
    side.deployedAt,
    `${side.deployedBy} (${side.role}${side.breakGlass ? ', break-glass' : ''})`,
  ];
}

/** The lines of one section's body, as [cells] rows and free lines, for either format. */
interface Body {
  head: string[];
  rows: string[][];
  notes: string[];
}

function body(report: DiffReport, name: SectionName, full: boolean): Body | undefined {
  const { left, right } = report;
  const section = report.sections[name];
  if (!section.data) return undefined;
  switch (name) {
    case 'artifacts': {
      const data = report.sections.artifacts.data;
      const notes: string[] = [];
      for (const service of data?.services ?? []) {
        if (service.commitsError) {
          notes.push(
            `${service.service}: the commits between could not be listed: ${service.commitsError.message}${service.commitsError.hint ? ` (${service.commitsError.hint})` : ''}`,
          );
        }
        if (!service.commits) continue;
        for (const [label, list] of [
          [`${left} has, ${right} lacks`, service.commits.leftOnly],
          [`${right} has, ${left} lacks`, service.commits.rightOnly],
        ] as const) {
          if (list.commits.length === 0) continue;
          notes.push(`${service.service}: ${list.commits.length + list.more} commits ${label}:`);
          for (const commit of list.commits) notes.push(`  ${short(commit.sha)} ${commit.subject}`);
          if (list.more) notes.push(`  … and ${list.more} more`);
        }
      }
      const rows = (data?.services ?? []).flatMap((s) =>
        (
          [
            [left, s.left],
            [right, s.right],
          ] as const
        ).map(([environment, side], index) => [
          index ? '' : MARK[s.status === 'same' ? 'same' : 'differs'],
          index ? '' : s.service,
          environment,
          ...deployedCells(side),
        ]),
      );
      return { head: ['', 'service', 'environment', 'digest', 'commit', 'deployed', 'by'], rows, notes };
    }
    case 'config': {
      const data = report.sections.config.data;
      return {
        head: ['', 'key', left, right],
        rows: (data?.entries ?? [])
          .filter((entry) => entry.status !== 'same')
          .map((entry) => [
            MARK.differs,
            entry.key,
            entry.secret
              ? `(secret) ${entry.status === 'differs' ? 'differs' : `only in ${entry.status === 'left-only' ? left : right}`}`
              : shown(entry.left, false, entry.status !== 'right-only'),
            entry.secret ? '' : shown(entry.right, false, entry.status !== 'left-only'),
          ]),
        notes: [],
      };
    }
    case 'secrets': {
      const data = report.sections.secrets.data;
      const kinds = (list: string[] | null) => (list ? list.join(', ') : '(absent)');
      return {
        head: ['', 'key', left, right],
        rows: (data?.entries ?? []).map((entry) => [
          MARK[entry.status === 'same' ? 'same' : 'differs'],
          entry.key,
          kinds(entry.left),
          kinds(entry.right),
        ]),
        notes: [],
      };
    }
    case 'parity': {
      const data = report.sections.parity.data;
      const where = (d: { resource?: { kind: string; name: string } | undefined; path: string }) =>
        `${d.resource ? `${d.resource.kind} ${d.resource.name} ` : ''}${d.path}`;
      return {
        head: ['', 'where', left, right],
        rows: [
          ...(data?.violations ?? []).map((v) => [
            `${MARK.differs} ${v.type}`,
            where(v),
            shown(v.left, false, true),
            shown(v.right, false, true),
          ]),
          ...(full ? (data?.allowed ?? []) : []).map((a) => [
            'allowed',
            where(a),
            shown(a.left, false, true),
            shown(a.right, false, true),
          ]),
        ],
        notes: [
          ...(!full && data?.allowed.length
            ? [
                `${data.allowed.length} allowed differences (size and traffic) not listed: --format markdown or json lists them`,
              ]
            : []),
          ...(data?.warnings.map((warning) => `warning: ${warning}`) ?? []),
        ],
      };
    }
    case 'dependencies': {
      const data = report.sections.dependencies.data;
      const rows: string[][] = [];
      for (const comparison of data?.comparisons ?? []) {
        for (const difference of comparison.differences) {
          const changes = [
            ...difference.direct,
            ...difference.transitive.flatMap((group) => group.changes),
            ...difference.unattributed,
          ];
          if (difference.status !== 'differs')
            rows.push([
              MARK.differs,
              `${comparison.service ?? ''} ${difference.path}`,
              difference.status === 'removed' ? `${difference.packages ?? 0} packages` : '(absent)',
              difference.status === 'added' ? `${difference.packages ?? 0} packages` : '(absent)',
            ]);
          for (const change of changes)
            rows.push([
              MARK.differs,
              `${comparison.service ?? ''} ${change.name}`,
              change.left.join(', ') || '(absent)',
              change.right.join(', ') || '(absent)',
            ]);
        }
      }
      return { head: ['', 'service package', left, right], rows, notes: [] };
    }
  }
}

function statusWord(section: Section<unknown>): string {
  return section.status === 'error' ? 'could not evaluate' : section.status;
}

export function verdictLine(report: DiffReport): string {
  const differing = SECTION_NAMES.filter((name) => report.sections[name].status === 'differs');
  const failing = SECTION_NAMES.filter((name) => report.sections[name].status === 'error');
  if (failing.length)
    return `${report.left} and ${report.right}: ${failing.join(', ')} could not be evaluated: the comparison is incomplete`;
  return differing.length
    ? `${report.left} and ${report.right} differ in ${differing.join(', ')}`
    : `${report.left} and ${report.right} are the same in every section compared`;
}

export function renderDiffText(report: DiffReport, s: Style): string {
  const color = { same: s.green, differs: s.red, error: s.yellow, skipped: s.dim };
  const lines: string[] = [];
  for (const name of SECTION_NAMES) {
    const section = report.sections[name];
    lines.push(
      `${s.bold(`── ${TITLES[name]} ──`)} ${color[section.status](statusWord(section))}`,
      section.summary,
    );
    if (section.error?.hint) lines.push(`${s.cyan('hint:')} ${section.error.hint}`);
    const shownBody = body(report, name, false);
    if (shownBody?.rows.length)
      lines.push(textTable([shownBody.head.map((h) => s.dim(h)), ...shownBody.rows]));
    for (const note of shownBody?.notes ?? []) lines.push(`  ${note}`);
    lines.push('');
  }
  const mark = { identical: s.green('✓'), differs: s.red('≠'), incomplete: s.yellow('!') }[report.verdict];
  lines.push(`${mark} ${verdictLine(report)}`);
  return lines.join('\n');
}

export function renderDiffMarkdown(report: DiffReport): string {
  const parts = [
    `## Diff: ${report.left} ↔ ${report.right}`,
    '',
    verdictLine(report),
    '',
    markdownTable(
      ['Section', 'Status', 'Summary'],
      SECTION_NAMES.map((name) => [
        TITLES[name],
        statusWord(report.sections[name]),
        report.sections[name].summary,
      ]),
    ),
  ];
  for (const name of SECTION_NAMES) {
    const section = report.sections[name];
    parts.push('', `### ${TITLES[name]}: ${statusWord(section)}`, '', section.summary);
    if (section.error?.hint) parts.push('', `Hint: ${section.error.hint}`);
    const shownBody = body(report, name, true);
    if (shownBody?.rows.length) parts.push('', markdownTable(shownBody.head, shownBody.rows));
    if (shownBody?.notes.length) parts.push('', '```', ...shownBody.notes, '```');
  }
  return parts.join('\n');
}
