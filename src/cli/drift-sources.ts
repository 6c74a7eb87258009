/**
 * The sources `stagecraft drift` runs: each one stagecraft.yaml configures, evaluated through the same code
 * as its own command (`drift kubernetes`, `drift terraform`, `drift freshness`, …) and recorded under the
 * same name. A source is a name, its environments and an evaluation; adding one is a line in SOURCES.
 */
import { resolve } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Workspace } from '@stagecraft/config/workspace';
import { DriftCodes } from '../drift/errors.ts';
import type { DriftSettings, KubernetesReach } from '../drift/settings.ts';
import type { CheckOutcome } from './check-record.ts';
import type { CommandContext } from './context.ts';

export type SourceKind = 'kubernetes' | 'terraform' | 'hotfix' | 'deps' | 'freshness';

export interface DriftSource {
  kind: SourceKind;
  /** The recorded check's name, as the source's own command records it: `kubernetes production`. */
  name: string;
  environments: string[];
  evaluate(): Promise<CheckOutcome>;
}

type SourcesOf = (ctx: CommandContext, workspace: Workspace, settings: DriftSettings) => DriftSource[];

/** The environments of a per-environment setting, in promotion order. */
const inChainOrder = (workspace: Workspace, names: readonly string[]) =>
  workspace.environments.map((env) => env.name).filter((name) => names.includes(name));

/** Every source kind, in the order the report lists them. */
export const SOURCES: Readonly<Record<SourceKind, SourcesOf>> = {
  kubernetes: (ctx, workspace, settings) =>
    inChainOrder(workspace, Object.keys(settings.kubernetes)).map((environment) => ({
      kind: 'kubernetes',
      name: `kubernetes ${environment}`,
      environments: [environment],
      evaluate: async () => {
        const manifests = workspace.environments.find((env) => env.name === environment)?.manifests;
        if (manifests === undefined) {
          throw new StagecraftError(
            DriftCodes.DRIFT_NO_DESIRED,
            `drift.kubernetes.${environment} is set, but environment ${environment} declares no manifests`,
            {
              hint: `declare manifests: for ${environment} in stagecraft.yaml (a folder of rendered manifests)`,
            },
          );
        }
        const reach = settings.kubernetes[environment] as KubernetesReach;
        const { evaluateKubernetes } = await import('./commands/drift-kubernetes.ts');
        return evaluateKubernetes(ctx, settings, { desired: resolve(manifests), reach, env: environment });
      },
    })),
  terraform: (_ctx, workspace) =>
    workspace.environments.flatMap((env) => {
      const plan = env.terraform.plan;
      if (plan === undefined) return [];
      return [
        {
          kind: 'terraform' as const,
          name: `terraform ${env.name}`,
          environments: [env.name],
          evaluate: async () => (await import('./commands/drift-terraform.ts')).evaluateTerraform(plan),
        },
      ];
    }),
  hotfix: (ctx, _workspace, settings) =>
    settings.hotfix.map((environment) => ({
      kind: 'hotfix',
      name: `hotfix ${environment}`,
      environments: [environment],
      evaluate: async () =>
        (await import('./commands/drift-hotfix.ts')).evaluateHotfix(ctx, environment, settings.main),
    })),
  deps: (ctx, _workspace, settings) =>
    settings.deps.map(([left, right]) => ({
      kind: 'deps',
      name: `deps ${left}↔${right}`,
      environments: [left, right],
      evaluate: async () =>
        (await import('./commands/drift-deps.ts')).evaluateDeps(ctx, [
          { kind: 'environment', name: left },
          { kind: 'environment', name: right },
        ]),
    })),
  freshness: (ctx, workspace, settings) =>
    inChainOrder(workspace, Object.keys(settings.freshness)).map((environment) => ({
      kind: 'freshness',
      name: `freshness ${environment}`,
      environments: [environment],
      evaluate: async () =>
        (await import('./commands/drift-freshness.ts')).evaluateFreshness(ctx, {
          environment,
          main: settings.main,
          limits: settings.freshness[environment] ?? {},
        }),
    })),
};

/** Every source stagecraft.yaml configures, kind by kind. */
export function configuredSources(
  ctx: CommandContext,
  workspace: Workspace,
  settings: DriftSettings,
): DriftSource[] {
  return (Object.keys(SOURCES) as SourceKind[]).flatMap((kind) => SOURCES[kind](ctx, workspace, settings));
}
