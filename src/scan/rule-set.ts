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
  // The keyword prefilter is ASCII; a rule with a keyword beyond it (valid in gitleaks) runs on the literals
  // its matches start with instead, or on every line: slower, never a missed match.
  const ascii = definition.keywords?.every((keyword) => /^[\x00-\x7f]+$/.test(keyword)) === true;
  const keywords =
    definition.keywords?.length && ascii
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
 * A custom rule without keywords gets, for the prefilter, the literals one of which every match starts with:
 * `acme_` for `(?i)\bacme_[0-9a-f]{32}` or gitleaks' usual `\b(acme_[0-9a-f]{32})`, `int-` and `svc-` for
 * `(?:INT|SVC)-[0-9A-F]{24}`. When that cannot be told simply, or a literal is under 3 characters, none: the
 * engine then runs the rule on every byte of every file.
 */
export function literalPrefix(source: string): string[] {
  const prefixes = requiredPrefixes(source);
  if (prefixes === undefined || prefixes.some((prefix) => prefix.length < 3)) return [];
  return [...new Set(prefixes.map((prefix) => prefix.toLowerCase()))];
}

const LITERAL = /^[A-Za-z0-9_-]+/;
const ONLY_LITERAL = /^[A-Za-z0-9_-]+$/;
const GROUP_OPEN = /^\((?:\?:|\?P?<[A-Za-z_][A-Za-z0-9_]*>)?/;

/** Literals one of which every match of `source` starts with; undefined when that cannot be told simply. */
function requiredPrefixes(pattern: string): string[] | undefined {
  // Leading flags and anchors do not change which literal a match starts with.
  const source = pattern.replace(/^(?:\(\?[imsU]+\)|\\b|\\A|\^)+/, '');
  const alternatives = topLevelAlternatives(source);
  if (alternatives.length > 1) {
    const each = alternatives.map(requiredPrefixes);
    return each.every((prefixes) => prefixes !== undefined) ? each.flat() : undefined;
  }
  const literal = LITERAL.exec(source)?.[0];
  if (literal !== undefined) return [requiredPart(literal, source[literal.length])];
  const open = GROUP_OPEN.exec(source)?.[0];
  const close = open === undefined ? -1 : closingParenthesis(source);
  if (open === undefined || close === -1) return undefined;
  // A group that may match nothing requires nothing.
  const after = source[close + 1];
  if (after === '?' || after === '*' || after === '{') return undefined;
  const inner = source.slice(open.length, close);
  const prefixes = requiredPrefixes(inner);
  if (prefixes === undefined) return undefined;
  // `(?:int|svc)-…`: when the group is literals alone, the literal after it extends each of them.
  if (after === '+' || !topLevelAlternatives(inner).every((alternative) => ONLY_LITERAL.test(alternative)))
    return prefixes;
  const rest = source.slice(close + 1);
  const following = LITERAL.exec(rest)?.[0];
  return following === undefined
    ? prefixes
    : prefixes.map((prefix) => prefix + requiredPart(following, rest[following.length]));
}

/** A literal less its last character when a quantifier after it may make that character optional. */
function requiredPart(literal: string, next: string | undefined): string {
  return next === '?' || next === '*' || next === '{' ? literal.slice(0, -1) : literal;
}

/** `source` split at the `|`s outside every group and character class. */
function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  scan(source, (char, i) => {
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
    return true;
  });
  parts.push(source.slice(from));
  return parts;
}

/** Where the group opening at index 0 closes, or -1. */
function closingParenthesis(source: string): number {
  let depth = 0;
  let found = -1;
  scan(source, (char, i) => {
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) {
      found = i;
      return false;
    }
    return true;
  });
  return found;
}

/** Calls `visit` with each character outside escapes and character classes, until it returns false. */
function scan(source: string, visit: (char: string, index: number) => boolean): void {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') {
      inClass = true;
      // `[]a]` and `[^]a]`: a `]` first in a class is a member, not its end.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (!visit(char, i)) return;
  }
}
