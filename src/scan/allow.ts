/** Dropping findings a team has declared acceptable: allowlisted paths, secret patterns and stopwords. */
import { type Finding, revealSecret } from './finding.ts';
import type { Allowlist } from './scan-config.ts';

export function applyAllowlist(
  findings: readonly Finding[],
  allowlist: Allowlist,
  ruleAllowlists: ReadonlyMap<string, Allowlist> = new Map(),
): { kept: Finding[]; suppressed: number } {
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const secret = revealSecret(finding) ?? '';
    const forRule = ruleAllowlists.get(finding.rule);
    if (
      allows(allowlist, finding.file, secret) ||
      (forRule !== undefined && allows(forRule, finding.file, secret))
    ) {
      suppressed++;
    } else {
      kept.push(finding);
    }
  }
  return { kept, suppressed };
}

function allows(allowlist: Allowlist, file: string, secret: string): boolean {
  const lower = secret.toLowerCase();
  return (
    allowlist.paths.some((re) => re.test(file)) ||
    allowlist.regexes.some((re) => re.test(secret)) ||
    allowlist.stopwords.some((word) => lower.includes(word))
  );
}
