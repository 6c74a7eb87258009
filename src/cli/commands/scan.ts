import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { readInputStream } from '@stagecraft/config/input';
import { agreeing, counted } from '@stagecraft/config/text';
import { WorkspaceCodes } from '@stagecraft/config/workspace';
import { repositoryRoot } from '../../git/run.ts';
import { packageVersion } from '../../package-info.ts';
import { allowlistSuppressor } from '../../scan/allow.ts';
import {
  type Baseline,
  baselineEntry,
  baselineSuppressor,
  emptyBaseline,
  readBaseline,
  writeBaseline,
} from '../../scan/baseline.ts';
import { decodeText } from '../../scan/decode-text.ts';
import { ScanEngine } from '../../scan/engine.ts';
import { ScanCodes } from '../../scan/errors.ts';
import type { Finding } from '../../scan/finding.ts';
import { type HistoryScope, scanHistory } from '../../scan/git-history.ts';
import { stagedChanges } from '../../scan/git-staged.ts';
import { readGitleaksConfig } from '../../scan/gitleaks-config.ts';
import { importedSuppressor, importedSuppressors } from '../../scan/imported-ignores.ts';
import { renderSarif } from '../../scan/report/sarif-report.ts';
import {
  formatBytes,
  renderMarkdown,
  renderSkippedWarnings,
  renderText,
  reportData,
  type SkippedFileReport,
} from '../../scan/report/scan-report.ts';
import { buildRuleSet } from '../../scan/rule-set.ts';
import { emptyScanSettings, type ScanSettings, scanSettings } from '../../scan/scan-config.ts';
import { emptySummary, type ScanSummary, scanText, scanTree } from '../../scan/scanner.ts';
import { recordSkip, undecodedFile } from '../../scan/skipped-files.ts';
import { applySuppressors, type Suppressor } from '../../scan/suppression.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../scan/walk.ts';
import type { CheckOutcome } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  staged?: boolean;
  range?: string;
  history?: boolean;
  branches?: string;
  stdin?: boolean;
  stdinName?: string;
  reveal?: boolean;
  workers?: string;
  baseline?: string;
  writeBaseline?: string;
  reason?: string;
  importBaseline?: string;
  showSuppressed?: boolean;
  showLow?: boolean;
  /** false under `--no-ignore`. */
  ignore?: boolean;
  failOnSkipped?: boolean;
}

/** Where a baseline lives when neither a flag nor stagecraft.yaml names one. */
const DEFAULT_BASELINE = '.stagecraft-baseline';

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const modes = [
    options.staged,
    options.range !== undefined,
    options.history,
    options.stdin,
    args.length > 0,
  ];
  if (modes.filter(Boolean).length > 1) {
    throw new StagecraftError(
      ScanCodes.SCAN_BAD_OPTION,
      'give one of paths, --staged, --range, --history or --stdin',
      {
        hint: '--staged: the next commit; --range BASE..HEAD: a pull request; --history: every commit; paths: the working tree',
      },
    );
  }
  if (options.branches !== undefined && !options.history) {
    throw new StagecraftError(ScanCodes.SCAN_BAD_OPTION, '--branches applies to --history only', {
      hint: 'stagecraft scan --history --branches all',
    });
  }
  if (options.branches !== undefined && options.branches !== 'all' && options.branches !== 'current') {
    throw new StagecraftError(
      ScanCodes.SCAN_BAD_OPTION,
      `--branches takes all or current, found "${options.branches}"`,
      {
        hint: 'all: every branch, tag and remote-tracking branch; current: what HEAD reaches (the default)',
      },
    );
  }
  const { settings, summary, data, writeTo } = await scanned(ctx, options, args);
  // Files not scanned are warnings on standard error; under --format json the report carries them instead,
  // so standard output stays one JSON document.
  if (data.skipped.files.length && ctx.output.format !== 'json')
    ctx.output.note(renderSkippedWarnings(data, ctx.output.errorStyle));

  if (writeTo !== undefined) {
    const previous = existsSync(writeTo) ? readBaseline(writeTo) : emptyBaseline();
    return writeBaselineReport(ctx, summary, writeTo, previous, options, data.skipped.files);
  }

  const failure = evaluationFailure(summary, options.failOnSkipped === true);
  // SARIF carries it as a tool notification; under JSON the output layer puts report and error in one document.
  if (failure && ctx.output.format === 'sarif')
    data.error = {
      code: failure.code,
      message: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
    };
  if (ctx.output.format === 'sarif') {
    ctx.output.write(
      JSON.stringify(renderSarif(data, buildRuleSet(settings.rules), packageVersion()), null, 2),
    );
  } else {
    ctx.output.report({ data, text: (s) => renderText(data, s), markdown: () => renderMarkdown(data) });
  }
  // Printed after the report, so the findings that were made are not lost.
  if (failure) throw failure;
  // Only findings the policy counts fail the run (scan.minConfidence, scan.contexts); JSON and SARIF list all.
  return data.failing > 0 ? ExitCode.Problems : ExitCode.Clean;
}

/** The scan the options ask for, suppressions applied: what `run` reports and `evaluateScan` returns. */
async function scanned(
  ctx: CommandContext,
  options: Options,
  args: string[],
): Promise<{
  settings: ScanSettings;
  summary: ScanSummary;
  data: ReturnType<typeof reportData>;
  writeTo: string | undefined;
}> {
  const gitMode = options.staged || options.range !== undefined || options.history;
  const settings = settingsFor(ctx);
  // Started first, so git computes the staged diff while the rest is set up (a hook's time budget is tight).
  // Its paths are relative to the repository root whatever the working directory.
  const staged = options.staged
    ? stagedChanges(ctx.cwd, settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, ctx.env)
    : undefined;
  staged?.catch(() => {}); // awaited below; a failure before that must not be an unhandled rejection
  // Git modes report paths from the repository root, so that is where their suppression files are read.
  // A tree scan reports them from the workspace's folder, so a finding reads the same from any subfolder.
  const base = gitMode ? repositoryRoot(ctx.cwd, ctx.env) : treeRoot(ctx);
  // A team moving from gitleaks keeps its rules and allowlists.
  const gitleaks = await readGitleaksConfig(base);
  if (gitleaks) {
    settings.rules = [...settings.rules, ...gitleaks.rules];
    for (const key of ['paths', 'regexes', 'stopwords'] as const) {
      (settings.allowlist[key] as unknown[]) = [...settings.allowlist[key], ...gitleaks.allowlist[key]];
    }
  }

  const summary = staged
    ? await scanStaged(staged, settings)
    : await scanFor(ctx, base, settings, options, args);

  const writeTo = writeTarget(ctx, settings, options, base);
  const baselineFile =
    options.baseline !== undefined ? resolve(ctx.cwd, options.baseline) : settings.baseline;
  const baseline =
    baselineFile !== undefined && (options.baseline !== undefined || existsSync(baselineFile))
      ? readBaseline(baselineFile)
      : emptyBaseline();
  const suppressors: Suppressor[] = [allowlistSuppressor(settings.allowlist, gitleaks?.ruleAllowlists)];
  const imported =
    options.importBaseline === undefined
      ? []
      : [importedSuppressor(resolve(ctx.cwd, options.importBaseline))];
  // While a baseline is being rewritten it must not hide the findings it is rebuilt from.
  if (baselineFile !== undefined && writeTo === undefined) {
    suppressors.push(baselineSuppressor(baseline, relative(ctx.root, baselineFile) || baselineFile));
  }
  suppressors.push(...imported, ...importedSuppressors(base));
  const { kept, suppressed } = applySuppressors(summary.findings, suppressors);
  summary.findings = kept;
  for (const entry of suppressed) summary.suppressed.push(entry);
  const data = reportData(
    summary,
    options.reveal === true,
    options.showSuppressed === true,
    settings.policy,
    options.showLow === true,
  );
  return { settings, summary, data, writeTo };
}

/**
 * The scan as a check other commands run (`stagecraft check`): the working tree, or the commits of `range`
 * (BASE..HEAD) when given; only findings the policy counts fail it. Nothing is printed; a scan that could not
 * read its input throws, as `run` exits 1 for it.
 */
export async function evaluateScan(ctx: CommandContext, range?: string): Promise<CheckOutcome> {
  const { summary, data } = await scanned(ctx, range === undefined ? {} : { range }, []);
  const failure = evaluationFailure(summary, false);
  if (failure) throw failure;
  const where = range === undefined ? counted(data.scanned.files, 'file') : `the commits of ${range}`;
  return {
    status: data.failing > 0 ? 'problems' : 'clean',
    summary:
      data.failing > 0
        ? `${counted(data.failing, 'secret')} found in ${where}`
        : `no secrets that fail the scan in ${where}`,
    findings: data.failing,
    report: data,
    text: (s) => renderText(data, s),
    markdown: () => renderMarkdown(data),
  };
}

/**
 * Why a scan's result cannot stand as clean or dirty: a path it could not read, or, under
 * --fail-on-skipped, any file it skipped.
 */
function evaluationFailure(summary: ScanSummary, failOnSkipped: boolean): StagecraftError | undefined {
  const { unreadable, files } = summary.skipped;
  if (unreadable.length) {
    return new StagecraftError(
      ScanCodes.SCAN_UNREADABLE,
      `could not read ${counted(unreadable.length, 'path')}: ${unreadable.join(', ')}`,
      {
        hint: 'fix the permissions or exclude the paths in .gitignore; a scan that cannot read its input is not clean',
      },
    );
  }
  if (failOnSkipped && files.length) {
    const named = files.slice(0, 10).map((file) => `${file.file} (${file.reason})`);
    const more = files.length > named.length ? `, and ${files.length - named.length} more` : '';
    return new StagecraftError(
      ScanCodes.SCAN_FILES_SKIPPED,
      `${counted(files.length, 'file')} ${agreeing(files.length, 'was', 'were')} not scanned: ${named.join(', ')}${more}`,
      {
        hint: 'exclude files that hold no text in .gitignore, raise scan.maxFileSize for large text files, re-save other encodings as UTF-8, or drop --fail-on-skipped to accept them as warnings',
      },
    );
  }
  return undefined;
}

function scanFor(
  ctx: CommandContext,
  base: string,
  settings: ScanSettings,
  options: Options,
  args: string[],
): Promise<ScanSummary> {
  if (options.stdin)
    return scanStdin(
      ctx.stdin,
      settings,
      options.stdinName ?? '<stdin>',
      settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    );
  if (options.history || options.range !== undefined) {
    const scope: HistoryScope = options.history
      ? { kind: 'history', branches: options.branches === 'all' ? 'all' : 'current' }
      : { kind: 'range', range: options.range as string };
    const started = Date.now();
    return scanHistory({
      root: base,
      scope,
      customRules: settings.rules,
      ...(settings.maxFileBytes ? { maxFileBytes: settings.maxFileBytes } : {}),
      onProgress: (stats) => {
        if (Date.now() - started > 500)
          ctx.output.progress(
            `scanned ${counted(stats.commits, 'commit')}, ${formatBytes(stats.bytes)} of changes`,
          );
      },
    }).finally(() => ctx.output.progress(undefined));
  }
  return scanPaths(ctx, settings, options, args);
}

/** The file --write-baseline (or --import-baseline) writes, if either was given. */
function writeTarget(
  ctx: CommandContext,
  settings: ScanSettings,
  options: Options,
  base: string,
): string | undefined {
  if (options.writeBaseline !== undefined) return resolve(ctx.cwd, options.writeBaseline);
  if (options.importBaseline !== undefined) return settings.baseline ?? join(base, DEFAULT_BASELINE);
  if (options.reason !== undefined) {
    throw new StagecraftError(ScanCodes.SCAN_BAD_OPTION, '--reason applies to --write-baseline only', {
      hint: 'stagecraft scan --write-baseline FILE --reason "why these are acceptable"',
    });
  }
  return undefined;
}

/**
 * `--write-baseline`: every finding still reported becomes an entry. `--import-baseline`: only the findings
 * the imported file covers do (with its reason); anything else it does not cover stays a finding to triage.
 */
function writeBaselineReport(
  ctx: CommandContext,
  summary: ScanSummary,
  target: string,
  previous: Baseline,
  options: Options,
  notScanned: readonly SkippedFileReport[],
): number {
  const importing = options.importBaseline !== undefined;
  const accepted: (Finding & { acceptedReason?: string })[] = importing
    ? [
        ...summary.findings.filter((finding) => baselineEntry(previous, finding) !== undefined),
        ...summary.suppressed
          .filter((entry) => entry.by === 'gitleaksignore' || entry.by === 'detect-secrets')
          .map((entry) => ({ ...entry.finding, acceptedReason: `imported from ${entry.reason}` })),
      ]
    : summary.findings;
  const reason = options.reason ?? `accepted ${new Date().toISOString().slice(0, 10)}`;
  const result = writeBaseline(target, accepted, previous, reason);
  const uncovered = importing
    ? summary.findings.filter((finding) => baselineEntry(previous, finding) === undefined).length
    : 0;
  const file = relative(ctx.root, target) || target;
  ctx.output.report({
    data: { baseline: file, ...result, uncovered, notScanned },
    text: (s) =>
      [
        `${s.green('✓')} wrote ${file}: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'} (${result.added} new, ${result.dropped} no longer found)`,
        notScanned.length
          ? s.dim(
              `  ${counted(notScanned.length, 'file')} ${agreeing(notScanned.length, 'was', 'were')} not scanned (see the warnings): nothing in them is accepted.`,
            )
          : '',
        uncovered
          ? s.dim(
              `  ${counted(uncovered, 'finding')} ${agreeing(uncovered, 'is', 'are')} not covered by ${options.importBaseline}: run stagecraft scan to triage them`,
            )
          : '',
        s.dim(`  Commit it; scans apply it with --baseline ${file} (or scan.baseline in stagecraft.yaml).`),
      ]
        .filter(Boolean)
        .join('\n'),
    markdown: () =>
      `Wrote \`${file}\`: ${result.entries} entries (${result.added} new, ${result.dropped} no longer found).`,
  });
  return ExitCode.Clean;
}

function settingsFor(ctx: CommandContext): ScanSettings {
  try {
    return scanSettings(ctx.workspace());
  } catch (error) {
    // Scanning needs no workspace; without one the built-in rules run with no allowlist.
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) {
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
      ScanCodes.SCAN_BAD_OPTION,
      `--workers must be a whole number, found "${options.workers}"`,
      {
        hint: '0 scans on the main thread',
      },
    );
  }
  const root = treeRoot(ctx);
  const summary = await scanTree({
    root,
    paths: (args.length ? args : ['.']).map((path) => relative(root, resolve(ctx.cwd, path)) || '.'),
    customRules: settings.rules,
    ...(settings.maxFileBytes ? { maxFileBytes: settings.maxFileBytes } : {}),
    ...(workers !== undefined ? { workers } : {}),
    honourIgnore: options.ignore !== false,
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

/** Standard input is held to the cap a scanned file has; a file over it is skipped, but input cannot be. */
async function scanStdin(
  stdin: AsyncIterable<Buffer | string>,
  settings: ScanSettings,
  name: string,
  maxBytes: number,
): Promise<ScanSummary> {
  const bytes = await readInputStream(stdin, {
    what: 'standard input',
    maxBytes,
    hint: 'scan it as a file instead, or raise scan.maxFileSize in stagecraft.yaml',
  });
  const summary = emptySummary();
  // Decoded as a file of the same bytes would be: a UTF-16 export piped in is read, binary is reported.
  const decoded = decodeText(bytes);
  if ('skip' in decoded) {
    recordSkip(summary.skipped, undecodedFile(name, decoded));
    return summary;
  }
  scanText(new ScanEngine(buildRuleSet(settings.rules)), decoded.text, name, bytes.length, summary);
  return summary;
}

/** The pre-commit path: few files, so the main thread scans them; only lines the commit adds count. */
async function scanStaged(
  changes: ReturnType<typeof stagedChanges>,
  settings: ScanSettings,
): Promise<ScanSummary> {
  // The rules compile while git computes the diff.
  const engine = new ScanEngine(buildRuleSet(settings.rules));
  const { files, stats } = await changes;
  const summary = emptySummary();
  for (const file of stats.skipped) recordSkip(summary.skipped, file);
  for (const file of files) {
    const added = (finding: Finding) => rangeTouches(file.added, finding.line, finding.endLine);
    scanText(engine, file.text, file.path, file.bytes, summary, added);
  }
  return summary;
}

function rangeTouches(lines: ReadonlySet<number> | undefined, from: number, to: number): boolean {
  for (let line = from; line <= to; line++) if (lines?.has(line)) return true;
  return false;
}

/** The workspace's folder when the command runs inside it; else the working directory. */
function treeRoot(ctx: CommandContext): string {
  const inside = relative(ctx.root, ctx.cwd);
  return inside.startsWith('..') || isAbsolute(inside) ? ctx.cwd : ctx.root;
}
