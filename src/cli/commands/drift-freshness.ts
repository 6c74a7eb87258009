/**
 * `stagecraft drift freshness [--env staging] [--max-behind N] [--max-age 24h] [--main main]`: how far behind
 * main's head each service's deployed commit is (src/drift/freshness.ts). Past a threshold (the flags, else
 * drift.freshness in stagecraft.yaml) it is drift, exit 2; 0 fresh; 1 when it cannot tell (no deployment, a
 * commit not in the repository). Without a threshold it reports and exits 0. The deployed commits come from
 * the ledger, and "now" is the ledger's time (STAGECRAFT_NOW when rehearsing).
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { parseDuration } from '@stagecraft/config/units';
import type { Workspace } from '@stagecraft/config/workspace';
import { checkFreshness, type FreshnessReport } from '../../drift/freshness.ts';
import { branchLabel } from '../../drift/main-branch.ts';
import { driftSettingsOf, type FreshnessLimits } from '../../drift/settings.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { runningFromLedger } from '../drift-ledger.ts';
import { requireEnvironment } from '../environment-name.ts';
import { CliCodes } from '../errors.ts';
import { markdownTable, textTable } from '../output.ts';

interface Options {
  env?: string;
  maxBehind?: string;
  maxAge?: string;
  main?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const workspace = ctx.workspace();
  const settings = driftSettingsOf(workspace);
  const environment = options.env ?? defaultFreshnessEnvironment(workspace);
  requireEnvironment(
    workspace.environments.map((env) => env.name),
    environment,
  );
  const limits: FreshnessLimits = { ...settings.freshness[environment] };
  if (options.maxBehind !== undefined) limits.maxBehind = commitCount(options.maxBehind);
  if (options.maxAge !== undefined) limits.maxAge = duration(options.maxAge);
  const check = options.record
    ? { kind: 'drift' as const, name: `freshness ${environment}`, environments: [environment] }
    : undefined;
  return runCheck(ctx, check, () =>
    evaluateFreshness(ctx, { environment, main: options.main ?? settings.main, limits }),
  );
}

/** The environment deployed on every merge to main: the second of the chain (staging), else the only one. */
export function defaultFreshnessEnvironment(workspace: Workspace): string {
  const names = workspace.environments.map((env) => env.name);
  return names[1] ?? names[0] ?? 'staging';
}

/** Freshness of one environment, without printing: `drift freshness`, and `stagecraft drift`. */
export async function evaluateFreshness(
  ctx: CommandContext,
  target: { environment: string; main: string; limits: FreshnessLimits },
): Promise<CheckOutcome> {
  const workspace = ctx.workspace();
  const { running, now } = await runningFromLedger(ctx, target.environment);
  const deployed = new Set(running.map((entry) => entry.service));
  const result = await checkFreshness({
    repository: workspace.root,
    environment: target.environment,
    main: target.main,
    running,
    notDeployed: workspace.services.map((service) => service.name).filter((name) => !deployed.has(name)),
    limits: target.limits,
    now,
    env: ctx.env,
  });
  return {
    status: result.verdict === 'stale' ? 'problems' : 'clean',
    summary: verdictLine(result),
    findings: result.services.filter((service) => service.exceeded.length).length,
    report: result,
    text: (s) => renderText(result, s),
    markdown: () => renderMarkdown(result),
  };
}

function commitCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(count)) {
    throw new StagecraftError(CliCodes.CLI_USAGE, `--max-behind ${value} is not a number of commits`, {
      hint: 'e.g. --max-behind 20',
    });
  }
  return count;
}

function duration(value: string): { text: string; ms: number } {
  const parsed = parseDuration(value);
  if (!parsed.ok) {
    throw new StagecraftError(CliCodes.CLI_USAGE, `--max-age ${value} is not a duration`, {
      hint: parsed.hint ?? 'e.g. --max-age 24h',
    });
  }
  return { text: value, ms: parsed.value };
}

const short = (commit: string) => commit.slice(0, 7);

/** 49h: hours, as thresholds are usually written. */
const span = (hours: number): string => `${Math.round(hours * 10) / 10}h`;

function limitsText(result: FreshnessReport): string {
  const parts = [
    ...(result.limits.maxBehind !== null ? [`at most ${counted(result.limits.maxBehind, 'commit')}`] : []),
    ...(result.limits.maxAge !== null ? [`at most ${result.limits.maxAge}`] : []),
  ];
  return parts.join(' and ');
}

/** The verdict in one line: the text report's last, and the summary a recorded result keeps. */
function verdictLine(result: FreshnessReport): string {
  const worst = result.services.reduce((most, service) => Math.max(most, service.behind), 0);
  const oldest = result.services.reduce((most, service) => Math.max(most, service.behindHours), 0);
  const behind = `${counted(worst, 'commit')} and ${span(oldest)} behind ${branchLabel(result.main)}`;
  if (!limitsText(result))
    return `${result.environment} is at most ${behind}; no threshold is set (drift.freshness.${result.environment}, or --max-behind/--max-age), so this is not judged`;
  const stale = result.services.filter((service) => service.exceeded.length);
  return stale.length
    ? `${result.environment} is stale: ${stale.map((service) => `${service.service} ${counted(service.behind, 'commit')}, ${span(service.behindHours)} behind`).join('; ')} (allowed: ${limitsText(result)})`
    : `${result.environment} is fresh: at most ${behind} (allowed: ${limitsText(result)})`;
}

function rows(result: FreshnessReport): string[][] {
  return result.services.map((service) => [
    service.service,
    short(service.commit),
    counted(service.behind, 'commit'),
    service.oldestMissing
      ? `${span(service.behindHours)} (since ${short(service.oldestMissing.commit)} ${service.oldestMissing.subject})`
      : '—',
    `${span(service.deploymentAgeHours)} ago (#${service.deploymentId})`,
    service.exceeded.length
      ? `past ${service.exceeded.join(', ')}`
      : service.ahead
        ? `${service.ahead} not on ${branchLabel(result.main)}`
        : '',
  ]);
}

const HEADERS = ['service', 'commit', 'behind', 'main has had more for', 'deployed', ''];

function renderText(result: FreshnessReport, s: Style): string {
  const lines = [
    s.dim(
      `${result.environment} against ${branchLabel(result.main)} (${short(result.main.commit)}) at ${result.now}`,
    ),
    textTable([HEADERS, ...rows(result)]),
  ];
  if (result.notDeployed.length)
    lines.push(s.dim(`not deployed in ${result.environment}: ${result.notDeployed.join(', ')}`));
  const mark = !limitsText(result) ? s.yellow('!') : result.verdict === 'stale' ? s.red('✗') : s.green('✓');
  lines.push('', `${mark} ${verdictLine(result)}`);
  return lines.join('\n');
}

function renderMarkdown(result: FreshnessReport): string {
  const verdict = !limitsText(result) ? 'no threshold set' : result.verdict;
  return [
    `### Freshness of ${result.environment}: ${verdict}`,
    '',
    verdictLine(result),
    '',
    markdownTable(
      ['Service', 'Commit', 'Behind', `${branchLabel(result.main)} has had more for`, 'Deployed', ''],
      rows(result),
    ),
    ...(result.notDeployed.length
      ? ['', `Not deployed in ${result.environment}: ${result.notDeployed.join(', ')}.`]
      : []),
  ].join('\n');
}
