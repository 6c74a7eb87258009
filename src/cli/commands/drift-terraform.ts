/**
 * `stagecraft drift terraform PLAN.json`: exit codes as `terraform plan -detailed-exitcode`: 0 nothing to do,
 * 2 planned changes or drift, 1 an errored plan or an unknown format.
 */
import { resolve } from 'node:path';
import { readTerraformPlan, type TerraformDrift } from '../../drift/terraform.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { markdownTable } from '../output.ts';
import { noteRecordNotYetStored } from '../record-note.ts';
import type { Style } from '../style.ts';

export async function run(
  ctx: CommandContext,
  options: { record?: boolean },
  args: string[],
): Promise<number> {
  const [file = ''] = args;
  const result = readTerraformPlan(resolve(ctx.cwd, file));
  if (options.record) noteRecordNotYetStored(ctx);
  ctx.output.report({
    data: result,
    text: (s) => renderText(result, s),
    markdown: () => renderMarkdown(result),
  });
  return result.verdict === 'drift' ? ExitCode.Problems : ExitCode.Clean;
}

function summary(result: TerraformDrift): string {
  const c = result.counts;
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.move} moved, ${c.read} to read, ${c['no-op']} unchanged`;
}

function renderText(result: TerraformDrift, s: Style): string {
  const lines: string[] = [];
  if (result.drift.length) {
    lines.push(s.bold(`Changed outside Terraform${result.refreshOnly ? ' (refresh-only plan)' : ''}:`));
    for (const change of result.drift) lines.push(`  ${s.yellow(change.action.padEnd(8))} ${change.address}`);
    lines.push('');
  }
  if (result.changes.length) {
    lines.push(s.bold('Planned:'));
    for (const change of result.changes) {
      const from =
        change.previousAddress && change.previousAddress !== change.address
          ? s.dim(` (from ${change.previousAddress})`)
          : '';
      lines.push(
        `  ${s.yellow(change.action.padEnd(8))} ${change.address}${from}${change.reason ? s.dim(` [${change.reason}]`) : ''}`,
      );
    }
    lines.push('');
  }
  lines.push(
    result.verdict === 'no-drift'
      ? `${s.green('✓')} no drift: ${summary(result)}`
      : `${s.red('✗')} drift: ${result.drift.length} changed outside Terraform; ${summary(result)}`,
  );
  return lines.join('\n');
}

function renderMarkdown(result: TerraformDrift): string {
  return [
    `### Terraform drift: ${result.verdict === 'drift' ? 'found' : 'none'}`,
    '',
    summary(result),
    '',
    markdownTable(
      ['Action', 'Address', 'Kind'],
      [
        ...result.drift.map((c) => [c.action, c.address, 'outside Terraform']),
        ...result.changes.map((c) => [c.action, c.address, 'planned']),
      ],
    ),
  ].join('\n');
}
