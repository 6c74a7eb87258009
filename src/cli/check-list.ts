/**
 * What `stagecraft check` runs: each check stagecraft.yaml configures, evaluated by the same code as its own
 * command (`config check --all`, `scan`, `gitignore check`, `secrets check`, `parity`, `drift`, `lint`). A check is
 * one entry of CHECKS that plans its units (one per environment or source where it has several), or says why
 * it is skipped and what to configure; adding a check is one entry.
 */
import { existsSync } from 'node:fs';
import type { StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import { driftSettingsOf } from '../drift/settings.ts';
import type { CheckIdentity, CheckOutcome } from './check-record.ts';
import type { CommandContext } from './context.ts';
import { configuredSources } from './drift-sources.ts';

/** A unit's result: a check's own outcome, or `error` for one that ran but could judge nothing. */
export interface UnitOutcome extends Omit<CheckOutcome, 'status'> {
  status: CheckOutcome['status'] | 'error';
}

/** One thing to evaluate: `config`, `secrets staging`, `drift kubernetes production`. */
export interface CheckUnit {
  check: CheckName;
  name: string;
  environments: string[];
  /**
   * How `--record` keeps it: parity and drift as their own commands record them, the others as kind `check`
   * under the check's name.
   */
  record: CheckIdentity;
  evaluate(): Promise<UnitOutcome>;
}

/** A check whose inputs stagecraft.yaml does not configure (or that this version lacks): why, and what to do. */
export interface SkippedUnit {
  check: CheckName;
  name: string;
  environments: string[];
  skipped: string;
}

export type PlannedUnit = CheckUnit | SkippedUnit;

/** What the command line selected. */
export interface CheckScope {
  /** The environments checked, in promotion order: every one, or the one `--env` names. */
  environments: readonly string[];
  /** Whether `--env` narrowed them to one. */
  narrowed: boolean;
  /** `--range BASE..HEAD`: the commits the scan reads instead of the working tree. */
  range: string | undefined;
}

export type CheckStatus = 'clean' | 'problems' | 'error' | 'skipped';

/** One check's result in the report (`--format json`). */
export interface CheckResult {
  check: CheckName;
  name: string;
  environments: string[];
  status: CheckStatus;
  summary: string;
  /** Problems found: findings, gaps, violations, drift items. */
  findings: number;
  /** The check's own report, as its command prints it with --format json; null when skipped or failed. */
  report: unknown;
  /** Why it could not be evaluated; null otherwise. */
  error: Record<string, unknown> | null;
  /** Why it was skipped and what to configure; null when it ran. */
  skipped: string | null;
}

export interface CheckReport {
  verdict: 'clean' | 'problems' | 'error';
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
}

/** A result with what rendered it: the check's own outcome, or the error that stopped it. */
export interface Evaluated {
  result: CheckResult;
  outcome?: UnitOutcome;
  error?: StagecraftError;
  /** How --record keeps it; none for a skipped check. */
  record?: CheckIdentity;
}

type Plan = (ctx: CommandContext, workspace: Workspace, scope: CheckScope) => PlannedUnit[];

const skip = (check: CheckName, skipped: string, name: string = check): SkippedUnit => ({
  check,
  name,
  environments: [],
  skipped,
});

/** Whether the workspace has a config definition to check: one declared, or the default module present. */
const hasConfig = (workspace: Workspace) => workspace.config.declared || existsSync(workspace.config.module);

const NO_CONFIG =
  'stagecraft.yaml has no config section and there is no src/config.ts: add config: { module: src/config.ts } (stagecraft init scaffolds one)';

export type CheckName = 'config' | 'scan' | 'gitignore' | 'secrets' | 'parity' | 'drift' | 'lint';

/** Every check, in the order the report lists them. */
export const CHECKS: Readonly<Record<CheckName, Plan>> = {
  config: (ctx, workspace, scope) => {
    if (!hasConfig(workspace)) return [skip('config', NO_CONFIG)];
    return [
      {
        check: 'config',
        name: 'config',
        environments: [...scope.environments],
        record: { kind: 'check', name: 'config', environments: [...scope.environments] },
        evaluate: async () =>
          (await import('./commands/config-check.ts')).evaluateCoverage(ctx, scope.environments),
      },
    ];
  },
  scan: (ctx, _workspace, scope) => [
    {
      check: 'scan',
      name: scope.range === undefined ? 'scan' : `scan ${scope.range}`,
      environments: [],
      record: { kind: 'check', name: 'scan', environments: [] },
      evaluate: async () => (await import('./commands/scan.ts')).evaluateScan(ctx, scope.range),
    },
  ],
  gitignore: (ctx) => [
    {
      check: 'gitignore',
      name: 'gitignore',
      environments: [],
      record: { kind: 'check', name: 'gitignore', environments: [] },
      evaluate: async () => (await import('./commands/gitignore-check.ts')).evaluateGitignore(ctx),
    },
  ],
  secrets: (ctx, workspace, scope) => {
    if (!hasConfig(workspace)) return [skip('secrets', NO_CONFIG)];
    return scope.environments.map((environment) => ({
      check: 'secrets',
      name: `secrets ${environment}`,
      environments: [environment],
      record: { kind: 'check', name: `secrets ${environment}`, environments: [environment] },
      evaluate: async () => {
        const { evaluateSecrets } = await import('./commands/secrets-check.ts');
        const { outcome, unjudged } = await evaluateSecrets(ctx, { env: environment });
        return unjudged ? { ...outcome, status: 'error' } : outcome;
      },
    }));
  },
  parity: (ctx, workspace, scope) => {
    const pair = parityPair(workspace);
    if (typeof pair === 'string') return [skip('parity', pair)];
    const [left, right] = pair;
    const name = `${left}↔${right}`;
    if (scope.narrowed && !scope.environments.some((env) => pair.includes(env)))
      return [
        skip(
          'parity',
          `--env ${scope.environments[0]}: parity compares ${left} and ${right}`,
          `parity ${name}`,
        ),
      ];
    return [
      {
        check: 'parity',
        name: `parity ${name}`,
        environments: [left, right],
        record: { kind: 'parity', name, environments: [left, right] },
        evaluate: async () => (await import('./commands/parity.ts')).evaluateParity(ctx, left, right),
      },
    ];
  },
  drift: (ctx, workspace, scope) => {
    const sources = configuredSources(ctx, workspace, driftSettingsOf(workspace)).filter(
      (source) => !scope.narrowed || source.environments.some((env) => scope.environments.includes(env)),
    );
    if (sources.length === 0) {
      return [
        skip(
          'drift',
          scope.narrowed
            ? `no drift source concerns ${scope.environments[0]}`
            : 'stagecraft.yaml configures no drift source: add drift.kubernetes (how to reach each environment’s cluster), drift.freshness, drift.hotfix or drift.deps, or terraform.plan on an environment',
        ),
      ];
    }
    // The sources run one after another, as `stagecraft drift` runs them: several read the local ledger, and
    // SQLite lets one process open it once at a time. The other checks run beside them.
    let previous: Promise<unknown> = Promise.resolve();
    return sources.map((source) => ({
      check: 'drift',
      name: `drift ${source.name}`,
      environments: source.environments,
      record: { kind: 'drift', name: source.name, environments: source.environments },
      evaluate: () => {
        const evaluation = previous.then(() => source.evaluate());
        previous = evaluation.catch(() => undefined);
        return evaluation;
      },
    }));
  },
  // Code that branches on the environment's name (`stagecraft lint`), over the workspace's whole tree.
  lint: (ctx) => [
    {
      check: 'lint',
      name: 'lint',
      environments: [],
      record: { kind: 'check', name: 'lint', environments: [] },
      evaluate: async () => (await import('./commands/lint.ts')).evaluateLint(ctx),
    },
  ],
};

export const CHECK_NAMES: readonly CheckName[] = Object.keys(CHECKS) as CheckName[];

/**
 * The environments parity compares: the last of the promotion chain (production) and the one it is promoted
 * from (staging), when both declare something to compare; else why not, as a skipped check's reason.
 */
function parityPair(workspace: Workspace): [string, string] | string {
  const right = workspace.environments.at(-1);
  const left = workspace.environments.find((env) => env.name === right?.from);
  if (!right || !left)
    return 'stagecraft.yaml declares no environment promoted from another: parity compares the last environment with the one it is promoted from';
  const bare = [left, right].filter(
    (env) => !env.manifests && !env.facts && !env.terraform.plan && !env.terraform.state,
  );
  if (bare.length)
    return `${bare.map((env) => env.name).join(' and ')} ${bare.length === 1 ? 'declares' : 'declare'} nothing to compare: add manifests: deploy/${bare[0]?.name} (rendered manifests), facts or terraform to environments.${bare[0]?.name} in stagecraft.yaml`;
  return [left.name, right.name];
}
