/** Dropping findings a team has declared acceptable: allowlisted paths, secret patterns and stopwords. */
import { type Finding, revealSecret } from './finding.ts';
import type { Allowlist } from './scan-config.ts';

export function applyAllowlist(
  findings: readonly Finding[],
  allowlist: Allowlist,
): { kept: Finding[]; suppressed: number } {
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const secret = revealSecret(finding) ?? '';
    const lower = secret.toLowerCase();
    const allowed =
      allowlist.paths.some((re) => re.test(finding.file)) ||
      allowlist.regexes.some((re) => re.test(secret)) ||
      allowlist.stopwords.some((word) => lower.includes(word));
    if (allowed) suppressed++;
    else kept.push(finding);
  }
  return { kept, suppressed };
}
