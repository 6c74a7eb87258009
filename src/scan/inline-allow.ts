/**
 * `stagecraft:allow` comments: a finding is suppressed by the directive on its own line, or on the line just
 * above when that line holds nothing else (a comment line before a multi-line value). The directive may name
 * the rules it allows and give a reason:
 *
 *   token = load_fixture()  # stagecraft:allow
 *   # stagecraft:allow generic-secret -- fixture for the parser tests
 *   API_KEY = "…"
 *
 * Naming rules keeps the directive from silencing a different secret that later lands on the same line.
 */
import type { Finding } from './finding.ts';

const DIRECTIVE =
  /stagecraft:allow(?:[ \t]+(?<rules>[a-z0-9]+(?:-[a-z0-9]+)*(?:[ \t]*,[ \t]*[a-z0-9]+(?:-[a-z0-9]+)*)*))?/;
const DIRECTIVE_ONLY = /^[ \t]*(?:#|\/\/|--|;|\/\*|<!--|\*)[ \t]*stagecraft:allow\b/;

export function applyInlineAllows(
  text: string,
  findings: readonly Finding[],
): { kept: Finding[]; suppressed: number } {
  if (findings.length === 0 || !text.includes('stagecraft:allow'))
    return { kept: [...findings], suppressed: 0 };
  const lines = text.split('\n');
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const own = lines[finding.line - 1] ?? '';
    const above = lines[finding.line - 2] ?? '';
    const allowed = allows(own, finding.rule) || (DIRECTIVE_ONLY.test(above) && allows(above, finding.rule));
    if (allowed) suppressed++;
    else kept.push(finding);
  }
  return { kept, suppressed };
}

function allows(line: string, rule: string): boolean {
  const found = DIRECTIVE.exec(line);
  if (!found) return false;
  const rules = found.groups?.['rules'];
  return rules === undefined || rules.split(',').some((id) => id.trim() === rule);
}
