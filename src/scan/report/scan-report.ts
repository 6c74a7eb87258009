/**
 * One scan, four renderings: text for people, JSON for scripts, SARIF for code scanning, Markdown for a CI
 * job summary. All are built from the same data; the secret itself appears only when `reveal` is set.
 */

import { agreeing, counted } from '@stagecraft/config/text';
import type { Style } from '../../terminal/style.ts';
import { DEFAULT_FAIL_POLICY, type FailPolicy, failsRun } from '../classify/policy.ts';
import { ScanCodes } from '../errors.ts';
import { type Finding, revealSecret } from '../finding.ts';
import type { ScanSummary } from '../scanner.ts';
import type { Skipped, SkippedFile } from '../skipped-files.ts';
import type { SuppressedBy } from '../suppression.ts';

/** A skipped file as reports carry it: the data, and why in words. */
export type SkippedFileReport = SkippedFile & { message: string };

/** A finding as reports carry it: with whether it counts toward exit 2 under the run's policy. */
export type ReportedFinding = Finding & { secret?: string; fails: boolean };

export interface ScanReportData {
  /** Every finding, those that fail the run and those that do not (`fails`). */
  findings: ReportedFinding[];
  /** How many findings fail the run (exit 2). */
  failing: number;
  /** Text and Markdown: list the findings that do not fail the run too (`--show-low`). */
  showLow?: boolean;
  /** History and range scans add the number of commits read. */
  scanned: { files: number; bytes: number; commits?: number };
  /** Counts, and each file not scanned by name with why (gitignored files are only counted). */
  skipped: Omit<Skipped, 'files'> & { files: SkippedFileReport[] };
  suppressed: number;
  /** Set when the scan could not be evaluated (an unreadable path; a skipped file under --fail-on-skipped). */
  error?: { code: string; message: string; hint?: string };
  /** With `--show-suppressed`: each suppressed finding (never its secret), what suppressed it and why. */
  suppressions?: (Finding & { by: SuppressedBy; reason: string })[];
}

export function reportData(
  summary: ScanSummary,
  reveal: boolean,
  showSuppressed = false,
  policy: FailPolicy = DEFAULT_FAIL_POLICY,
  showLow = false,
): ScanReportData {
  const commits = (summary as { commits?: number }).commits;
  const findings = summary.findings.map((finding) => {
    const fails = failsRun(finding, policy);
    return reveal ? { ...finding, secret: revealSecret(finding) ?? '', fails } : { ...finding, fails };
  });
  return {
    findings,
    failing: findings.filter((finding) => finding.fails).length,
    ...(showLow ? { showLow } : {}),
    scanned: commits === undefined ? summary.scanned : { ...summary.scanned, commits },
    skipped: {
      ...summary.skipped,
      files: summary.skipped.files.map((file) => ({ ...file, message: skipReasonText(file) })),
    },
    suppressed: summary.suppressed.length,
    ...(showSuppressed
      ? {
          suppressions: summary.suppressed.map(({ finding, by, reason }) => ({ ...finding, by, reason })),
        }
      : {}),
  };
}

function renderFindings(findings: readonly ReportedFinding[], s: Style, lines: string[]): void {
  let file: string | undefined;
  for (const finding of findings) {
    if (finding.file !== file) {
      if (file !== undefined) lines.push('');
      file = finding.file;
      lines.push(s.bold(file));
    }
    const where = s.dim(`${finding.line}:${finding.column}`.padEnd(8));
    const shown = finding.secret !== undefined ? finding.secret : finding.match;
    const decoded = finding.decoded ? s.dim(` (${finding.decoded}-encoded)`) : '';
    const judged = finding.confidence ? s.dim(` [${finding.confidence}, ${finding.context}]`) : '';
    const rule = finding.fails ? s.red(finding.rule) : s.yellow(finding.rule);
    lines.push(`  ${where} ${rule}  ${finding.description}${decoded}${judged}`);
    lines.push(`           ${s.dim(shown)}`);
    if (finding.commit) lines.push(`           ${s.dim(commitText(finding))}`);
  }
  if (findings.length) lines.push('');
}

/** The findings that do not fail the run, in words, and how to see them. */
function notCountedText(data: ScanReportData): string {
  const notCounted = data.findings.length - data.failing;
  const how = data.showLow ? 'listed above' : '--show-low lists them';
  return `  ${counted(notCounted, 'finding')} not counted (low confidence, or in tests, docs or examples): ${how}; JSON and SARIF always carry them.`;
}

export function renderText(data: ScanReportData, s: Style): string {
  const lines: string[] = [];
  renderFindings(
    data.findings.filter((finding) => finding.fails),
    s,
    lines,
  );
  const notCounted = data.findings.filter((finding) => !finding.fails);
  if (data.showLow && notCounted.length) {
    lines.push(s.bold('Not counted (these do not fail the run)'), '');
    renderFindings(notCounted, s, lines);
  }
  if (data.suppressions?.length) {
    lines.push(s.bold('Suppressed'));
    for (const entry of data.suppressions) {
      const why = entry.reason ? `${entry.by}: ${entry.reason}` : entry.by;
      lines.push(`  ${entry.file}:${entry.line}  ${entry.rule}  ${s.dim(entry.match)}  ${s.dim(`(${why})`)}`);
    }
    lines.push('');
  }
  const files = new Set(data.findings.filter((finding) => finding.fails).map((finding) => finding.file)).size;
  const commits = data.scanned.commits === undefined ? '' : `${counted(data.scanned.commits, 'commit')}, `;
  const scanned = `scanned ${commits}${counted(data.scanned.files, commits ? 'file change' : 'file')}, ${formatBytes(data.scanned.bytes)}${skippedText(data)}`;
  const notScanned = data.skipped.files.length;
  // A skipped file is never a quiet tick: the headline says the scan did not see everything.
  const clean = notCounted.length ? 'no secrets that fail the scan' : 'no secrets found';
  lines.push(
    data.failing > 0
      ? `${s.red('✗')} ${counted(data.failing, 'secret')} in ${counted(files, 'file')} (${scanned})`
      : notScanned > 0
        ? `${s.yellow('!')} ${clean} in what was scanned, but ${counted(notScanned, 'file')} ${agreeing(notScanned, 'was', 'were')} not scanned (${scanned})`
        : `${s.green('✓')} ${clean} (${scanned})`,
  );
  if (notCounted.length) lines.push(s.dim(notCountedText(data)));
  if (notScanned > 0)
    lines.push(
      s.dim(
        `  Not scanned: ${counted(notScanned, 'file')}, each named in a warning; --fail-on-skipped makes any an error.`,
      ),
    );
  if (data.failing) {
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
  const notScanned = data.skipped.files;
  const shown = data.findings.filter((finding) => finding.fails || data.showLow);
  const head =
    data.failing > 0
      ? `### Secret scan: ${counted(data.failing, 'secret')} found\n\nRemove each secret and rotate it.`
      : notScanned.length > 0
        ? `### Secret scan: no secrets found, ${counted(notScanned.length, 'file')} not scanned\n\nNo secrets found in ${counted(data.scanned.files, 'file')}; the files below were not scanned.`
        : `### Secret scan: clean\n\nNo secrets ${data.findings.length ? 'that fail the scan ' : ''}found in ${counted(data.scanned.files, 'file')}.`;
  const skippedTable = notScanned.length
    ? [
        '',
        '**Not scanned**',
        '',
        '| File | Why |',
        '| --- | --- |',
        ...notScanned.map((f) => `| ${cell(skippedPlace(f))} | ${cell(f.message)} |`),
      ]
    : [];
  const notCounted = data.findings.length - data.failing;
  const note = notCounted ? ['', notCountedText(data).trim()] : [];
  if (shown.length === 0) return [head, ...note, ...skippedTable].join('\n');
  const history = data.scanned.commits !== undefined;
  return [
    head,
    '',
    `| File | Line | Rule | Confidence | Context | Match |${history ? ' Commit |' : ''}`,
    `| --- | --- | --- | --- | --- | --- |${history ? ' --- |' : ''}`,
    ...shown.map(
      (f) =>
        `| ${cell(f.file)} | ${f.line} | ${cell(f.rule)} | ${f.confidence ?? ''}${f.fails ? '' : ' (not counted)'} | ${f.context ?? ''} | \`${cell(f.secret ?? f.match).replace(/`/g, "'")}\` |${history ? ` ${f.commit?.sha.slice(0, 12) ?? ''}${f.presentAtHead ? ' (still at HEAD)' : ''} |` : ''}`,
    ),
    ...note,
    ...skippedTable,
  ].join('\n');
}

/** One warning line per file not scanned, for standard error. */
export function renderSkippedWarnings(data: ScanReportData, s: Style): string {
  return data.skipped.files
    .map(
      (file) =>
        `${s.yellow('warning')} ${s.dim(`[${ScanCodes.SCAN_FILE_SKIPPED}]`)} ${s.bold(skippedPlace(file))}: not scanned, ${file.message}`,
    )
    .join('\n');
}

/** The file, and in history scans the commit whose change was skipped. */
function skippedPlace(file: SkippedFile): string {
  return file.commit ? `${file.file} (commit ${file.commit.slice(0, 12)})` : file.file;
}

/** Why a file was not scanned, for people: `binary (a NUL byte in its first 8 KiB)`. */
export function skipReasonText(file: SkippedFile): string {
  switch (file.reason) {
    case 'binary':
      return 'binary (a NUL byte in its first 8 KiB)';
    case 'oversized':
      return file.partial
        ? `its change passes the ${limitText(file.limit)} size limit (scan.maxFileSize): only the part before the limit was scanned`
        : `${formatBytes(file.bytes ?? 0)}, over the ${limitText(file.limit)} size limit (scan.maxFileSize)`;
    case 'undecodable':
      return file.encoding?.startsWith('UTF-32')
        ? `${file.encoding} text, which the scanner does not decode`
        : `its byte-order mark says ${file.encoding ?? 'Unicode'}, but it is not valid ${file.encoding ?? 'text'}`;
  }
}

function limitText(limit: number | undefined): string {
  return limit === undefined ? 'file' : formatBytes(limit);
}

function skippedText(data: ScanReportData): string {
  const parts: string[] = [];
  if (data.skipped.binary) parts.push(`${data.skipped.binary} binary`);
  if (data.skipped.oversized) parts.push(`${data.skipped.oversized} oversized`);
  if (data.skipped.undecodable) parts.push(`${data.skipped.undecodable} undecodable`);
  if (data.skipped.ignored) parts.push(`${data.skipped.ignored} gitignored`);
  if (data.suppressed) parts.push(`${data.suppressed} suppressed`);
  return parts.length ? `; skipped ${parts.join(', ')}` : '';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
