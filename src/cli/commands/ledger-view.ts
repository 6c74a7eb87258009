/** `stagecraft status` (environment × service) and `stagecraft history` (every deployment, newest first). */
import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { NextPromotion } from '../../ledger/ledger.ts';
import { shortDigest, shortDigests } from '../../terminal/digest.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

export async function status(ctx: CommandContext): Promise<number> {
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.status();
    const waiting = await ledger.pendingGates();
    const checks = await ledger.latestChecks();
    const now = (await ledger.now()).getTime();
    const environments = ledger.workspace.environments.map((env) => env.name);
    const services = ledger.workspace.services.map((service) => service.name);
    const cell = (environment: string, service: string) => {
      const row = rows.find((r) => r.environment === environment && r.service === service);
      const next = waiting.find((w) => w.environment === environment && w.service === service);
      const here = row
        ? `${shortDigest(row.digest)} ${row.commit.slice(0, 7)} ${age(now - Date.parse(row.createdAt))}${row.status === 'succeeded' ? '' : ` ${row.stale ? 'stale' : row.status}`}${row.rehearsal ? ' (rehearsed)' : ''}`
        : '—';
      const gates = next ? ` → ${shortDigest(next.digest)} ${waits(next)}` : '';
      return `${here}${gates}`;
    };
    const blocked = waiting.flatMap((next) =>
      next.gates
        .filter((gate) => gate.blocked)
        .map(
          (gate) =>
            `${next.service} → ${next.environment}: ${gate.gate} can never pass for ${shortDigest(next.digest)}: ${gate.message}; what would reset it: ${gate.reset}`,
        ),
    );
    // The newest recorded parity and drift results (`--record`), as the dashboard shows them.
    const checkRows = checks.map((check) => [
      check.kind,
      check.name,
      check.status,
      `${age(now - Date.parse(check.at))} ago`,
      check.summary,
    ]);
    ctx.output.report({
      data: { deployments: rows, next: waiting, checks },
      text: (s) =>
        [
          textTable([
            ['service', ...environments],
            ...services.map((service) => [service, ...environments.map((env) => cell(env, service))]),
          ]),
          ...blocked.map((line) => `  ${s.red('✗')} ${line}`),
          ...(checkRows.length ? ['', s.bold('Recorded checks'), textTable(checkRows)] : []),
        ].join('\n'),
      markdown: () =>
        [
          markdownTable(
            ['Service', ...environments],
            services.map((service) => [service, ...environments.map((env) => cell(env, service))]),
          ),
          ...(blocked.length ? [blocked.map((line) => `- ${line}`).join('\n')] : []),
          ...(checkRows.length
            ? [markdownTable(['Kind', 'Check', 'Status', 'Recorded', 'Summary'], checkRows)]
            : []),
        ].join('\n\n'),
    });
    return ExitCode.Clean;
  });
}

/** What a promotion waits for: `ready`, `waits: soak, approvals`, or `blocked: soak` when a gate never passes. */
function waits(next: NextPromotion): string {
  if (next.gates.length === 0) return 'ready';
  const blocked = next.gates.filter((gate) => gate.blocked).map((gate) => gate.gate);
  if (blocked.length) return `blocked: ${blocked.join(', ')}`;
  return `waits: ${next.gates.map((gate) => gate.gate).join(', ')}`;
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
  options: { env?: string; service?: string; limit?: string },
): Promise<number> {
  const limit = positiveCount(options.limit, 50);
  return withLedger(ctx, async (ledger) => {
    const { deployments, more } = await ledger.history({
      environment: options.env,
      service: options.service,
      limit,
    });
    const table = deployments.map((r) => [
      `#${r.id}`,
      r.createdAt.slice(0, 19).replace('T', ' '),
      r.environment,
      r.service,
      `${r.breakGlass ? `${r.kind} BREAK-GLASS: ${r.reason ?? ''}` : r.kind}${r.rehearsal ? ' (rehearsed)' : ''}`,
      r.status,
      shortDigest(r.digest),
      r.commit.slice(0, 7),
      `${r.actor} (${r.role})`,
    ]);
    const headers = ['id', 'at', 'environment', 'service', 'kind', 'status', 'digest', 'commit', 'by'];
    const cut = more > 0 ? `${counted(more, 'more deployment')} (--limit ${limit + more} shows all)` : '';
    ctx.output.report({
      data: { deployments, more },
      text: () => [textTable([headers, ...table]), cut && `  … ${cut}`].filter(Boolean).join('\n'),
      markdown: () => [markdownTable(headers, table), cut && `… ${cut}`].filter(Boolean).join('\n\n'),
    });
    return ExitCode.Clean;
  });
}

export async function audit(ctx: CommandContext, options: { limit?: string }): Promise<number> {
  const limit = positiveCount(options.limit, 50);
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.auditLog(limit);
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

/** `--limit N`: a whole number of at least 1, at most 10,000 (what the server answers with at once). */
export function positiveCount(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(count) || count < 1 || count > 10_000) {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_OPTION,
      `--limit ${value} is not a number from 1 to 10000`,
      {
        hint: `e.g. --limit ${fallback}`,
      },
    );
  }
  return count;
}
