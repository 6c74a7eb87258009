/**
 * The rules a scan runs: the built-in ones plus custom rules a team declares (stagecraft.yaml `scan.rules`,
 * or imported from .gitleaks.toml). Custom rules travel as plain data so worker threads can build the same set.
 */
import { builtinRules } from './rules/index.ts';
import type { RuleSpec } from './rules/types.ts';

export interface CustomRuleDefinition {
  id: string;
  description?: string;
  /** JavaScript regular expression source. */
  regex: string;
  /** `i` for case-insensitive. */
  flags?: string;
  /** The capture group holding the secret: a number or a name. Default: the whole match. */
  secretGroup?: number | string;
  keywords?: string[];
  entropy?: number;
  /** Regex source a file's relative path must match. */
  paths?: string;
  /** Where the rule came from, for errors: `stagecraft.yaml:12`, `.gitleaks.toml`. */
  origin?: string;
}

export function buildRuleSet(custom: readonly CustomRuleDefinition[]): RuleSpec[] {
  return [...builtinRules, ...custom.map(compileCustomRule)];
}

export function compileCustomRule(definition: CustomRuleDefinition): RuleSpec {
  const flags = definition.flags?.includes('i') ? 'i' : '';
  const group = definition.secretGroup;
  // The engine reads the named group `secret`; a numbered group is renamed by rewriting its parenthesis.
  const source = typeof group === 'number' ? nameGroup(definition.regex, group) : definition.regex;
  const named = typeof group === 'string' ? source.replace(`(?<${group}>`, '(?<secret>') : source;
  const keywords = definition.keywords?.length
    ? definition.keywords.map((k) => k.toLowerCase())
    : literalPrefix(named);
  return {
    id: definition.id,
    description: definition.description ?? `Custom rule ${definition.id}`,
    category: 'custom',
    keywords,
    pattern: new RegExp(named, flags),
    ...(definition.entropy !== undefined ? { minEntropy: definition.entropy } : {}),
    ...(definition.paths ? { paths: new RegExp(definition.paths) } : {}),
    docs: definition.origin ?? 'custom rule',
    samples: { positive: () => '', negative: () => '' },
  };
}

/** Renames the n-th capturing group to `secret`. */
function nameGroup(source: string, n: number): string {
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      i++;
      continue;
    }
    if (source[i] === '(' && source[i + 1] !== '?') {
      count++;
      if (count === n) return `${source.slice(0, i + 1)}?<secret>${source.slice(i + 1)}`;
    }
  }
  return source;
}

/**
 * A custom rule without keywords gets the literal its pattern starts with (`acme-` for `ACME-[0-9a-f]{32}`)
 * for the prefilter; with none, no keywords, and the engine runs it on every file.
 */
function literalPrefix(source: string): string[] {
  const literal = /^(?:\\b|\^)?([A-Za-z0-9_-]{3,})/.exec(source)?.[1];
  return literal ? [literal.toLowerCase()] : [];
}
