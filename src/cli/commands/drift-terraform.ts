/**
 * `stagecraft drift terraform PLAN.json`: exit codes as `terraform plan -detailed-exitcode`: 0 nothing would
 * be applied, 2 the plan is applyable, 1 an errored plan, something that is not a plan, or an unknown format.
 * The rules and their sources are in src/drift/terraform.ts. Sensitive values arrive here already replaced by
 * `(sensitive)`, and values that name or look like a secret by `(not shown)`: no format can print one.
 * `--record` keeps the result in the ledger (check-record.ts).
 */
import { resolve } from 'node:path';
import { isStagecraftError } from '@stagecraft/config/errors';
import { WorkspaceCodes } from '@stagecraft/config/workspace';
import {
  type AttributeChange,
  readTerraformPlan,
  type TerraformChange,
  type TerraformDrift,
  type TerraformOutputChange,
} from '../../drift/terraform.ts';
import type { Style } from '../../terminal/style.ts';
import { type CheckIdentity, type CheckOutcome, runCheck } from '../check-record.ts';
import type { CommandContext } from '../context.ts';
import { markdownTable } from '../output.ts';

interface Options {
  env?: string;
  record?: boolean;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [file = ''] = args;
  const path = resolve(ctx.cwd, file);
  const check = options.record ? identity(ctx, options, file, path) : undefined;
  return runCheck(ctx, check, () => evaluateTerraform(path));
}

/** A plan read and judged, without printing: `drift terraform`, and `stagecraft drift` for terraform.plan. */
export function evaluateTerraform(path: string): CheckOutcome {
  const result = readTerraformPlan(path);
  return {
    status: result.verdict === 'drift' ? 'problems' : 'clean',
    summary: verdictLine(result),
    // What applying would do, and — refresh-only — what changed outside Terraform.
    findings: result.changes.length + result.outputs.length + (result.refreshOnly ? result.drift.length : 0),
    report: result,
    text: (s) => renderText(result, s),
    markdown: () => renderMarkdown(result),
  };
}

/**
 * The recorded check's name: `terraform ENV` for --env or the environment whose terraform.plan the file is,
 * else `terraform` and the file as given.
 */
function identity(ctx: CommandContext, options: Options, file: string, path: string): CheckIdentity {
  let environment = options.env;
  if (environment === undefined) {
    try {
      environment = ctx.workspace().environments.find((env) => env.terraform.plan === path)?.name;
    } catch (error) {
      // A plan can be read without a workspace; recording then reports that it needs one.
      if (!isStagecraftError(error, WorkspaceCodes.WORKSPACE_NOT_FOUND)) throw error;
    }
  }
  return environment === undefined
    ? { kind: 'drift', name: `terraform ${file}`, environments: [] }
    : { kind: 'drift', name: `terraform ${environment}`, environments: [environment] };
}

function summary(result: TerraformDrift): string {
  const c = result.counts;
  const parts = [
    `${c.create} to create`,
    `${c.update} to update`,
    `${c.replace} to replace`,
    `${c.delete} to delete`,
  ];
  if (c.forget) parts.push(`${c.forget} to forget`);
  if (c['create,forget']) parts.push(`${c['create,forget']} to create and forget`);
  if (c.import) parts.push(`${c.import} to import`);
  parts.push(`${c.move} moved`, `${c.read} to read`);
  if (c.output) parts.push(`${c.output} output${c.output === 1 ? '' : 's'} to change`);
  parts.push(`${c['no-op']} unchanged`);
  return parts.join(', ');
}

/** A value as JSON; `(sensitive)` and `(known after apply)` unquoted as terraform plan prints them, and `(not shown)` alike. */
const show = (value: unknown): string =>
  (JSON.stringify(value) ?? 'null').replace(/"(\((?:sensitive|known after apply|not shown)\))"/g, '$1');

/** `~ path = before -> after`, `+ path = added`, `- path = removed`, as terraform plan marks them. */
function attributeLine(change: AttributeChange): string {
  const replace = change.forcesReplacement ? ' # forces replacement' : '';
  if (!('before' in change)) return `+ ${change.path} = ${show(change.after)}${replace}`;
  if (!('after' in change)) return `- ${change.path} = ${show(change.before)}${replace}`;
  return `~ ${change.path} = ${show(change.before)} -> ${show(change.after)}${replace}`;
}

function outputLine(output: TerraformOutputChange): string {
  if (!('before' in output)) return `+ ${output.name} = ${show(output.after)}`;
  if (!('after' in output)) return `- ${output.name} = ${show(output.before)}`;
  return `~ ${output.name} = ${show(output.before)} -> ${show(output.after)}`;
}

function changeLines(changes: TerraformChange[], s: Style): string[] {
  const width = Math.max(8, ...changes.map((change) => change.action.length));
  const lines: string[] = [];
  for (const change of changes) {
    const from = change.previousAddress ? s.dim(` (from ${change.previousAddress})`) : '';
    const imported = change.importing
      ? s.dim(` (import${change.importing.id ? ` id ${change.importing.id}` : ''})`)
      : '';
    const reason = change.reason ? s.dim(` [${change.reason}]`) : '';
    lines.push(`  ${s.yellow(change.action.padEnd(width))} ${change.address}${from}${imported}${reason}`);
    for (const attribute of change.attributes ?? []) lines.push(`      ${attributeLine(attribute)}`);
  }
  return lines;
}

function renderText(result: TerraformDrift, s: Style): string {
  const lines: string[] = [];
  if (result.refreshOnly)
    lines.push(s.dim('A refresh-only plan: applying it only records the changes below.'), '');
  if (result.drift.length) {
    lines.push(s.bold(`Changed outside Terraform${result.refreshOnly ? ' (refresh-only plan)' : ''}:`));
    lines.push(...changeLines(result.drift, s), '');
  }
  if (result.changes.length) {
    lines.push(s.bold('Planned:'));
    lines.push(...changeLines(result.changes, s), '');
  }
  if (result.outputs.length) {
    lines.push(s.bold('Outputs:'));
    for (const output of result.outputs) lines.push(`  ${outputLine(output)}`);
    lines.push('');
  }
  if (result.informationalDrift.length) {
    lines.push(
      s.dim('Changed outside Terraform, not relevant to this plan (not counted; see relevant_attributes):'),
    );
    lines.push(...changeLines(result.informationalDrift, s).map((line) => s.dim(line)), '');
  }
  if (result.failedChecks.length) {
    lines.push(s.bold('Checks that failed:'));
    for (const check of result.failedChecks) {
      lines.push(`  ${s.red(check.status.padEnd(8))} ${check.address}`);
      for (const problem of check.problems) lines.push(`      ${problem}`);
    }
    lines.push('');
  }
  lines.push(`${result.verdict === 'no-drift' ? s.green('✓') : s.red('✗')} ${verdictLine(result)}`);
  return lines.join('\n');
}

/** The verdict in one line: the text report's last, and the summary a recorded result keeps. */
function verdictLine(result: TerraformDrift): string {
  const outside = result.drift.length ? `${result.drift.length} changed outside Terraform; ` : '';
  return result.verdict === 'no-drift'
    ? `no drift${result.refreshOnly ? ' (refresh-only plan)' : ''}: ${summary(result)}`
    : `drift: ${outside}${summary(result)}`;
}

function renderMarkdown(result: TerraformDrift): string {
  const details = (change: TerraformChange) =>
    [
      ...(change.previousAddress ? [`moved from ${change.previousAddress}`] : []),
      ...(change.importing ? [`import${change.importing.id ? ` id ${change.importing.id}` : ''}`] : []),
      ...(change.attributes ?? []).map(attributeLine),
    ].join('\n');
  const rows = [
    ...result.drift.map((c) => [c.action, c.address, 'outside Terraform', details(c)]),
    ...result.changes.map((c) => [c.action, c.address, 'planned', details(c)]),
    ...result.outputs.map((o) => [o.action, `output.${o.name}`, 'output', outputLine(o)]),
    ...result.informationalDrift.map((c) => [
      c.action,
      c.address,
      'outside Terraform, not relevant to this plan (not counted)',
      details(c),
    ]),
  ];
  const verdict = result.verdict === 'drift' ? 'found' : 'none';
  return [
    `### Terraform drift: ${verdict}${result.refreshOnly ? ' (refresh-only plan)' : ''}`,
    '',
    summary(result),
    '',
    markdownTable(['Action', 'Address', 'Kind', 'Changes'], rows),
    ...(result.failedChecks.length
      ? [
          '',
          '**Checks that failed**',
          '',
          ...result.failedChecks.map(
            (check) =>
              `- ${check.status} \`${check.address}\`${check.problems.length ? `: ${check.problems.join('; ')}` : ''}`,
          ),
        ]
      : []),
  ].join('\n');
}
