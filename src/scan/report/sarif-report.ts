/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for GitHub code scanning
 * and other SARIF consumers. partialFingerprints carry our line-independent fingerprint, so a finding that
 * moves keeps its alert.
 */
import type { Confidence } from '../classify/confidence.ts';
import type { Finding } from '../finding.ts';
import type { RuleSpec } from '../rules/types.ts';
import type { SuppressedBy } from '../suppression.ts';
import type { ScanReportData } from './scan-report.ts';

const LEVELS: Record<Confidence, string> = { high: 'error', medium: 'warning', low: 'note' };
const RANKS: Record<Confidence, number> = { high: 90, medium: 60, low: 20 };

export function renderSarif(
  data: ScanReportData,
  rules: readonly RuleSpec[],
  version: string,
): Record<string, unknown> {
  const suppressions = data.suppressions ?? [];
  const used = [...new Set([...data.findings, ...suppressions].map((finding) => finding.rule))].sort();
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const index = new Map(used.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'stagecraft',
            version,
            rules: used.map((id) => {
              const rule = byId.get(id);
              return {
                id,
                name: id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase()),
                shortDescription: { text: rule?.description ?? id },
                ...(rule?.docs.startsWith('https://') ? { helpUri: rule.docs } : {}),
                help: {
                  text: `Remove the secret from the repository and rotate it. Format: ${rule?.docs ?? 'custom rule'}`,
                },
                defaultConfiguration: { level: 'error' },
                properties: {
                  tags: ['security', 'secret', rule?.category ?? 'custom'],
                  'security-severity': '8.0',
                },
              };
            }),
          },
        },
        // SARIF §3.20: what the tool could not do is reported beside the results, so a consumer can tell
        // "nothing found" from "not looked at".
        invocations: [
          {
            executionSuccessful: data.error === undefined,
            toolExecutionNotifications: [
              ...data.skipped.files.map((file) => ({
                level: 'warning',
                descriptor: { id: `skipped-${file.reason}` },
                message: { text: `not scanned: ${file.message}` },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: encodeURI(file.file), uriBaseId: '%SRCROOT%' },
                    },
                  },
                ],
                ...(file.commit ? { properties: { commit: file.commit } } : {}),
              })),
              ...data.skipped.unreadable.map((entry) => ({
                level: 'error',
                descriptor: { id: 'unreadable' },
                message: { text: `could not read ${entry}` },
              })),
              ...(data.error
                ? [
                    {
                      level: 'error',
                      descriptor: { id: data.error.code },
                      message: { text: data.error.message },
                    },
                  ]
                : []),
            ],
          },
        ],
        results: [...data.findings, ...suppressions].map(
          (finding: Finding & { secret?: string; by?: SuppressedBy; reason?: string; fails?: boolean }) => ({
            ruleId: finding.rule,
            ruleIndex: index.get(finding.rule),
            // SARIF §3.27.10 and §3.27.11: the level and the rank (0–100, higher is more important) say how
            // sure the finding is.
            level: LEVELS[finding.confidence ?? 'high'],
            rank: RANKS[finding.confidence ?? 'high'],
            message: {
              text: `${finding.description}${finding.decoded ? ` (${finding.decoded}-encoded)` : ''}: ${finding.secret ?? finding.match}`,
            },
            locations: [sarifLocation(finding)],
            partialFingerprints: { 'stagecraft/v1': finding.fingerprint },
            ...(finding.by !== undefined
              ? {
                  // SARIF §3.35: a suppressed result stays in the log, marked, so code scanning can show it closed.
                  suppressions: [
                    {
                      kind: finding.by === 'inline' ? 'inSource' : 'external',
                      justification: finding.reason ? `${finding.by}: ${finding.reason}` : finding.by,
                    },
                  ],
                }
              : {}),
            properties: {
              ...(finding.confidence ? { confidence: finding.confidence } : {}),
              ...(finding.context ? { context: finding.context } : {}),
              ...(finding.fails !== undefined ? { fails: finding.fails } : {}),
              ...(finding.commit
                ? {
                    commit: finding.commit.sha,
                    author: `${finding.commit.author} <${finding.commit.email}>`,
                    date: finding.commit.date,
                    presentAtHead: finding.presentAtHead === true,
                  }
                : {}),
            },
          }),
        ),
      },
    ],
  };
}

/** A SARIF location: the file relative to the scanned root, and the region of the finding in it. */
export function sarifLocation(at: {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(at.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
    },
  };
}
