/** Dropping findings a team has declared acceptable: allowlisted paths, secret patterns and stopwords. */
import { revealSecret } from './finding.ts';
import type { Allowlist } from './scan-config.ts';
import type { Suppressor } from './suppression.ts';

/** The workspace's allowlist and any per-rule allowlists (from .gitleaks.toml), as one suppressor. */
export function allowlistSuppressor(
  allowlist: Allowlist,
  ruleAllowlists: ReadonlyMap<string, Allowlist> = new Map(),
): Suppressor {
  return (finding) => {
    const secret = revealSecret(finding) ?? '';
    const entry =
      matchingEntry(allowlist, finding.file, secret) ??
      matchingEntry(ruleAllowlists.get(finding.rule), finding.file, secret);
    return entry === undefined ? undefined : { by: 'allowlist', reason: entry };
  };
}

/** Describes the first entry that allows the finding, without quoting the secret. */
function matchingEntry(allowlist: Allowlist | undefined, file: string, secret: string): string | undefined {
  if (!allowlist) return undefined;
  const path = allowlist.paths.find((re) => re.test(file));
  if (path) return `path matches ${path.source}`;
  const regex = allowlist.regexes.find((re) => re.test(secret));
  if (regex) return `secret matches ${regex.source}`;
  const lower = secret.toLowerCase();
  const stopword = allowlist.stopwords.find((word) => lower.includes(word));
  return stopword === undefined ? undefined : `stopword ${stopword}`;
}
