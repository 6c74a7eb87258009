/** `stagecraft status` (environment × service) and `stagecraft history` (every deployment, newest first). */
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

export async function status(ctx: CommandContext): Promise<number> {
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.status();
    const environments = ledger.workspace.environments.map((env) => env.name);
    const services = ledger.workspace.services.map((service) => service.name);
    const cell = (environment: string, service: string) => {
      const row = rows.find((r) => r.environment === environment && r.service === service);
      return row
        ? `${row.digest.slice(7, 19)} ${row.commit.slice(0, 7)} ${row.status === 'succeeded' ? '' : row.status}`.trim()
        : '—';
    };
    ctx.output.report({
      data: { deployments: rows },
      text: () =>
        textTable([
          ['service', ...environments],
          ...services.map((service) => [service, ...environments.map((env) => cell(env, service))]),
        ]),
      markdown: () =>
        markdownTable(
          ['Service', ...environments],
          services.map((service) => [service, ...environments.map((env) => cell(env, service))]),
        ),
    });
    return ExitCode.Clean;
  });
}

export async function history(
  ctx: CommandContext,
  options: { env?: string; service?: string },
): Promise<number> {
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.history({ environment: options.env, service: options.service });
    const table = rows.map((r) => [
      `#${r.id}`,
      r.created_at.slice(0, 19).replace('T', ' '),
      r.environment,
      r.service,
      r.break_glass ? `${r.kind} BREAK-GLASS: ${r.reason ?? ''}` : r.kind,
      r.status,
      r.digest.slice(7, 19),
      r.commit_sha.slice(0, 7),
      `${r.actor} (${r.role})`,
    ]);
    const headers = ['id', 'at', 'environment', 'service', 'kind', 'status', 'digest', 'commit', 'by'];
    ctx.output.report({
      data: { deployments: rows },
      text: () => textTable([headers, ...table]),
      markdown: () => markdownTable(headers, table),
    });
    return ExitCode.Clean;
  });
}
