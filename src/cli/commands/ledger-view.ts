/** `stagecraft status` (environment × service) and `stagecraft history` (every deployment, newest first). */

import { shortDigest, shortDigests } from '../../terminal/digest.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

export async function status(ctx: CommandContext): Promise<number> {
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.status();
    const waiting = await ledger.pendingGates();
    const now = (await ledger.now()).getTime();
    const environments = ledger.workspace.environments.map((env) => env.name);
    const services = ledger.workspace.services.map((service) => service.name);
    const cell = (environment: string, service: string) => {
      const row = rows.find((r) => r.environment === environment && r.service === service);
      const next = waiting.find((w) => w.environment === environment && w.service === service);
      const here = row
        ? `${shortDigest(row.digest)} ${row.commit.slice(0, 7)} ${age(now - Date.parse(row.at))}${row.status === 'succeeded' ? '' : ` ${row.stale ? 'stale' : row.status}`}${row.rehearsal ? ' (rehearsed)' : ''}`
        : '—';
      const gates = next
        ? ` → ${shortDigest(next.digest)} ${next.gates.length ? `waits: ${next.gates.map((g) => g.split(':')[0]).join(', ')}` : 'ready'}`
        : '';
      return `${here}${gates}`;
    };
    ctx.output.report({
      data: { deployments: rows, next: waiting },
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

/** 42s, 5m, 3h, 2d: how long ago, roughly. */
function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
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
      `${r.break_glass ? `${r.kind} BREAK-GLASS: ${r.reason ?? ''}` : r.kind}${r.rehearsal ? ' (rehearsed)' : ''}`,
      r.status,
      shortDigest(r.digest),
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

export async function audit(ctx: CommandContext, options: { limit?: string }): Promise<number> {
  const limit = Number(options.limit ?? 50);
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.auditLog(Number.isInteger(limit) && limit > 0 ? limit : 50);
    const headers = ['at', 'actor', 'action', 'subject', 'outcome'];
    const table = rows.map((r) => [
      r.at.slice(0, 19).replace('T', ' '),
      `${r.actor} (${r.role})`,
      r.action,
      shortDigests(r.subject),
      `${r.outcome === 'refused' ? `refused: ${shortDigests(r.detail ?? '')}` : r.outcome}${r.rehearsal ? ' (rehearsed)' : ''}`,
    ]);
    ctx.output.report({
      data: { audit: rows },
      text: () => textTable([headers, ...table]),
      markdown: () => markdownTable(headers, table),
    });
    return ExitCode.Clean;
  });
}
