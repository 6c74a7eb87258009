/**
 * One scan, four renderings: text for people, JSON for scripts, SARIF for code scanning, Markdown for a CI
 * job summary. All are built from the same data; the secret itself appears only when `reveal` is set.
 */
import type { Style } from '../../cli/style.ts';
import { type Finding, revealSecret } from '../finding.ts';
import type { ScanSummary } from '../scanner.ts';
import type { SuppressedBy } from '../suppression.ts';

export interface ScanReportData {
  findings: (Finding & { secret?: string })[];
  /** History and range scans add the number of commits read. */
  scanned: { files: number; bytes: number; commits?: number };
  skipped: { ignored: number; binary: number; oversized: number; unreadable: string[] };
  suppressed: number;
  /** With `--show-suppressed`: each suppressed finding (never its secret), what suppressed it and why. */
  suppressions?: (Finding & { by: SuppressedBy; reason: string })[];
}

export function reportData(summary: ScanSummary, reveal: boolean, showSuppressed = false): ScanReportData {
  const commits = (summary as { commits?: number }).commits;
  return {
    findings: summary.findings.map((finding) =>
      reveal ? { ...finding, secret: revealSecret(finding) ?? '' } : { ...finding },
    ),
    scanned: commits === undefined ? summary.scanned : { ...summary.scanned, commits },
    skipped: summary.skipped,
    suppressed: summary.suppressed.length,
    ...(showSuppressed
      ? {
          suppressions: summary.suppressed.map(({ finding, by, reason }) => ({ ...finding, by, reason })),
        }
      : {}),
  };
}

export function renderText(data: ScanReportData, s: Style): string {
  const lines: string[] = [];
  let file: string | undefined;
  for (const finding of data.findings) {
    if (finding.file !== file) {
      if (file !== undefined) lines.push('');
      file = finding.file;
      lines.push(s.bold(file));
    }
    const where = s.dim(`${finding.line}:${finding.column}`.padEnd(8));
    const shown = finding.secret !== undefined ? finding.secret : finding.match;
    const decoded = finding.decoded ? s.dim(` (${finding.decoded}-encoded)`) : '';
    lines.push(`  ${where} ${s.red(finding.rule)}  ${finding.description}${decoded}`);
    lines.push(`           ${s.dim(shown)}`);
    if (finding.commit) lines.push(`           ${s.dim(commitText(finding))}`);
  }
  if (lines.length) lines.push('');
  if (data.suppressions?.length) {
    lines.push(s.bold('Suppressed'));
    for (const entry of data.suppressions) {
      const why = entry.reason ? `${entry.by}: ${entry.reason}` : entry.by;
      lines.push(`  ${entry.file}:${entry.line}  ${entry.rule}  ${s.dim(entry.match)}  ${s.dim(`(${why})`)}`);
    }
    lines.push('');
  }
  const files = new Set(data.findings.map((finding) => finding.file)).size;
  const commits = data.scanned.commits === undefined ? '' : `${data.scanned.commits} commit(s), `;
  const scanned = `scanned ${commits}${data.scanned.files} file${commits ? ' change' : ''}(s), ${formatBytes(data.scanned.bytes)}${skippedText(data)}`;
  lines.push(
    data.findings.length === 0
      ? `${s.green('✓')} no secrets found (${scanned})`
      : `${s.red('✗')} ${data.findings.length} secret(s) in ${files} file(s) (${scanned})`,
  );
  if (data.findings.length) {
    const inHistory = data.scanned.commits !== undefined;
    lines.push(
      s.dim(
        inHistory
          ? '  Rotate each secret: every clone of the history has it. Remove the ones still at HEAD.'
          : '  Remove each secret from the file and rotate it: it is compromised once committed.',
      ),
      s.dim(
        '  A false positive? Add `stagecraft:allow` on its line, an allowlist entry under scan: in stagecraft.yaml,',
      ),
      s.dim(
        '  or accept the current findings in a baseline: stagecraft scan --write-baseline FILE --reason "…".',
      ),
    );
  }
  return lines.join('\n');
}

function commitText(finding: Finding): string {
  const commit = finding.commit;
  if (!commit) return '';
  const where = finding.presentAtHead ? 'still present at HEAD' : 'no longer at HEAD';
  return `commit ${commit.sha.slice(0, 12)} by ${commit.author} <${commit.email}> on ${commit.date.slice(0, 10)}; ${where}`;
}

export function renderMarkdown(data: ScanReportData): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const head =
    data.findings.length === 0
      ? `### Secret scan: clean\n\nNo secrets found in ${data.scanned.files} file(s).`
      : `### Secret scan: ${data.findings.length} secret(s) found\n\nRemove each secret and rotate it.`;
  if (data.findings.length === 0) return head;
  const history = data.scanned.commits !== undefined;
  return [
    head,
    '',
    `| File | Line | Rule | Match |${history ? ' Commit |' : ''}`,
    `| --- | --- | --- | --- |${history ? ' --- |' : ''}`,
    ...data.findings.map(
      (f) =>
        `| ${cell(f.file)} | ${f.line} | ${cell(f.rule)} | \`${cell(f.secret ?? f.match).replace(/`/g, "'")}\` |${history ? ` ${f.commit?.sha.slice(0, 12) ?? ''}${f.presentAtHead ? ' (still at HEAD)' : ''} |` : ''}`,
    ),
  ].join('\n');
}

function skippedText(data: ScanReportData): string {
  const parts: string[] = [];
  if (data.skipped.binary) parts.push(`${data.skipped.binary} binary`);
  if (data.skipped.oversized) parts.push(`${data.skipped.oversized} oversized`);
  if (data.skipped.ignored) parts.push(`${data.skipped.ignored} gitignored`);
  if (data.suppressed) parts.push(`${data.suppressed} suppressed`);
  return parts.length ? `; skipped ${parts.join(', ')}` : '';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
