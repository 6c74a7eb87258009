/**
 * A repository's `.gitleaks.toml`, honoured so a team can switch tools without losing its tuning: its custom
 * rules join ours, and its allowlists (global and per rule) suppress what they suppressed under gitleaks.
 * Format: https://github.com/gitleaks/gitleaks#configuration. gitleaks regexes are Go RE2 and run here on RE2
 * too (linear-regex.ts), unchanged; a regex RE2 does not compile is reported at its line, never dropped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SourceLocation, StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputFile } from '@stagecraft/config/input';
import { ScanCodes } from './errors.ts';
import { LinearRegex, type LinearRegexOptions, linearRegexProblem } from './linear-regex.ts';
import type { CustomRuleDefinition } from './rule-set.ts';
import type { Allowlist } from './scan-config.ts';

export interface GitleaksSettings {
  rules: CustomRuleDefinition[];
  allowlist: Allowlist;
  /** Allowlists that apply to one rule id only. */
  ruleAllowlists: Map<string, Allowlist>;
}

interface GitleaksAllowlist {
  paths?: string[];
  regexes?: string[];
  stopwords?: string[];
}

interface GitleaksRule {
  id?: string;
  description?: string;
  regex?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  path?: string;
  allowlist?: GitleaksAllowlist;
  allowlists?: GitleaksAllowlist[];
}

export async function readGitleaksConfig(root: string): Promise<GitleaksSettings | undefined> {
  const file = join(root, '.gitleaks.toml');
  if (!existsSync(file)) return undefined;
  const { parse } = await import('smol-toml');
  let config: { rules?: GitleaksRule[]; allowlist?: GitleaksAllowlist; allowlists?: GitleaksAllowlist[] };
  const text = readInputFile(file, { what: 'gitleaks config', maxBytes: INPUT_LIMITS.authored });
  try {
    config = parse(text) as typeof config;
  } catch (error) {
    throw new StagecraftError(
      ScanCodes.SCAN_GITLEAKS_CONFIG_INVALID,
      `${file} is not valid TOML: ${(error as Error).message}`,
      {
        hint: 'fix the file, or remove it if the team no longer uses gitleaks',
        cause: error,
      },
    );
  }
  const lines = new TomlLines(file, text);
  const settings: GitleaksSettings = { rules: [], allowlist: emptyAllowlist(), ruleAllowlists: new Map() };
  for (const list of [config.allowlist, ...(config.allowlists ?? [])])
    mergeAllowlist(settings.allowlist, list, 'the global allowlist', lines.global());
  (config.rules ?? []).forEach((rule, index) => {
    const where = rule.id ? `rule ${rule.id} (rules[${index}])` : `rules[${index}]`;
    const at = lines.rule(index);
    if (!rule.id) throw invalid(at(), `${where} has no id`);
    const id = rule.id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    if (rule.regex) {
      checkRegex(
        rule.regex,
        `${where}: its regex`,
        at('regex'),
        rule.secretGroup ? { secretGroup: rule.secretGroup } : {},
      );
      if (rule.path) checkRegex(rule.path, `${where}: its path`, at('path'));
      settings.rules.push({
        id,
        ...(rule.description ? { description: rule.description } : {}),
        regex: rule.regex,
        ...(rule.secretGroup ? { secretGroup: rule.secretGroup } : {}),
        ...(rule.keywords?.length ? { keywords: rule.keywords } : {}),
        ...(rule.entropy ? { entropy: rule.entropy } : {}),
        ...(rule.path ? { paths: rule.path } : {}),
        origin: `${file}:${at('regex').line ?? 1}`,
      });
    }
    // A rule id we also have (gitleaks' own ids) scopes its allowlists to our rule of the same id.
    const lists = [rule.allowlist, ...(rule.allowlists ?? [])].filter(Boolean);
    if (lists.length) {
      const allowlist = settings.ruleAllowlists.get(id) ?? emptyAllowlist();
      for (const list of lists) mergeAllowlist(allowlist, list, `${where}: its allowlist`, at);
      settings.ruleAllowlists.set(id, allowlist);
    }
  });
  return settings;
}

function emptyAllowlist(): Allowlist {
  return { paths: [], regexes: [], stopwords: [] };
}

function mergeAllowlist(
  target: Allowlist,
  list: GitleaksAllowlist | undefined,
  where: string,
  at: (key?: string) => SourceLocation,
): void {
  if (!list) return;
  for (const path of list.paths ?? []) target.paths.push(checkRegex(path, `${where}: a path`, at('paths')));
  for (const regex of list.regexes ?? [])
    target.regexes.push(checkRegex(regex, `${where}: a regex`, at('regexes')));
  target.stopwords.push(...(list.stopwords ?? []).map((word) => word.toLowerCase()));
}

/** The regex compiled by RE2, or an error at its line naming the rule. */
function checkRegex(
  source: string,
  what: string,
  location: SourceLocation,
  options: LinearRegexOptions = {},
): LinearRegex {
  const why = linearRegexProblem(source, options);
  if (why !== undefined) throw invalid(location, `${what} does not compile as RE2: ${why}`);
  return new LinearRegex(source);
}

function invalid(location: SourceLocation, what: string): StagecraftError {
  return new StagecraftError(ScanCodes.SCAN_GITLEAKS_CONFIG_INVALID, what, {
    location,
    hint: 'gitleaks regexes are RE2 (Go regexp): no lookaround or backreferences. Adjust the rule in .gitleaks.toml, or declare it under scan.rules in stagecraft.yaml instead',
  });
}

/**
 * Where things are in the TOML text, for errors (the parser gives values, not positions): which lines
 * belong to the n-th `[[rules]]` table (with its `[rules.allowlist]` sub-tables) and which to none, and the
 * first line in either that sets a key. A key not found points at its rule's table.
 */
class TomlLines {
  private readonly lines: string[];
  /** For each line, the rule whose table it is in, or -1. */
  private readonly owner: number[] = [];
  private readonly ruleStarts: number[] = [];

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.lines = text.split('\n');
    let rule = -1;
    this.lines.forEach((line, index) => {
      if (/^\s*\[\[\s*rules\s*\]\]/.test(line)) {
        rule = this.ruleStarts.length;
        this.ruleStarts.push(index);
      } else if (/^\s*\[/.test(line) && !/^\s*\[\[?\s*rules\./.test(line)) {
        rule = -1;
      }
      this.owner.push(rule);
    });
  }

  /** The n-th rule's table, or a key in it. */
  rule(n: number): (key?: string) => SourceLocation {
    return (key) => {
      const line = (key === undefined ? undefined : this.find(n, key)) ?? this.ruleStarts[n];
      return line === undefined ? { file: this.file } : { file: this.file, line: line + 1 };
    };
  }

  /** Keys outside every rule: the global allowlists. */
  global(): (key?: string) => SourceLocation {
    return (key) => {
      const line = key === undefined ? undefined : this.find(-1, key);
      return line === undefined ? { file: this.file } : { file: this.file, line: line + 1 };
    };
  }

  private find(rule: number, key: string): number | undefined {
    const pattern = new RegExp(`^\\s*${key}\\s*=`);
    const index = this.lines.findIndex((line, i) => this.owner[i] === rule && pattern.test(line));
    return index === -1 ? undefined : index;
  }
}
