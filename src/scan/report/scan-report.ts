/**
 * One scan, four renderings: text for people, JSON for scripts, SARIF for code scanning, Markdown for a CI
 * job summary. All are built from the same data; the secret itself appears only when `reveal` is set.
 */
import type { Style } from '../../cli/style.ts';
import { type Finding, revealSecret } from '../finding.ts';
import type { ScanSummary } from '../scanner.ts';

export interface ScanReportData {
  findings: (Finding & { secret?: string })[];
  scanned: { files: number; bytes: number };
  skipped: { ignored: number; binary: number; oversized: number; unreadable: string[] };
  suppressed: number;
}

export function reportData(summary: ScanSummary, suppressed: number, reveal: boolean): ScanReportData {
  return {
    findings: summary.findings.map((finding) =>
      reveal ? { ...finding, secret: revealSecret(finding) ?? '' } : { ...finding },
    ),
    scanned: summary.scanned,
    skipped: summary.skipped,
    suppressed,
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
  }
  if (lines.length) lines.push('');
  const files = new Set(data.findings.map((finding) => finding.file)).size;
  const scanned = `scanned ${data.scanned.files} file(s), ${formatBytes(data.scanned.bytes)}${skippedText(data)}`;
  lines.push(
    data.findings.length === 0
      ? `${s.green('✓')} no secrets found (${scanned})`
      : `${s.red('✗')} ${data.findings.length} secret(s) in ${files} file(s) (${scanned})`,
  );
  if (data.findings.length) {
    lines.push(
      s.dim('  Remove each secret from the file and rotate it: it is compromised once committed.') +
        `\n${s.dim('  A false positive? Add `stagecraft:allow` on its line, or an allowlist entry under scan: in stagecraft.yaml.')}`,
    );
  }
  return lines.join('\n');
}

export function renderMarkdown(data: ScanReportData): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const head =
    data.findings.length === 0
      ? `### Secret scan: clean\n\nNo secrets found in ${data.scanned.files} file(s).`
      : `### Secret scan: ${data.findings.length} secret(s) found\n\nRemove each secret and rotate it.`;
  if (data.findings.length === 0) return head;
  return [
    head,
    '',
    '| File | Line | Rule | Match |',
    '| --- | --- | --- | --- |',
    ...data.findings.map(
      (f) =>
        `| ${cell(f.file)} | ${f.line} | ${cell(f.rule)} | \`${cell(f.secret ?? f.match).replace(/`/g, "'")}\` |`,
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
