/**
 * The `drift:` section of stagecraft.yaml (its shape is declared in @stagecraft/config's workspace schema,
 * which reports unknown keys and wrong types at load; what needs the environments is checked here):
 *
 *   drift:
 *     iacOnly: [production]       # changes made with kubectl here are flagged as manual
 *     ignore:                     # in the spirit of Argo CD's ignoreDifferences
 *       - kind: Deployment
 *         name: storefront
 *         jsonPointers: [/spec/template/metadata/annotations]
 *       - managers: [kube-controller-manager]
 *     main: main                  # the branch fixes must reach; default main
 *     hotfix: [production]        # or true: the last environment of the chain
 *     deps: [[staging, production]]
 *     freshness:
 *       staging: { maxBehind: 20, maxAge: 24h }
 *     kubernetes:
 *       staging: { context: staging-cluster }
 *       production: { context: prod, kubeconfig: .kube/prod.yaml }   # or live: live/production.json
 */

import { resolve } from 'node:path';
import {
  type Problem,
  type SourceLocation,
  StagecraftError,
  summarizeProblems,
} from '@stagecraft/config/errors';
import { oneOf } from '@stagecraft/config/text';
import { parseDuration } from '@stagecraft/config/units';
import type { Workspace } from '@stagecraft/config/workspace';
import type { KeyPath } from '@stagecraft/config/yaml';
import { DriftCodes } from './errors.ts';
import type { IgnoreRule } from './kubernetes.ts';

/** How far behind main an environment may run; neither set means freshness is reported, never drift. */
export interface FreshnessLimits {
  maxBehind?: number;
  /** As written (`24h`), and in milliseconds. */
  maxAge?: { text: string; ms: number };
}

/** How the live objects of an environment are reached; paths are absolute. */
export type KubernetesReach = { context: string; kubeconfig?: string } | { live: string };

export interface DriftSettings {
  iacOnly: string[];
  ignore: IgnoreRule[];
  /** The branch fixes must reach. */
  main: string;
  /** Environments checked for unmerged hotfixes; none when drift.hotfix is not set. */
  hotfix: string[];
  deps: [string, string][];
  /** By environment, in the order written. */
  freshness: Record<string, FreshnessLimits>;
  kubernetes: Record<string, KubernetesReach>;
}

/** The settings of a workspace without a drift section. */
export function defaultDriftSettings(): DriftSettings {
  return { iacOnly: [], ignore: [], main: 'main', hotfix: [], deps: [], freshness: {}, kubernetes: {} };
}

/** The drift section of a loaded workspace, its paths resolved against stagecraft.yaml's folder. */
export function driftSettingsOf(workspace: Workspace): DriftSettings {
  return readDriftSettings(
    workspace.drift,
    workspace.locate,
    workspace.environments.map((env) => env.name),
    workspace.root,
  );
}

const SECTION_KEYS = ['iacOnly', 'ignore', 'main', 'hotfix', 'deps', 'freshness', 'kubernetes'];
const RULE_KEYS = ['group', 'kind', 'namespace', 'name', 'jsonPointers', 'managers'];

export function readDriftSettings(
  section: unknown,
  locate: (path: KeyPath) => SourceLocation,
  environments: readonly string[],
  root = '.',
): DriftSettings {
  const settings = defaultDriftSettings();
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
    if (!SECTION_KEYS.includes(key)) problem([key], `unknown key "drift.${key}"`, oneOf(key, SECTION_KEYS));
  }
  /** An environment's name at `path`, or a problem there; whether it is one. */
  const environment = (path: KeyPath, name: unknown): name is string => {
    if (typeof name === 'string' && environments.includes(name)) return true;
    problem(
      path,
      `${label(path)}: ${typeof name === 'string' ? `"${name}"` : 'this'} is not an environment of this workspace`,
      typeof name === 'string' ? oneOf(name, environments) : `use one of ${environments.join(', ')}`,
    );
    return false;
  };
  readRest(value, settings, environment, problem, root, environments);
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

/** drift.deps[1][0], drift.freshness.staging: a key path as the messages write it. */
const label = (path: KeyPath): string =>
  `drift${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`;

type ProblemAt = (path: KeyPath, message: string, hint: string) => void;
type EnvironmentAt = (path: KeyPath, name: unknown) => name is string;
const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A branch name git accepts and that is safe to pass to it and to write into a workflow: no leading dash (an
 * option), no `..`, no quotes, spaces or expression characters.
 */
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![./])$/;

/** main, hotfix, deps, freshness and kubernetes. */
function readRest(
  value: Record<string, unknown>,
  settings: DriftSettings,
  environment: EnvironmentAt,
  problem: ProblemAt,
  root: string,
  environments: readonly string[],
): void {
  const main = value['main'];
  if (typeof main === 'string' && BRANCH_NAME.test(main.trim())) settings.main = main.trim();
  else if (main !== undefined) {
    problem(
      ['main'],
      'drift.main must be a branch name',
      'e.g. main: main, or origin/main; letters, digits and . _ / -, not starting with - (it is passed to git and written into CI workflows)',
    );
  }

  const hotfix = value['hotfix'];
  if (hotfix === true) settings.hotfix = environments.slice(-1);
  else if (Array.isArray(hotfix)) {
    hotfix.forEach((name: unknown, index) => {
      if (environment(['hotfix', index], name) && !settings.hotfix.includes(name)) settings.hotfix.push(name);
    });
  } else if (hotfix !== undefined && hotfix !== false)
    problem(
      ['hotfix'],
      'drift.hotfix must be true or a list of environments',
      'e.g. hotfix: [production], or hotfix: true for the last environment',
    );

  const deps = value['deps'];
  if (Array.isArray(deps)) {
    deps.forEach((pair: unknown, index) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        problem(
          ['deps', index],
          `drift.deps[${index}] must be a pair of environments`,
          'e.g. [staging, production]',
        );
        return;
      }
      const [left, right] = pair as unknown[];
      const known = [environment(['deps', index, 0], left), environment(['deps', index, 1], right)];
      if (known[0] && known[1] && left === right)
        problem(
          ['deps', index],
          `drift.deps[${index}] compares ${String(left)} with itself`,
          'name two environments',
        );
      else if (known[0] && known[1]) settings.deps.push([left as string, right as string]);
    });
  } else if (deps !== undefined)
    problem(
      ['deps'],
      'drift.deps must be a list of pairs of environments',
      'e.g. deps: [[staging, production]]',
    );

  const freshness = value['freshness'];
  if (isMap(freshness)) {
    for (const [name, raw] of Object.entries(freshness)) {
      if (!environment(['freshness', name], name)) continue;
      const entry = isMap(raw) ? raw : {};
      if (raw !== null && raw !== undefined && !isMap(raw)) {
        problem(
          ['freshness', name],
          `drift.freshness.${name} must be a map`,
          'e.g. { maxBehind: 20, maxAge: 24h }',
        );
        continue;
      }
      const limits: FreshnessLimits = {};
      const behind = entry['maxBehind'];
      if (typeof behind === 'number' && Number.isInteger(behind) && behind >= 0) limits.maxBehind = behind;
      else if (behind !== undefined)
        problem(
          ['freshness', name, 'maxBehind'],
          `drift.freshness.${name}.maxBehind must be a whole number of commits`,
          'e.g. maxBehind: 20',
        );
      const age = entry['maxAge'];
      if (age !== undefined) {
        const parsed = parseDuration(age);
        if (parsed.ok && typeof age === 'string') limits.maxAge = { text: age, ms: parsed.value };
        else
          problem(
            ['freshness', name, 'maxAge'],
            `drift.freshness.${name}.maxAge is not a duration`,
            parsed.ok ? 'write it with a unit, e.g. maxAge: 24h' : (parsed.hint ?? 'e.g. maxAge: 24h'),
          );
      }
      settings.freshness[name] = limits;
    }
  } else if (freshness !== undefined)
    problem(
      ['freshness'],
      'drift.freshness must map environments to thresholds',
      'e.g. freshness: { staging: { maxAge: 24h } }',
    );

  const kubernetes = value['kubernetes'];
  if (isMap(kubernetes)) {
    for (const [name, raw] of Object.entries(kubernetes)) {
      if (!environment(['kubernetes', name], name)) continue;
      const entry = isMap(raw) ? raw : {};
      const text = (key: string) =>
        typeof entry[key] === 'string' && entry[key] !== '' ? (entry[key] as string) : undefined;
      const [context, kubeconfig, live] = [text('context'), text('kubeconfig'), text('live')];
      if (
        (context === undefined) === (live === undefined) ||
        (kubeconfig !== undefined && live !== undefined)
      ) {
        problem(
          ['kubernetes', name],
          `drift.kubernetes.${name} needs either context (with an optional kubeconfig) or live, not ${context === undefined && live === undefined ? 'neither' : 'both'}`,
          `e.g. ${name}: { context: ${name}-cluster }, or ${name}: { live: live/${name}.json }`,
        );
        continue;
      }
      settings.kubernetes[name] =
        live !== undefined
          ? { live: resolve(root, live) }
          : { context: context as string, ...(kubeconfig ? { kubeconfig: resolve(root, kubeconfig) } : {}) };
    }
  } else if (kubernetes !== undefined)
    problem(
      ['kubernetes'],
      'drift.kubernetes must map environments to how to reach them',
      'e.g. kubernetes: { staging: { context: staging-cluster } }',
    );
}
