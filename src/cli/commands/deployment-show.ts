/** `stagecraft deployment show ID`: every field the ledger keeps of one deployment, its (redacted) output too. */
import { StagecraftError } from '@stagecraft/config/errors';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { DeploymentDetail } from '../../ledger/ledger.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const id = deploymentId(args[0] ?? '');
  return withLedger(ctx, async (ledger) => {
    const deployment = await ledger.deployment(id);
    const rows = fields(deployment);
    const output = deployment.output ?? '';
    ctx.output.report({
      data: deployment,
      text: (s) =>
        [
          s.bold(`deployment #${deployment.id}`),
          textTable(rows),
          output
            ? `\n${s.bold('output')} (redacted when kept)\n${indent(output)}`
            : `\n${s.dim('no output kept')}`,
        ].join('\n'),
      markdown: () =>
        [
          `## Deployment #${deployment.id}`,
          markdownTable(['Field', 'Value'], rows),
          output
            ? `### Output (redacted when kept)\n\n\`\`\`\n${output.replace(/```/g, '`\u200b``')}\n\`\`\``
            : '_No output kept._',
        ].join('\n\n'),
    });
    return ExitCode.Clean;
  });
}

/** `12` or `#12`. */
function deploymentId(value: string): number {
  const id = Number(value.replace(/^#/, ''));
  if (!/^#?\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `"${value}" is not a deployment id`, {
      hint: 'use the number `stagecraft history` shows, e.g. stagecraft deployment show 12',
    });
  }
  return id;
}

function fields(d: DeploymentDetail): string[][] {
  const rows: [string, string | null | undefined][] = [
    ['service', d.service],
    ['environment', d.environment],
    ['kind', d.kind],
    ['status', d.stale ? `${d.status} (stale: ${d.stale})` : d.status],
    ['image', d.image],
    ['digest', d.digest],
    ['commit', d.commit],
    ['author', d.author],
    ['by', `${d.actor} (${d.role})`],
    ['break-glass', d.breakGlass ? 'yes' : 'no'],
    ['reason', d.reason],
    ['created', d.createdAt],
    ['finished', d.finishedAt],
    ['runner', d.host === null ? null : `${d.host}${d.pid === null ? '' : ` pid ${d.pid}`}`],
    ['heartbeat', d.heartbeatAt],
    ['rehearsal', d.rehearsal ? 'yes' : 'no'],
  ];
  return rows.map(([name, value]) => [name, value ?? '—']);
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
