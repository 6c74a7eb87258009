/**
 * Why a finding was not reported. Every way of accepting a finding — an inline comment, an allowlist entry,
 * a baseline entry, an imported .gitleaksignore or detect-secrets baseline — produces one of these, so
 * `--show-suppressed` can list each suppressed finding with what suppressed it and the reason given.
 */
import type { Finding } from './finding.ts';

export type SuppressedBy = 'inline' | 'allowlist' | 'baseline' | 'gitleaksignore' | 'detect-secrets';

export interface Suppression {
  by: SuppressedBy;
  reason: string;
}

export interface Suppressed {
  finding: Finding;
  by: SuppressedBy;
  reason: string;
}

/** One source of suppressions: answers for a finding, or undefined when it does not cover it. */
export type Suppressor = (finding: Finding) => Suppression | undefined;

/** Splits findings into those still reported and those a suppressor covers (the first that does wins). */
export function applySuppressors(
  findings: readonly Finding[],
  suppressors: readonly Suppressor[],
): { kept: Finding[]; suppressed: Suppressed[] } {
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const finding of findings) {
    let suppression: Suppression | undefined;
    for (const suppressor of suppressors) {
      suppression = suppressor(finding);
      if (suppression) break;
    }
    if (suppression) suppressed.push({ finding, ...suppression });
    else kept.push(finding);
  }
  return { kept, suppressed };
}
