/**
 * `stagecraft lint` over a tree: the scanner's walk (.gitignore honoured at every level), the linted
 * extensions, build output and dependencies left out, each file parsed and given to the rule, then the
 * allowlists. A file that cannot be read or parsed is listed as a problem with its line, never skipped in
 * silence: the run is then incomplete (exit 1), whatever else it found.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { emptySkipped } from '../scan/skipped-files.ts';
import { walkFiles } from '../scan/walk.ts';
import { InlineAllows, NO_REASON_NOTE } from './inline-allow.ts';
import { extensionOf, isSyntaxProblem, LINTED_EXTENSIONS, MAX_MODULE_BYTES, parseModule } from './parse.ts';
import { ProjectModules } from './project-modules.ts';
import { couldHaveFindings, findEnvironmentBranches, RULE_ID, SUGGESTION } from './rule.ts';
import { allowEntryFor, type LintSettings } from './settings.ts';

/** Folders never linted, .gitignore or not: dependencies, build output, caches. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.output',
  '.turbo',
  '.cache',
  '.stagecraft',
]);

export interface LintFinding {
  rule: typeof RULE_ID;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: 'comparison' | 'switch' | 'includes';
  /** What is compared, at its origin: process.env.NODE_ENV, config.environment. */
  source: string;
  /** The name the code used, when not the origin itself. */
  via: string | null;
  environments: string[];
  message: string;
  suggestion: string;
}

export interface AllowedFinding extends LintFinding {
  allowedBy: 'inline' | 'workspace';
  reason: string;
}

/** A file that could not be checked. */
export interface LintFileProblem {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
}

export interface LintReportData {
  verdict: 'clean' | 'findings' | 'incomplete';
  files: number;
  findings: LintFinding[];
  allowed: AllowedFinding[];
  problems: LintFileProblem[];
}

export function lintTree(root: string, paths: readonly string[], settings: LintSettings): LintReportData {
  const modules = new ProjectModules(settings.rule);
  const skipped = emptySkipped();
  const report: LintReportData = { verdict: 'clean', files: 0, findings: [], allowed: [], problems: [] };
  // A file named on the command line is checked wherever it is; one lint cannot read is a problem, not "clean".
  const named = new Set(paths.map((path) => resolve(root, path)));
  for (const walked of walkFiles(root, paths, skipped, MAX_MODULE_BYTES)) {
    const linted = LINTED_EXTENSIONS.includes(extensionOf(walked.path));
    if (named.has(walked.path)) {
      if (!linted) {
        report.problems.push({
          file: walked.display,
          line: null,
          column: null,
          message: `is not a module lint reads (${LINTED_EXTENSIONS.join(' ')})`,
        });
        continue;
      }
    } else if (!linted || walked.display.endsWith('.d.ts') || inSkippedFolder(walked.display)) continue;
    report.files++;
    let text: string;
    try {
      text = readFileSync(walked.path, 'utf8');
    } catch (error) {
      report.problems.push({
        file: walked.display,
        line: null,
        column: null,
        message: `could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      continue;
    }
    try {
      lintText(walked.path, walked.display, text, settings, modules, report);
    } catch (error) {
      // Expressions nested tens of thousands deep exhaust the stack of the parser or of the analysis: that
      // module cannot be checked, so the run is incomplete, and the others are still linted.
      if (!(error instanceof RangeError)) throw error;
      report.problems.push({
        file: walked.display,
        line: null,
        column: null,
        message: 'is nested too deeply to parse (the parser ran out of stack)',
      });
    }
  }
  for (const entry of skipped.unreadable)
    report.problems.push({ file: entry, line: null, column: null, message: 'folder could not be read' });
  for (const entry of skipped.files) {
    const lintable = LINTED_EXTENSIONS.includes(extensionOf(entry.file));
    if (entry.reason !== 'oversized' || !lintable || inSkippedFolder(entry.file)) continue;
    report.problems.push({
      file: entry.file,
      line: null,
      column: null,
      message: `is larger than lint reads (${MAX_MODULE_BYTES / 1024 / 1024} MiB): exclude it in .gitignore if it is generated`,
    });
  }
  report.verdict =
    report.problems.length > 0 ? 'incomplete' : report.findings.length > 0 ? 'findings' : 'clean';
  return report;
}

const inSkippedFolder = (display: string) => display.split('/').some((part) => SKIPPED_FOLDERS.has(part));

function lintText(
  path: string,
  display: string,
  text: string,
  settings: LintSettings,
  modules: ProjectModules,
  report: LintReportData,
): void {
  const parsed = parseModule(path, text, couldHaveFindings(text, settings.rule.environments));
  if (parsed === undefined) return;
  if (isSyntaxProblem(parsed)) {
    report.problems.push({
      file: display,
      line: parsed.line,
      column: parsed.column,
      message: `does not parse: ${parsed.message}`,
    });
    return;
  }
  const branches = findEnvironmentBranches(parsed.program, parsed.scopeManager, settings.rule, (specifier) =>
    modules.exportsFrom(path, specifier),
  );
  if (branches.length === 0) return;
  const inline = new InlineAllows(parsed.comments);
  const allowEntry = allowEntryFor(settings, display);
  for (const branch of branches) {
    const start = parsed.position(branch.node.range[0]);
    const end = parsed.position(branch.node.range[1]);
    const finding: LintFinding = {
      rule: RULE_ID,
      file: display,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      kind: branch.kind,
      source: branch.source,
      via: branch.via ?? null,
      environments: branch.names,
      message: branch.message,
      suggestion: SUGGESTION,
    };
    const verdict = inline.verdict(start.line);
    if (verdict.kind === 'allowed')
      report.allowed.push({ ...finding, allowedBy: 'inline', reason: verdict.reason });
    else if (allowEntry && verdict.kind === 'none')
      report.allowed.push({ ...finding, allowedBy: 'workspace', reason: allowEntry.reason });
    else
      report.findings.push(
        verdict.kind === 'no-reason'
          ? { ...finding, message: `${finding.message}; ${NO_REASON_NOTE}` }
          : finding,
      );
  }
}
