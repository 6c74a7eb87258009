/** `stagecraft lint`'s report in text, Markdown and SARIF; JSON is the data itself (LintReportData). */
import { counted } from '@stagecraft/config/text';
import { sarifLocation } from '../scan/report/sarif-report.ts';
import type { Style } from '../terminal/style.ts';
import type { LintFinding, LintReportData } from './lint-files.ts';
import { RULE_ID, SUGGESTION } from './rule.ts';

const at = (item: { file: string; line: number | null; column: number | null }) =>
  item.line === null ? item.file : `${item.file}:${item.line}:${item.column}`;

export function renderLintText(data: LintReportData, style: Style): string {
  const lines: string[] = [];
  for (const finding of data.findings) lines.push(`${style.path(at(finding))}  ${finding.message}`);
  for (const problem of data.problems) lines.push(`${style.path(at(problem))}  ${problem.message}`);
  if (data.findings.length > 0) lines.push('', `Instead, ${SUGGESTION}.`);
  if (data.allowed.length > 0)
    lines.push(
      '',
      `${counted(data.allowed.length, 'branch', 'branches')} allowed (lint.allow or inline, with a reason).`,
    );
  lines.push('', summary(data));
  return lines.join('\n').replace(/^\n+/, '');
}

export function renderLintMarkdown(data: LintReportData): string {
  const lines = [`**${summary(data)}**`, ''];
  if (data.findings.length > 0 || data.problems.length > 0) {
    lines.push('| Where | What |', '| --- | --- |');
    for (const item of [...data.findings, ...data.problems])
      lines.push(`| \`${at(item)}\` | ${item.message.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  if (data.findings.length > 0) lines.push(`Instead, ${SUGGESTION}.`);
  return lines.join('\n');
}

function summary(data: LintReportData): string {
  const checked = `${counted(data.files, 'file')} checked`;
  if (data.verdict === 'incomplete')
    return `✗ ${counted(data.problems.length, 'file')} could not be checked, ${counted(data.findings.length, 'environment branch', 'environment branches')} found (${checked})`;
  if (data.verdict === 'findings')
    return `✗ ${counted(data.findings.length, 'environment branch', 'environment branches')} found (${checked})`;
  return `✓ no environment branches (${checked})`;
}

/** SARIF 2.1.0 in the shape of the scanner's (src/scan/report/sarif-report.ts): one rule, results, and what could not be read. */
export function renderLintSarif(data: LintReportData, version: string): Record<string, unknown> {
  const result = (finding: LintFinding, suppression?: { kind: string; justification: string }) => ({
    ruleId: RULE_ID,
    ruleIndex: 0,
    level: 'error',
    message: { text: `${finding.message}. Instead, ${finding.suggestion}.` },
    locations: [sarifLocation(finding)],
    ...(suppression ? { suppressions: [suppression] } : {}),
    properties: { source: finding.source, environments: finding.environments },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'stagecraft',
            version,
            rules: [
              {
                id: RULE_ID,
                name: 'NoEnvironmentBranch',
                shortDescription: { text: 'Application code branches on the environment’s name' },
                help: { text: `Instead, ${SUGGESTION}.` },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['maintainability', 'twelve-factor'] },
              },
            ],
          },
        },
        invocations: [
          {
            executionSuccessful: data.problems.length === 0,
            toolExecutionNotifications: data.problems.map((problem) => ({
              level: 'error',
              descriptor: { id: 'not-checked' },
              message: { text: `${at(problem)} ${problem.message}` },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: encodeURI(problem.file), uriBaseId: '%SRCROOT%' },
                    ...(problem.line === null
                      ? {}
                      : { region: { startLine: problem.line, startColumn: problem.column } }),
                  },
                },
              ],
            })),
          },
        ],
        results: [
          ...data.findings.map((finding) => result(finding)),
          ...data.allowed.map((finding) =>
            result(finding, {
              kind: finding.allowedBy === 'inline' ? 'inSource' : 'external',
              justification: finding.reason,
            }),
          ),
        ],
      },
    ],
  };
}
