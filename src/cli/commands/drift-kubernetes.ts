/**
 * `stagecraft drift kubernetes`: desired manifests (--desired DIR, or --env NAME's manifests) against the
 * live objects (--live FILE: `kubectl get -o json` output, or a folder of them). Exit 0 no drift, 2 drift,
 * 1 when an input cannot be read. `--record` keeps the result in the ledger (check-record.ts).
 */
import { resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { WorkspaceCodes } from '@stagecraft/config/workspace';
import { DriftCodes } from '../../drift/errors.ts';
import { compareKubernetes, type DriftItem, type KubernetesDrift } from '../../drift/kubernetes.ts';
import { gatherLive } from '../../drift/live.ts';
import {
  type DriftSettings,
  defaultDriftSettings,
  driftSettingsOf,
  type KubernetesReach,
} from '../../drift/settings.ts';
import { LIVE_OBJECTS, loadManifests } from '../../kubernetes/manifests.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckIdentity, type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { markdownTable, textTable } from '../output.ts';

interface Options {
  desired?: string;
  live?: string;
  context?: string;
  kubeconfig?: string;
  env?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const settings = driftSettings(ctx);
  // Without --live or --context, how drift.kubernetes in stagecraft.yaml reaches the --env environment.
  const configured = options.env === undefined ? undefined : settings.kubernetes[options.env];
  const reach: KubernetesReach | undefined = options.live
    ? { live: resolve(ctx.cwd, options.live) }
    : options.context
      ? { context: options.context, ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}) }
      : configured;
  if (reach === undefined) {
    throw new StagecraftError(
      DriftCodes.DRIFT_NO_LIVE,
      'give the live objects with --live FILE, or a kubectl --context to ask (or drift.kubernetes.ENV in stagecraft.yaml)',
      {
        hint: 'kubectl get deploy,sts,svc,ing,cm,secret,hpa,pdb,sa -n NAMESPACE -o json --show-managed-fields > live.json',
      },
    );
  }
  let desiredDir = options.desired;
  if (desiredDir === undefined) {
    const environment = options.env
      ? ctx.workspace().environments.find((env) => env.name === options.env)
      : undefined;
    if (!environment?.manifests) {
      throw new StagecraftError(
        DriftCodes.DRIFT_NO_DESIRED,
        options.env ? `environment ${options.env} declares no manifests` : 'give --desired DIR or --env NAME',
        {
          hint: 'the desired state is a folder of rendered manifests (manifests: in stagecraft.yaml)',
        },
      );
    }
    desiredDir = environment.manifests;
  }
  const desiredPath = resolve(ctx.cwd, desiredDir);
  const check = options.record ? identity(ctx, options, desiredPath) : undefined;
  return runCheck(ctx, check, () =>
    evaluateKubernetes(ctx, settings, {
      desired: desiredPath,
      reach,
      env: options.env,
    }),
  );
}

/**
 * The desired folder against the live objects, without printing: `drift kubernetes`, and `stagecraft drift`
 * for each environment of drift.kubernetes.
 */
export function evaluateKubernetes(
  ctx: CommandContext,
  settings: DriftSettings,
  target: { desired: string; reach: KubernetesReach; env: string | undefined },
): CheckOutcome {
  const desired = loadManifests(target.desired).objects.map((entry) => entry.object);
  const reach = target.reach;
  const live =
    'live' in reach
      ? loadManifests(reach.live, LIVE_OBJECTS).objects.map((entry) => entry.object)
      : gatherLive(desired, { context: reach.context, kubeconfig: reach.kubeconfig, env: ctx.env });
  const result = compareKubernetes(desired, live, {
    ignore: settings.ignore,
    iacOnly: target.env !== undefined && settings.iacOnly.includes(target.env),
  });
  return {
    status: result.verdict === 'drift' ? 'problems' : 'clean',
    summary: verdictLine(result),
    findings: result.items.length,
    report: result,
    text: (s) => renderText(result, s),
    markdown: () => renderMarkdown(result),
  };
}

/**
 * The recorded check's name: `kubernetes ENV` for --env or an environment's manifests folder, else
 * `kubernetes` and the folder as given.
 */
function identity(ctx: CommandContext, options: Options, desiredPath: string): CheckIdentity {
  let environment = options.env;
  if (environment === undefined) {
    try {
      environment = ctx
        .workspace()
        .environments.find(
          (env) => env.manifests !== undefined && resolve(env.manifests) === desiredPath,
        )?.name;
    } catch (error) {
      // Folders can be compared without a workspace; recording then reports that it needs one.
      if (!isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) throw error;
    }
  }
  return environment === undefined
    ? { kind: 'drift', name: `kubernetes ${options.desired ?? desiredPath}`, environments: [] }
    : { kind: 'drift', name: `kubernetes ${environment}`, environments: [environment] };
}

function driftSettings(ctx: CommandContext): DriftSettings {
  try {
    const workspace = ctx.workspace();
    return driftSettingsOf(workspace);
  } catch (error) {
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return defaultDriftSettings();
    throw error;
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function by(item: DriftItem): string {
  if (!item.attribution) return '';
  return ` by ${item.attribution.manager}${item.attribution.time ? ` at ${item.attribution.time}` : ''}`;
}

/** A Secret's key: which one was added, removed or changed, never its value. */
function secretChange(item: DriftItem): string | undefined {
  if (item.type !== 'modified' || item.resource.kind !== 'Secret' || !item.path.startsWith('data.'))
    return undefined;
  return item.change === 'added'
    ? 'key added (value not shown)'
    : item.change === 'removed'
      ? 'key removed'
      : 'value changed (not shown)';
}

const objectName = (resource: DriftItem['resource']) =>
  `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;

function renderText(result: KubernetesDrift, s: Style): string {
  const lines: string[] = [];
  let current = '';
  for (const item of result.items) {
    const name = objectName(item.resource);
    if (name !== current) {
      if (current) lines.push('');
      current = name;
      lines.push(s.bold(name));
    }
    const flag = item.manual ? ` ${s.red('(manual change in an IaC-only environment)')}` : '';
    const secret = secretChange(item);
    if (item.type === 'missing') lines.push(`  ${s.red('missing')}  not in the cluster`);
    else if (item.type === 'extra')
      lines.push(`  ${s.red('extra')}    created by hand, not in the manifests${s.dim(by(item))}${flag}`);
    else if (secret) lines.push(`  ${s.yellow('modified')} ${item.path}: ${secret}${s.dim(by(item))}${flag}`);
    else {
      lines.push(`  ${s.yellow('modified')} ${item.path}${s.dim(by(item))}${flag}`);
      lines.push(`    ${s.dim('desired:')} ${shown(item.desired)}`);
      lines.push(`    ${s.dim('live:   ')} ${shown(item.live)}`);
    }
  }
  if (lines.length) lines.push('');
  if (result.informational.length) {
    lines.push(s.dim('Only in the cluster, created by controllers (not drift):'));
    lines.push(
      textTable(result.informational.map((entry) => [objectName(entry.resource), s.dim(entry.reason)])),
    );
    lines.push('');
  }
  lines.push(`${result.verdict === 'no-drift' ? s.green('✓') : s.red('✗')} ${verdictLine(result)}`);
  return lines.join('\n');
}

/** The verdict in one line: the text report's last, and the summary a recorded result keeps. */
function verdictLine(result: KubernetesDrift): string {
  const counts = `${counted(result.compared.desired, 'desired object')}, ${result.compared.live} live`;
  return result.verdict === 'no-drift'
    ? `no drift (${counts}${result.compared.ignored ? `; ${result.compared.ignored} ignored by drift.ignore` : ''})`
    : `${counted(result.items.length, 'drift item')} (${counts})`;
}

function renderMarkdown(result: KubernetesDrift): string {
  const informational = result.informational.length
    ? [
        '',
        `${counted(result.informational.length, 'object')} only in the cluster were created by controllers (not drift): ${result.informational
          .map((entry) => `${entry.resource.kind} ${entry.resource.name} (${entry.reason})`)
          .join(', ')}.`,
      ]
    : [];
  if (result.verdict === 'no-drift') return ['### Drift: none', ...informational].join('\n');
  return [
    `### Drift: ${counted(result.items.length, 'item')}`,
    '',
    markdownTable(
      ['Type', 'Object', 'Path', 'Desired', 'Live', 'Changed by'],
      result.items.map((item) => {
        const secret = secretChange(item);
        return [
          item.type,
          `${item.resource.kind} ${item.resource.name}`,
          item.path,
          secret ?? shown(item.desired),
          secret ? '' : shown(item.live),
          `${item.attribution?.manager ?? ''}${item.manual ? ' (manual)' : ''}`,
        ];
      }),
    ),
    ...informational,
  ].join('\n');
}
