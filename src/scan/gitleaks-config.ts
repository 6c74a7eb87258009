/**
 * A repository's `.gitleaks.toml`, honoured so a team can switch tools without losing its tuning: its custom
 * rules join ours, and its allowlists (global and per rule) suppress what they suppressed under gitleaks.
 * Format: https://github.com/gitleaks/gitleaks#configuration. gitleaks regexes are Go RE2; the few
 * differences that matter are translated, and a rule that still does not compile is reported, not dropped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StagecraftError } from '../errors.ts';
import { INPUT_LIMITS, readInputFile } from '../input/read-file.ts';
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
      'SCAN_GITLEAKS_CONFIG_INVALID',
      `${file} is not valid TOML: ${(error as Error).message}`,
      {
        hint: 'fix the file, or remove it if the team no longer uses gitleaks',
        cause: error,
      },
    );
  }
  const settings: GitleaksSettings = { rules: [], allowlist: emptyAllowlist(), ruleAllowlists: new Map() };
  for (const list of [config.allowlist, ...(config.allowlists ?? [])])
    mergeAllowlist(settings.allowlist, list, file);
  (config.rules ?? []).forEach((rule, index) => {
    const where = `${file} rules[${index}]${rule.id ? ` (${rule.id})` : ''}`;
    if (!rule.id) throw invalid(where, 'has no id');
    const id = rule.id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    if (rule.regex) {
      const { source, flags } = translateRegex(rule.regex, where);
      settings.rules.push({
        id,
        ...(rule.description ? { description: rule.description } : {}),
        regex: source,
        flags,
        ...(rule.secretGroup ? { secretGroup: rule.secretGroup } : {}),
        ...(rule.keywords?.length ? { keywords: rule.keywords } : {}),
        ...(rule.entropy ? { entropy: rule.entropy } : {}),
        ...(rule.path ? { paths: translateRegex(rule.path, `${where} path`).source } : {}),
        origin: file,
      });
    }
    // A rule id we also have (gitleaks' own ids) scopes its allowlists to our rule of the same id.
    const lists = [rule.allowlist, ...(rule.allowlists ?? [])].filter(Boolean);
    if (lists.length) {
      const allowlist = settings.ruleAllowlists.get(id) ?? emptyAllowlist();
      for (const list of lists) mergeAllowlist(allowlist, list, where);
      settings.ruleAllowlists.set(id, allowlist);
    }
  });
  return settings;
}

function emptyAllowlist(): Allowlist {
  return { paths: [], regexes: [], stopwords: [] };
}

function mergeAllowlist(target: Allowlist, list: GitleaksAllowlist | undefined, where: string): void {
  if (!list) return;
  for (const path of list.paths ?? [])
    target.paths.push(new RegExp(translateRegex(path, `${where} allowlist path`).source));
  for (const regex of list.regexes ?? []) {
    const { source, flags } = translateRegex(regex, `${where} allowlist regex`);
    target.regexes.push(new RegExp(source, flags));
  }
  target.stopwords.push(...(list.stopwords ?? []).map((word) => word.toLowerCase()));
}

/** Go RE2 → JavaScript: a leading `(?i)` becomes the `i` flag, `(?P<name>` a named group, `\z` `$`. */
export function translateRegex(go: string, where: string): { source: string; flags: string } {
  let source = go;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    source = source.slice(leading[0].length);
    if (leading[1]?.includes('i')) flags += 'i';
    if (leading[1]?.includes('s')) flags += 's';
    if (leading[1]?.includes('m')) flags += 'm';
  }
  // An inline (?i) further in applies to the rest in Go; JavaScript on Node 20 cannot scope it, so the whole
  // pattern becomes case-insensitive: a superset of what gitleaks matched, never a subset.
  if (/\(\?i\)/.test(source)) {
    source = source.replace(/\(\?i\)/g, '');
    if (!flags.includes('i')) flags += 'i';
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw invalid(where, `has a regex JavaScript cannot compile: ${(error as Error).message}`);
  }
  return { source, flags };
}

function invalid(where: string, what: string): StagecraftError {
  return new StagecraftError('SCAN_GITLEAKS_CONFIG_INVALID', `${where} ${what}`, {
    hint: 'adjust the rule in .gitleaks.toml, or declare it under scan.rules in stagecraft.yaml instead',
  });
}
