/**
 * What fails a run. By default: every `high` finding, and `medium` ones outside tests, documentation and
 * examples. `scan.minConfidence` and `scan.contexts` in stagecraft.yaml move the line; everything else is
 * still reported (JSON, SARIF, `--show-low`), just not counted toward exit 2.
 */
import { type Confidence, confidenceRank } from './confidence.ts';
import { FINDING_CONTEXTS, type FindingContext } from './context.ts';

export interface FailPolicy {
  /** Findings at or above this confidence fail the run in the contexts below. */
  minConfidence: Confidence;
  /** Where findings at or above `minConfidence` fail the run. `high` findings fail anywhere. */
  contexts: readonly FindingContext[];
}

export const DEFAULT_FAIL_POLICY: FailPolicy = {
  minConfidence: 'medium',
  contexts: FINDING_CONTEXTS.filter((context) => !['test', 'docs', 'example'].includes(context)),
};

export function failsRun(
  finding: { confidence?: Confidence | undefined; context?: FindingContext | undefined },
  policy: FailPolicy,
): boolean {
  const confidence = finding.confidence ?? 'medium';
  if (confidence === 'high') return true;
  return (
    confidenceRank(confidence) >= confidenceRank(policy.minConfidence) &&
    policy.contexts.includes(finding.context ?? 'code')
  );
}
