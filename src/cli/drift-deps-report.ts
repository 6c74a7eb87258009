/**
 * `drift deps` as a check: its report rendered as text and Markdown, and its outcome for `runCheck` and the
 * aggregate `drift`. A report with a lockfile that could not be read has no outcome: it is an error (exit
 * 1), whatever the readable lockfiles showed, since a "no skew" would vouch for a file nobody read.
 */
import { type Problem, StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import type { CommitComparison, DepsReport, LockfileDifference, PackageChange } from '../drift/deps/index.ts';
import { depsFindings } from '../drift/deps/index.ts';
import { DriftCodes } from '../drift/errors.ts';
import type { Style } from '../terminal/style.ts';
import type { CheckOutcome } from './check-record.ts';
import { markdownTable } from './output.ts';

/** The report as a check's outcome; throws DEPS_LOCKFILE_UNREADABLE, every file a problem, when one was unreadable. */
export function depsOutcome(report: DepsReport): CheckOutcome {
  if (report.verdict === 'unreadable') throw unreadableError(report);
  return {
    status: report.verdict === 'skew' ? 'problems' : 'clean',
    summary: verdictLine(report),
    findings: depsFindings(report),
    report,
    text: (s) => renderDepsText(report, s),
    markdown: () => renderDepsMarkdown(report),
  };
}

export function unreadableError(report: DepsReport): StagecraftError {
  const problems: Problem[] = report.comparisons.flatMap((comparison) =>
    comparison.unreadable.map((file) => ({
      code: file.code as Problem['code'],
      severity: 'error' as const,
      // The location names COMMIT:PATH already; without one, the message does.
      message: file.location
        ? `${file.message} (the ${file.side} side)`
        : `${file.path} at ${file.side} (${short(file.commit)}): ${file.message}`,
      ...(file.location ? { location: file.location } : {}),
      ...(file.hint ? { hint: file.hint } : {}),
    })),
  );
  const readable = depsFindings(report);
  return new StagecraftError(
    DriftCodes.DEPS_LOCKFILE_UNREADABLE,
    `drift deps ${report.left}↔${report.right}: ${counted(problems.length, 'lockfile')} could not be read${
      readable ? `; the others show ${counted(readable, 'difference')}` : ''
    }\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`,
    {
      problems,
      hint: 'fix or regenerate each lockfile listed; a lockfile that cannot be read is never reported as clean',
    },
  );
}

const short = (commit: string) => commit.slice(0, 7);

/** The verdict in one line: the text report's last, and the summary a recorded result keeps. */
export function verdictLine(report: DepsReport): string {
  const c = report.counts;
  const pair = `${report.left}↔${report.right}`;
  if (report.verdict === 'no-skew') return `no dependency skew between ${pair}`;
  const parts = [
    ...(c.changed ? [`${c.changed} changed${c.majorChanges ? ` (${c.majorChanges} major)` : ''}`] : []),
    ...(c.added ? [`${c.added} added`] : []),
    ...(c.removed ? [`${c.removed} removed`] : []),
    ...(c.lockfilesAddedOrRemoved
      ? [`${counted(c.lockfilesAddedOrRemoved, 'lockfile')} on one side only`]
      : []),
    ...(c.unreadable ? [`${counted(c.unreadable, 'lockfile')} unreadable`] : []),
  ];
  return `dependency skew between ${pair}: ${parts.join(', ')}`;
}

function versions(list: string[]): string {
  return list.length ? list.join(', ') : '—';
}

function changeLine(change: PackageChange, s: Style): string {
  const major = change.majorChange ? ` ${s.red('major')}` : '';
  const also = change.alsoVia?.length ? s.dim(` (also via ${change.alsoVia.join(', ')})`) : '';
  if (change.change === 'added') return `${s.green('+')} ${change.name} ${versions(change.right)}${also}`;
  if (change.change === 'removed') return `${s.red('-')} ${change.name} ${versions(change.left)}${also}`;
  return `${s.yellow('~')} ${change.name} ${versions(change.left)} → ${versions(change.right)}${major}${also}`;
}

function formats(difference: LockfileDifference): string {
  const { leftFormat, rightFormat } = difference;
  if (leftFormat && rightFormat && leftFormat !== rightFormat) return `${leftFormat} → ${rightFormat}`;
  return leftFormat ?? rightFormat ?? '';
}

function differenceLines(difference: LockfileDifference, s: Style): string[] {
  const from = difference.leftPath ? ` (was ${difference.leftPath})` : '';
  const lines = [`  ${s.bold(difference.path)}${from} ${s.dim(`(${formats(difference)})`)}`];
  if (difference.status !== 'differs') {
    const side = difference.status === 'added' ? 'right' : 'left';
    lines.push(`    only on the ${side}: ${counted(difference.packages ?? 0, 'package')}`);
    return lines;
  }
  if (difference.direct.length) {
    lines.push('    direct:');
    for (const change of difference.direct) lines.push(`      ${changeLine(change, s)}`);
  }
  for (const group of difference.transitive) {
    lines.push(`    via ${group.via}:`);
    for (const change of group.changes) lines.push(`      ${changeLine(change, s)}`);
  }
  if (difference.unattributed.length) {
    lines.push('    not pulled in by a direct dependency:');
    for (const change of difference.unattributed) lines.push(`      ${changeLine(change, s)}`);
  }
  return lines;
}

function heading(comparison: CommitComparison): string {
  const commits = `${short(comparison.leftCommit)} ↔ ${short(comparison.rightCommit)}`;
  return comparison.service === null ? commits : `${comparison.service}: ${commits}`;
}

export function renderDepsText(report: DepsReport, s: Style): string {
  const lines: string[] = [];
  for (const comparison of report.comparisons) {
    if (comparison.sameCommit) {
      lines.push(
        `${s.green('✓')} ${comparison.service ?? 'commits'}: the same commit (${short(comparison.leftCommit)}) on both sides`,
      );
      continue;
    }
    if (!comparison.differences.length && !comparison.unreadable.length) {
      lines.push(
        `${s.green('✓')} ${heading(comparison)}: ${counted(comparison.lockfilesCompared, 'lockfile')}, no skew`,
      );
      continue;
    }
    lines.push(s.bold(heading(comparison)));
    for (const difference of comparison.differences) lines.push(...differenceLines(difference, s));
    for (const file of comparison.unreadable) {
      lines.push(`  ${s.red('✗')} ${file.path} (${file.side}, ${short(file.commit)}): ${file.message}`);
    }
  }
  for (const skipped of report.notCompared) {
    lines.push(
      s.dim(`- ${skipped.service}: not compared (${reasonText(skipped.reason, skipped.environment)})`),
    );
  }
  if (lines.length) lines.push('');
  lines.push(`${report.verdict === 'no-skew' ? s.green('✓') : s.red('✗')} ${verdictLine(report)}`);
  return lines.join('\n');
}

function reasonText(_reason: DepsReport['notCompared'][number]['reason'], environment: string): string {
  return `not deployed to ${environment}`;
}

export function renderDepsMarkdown(report: DepsReport): string {
  const lines = [
    `### Dependency skew ${report.left} ↔ ${report.right}: ${report.verdict === 'no-skew' ? 'none' : 'found'}`,
    '',
    verdictLine(report),
  ];
  for (const comparison of report.comparisons) {
    if (comparison.sameCommit) {
      lines.push(
        '',
        `- ${comparison.service ?? 'commits'}: the same commit (\`${short(comparison.leftCommit)}\`) on both sides`,
      );
      continue;
    }
    const rows: string[][] = [];
    for (const d of comparison.differences) {
      if (d.status !== 'differs') {
        rows.push([d.path, `lockfile ${d.status}`, '', '', `${counted(d.packages ?? 0, 'package')}`]);
        continue;
      }
      const row = (change: PackageChange, kind: string) => [
        d.path,
        kind,
        change.name,
        `${versions(change.left)} → ${versions(change.right)}`,
        `${change.change}${change.majorChange ? ' **major**' : ''}${change.alsoVia?.length ? ` (also via ${change.alsoVia.join(', ')})` : ''}`,
      ];
      for (const change of d.direct) rows.push(row(change, 'direct'));
      for (const group of d.transitive)
        for (const change of group.changes) rows.push(row(change, `via ${group.via}`));
      for (const change of d.unattributed) rows.push(row(change, 'unattributed'));
    }
    for (const file of comparison.unreadable)
      rows.push([file.path, `unreadable (${file.side})`, '', '', file.message]);
    lines.push('', `**${heading(comparison)}**`, '');
    lines.push(
      rows.length
        ? markdownTable(['Lockfile', 'Kind', 'Package', 'Versions', 'Change'], rows)
        : `${counted(comparison.lockfilesCompared, 'lockfile')}, no skew`,
    );
  }
  if (report.notCompared.length) {
    lines.push(
      '',
      ...report.notCompared.map(
        (n) => `- ${n.service}: not compared (${reasonText(n.reason, n.environment)})`,
      ),
    );
  }
  return lines.join('\n');
}
