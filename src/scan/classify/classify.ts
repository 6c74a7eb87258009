/**
 * Gives each finding of one file its context and confidence, and drops the values that are no secret at
 * all (see confidence.ts). Every scan mode passes its findings through here, so the policy that decides what
 * fails a run sees the same findings whatever the mode.
 */
import type { Finding } from '../finding.ts';
import { revealSecret } from '../finding.ts';
import type { RuleSpec } from '../rules/types.ts';
import { confidenceOf, notASecret } from './confidence.ts';
import { contextOf, type FindingContext, isInComment, isMessageCatalogue } from './context.ts';

/** Rules by id, built once per rule list (an engine keeps its list for its lifetime). */
const INDEXES = new WeakMap<readonly RuleSpec[], Map<string, RuleSpec>>();

function ruleIndex(rules: readonly RuleSpec[]): Map<string, RuleSpec> {
  let index = INDEXES.get(rules);
  if (index === undefined) {
    index = new Map(rules.map((rule) => [rule.id, rule]));
    INDEXES.set(rules, index);
  }
  return index;
}

// `db_password = "`, `"apiKey": "`, `TOKEN: `, `--password=`: the name a value is assigned to, at the end of
// the text before it.
const ASSIGNED_KEY =
  /(?:^|[^\w$.-])["'`]?(?<key>[A-Za-z_$][\w.$-]{0,60}?)["'`]?(?:\s{0,2}:\s{0,2}[A-Za-z][\w<>[\]|.?]{0,30}(?=\s{0,2}=))?\s{0,4}(?::=|=>|\?\?|\|\||[:=]|\s)\s{0,4}["'`]?$/;

const QUIET_CONTEXTS = new Set<FindingContext>(['lockfile', 'generated', 'vendored']);

export function classifyFindings(
  findings: readonly Finding[],
  text: string,
  path: string,
  rules: readonly RuleSpec[],
): { kept: Finding[]; dropped: { finding: Finding; reason: string }[] } {
  const kept: Finding[] = [];
  const dropped: { finding: Finding; reason: string }[] = [];
  if (findings.length === 0) return { kept, dropped };
  const index = ruleIndex(rules);
  const context = contextOf(path, text);
  const catalogue = isMessageCatalogue(path);
  const lines = findings.length > 0 ? text.split('\n') : [];
  for (const finding of findings) {
    const secret = revealSecret(finding) ?? '';
    const line = lines[finding.line - 1] ?? '';
    const before = line.slice(0, Math.max(0, finding.column - 1));
    const rule = index.get(finding.rule);
    const candidate = { secret, rule, key: assignedKey(before, lines[finding.line - 2]) };
    // A near miss (vendor prefix, failing checksum) arrives already judged low. What only a keyword vouches
    // for, in a lockfile, a generated file or vendored code, is integrity hashes and identifiers: low.
    const judged = finding.confidence ?? confidenceOf(candidate);
    const confidence =
      rule?.category === 'generic' &&
      (QUIET_CONTEXTS.has(context) || isPublicSearchKey(candidate.key, lines, finding.line, path))
        ? 'low'
        : judged;
    const why = notASecret(candidate, confidence, {
      context,
      inComment: isInComment(before),
      rest: line.slice(Math.max(0, finding.column - 1)),
      catalogue,
    });
    finding.confidence = confidence;
    finding.context = context;
    if (why === undefined) kept.push(finding);
    else dropped.push({ finding, reason: why });
  }
  return { kept, dropped };
}

/** How far around a key the other settings of a search client are looked for. */
const SEARCH_CLIENT_LINES = 6;

/** A Docusaurus site's config, whose one `apiKey` setting is its DocSearch (Algolia) search key. */
const DOCUSAURUS_CONFIG = /(?:^|\/)docusaurus\.config\.[cm]?[jt]s$/;

/**
 * An Algolia (DocSearch) search key: `apiKey` beside `indexName` or `appId` under an `algolia`/`docsearch`
 * setting, as documentation sites configure it, or in a Docusaurus config (a history scan sees only the
 * lines a commit changed, often the key alone). Algolia's search-only keys are public by design — every
 * visitor's browser receives them — so the key is listed, at low confidence, and fails nothing; an admin
 * key under the same name is unusual enough for that trade.
 */
function isPublicSearchKey(
  key: string | undefined,
  lines: readonly string[],
  line: number,
  path: string,
): boolean {
  if (key === undefined || !/^(?:search[_-]?)?api[_-]?key$/i.test(key)) return false;
  if (DOCUSAURUS_CONFIG.test(path)) return true;
  const from = Math.max(0, line - 1 - SEARCH_CLIENT_LINES);
  const near = lines.slice(from, line + SEARCH_CLIENT_LINES).join('\n');
  return /\b(?:algolia|docsearch)\b/i.test(near) && /\b(?:index[_-]?name|app[_-]?id)\b/i.test(near);
}

/**
 * The name a value is assigned to: on its own line (`db_password = "…"`), or — for Kubernetes' and Compose's
 * `- name: POSTGRES_PASSWORD` / `value: "…"` — the name on the line above.
 */
function assignedKey(before: string, previousLine: string | undefined): string | undefined {
  const key = ASSIGNED_KEY.exec(before.slice(-120))?.groups?.['key'];
  if (key !== 'value' || previousLine === undefined) return key;
  return /^\s*-?\s*name:\s*["']?([A-Za-z_][\w.-]{0,60})["']?\s*$/.exec(previousLine)?.[1] ?? key;
}
