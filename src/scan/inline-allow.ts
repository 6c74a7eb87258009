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
import type { Suppressed } from './suppression.ts';

const DIRECTIVE =
  /stagecraft:allow(?:[ \t]+(?<rules>[a-z0-9]+(?:-[a-z0-9]+)*(?:[ \t]*,[ \t]*[a-z0-9]+(?:-[a-z0-9]+)*)*))?(?:[ \t]*--[ \t]*(?<reason>.*?)[ \t]*(?:\*\/|-->)?[ \t]*$)?/;
const DIRECTIVE_ONLY = /^[ \t]*(?:#|\/\/|--|;|\/\*|<!--|\*)[ \t]*stagecraft:allow\b/;

export function applyInlineAllows(
  text: string,
  findings: readonly Finding[],
): { kept: Finding[]; suppressed: Suppressed[] } {
  if (findings.length === 0 || !text.includes('stagecraft:allow'))
    return { kept: [...findings], suppressed: [] };
  const lines = text.split('\n');
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const finding of findings) {
    const own = lines[finding.line - 1] ?? '';
    const above = lines[finding.line - 2] ?? '';
    const reason =
      allows(own, finding.rule) ?? (DIRECTIVE_ONLY.test(above) ? allows(above, finding.rule) : undefined);
    if (reason === undefined) kept.push(finding);
    else suppressed.push({ finding, by: 'inline', reason });
  }
  return { kept, suppressed };
}

/** The directive's reason ('' when none is given) when it covers the rule; undefined when it does not. */
function allows(line: string, rule: string): string | undefined {
  const found = DIRECTIVE.exec(line);
  if (!found) return undefined;
  const rules = found.groups?.['rules'];
  const covers = rules === undefined || rules.split(',').some((id) => id.trim() === rule);
  return covers ? (found.groups?.['reason'] ?? '') : undefined;
}
