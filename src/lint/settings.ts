/**
 * What `stagecraft lint` and the ESLint plugin take from stagecraft.yaml: the environments it declares (each a
 * name a comparison may not use), the `lint` section's extra variables and fields, and its allowlist. The
 * schema has checked the section's shape when the file loaded, with each problem at its line.
 */
import type { Workspace } from '@stagecraft/config/workspace';
import { gitignoreMatcher, type Ignore } from '../git/gitignore-matcher.ts';
import { DEFAULT_FIELDS, DEFAULT_VARIABLES, type RuleOptions, USUAL_ENVIRONMENTS } from './rule.ts';

export interface AllowEntry {
  path: string;
  reason: string;
  matcher: Ignore;
}

export interface LintSettings {
  rule: RuleOptions;
  allow: AllowEntry[];
}

export function lintSettings(workspace: Workspace | undefined): LintSettings {
  const section = workspace?.lint ?? {};
  const declared = workspace?.environments.map((environment) => environment.name) ?? [];
  return {
    rule: {
      environments: unique([...USUAL_ENVIRONMENTS, ...declared].map((name) => name.toLowerCase())),
      variables: unique([...DEFAULT_VARIABLES, ...(section.environmentVariables ?? [])]),
      fields: unique([...DEFAULT_FIELDS, ...(section.environmentFields ?? [])]),
    },
    allow: (section.allow ?? []).map((entry) => ({
      path: entry.path,
      reason: entry.reason,
      matcher: gitignoreMatcher().add(entry.path),
    })),
  };
}

/** The `lint.allow` entry covering a file (relative to the workspace, `/`-separated), if one does. */
export function allowEntryFor(settings: LintSettings, file: string): AllowEntry | undefined {
  return settings.allow.find((entry) => entry.matcher.ignores(file));
}

const unique = (values: string[]) => [...new Set(values)];
