/**
 * The rules a scan runs: the built-in ones plus custom rules a team declares (stagecraft.yaml `scan.rules`,
 * or imported from .gitleaks.toml). Custom rules travel as plain data so worker threads can build the same set.
 */
import { LinearRegex } from './linear-regex.ts';
import { builtinRules } from './rules/index.ts';
import type { RuleSpec } from './rules/types.ts';

export interface CustomRuleDefinition {
  id: string;
  description?: string;
  /** RE2 regular expression source (the syntax of Go's regexp, which gitleaks rules use). */
  regex: string;
  /** `i` for case-insensitive. */
  flags?: string;
  /** The capture group holding the secret: a number or a name. Default: the whole match. */
  secretGroup?: number | string;
  keywords?: string[];
  entropy?: number;
  /** RE2 source a file's relative path must match. */
  paths?: string;
  /** Where the rule came from, for errors: `stagecraft.yaml:12`, `.gitleaks.toml:7`. */
  origin?: string;
}

export function buildRuleSet(custom: readonly CustomRuleDefinition[]): RuleSpec[] {
  return [...builtinRules, ...custom.map(compileCustomRule)];
}

/** A custom rule as the engine runs it. Its regexes were checked when the configuration was read. */
export function compileCustomRule(definition: CustomRuleDefinition): RuleSpec {
  const keywords = definition.keywords?.length
    ? definition.keywords.map((k) => k.toLowerCase())
    : literalPrefix(definition.regex);
  return {
    id: definition.id,
    description: definition.description ?? `Custom rule ${definition.id}`,
    category: 'custom',
    keywords,
    linearPattern: new LinearRegex(definition.regex, {
      caseInsensitive: definition.flags?.includes('i') === true,
      ...(definition.secretGroup !== undefined ? { secretGroup: definition.secretGroup } : {}),
    }),
    ...(definition.entropy !== undefined ? { minEntropy: definition.entropy } : {}),
    ...(definition.paths ? { paths: new LinearRegex(definition.paths) } : {}),
    docs: definition.origin ?? 'custom rule',
    samples: { positive: () => '', negative: () => '' },
  };
}

/**
 * A custom rule without keywords gets the literal every match must start with (`acme_` for
 * `(?i)\bacme_[0-9a-f]{32}`) for the prefilter; with none, no keywords, and the engine runs it on every file.
 */
export function literalPrefix(source: string): string[] {
  // Leading flags and anchors do not change which literal a match starts with.
  const body = source.replace(/^(?:\(\?[imsU]+\)|\\b|\\A|\^)+/, '');
  // `abc|xyz` needs no `abc`.
  if (hasTopLevelAlternation(body)) return [];
  const literal = /^[A-Za-z0-9_-]{3,}/.exec(body)?.[0];
  if (literal === undefined) return [];
  // A quantifier after it may make its last character optional (`acme-?key` needs only `acme`).
  const next = body[literal.length];
  const required = next === '?' || next === '*' || next === '{' ? literal.slice(0, -1) : literal;
  return required.length >= 3 ? [required.toLowerCase()] : [];
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') {
      inClass = true;
      // `[]a]` and `[^]a]`: a `]` first in a class is a member, not its end.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}
