/**
 * The `scan:` section of stagecraft.yaml: custom rules and allowlists. Validated here, with each problem at
 * its file:line, since the workspace schema keeps the section open for this feature to define.
 *
 *   scan:
 *     maxFileSize: 5MB
 *     rules:
 *       - id: acme-api-key
 *         regex: 'acme_[0-9a-f]{32}'
 *         keywords: [acme_]
 *         entropy: 3.5
 *         paths: '^services/'
 *     allowlist:
 *       paths: ['^test/fixtures/']
 *       regexes: ['^EXAMPLE']
 *       stopwords: [dummy]
 *     baseline: .stagecraft-baseline   # accepted findings (stagecraft scan --write-baseline)
 *     minConfidence: medium            # findings at or above it fail the run in the contexts below
 *     contexts: [code, config, lockfile, generated, vendored]   # `high` findings fail anywhere
 */
import { resolve } from 'node:path';
import { type Problem, StagecraftError, summarizeProblems } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import { CONFIDENCES } from './classify/confidence.ts';
import { FINDING_CONTEXTS } from './classify/context.ts';
import { DEFAULT_FAIL_POLICY, type FailPolicy } from './classify/policy.ts';
import { ScanCodes } from './errors.ts';
import { LinearRegex, linearRegexProblem } from './linear-regex.ts';
import type { CustomRuleDefinition } from './rule-set.ts';

/** What a team declared acceptable. Its regexes are RE2, like the custom rules' (see linear-regex.ts). */
export interface Allowlist {
  /** Findings in files whose relative path matches any of these are dropped. */
  paths: LinearRegex[];
  /** Findings whose secret matches any of these are dropped. */
  regexes: LinearRegex[];
  /** Findings whose secret contains any of these (lowercase) are dropped. */
  stopwords: string[];
}

export interface ScanSettings {
  rules: CustomRuleDefinition[];
  /** Patterns .gitignore must cover, beyond the seed's (`.env`, `*.key`, `secrets/`, …). */
  gitignore: string[];
  allowlist: Allowlist;
  maxFileBytes: number | undefined;
  /** The baseline file every scan applies, as an absolute path. */
  baseline: string | undefined;
  /** What fails the run (exit 2): `scan.minConfidence` and `scan.contexts`. */
  policy: FailPolicy;
}

/** Settings with nothing configured: a fresh object each time, since callers merge .gitleaks.toml into it. */
export function emptyScanSettings(): ScanSettings {
  return {
    rules: [],
    gitignore: [],
    allowlist: { paths: [], regexes: [], stopwords: [] },
    maxFileBytes: undefined,
    baseline: undefined,
    policy: { ...DEFAULT_FAIL_POLICY },
  };
}

const ALLOWED_KEYS = [
  'rules',
  'allowlist',
  'maxFileSize',
  'gitignore',
  'baseline',
  'minConfidence',
  'contexts',
];
const RULE_KEYS = [
  'id',
  'description',
  'regex',
  'secretGroup',
  'keywords',
  'entropy',
  'paths',
  'caseInsensitive',
];

export function scanSettings(workspace: Workspace): ScanSettings {
  const section = workspace.scan;
  const problems: Problem[] = [];
  const at = (path: (string | number)[]) => workspace.locate(['scan', ...path]);
  const problem = (path: (string | number)[], message: string, hint?: string) =>
    problems.push({
      code: ScanCodes.SCAN_CONFIG_INVALID,
      severity: 'error',
      message,
      location: at(path),
      hint,
    });

  for (const key of Object.keys(section)) {
    if (!ALLOWED_KEYS.includes(key))
      problem([key], `unknown key "scan.${key}"`, `scan takes ${ALLOWED_KEYS.join(', ')}`);
  }
  const settings = emptyScanSettings();

  const rules = section['rules'];
  if (rules !== undefined && !Array.isArray(rules)) problem(['rules'], 'scan.rules must be a list of rules');
  (Array.isArray(rules) ? rules : []).forEach((raw: unknown, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problem(['rules', index], `scan.rules[${index}] must be a map with id and regex`);
      return;
    }
    const rule = raw as Record<string, unknown>;
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.includes(key))
        problem(
          ['rules', index, key],
          `unknown key "${key}" in scan.rules[${index}]`,
          `a rule takes ${RULE_KEYS.join(', ')}`,
        );
    }
    if (typeof rule['id'] !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(rule['id'])) {
      problem(
        ['rules', index, 'id'],
        `scan.rules[${index}].id must be a kebab-case id`,
        'e.g. id: acme-api-key',
      );
    }
    const regex = rule['regex'];
    const secretGroup = rule['secretGroup'];
    if (typeof regex !== 'string') {
      problem(['rules', index, 'regex'], `scan.rules[${index}].regex must be a regular expression string`);
    } else {
      const why = linearRegexProblem(regex, {
        ...(typeof secretGroup === 'number' || typeof secretGroup === 'string' ? { secretGroup } : {}),
      });
      if (why !== undefined)
        problem(
          ['rules', index, 'regex'],
          `scan.rules[${index}].regex does not compile${typeof rule['id'] === 'string' ? ` (rule ${rule['id']})` : ''}: ${why}`,
          RE2_HINT,
        );
    }
    const keywords = rule['keywords'];
    if (
      keywords !== undefined &&
      (!Array.isArray(keywords) || keywords.some((k) => typeof k !== 'string' || k.length < 3))
    ) {
      problem(
        ['rules', index, 'keywords'],
        `scan.rules[${index}].keywords must be a list of strings of 3 or more characters`,
      );
    }
    if (rule['entropy'] !== undefined && typeof rule['entropy'] !== 'number') {
      problem(
        ['rules', index, 'entropy'],
        `scan.rules[${index}].entropy must be a number (bits per character)`,
      );
    }
    if (rule['paths'] !== undefined) {
      const why = typeof rule['paths'] === 'string' ? linearRegexProblem(rule['paths']) : 'not a string';
      if (why !== undefined)
        problem(
          ['rules', index, 'paths'],
          `scan.rules[${index}].paths must be a regular expression for file paths: ${why}`,
          RE2_HINT,
        );
    }
    const location = at(['rules', index]);
    settings.rules.push({
      id: String(rule['id']),
      ...(typeof rule['description'] === 'string' ? { description: rule['description'] } : {}),
      regex: String(regex),
      ...(rule['caseInsensitive'] === true ? { flags: 'i' } : {}),
      ...(typeof secretGroup === 'number' || typeof secretGroup === 'string' ? { secretGroup } : {}),
      ...(Array.isArray(keywords) ? { keywords: keywords.map(String) } : {}),
      ...(typeof rule['entropy'] === 'number' ? { entropy: rule['entropy'] } : {}),
      ...(typeof rule['paths'] === 'string' ? { paths: rule['paths'] } : {}),
      origin: `${location.file}:${location.line ?? 1}`,
    });
  });

  const allowlist = section['allowlist'];
  if (allowlist !== undefined) {
    if (allowlist === null || typeof allowlist !== 'object' || Array.isArray(allowlist)) {
      problem(['allowlist'], 'scan.allowlist must be a map with paths, regexes and stopwords');
    } else {
      const entries = allowlist as Record<string, unknown>;
      for (const key of ['paths', 'regexes'] as const) {
        const list = entries[key];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          problem(['allowlist', key], `scan.allowlist.${key} must be a list of regular expressions`);
          continue;
        }
        list.forEach((item: unknown, i) => {
          const why = typeof item === 'string' ? linearRegexProblem(item) : 'not a string';
          if (why === undefined) settings.allowlist[key].push(new LinearRegex(item as string));
          else
            problem(
              ['allowlist', key, i],
              `scan.allowlist.${key}[${i}] is not a valid regular expression: ${why}`,
              RE2_HINT,
            );
        });
      }
      const stopwords = entries['stopwords'];
      if (Array.isArray(stopwords))
        settings.allowlist.stopwords.push(...stopwords.map((w) => String(w).toLowerCase()));
      else if (stopwords !== undefined)
        problem(['allowlist', 'stopwords'], 'scan.allowlist.stopwords must be a list of words');
    }
  }

  const gitignore = section['gitignore'];
  if (Array.isArray(gitignore) && gitignore.every((item) => typeof item === 'string' && item.trim() !== '')) {
    settings.gitignore.push(...(gitignore as string[]));
  } else if (gitignore !== undefined) {
    problem(
      ['gitignore'],
      'scan.gitignore must be a list of .gitignore patterns',
      'e.g. gitignore: ["*.p12", "credentials.json"]',
    );
  }

  const baseline = section['baseline'];
  if (typeof baseline === 'string' && baseline.trim() !== '')
    settings.baseline = resolve(workspace.root, baseline);
  else if (baseline !== undefined)
    problem(['baseline'], 'scan.baseline must be a file path', 'e.g. baseline: .stagecraft-baseline');

  const maxFileSize = section['maxFileSize'];
  if (maxFileSize !== undefined) {
    const bytes = parseSize(maxFileSize);
    if (bytes === undefined)
      problem(['maxFileSize'], 'scan.maxFileSize must be a size such as 5MB or 1048576');
    else settings.maxFileBytes = bytes;
  }

  const minConfidence = section['minConfidence'];
  if (minConfidence !== undefined) {
    if (typeof minConfidence === 'string' && (CONFIDENCES as readonly string[]).includes(minConfidence))
      settings.policy.minConfidence = minConfidence as FailPolicy['minConfidence'];
    else
      problem(
        ['minConfidence'],
        `scan.minConfidence must be one of ${CONFIDENCES.join(', ')}, found ${JSON.stringify(minConfidence)}`,
        'low: every finding in the contexts of scan.contexts fails the run; medium (the default); high: only verified formats fail it',
      );
  }

  const contexts = section['contexts'];
  if (contexts !== undefined) {
    if (!Array.isArray(contexts)) {
      problem(
        ['contexts'],
        'scan.contexts must be a list of contexts',
        `e.g. contexts: [code, config]; the contexts are ${FINDING_CONTEXTS.join(', ')}`,
      );
    } else {
      const valid: FailPolicy['contexts'][number][] = [];
      contexts.forEach((item: unknown, i) => {
        if (typeof item === 'string' && (FINDING_CONTEXTS as readonly string[]).includes(item))
          valid.push(item as FailPolicy['contexts'][number]);
        else
          problem(
            ['contexts', i],
            `scan.contexts[${i}] is not a context: ${JSON.stringify(item)}`,
            `the contexts are ${FINDING_CONTEXTS.join(', ')}`,
          );
      });
      settings.policy.contexts = valid;
    }
  }

  if (problems.length) {
    throw new StagecraftError(
      ScanCodes.SCAN_CONFIG_INVALID,
      summarizeProblems('the scan section of stagecraft.yaml is invalid:', problems),
      {
        problems,
        hint: 'fix the scan section; `stagecraft workspace check` shows the rest of the file',
      },
    );
  }
  return settings;
}

const RE2_HINT =
  'write an RE2 regular expression (the syntax gitleaks uses: no lookaround or backreferences, which could make a scan take exponential time); quote it in YAML';

function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(value);
  if (!match) return undefined;
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
  };
  return Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1);
}
