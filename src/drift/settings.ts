/**
 * The `drift:` section of stagecraft.yaml:
 *
 *   drift:
 *     iacOnly: [production]       # changes made with kubectl here are flagged as manual
 *     ignore:                     # in the spirit of Argo CD's ignoreDifferences
 *       - kind: Deployment
 *         name: storefront
 *         jsonPointers: [/spec/template/metadata/annotations]
 *       - managers: [kube-controller-manager]
 */

import {
  type Problem,
  type SourceLocation,
  StagecraftError,
  summarizeProblems,
} from '@stagecraft/config/errors';
import { oneOf } from '@stagecraft/config/text';
import type { KeyPath } from '@stagecraft/config/yaml';
import { DriftCodes } from './errors.ts';
import type { IgnoreRule } from './kubernetes.ts';

export interface DriftSettings {
  iacOnly: string[];
  ignore: IgnoreRule[];
}

const RULE_KEYS = ['group', 'kind', 'namespace', 'name', 'jsonPointers', 'managers'];

export function readDriftSettings(
  section: unknown,
  locate: (path: KeyPath) => SourceLocation,
  environments: readonly string[],
): DriftSettings {
  const settings: DriftSettings = { iacOnly: [], ignore: [] };
  const problems: Problem[] = [];
  const problem = (path: KeyPath, message: string, hint: string) =>
    problems.push({
      code: DriftCodes.DRIFT_SETTINGS_INVALID,
      severity: 'error',
      message,
      location: locate(['drift', ...path]),
      hint,
    });
  const value = (section ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (key !== 'iacOnly' && key !== 'ignore')
      problem([key], `unknown key "drift.${key}"`, 'drift takes iacOnly and ignore');
  }
  const iacOnly = value['iacOnly'] ?? [];
  if (!Array.isArray(iacOnly))
    problem(['iacOnly'], 'drift.iacOnly must be a list of environment names', 'e.g. iacOnly: [production]');
  else {
    iacOnly.forEach((name: unknown, index) => {
      if (typeof name === 'string' && environments.includes(name)) settings.iacOnly.push(name);
      else
        problem(
          ['iacOnly', index],
          `drift.iacOnly[${index}] is not an environment of this workspace`,
          typeof name === 'string' ? oneOf(name, environments) : `use one of ${environments.join(', ')}`,
        );
    });
  }
  const ignore = value['ignore'] ?? [];
  if (!Array.isArray(ignore))
    problem(
      ['ignore'],
      'drift.ignore must be a list of rules',
      'e.g. ignore: [{kind: Deployment, jsonPointers: [/spec/replicas]}]',
    );
  else {
    ignore.forEach((raw: unknown, index) => {
      const rule = raw as Record<string, unknown> | null;
      if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
        problem(
          ['ignore', index],
          `drift.ignore[${index}] must be a map`,
          `it takes ${RULE_KEYS.join(', ')}`,
        );
        return;
      }
      const unknown = Object.keys(rule).filter((key) => !RULE_KEYS.includes(key));
      const lists = ['jsonPointers', 'managers'].filter(
        (key) =>
          rule[key] !== undefined &&
          (!Array.isArray(rule[key]) || (rule[key] as unknown[]).some((v) => typeof v !== 'string')),
      );
      const pointers =
        (rule['jsonPointers'] as unknown[] | undefined)?.filter(
          (p) => typeof p === 'string' && !p.startsWith('/'),
        ) ?? [];
      if (unknown.length || lists.length || pointers.length || Object.keys(rule).length === 0) {
        problem(
          ['ignore', index],
          unknown.length
            ? `drift.ignore[${index}] has unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.join(', ')}`
            : pointers.length
              ? `drift.ignore[${index}].jsonPointers must start with /`
              : `drift.ignore[${index}] needs at least one of ${RULE_KEYS.join(', ')} (jsonPointers and managers are lists of strings)`,
          'e.g. {kind: Deployment, name: storefront, jsonPointers: [/spec/replicas]}',
        );
        return;
      }
      settings.ignore.push(rule as IgnoreRule);
    });
  }
  if (problems.length) {
    throw new StagecraftError(
      DriftCodes.DRIFT_SETTINGS_INVALID,
      summarizeProblems('the drift section of stagecraft.yaml is invalid:', problems),
      {
        problems,
        hint: 'fix the drift section',
      },
    );
  }
  return settings;
}
