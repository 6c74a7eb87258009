/**
 * What may differ between two environments. By default only size and traffic: replicas, resource requests
 * and limits, autoscaler bounds and targets, disruption budgets, storage sizes, node counts and instance
 * types. The `parity:` section of stagecraft.yaml (or `--policy FILE` holding that section) adds paths per
 * kind and equivalents — values that name the same thing in each environment:
 *
 *   parity:
 *     allow:
 *       - kind: ConfigMap
 *         path: data.LOG_LEVEL            # a keyed list item is [name], any item [*]
 *     equivalents:
 *       - staging: api.staging.example.com
 *         production: api.example.com
 */
import {
  type Problem,
  type SourceLocation,
  StagecraftError,
  summarizeProblems,
} from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputFile } from '@stagecraft/config/input';
import { type KeyPath, parseYamlSource } from '@stagecraft/config/yaml';
import { ParityCodes } from './errors.ts';

export interface AllowRule {
  kind: string;
  path: string[];
  /** Where the rule was declared, or `default`. */
  origin: string;
}

export interface ParityPolicy {
  allow: AllowRule[];
  /** Each entry maps environment name → the value that names the same thing there. */
  equivalents: Record<string, string>[];
}

const DEFAULT_ALLOW: readonly [string, string][] = [
  ['*', 'spec.replicas'],
  ['*', 'spec.template.spec.containers[*].resources'],
  ['*', 'spec.template.spec.initContainers[*].resources'],
  ['CronJob', 'spec.jobTemplate.spec.template.spec.containers[*].resources'],
  ['StatefulSet', 'spec.volumeClaimTemplates[*].spec.resources'],
  ['PersistentVolumeClaim', 'spec.resources'],
  ['HorizontalPodAutoscaler', 'spec.minReplicas'],
  ['HorizontalPodAutoscaler', 'spec.maxReplicas'],
  ['HorizontalPodAutoscaler', 'spec.metrics'],
  ['HorizontalPodAutoscaler', 'spec.behavior'],
  ['HorizontalPodAutoscaler', 'spec.targetCPUUtilizationPercentage'],
  ['PodDisruptionBudget', 'spec.minAvailable'],
  ['PodDisruptionBudget', 'spec.maxUnavailable'],
  ['Job', 'spec.parallelism'],
];

export function defaultPolicy(): ParityPolicy {
  return {
    allow: DEFAULT_ALLOW.map(([kind, path]) => ({ kind, path: parsePath(path), origin: 'default' })),
    equivalents: [],
  };
}

/** `spec.template.spec.containers[*].resources` → its segments, `[…]` kept as one segment. */
export function parsePath(path: string): string[] {
  return path.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
}

export function allowedBy(
  policy: ParityPolicy,
  kind: string,
  path: readonly string[],
): AllowRule | undefined {
  return policy.allow.find(
    (rule) =>
      (rule.kind === '*' || rule.kind === kind) &&
      rule.path.length <= path.length &&
      rule.path.every(
        (segment, i) =>
          segment === path[i] || (segment === '[*]' && path[i]?.startsWith('[')) || segment === '*',
      ),
  );
}

/** Reads a parity section (from stagecraft.yaml or a policy file), reporting every problem at its place. */
export function readPolicy(
  section: unknown,
  locate: (path: KeyPath) => SourceLocation,
  prefix: KeyPath,
): ParityPolicy {
  const policy = defaultPolicy();
  const problems: Problem[] = [];
  const problem = (path: KeyPath, message: string, hint: string) =>
    problems.push({
      code: ParityCodes.PARITY_POLICY_INVALID,
      severity: 'error',
      message,
      location: locate([...prefix, ...path]),
      hint,
    });
  const value = (section ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problem(
      [],
      'the parity section must be a map with allow and equivalents',
      'see the README’s parity section',
    );
  } else {
    for (const key of Object.keys(value)) {
      if (key !== 'allow' && key !== 'equivalents')
        problem([key], `unknown key "${key}" in parity`, 'parity takes allow and equivalents');
    }
    const allow = value['allow'] ?? [];
    if (!Array.isArray(allow))
      problem(
        ['allow'],
        'parity.allow must be a list of {kind, path}',
        'e.g. allow: [{kind: ConfigMap, path: data.LOG_LEVEL}]',
      );
    else {
      allow.forEach((rule: unknown, index) => {
        const entry = rule as Record<string, unknown> | null;
        if (
          entry === null ||
          typeof entry !== 'object' ||
          typeof entry['kind'] !== 'string' ||
          typeof entry['path'] !== 'string' ||
          entry['path'] === ''
        ) {
          problem(
            ['allow', index],
            `parity.allow[${index}] needs a kind and a path`,
            'e.g. {kind: Deployment, path: spec.template.spec.containers[*].env[LOG_LEVEL]}',
          );
          return;
        }
        const at = locate([...prefix, 'allow', index]);
        policy.allow.push({
          kind: entry['kind'],
          path: parsePath(entry['path']),
          origin: `${at.file}:${at.line ?? '?'}`,
        });
      });
    }
    const equivalents = value['equivalents'] ?? [];
    if (!Array.isArray(equivalents))
      problem(
        ['equivalents'],
        'parity.equivalents must be a list of maps',
        'e.g. equivalents: [{staging: staging.shop.example.com, production: shop.example.com}]',
      );
    else {
      equivalents.forEach((entry: unknown, index) => {
        const ok =
          entry !== null &&
          typeof entry === 'object' &&
          !Array.isArray(entry) &&
          Object.values(entry).every((v) => typeof v === 'string' && v !== '') &&
          Object.keys(entry).length >= 2;
        if (!ok) {
          problem(
            ['equivalents', index],
            `parity.equivalents[${index}] must map two or more environments to non-empty strings`,
            'e.g. {staging: staging.shop.example.com, production: shop.example.com}',
          );
        } else policy.equivalents.push(entry as Record<string, string>);
      });
    }
  }
  if (problems.length) {
    throw new StagecraftError(
      ParityCodes.PARITY_POLICY_INVALID,
      summarizeProblems('the parity policy is invalid:', problems),
      {
        problems,
        hint: 'fix the parity section',
      },
    );
  }
  return policy;
}

/** `--policy FILE`: a YAML file holding what the parity section would. */
export function readPolicyFile(file: string): ParityPolicy {
  // A policy file that is missing or unreadable is INPUT_NOT_FOUND or INPUT_UNREADABLE (exit 1), not an
  // invalid policy (exit 2): there is nothing to validate.
  const text = readInputFile(file, {
    what: 'policy file',
    maxBytes: INPUT_LIMITS.authored,
    hint: 'check the path given to --policy',
  });
  const source = parseYamlSource(text, file, ParityCodes.PARITY_POLICY_INVALID);
  if (source.syntaxProblems.length) {
    throw new StagecraftError(
      ParityCodes.PARITY_POLICY_INVALID,
      summarizeProblems(`${file} is not valid YAML:`, source.syntaxProblems),
      {
        problems: source.syntaxProblems,
        hint: 'fix the YAML syntax',
      },
    );
  }
  return readPolicy(source.value, source.locate, []);
}
