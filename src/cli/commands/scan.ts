import { readFileSync } from 'node:fs';
import { isStagecraftError, StagecraftError } from '../../errors.ts';
import { applyAllowlist } from '../../scan/allow.ts';
import { ScanEngine } from '../../scan/engine.ts';
import type { Finding } from '../../scan/finding.ts';
import { stagedChanges } from '../../scan/git-staged.ts';
import { readGitleaksConfig } from '../../scan/gitleaks-config.ts';
import { renderSarif } from '../../scan/report/sarif-report.ts';
import { formatBytes, renderMarkdown, renderText, reportData } from '../../scan/report/scan-report.ts';
import { buildRuleSet } from '../../scan/rule-set.ts';
import { emptyScanSettings, type ScanSettings, scanSettings } from '../../scan/scan-config.ts';
import { emptySummary, type ScanSummary, scanText, scanTree } from '../../scan/scanner.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  staged?: boolean;
  stdin?: boolean;
  stdinName?: string;
  reveal?: boolean;
  workers?: string;
  maxFileSize?: string;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const settings = settingsFor(ctx);
  // A team moving from gitleaks keeps its rules and allowlists.
  const gitleaks = await readGitleaksConfig(ctx.cwd);
  const ruleAllowlists = gitleaks?.ruleAllowlists ?? new Map();
  if (gitleaks) {
    settings.rules = [...settings.rules, ...gitleaks.rules];
    for (const key of ['paths', 'regexes', 'stopwords'] as const) {
      (settings.allowlist[key] as unknown[]) = [...settings.allowlist[key], ...gitleaks.allowlist[key]];
    }
  }
  if ([options.staged, options.stdin, args.length > 0].filter(Boolean).length > 1) {
    throw new StagecraftError('SCAN_BAD_OPTION', 'give paths, --staged or --stdin, not several', {
      hint: '--staged scans what the next commit adds; paths scan the working tree',
    });
  }
  const summary = options.stdin
    ? await scanStdin(settings, options.stdinName ?? '<stdin>')
    : options.staged
      ? scanStaged(ctx, settings)
      : await scanPaths(ctx, settings, options, args);
  const { kept, suppressed } = applyAllowlist(summary.findings, settings.allowlist, ruleAllowlists);
  summary.findings = kept;
  const data = reportData(summary, summary.suppressed + suppressed, options.reveal === true);
  if (ctx.output.format === 'sarif') {
    ctx.output.write(
      JSON.stringify(renderSarif(data, buildRuleSet(settings.rules), packageVersion()), null, 2),
    );
  } else {
    ctx.output.report({ data, text: (s) => renderText(data, s), markdown: () => renderMarkdown(data) });
  }
  if (summary.skipped.unreadable.length) {
    // Something we were asked to scan could not be read: that is not a clean result.
    throw new StagecraftError(
      'SCAN_UNREADABLE',
      `could not read ${summary.skipped.unreadable.length} path(s): ${summary.skipped.unreadable.join(', ')}`,
      {
        hint: 'fix the permissions or exclude the paths in .gitignore; a scan that cannot read its input is not clean',
      },
    );
  }
  return data.findings.length ? ExitCode.Problems : ExitCode.Clean;
}

function settingsFor(ctx: CommandContext): ScanSettings {
  try {
    return scanSettings(ctx.workspace());
  } catch (error) {
    // Scanning needs no workspace; without one the built-in rules run with no allowlist.
    if (isStagecraftError(error) && error.code === 'WORKSPACE_NOT_FOUND') {
      return emptyScanSettings();
    }
    throw error;
  }
}

async function scanPaths(
  ctx: CommandContext,
  settings: ScanSettings,
  options: Options,
  args: string[],
): Promise<ScanSummary> {
  const started = Date.now();
  const workers = options.workers === undefined ? undefined : Number(options.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new StagecraftError(
      'SCAN_BAD_OPTION',
      `--workers must be a whole number, found "${options.workers}"`,
      {
        hint: '0 scans on the main thread',
      },
    );
  }
  const summary = await scanTree({
    root: ctx.cwd,
    paths: args.length ? args : ['.'],
    customRules: settings.rules,
    ...(settings.maxFileBytes ? { maxFileBytes: settings.maxFileBytes } : {}),
    ...(workers !== undefined ? { workers } : {}),
    onProgress: (done, total) => {
      if (Date.now() - started > 500) {
        ctx.output.progress(
          `scanning ${done.files}/${total.files} files, ${formatBytes(done.bytes)} of ${formatBytes(total.bytes)}`,
        );
      }
    },
  });
  ctx.output.progress(undefined);
  return summary;
}

async function scanStdin(settings: ScanSettings, name: string): Promise<ScanSummary> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const summary = emptySummary();
  scanText(new ScanEngine(buildRuleSet(settings.rules)), text, name, Buffer.byteLength(text), summary);
  return summary;
}

/** The pre-commit path: few files, so the main thread scans them; only lines the commit adds count. */
function scanStaged(ctx: CommandContext, settings: ScanSettings): ScanSummary {
  const { files } = stagedChanges(ctx.cwd);
  const engine = new ScanEngine(buildRuleSet(settings.rules));
  const summary = emptySummary();
  for (const file of files) {
    if (file.text === undefined) summary.skipped.binary++;
    else {
      const added = (finding: Finding) => rangeTouches(file.addedLines, finding.line, finding.endLine);
      scanText(engine, file.text, file.path, file.bytes, summary, added);
    }
  }
  return summary;
}

function rangeTouches(lines: ReadonlySet<number>, from: number, to: number): boolean {
  for (let line = from; line <= to; line++) if (lines.has(line)) return true;
  return false;
}

function packageVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}
