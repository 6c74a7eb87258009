/**
 * `stagecraft parity LEFT RIGHT`: is RIGHT (say production) a faithful copy of LEFT (staging)? Each side is
 * an environment of stagecraft.yaml (its manifests, facts and Terraform) or a folder of manifests. Exit 0
 * parity, 2 violations, 1 when the inputs cannot be read. `--record` keeps the result in the ledger
 * (check-record.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { counted, oneOf } from '@stagecraft/config/text';
import { type Environment, WorkspaceCodes } from '@stagecraft/config/workspace';
import { loadManifests } from '../../kubernetes/manifests.ts';
import { compareEnvironments } from '../../parity/compare.ts';
import { ParityCodes } from '../../parity/errors.ts';
import { readFacts } from '../../parity/facts.ts';
import { defaultPolicy, type ParityPolicy, readPolicy, readPolicyFile } from '../../parity/policy.ts';
import type { AllowedDifference, ParityResult, ParitySide, Place, Violation } from '../../parity/result.ts';
import { hasParityInputs, loadEnvironmentSide } from '../../parity/side.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { markdownTable } from '../output.ts';

interface Options {
  policy?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [leftArg, rightArg] = args as [string, string];
  const left = identify(ctx, leftArg);
  const right = identify(ctx, rightArg);
  const check = options.record
    ? {
        kind: 'parity' as const,
        // A folder by the path given, so it is never taken for the environment of the same name.
        name: `${left.environment ?? leftArg}↔${right.environment ?? rightArg}`,
        environments: [left.environment, right.environment].filter((name) => name !== undefined),
      }
    : undefined;
  return runCheck(ctx, check, () => compare(ctx, left, right, options));
}

/**
 * Parity of two environments of stagecraft.yaml as a check other commands run (`stagecraft check`), under
 * the workspace's policy; nothing printed.
 */
export function evaluateParity(ctx: CommandContext, left: string, right: string): CheckOutcome {
  return compare(ctx, identify(ctx, left), identify(ctx, right), {});
}

function compare(ctx: CommandContext, left: SideRef, right: SideRef, options: Options): CheckOutcome {
  const result = compareEnvironments(load(left), load(right), policyFor(ctx, options));
  return {
    status: result.verdict === 'parity' ? 'clean' : 'problems',
    summary: verdictLine(result),
    findings: result.violations.length,
    // What allowed a difference is named as a report names a file: relative to the workspace.
    report: {
      ...result,
      allowed: result.allowed.map((entry) => ({ ...entry, rule: ctx.output.style.paths(entry.rule) })),
    },
    text: (s) => renderText(result, s),
    markdown: () => renderMarkdown(result),
  };
}

/** One side, named: an environment of stagecraft.yaml or a folder (read later, by `load`). */
type SideRef =
  | { name: string; path: string; environment?: undefined }
  | { name: string; environment: string; settings: Environment };

/** An argument that is an existing folder or contains a slash is a folder; anything else names an environment. */
function identify(ctx: CommandContext, arg: string): SideRef {
  const path = resolve(ctx.cwd, arg);
  if (arg.includes('/') || (existsSync(path) && statSync(path).isDirectory())) {
    return { name: basename(path), path };
  }
  const workspace = ctx.workspace();
  const environment = workspace.environments.find((env) => env.name === arg);
  if (!environment) {
    throw new StagecraftError(
      ParityCodes.PARITY_UNKNOWN_SIDE,
      `"${arg}" is neither an environment of stagecraft.yaml nor a folder`,
      {
        hint: `${oneOf(
          arg,
          workspace.environments.map((env) => env.name),
        )}, or a path to a folder of manifests`,
      },
    );
  }
  if (!hasParityInputs(environment)) {
    throw new StagecraftError(
      ParityCodes.PARITY_NOTHING_TO_COMPARE,
      `environment ${arg} declares no manifests, facts or terraform`,
      {
        location: workspace.locate(['environments', arg]),
        hint: `add manifests: deploy/${arg} (rendered manifests) to environments.${arg} in stagecraft.yaml`,
      },
    );
  }
  return { name: arg, environment: arg, settings: environment };
}

/** What a side holds: its manifests, facts and Terraform, read. */
function load(side: SideRef): ParitySide {
  if (side.environment === undefined) {
    return {
      name: side.name,
      manifests: loadManifests(side.path),
      facts: readFacts(join(side.path, 'facts.json')),
      terraform: undefined,
    };
  }
  return { ...loadEnvironmentSide(side.settings), name: side.name };
}

function policyFor(ctx: CommandContext, options: Options): ParityPolicy {
  if (options.policy) return readPolicyFile(resolve(ctx.cwd, options.policy));
  try {
    const workspace = ctx.workspace();
    return readPolicy(workspace.parity, workspace.locate, ['parity']);
  } catch (error) {
    // Two folders can be compared without a workspace, under the default policy.
    if (isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) return defaultPolicy();
    throw error;
  }
}

function value(text: unknown): string {
  if (text === null || text === undefined) return '(absent)';
  const shown = typeof text === 'string' ? text : JSON.stringify(text);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** A name-mismatch's places listed in text and markdown; JSON has all of them. */
const PLACES_SHOWN = 10;

function placeText(place: Place): string {
  const object = place.resource
    ? `${place.resource.kind} ${place.resource.namespace ? `${place.resource.namespace}/` : ''}${place.resource.name}`
    : '';
  return `${object} ${place.path}`.trim();
}

function renderText(result: ParityResult, s: Style): string {
  const lines: string[] = [];
  const groups = new Map<string, Violation[]>();
  for (const violation of result.violations) {
    const key = violation.resource
      ? `${violation.resource.kind} ${violation.resource.namespace ? `${violation.resource.namespace}/` : ''}${violation.resource.name}`
      : 'Environment';
    groups.set(key, [...(groups.get(key) ?? []), violation]);
  }
  for (const [group, violations] of groups) {
    lines.push(s.bold(group));
    for (const v of violations) {
      const where = v.places ? `${counted(v.places.length, 'place')}` : v.path || s.dim('(whole object)');
      lines.push(`  ${s.red(v.type)}  ${where}`);
      lines.push(`    ${s.dim(`${result.left}:`)} ${value(v.left)}`);
      lines.push(`    ${s.dim(`${result.right}:`)} ${value(v.right)}`);
      if (v.places) {
        for (const place of v.places.slice(0, PLACES_SHOWN))
          lines.push(`    ${s.dim('at')} ${placeText(place)}`);
        if (v.places.length > PLACES_SHOWN)
          lines.push(
            `    ${s.dim(`… and ${v.places.length - PLACES_SHOWN} more (--format json lists all)`)}`,
          );
        lines.push(`    ${v.message}`);
      }
    }
    lines.push('');
  }
  for (const warning of result.warnings) lines.push(s.yellow(`warning: ${warning}`));
  lines.push(`${result.verdict === 'parity' ? s.green('✓') : s.red('✗')} ${verdictLine(result)}`);
  return lines.join('\n');
}

/** The verdict in one line: the text report's last, and the summary a recorded result keeps. */
function verdictLine(result: ParityResult): string {
  const counts = `${counted(result.compared.objects, 'object')}, ${counted(result.compared.databases, 'database')}, ${counted(result.compared.terraformResources, 'Terraform resource')}`;
  return result.verdict === 'parity'
    ? `${result.right} mirrors ${result.left}: ${counts} compared; ${counted(result.allowed.length, 'allowed difference')} (size and traffic)`
    : `${counted(result.violations.length, 'parity violation')} between ${result.left} and ${result.right} (${counts}; ${result.allowed.length} allowed)`;
}

function renderMarkdown(result: ParityResult): string {
  const head =
    result.verdict === 'parity'
      ? `### Parity: ${result.right} mirrors ${result.left}`
      : `### Parity: ${counted(result.violations.length, 'violation')} between ${result.left} and ${result.right}`;
  const row = (d: Violation | AllowedDifference, label: string) => [
    label,
    d.resource ? `${d.resource.kind} ${d.resource.name}` : '',
    'places' in d && d.places ? `${d.places.length} places (below)` : `\`${d.path}\``,
    value(d.left),
    value(d.right),
  ];
  const causes = result.violations
    .filter((v) => v.places)
    .map((v) => {
      const places = (v.places ?? []).slice(0, PLACES_SHOWN).map((place) => `\`${placeText(place)}\``);
      const more =
        (v.places?.length ?? 0) > PLACES_SHOWN ? `, … ${(v.places?.length ?? 0) - PLACES_SHOWN} more` : '';
      return `- **${v.type}**: ${v.message}. At ${places.join(', ')}${more}.`;
    });
  return [
    head,
    '',
    markdownTable(
      ['Type', 'Object', 'Path', result.left, result.right],
      [...result.violations.map((v) => row(v, v.type)), ...result.allowed.map((a) => row(a, 'allowed'))],
    ),
    ...(causes.length ? ['', ...causes] : []),
  ].join('\n');
}
