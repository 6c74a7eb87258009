/**
 * `--record` on parity and drift: the check's result kept in the ledger — the team's server with
 * STAGECRAFT_URL, .stagecraft/state.db without — for the dashboard. The result is recorded after the check
 * has reported, whatever it found, and as `error` when it could not evaluate. The exit code stays the
 * check's; only a clean check whose result could not be recorded exits 1, since the record asked for is
 * missing. The ledger's modules load only when a result is recorded: a check without --record opens no
 * database.
 */
import { isStagecraftError } from '@stagecraft/config/errors';
import type { CheckKind, CheckStatus } from '../ledger/checks.ts';
import type { Style } from '../terminal/style.ts';
import type { CommandContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { errorData } from './output.ts';

/** Which check ran: known from the command line, before the check reads anything. */
export interface CheckIdentity {
  kind: CheckKind;
  /** `staging↔production`, `kubernetes production`, `terraform production`. */
  name: string;
  environments: string[];
}

/** What a check found: its report (the data `--format json` prints) with its renderings, and what to record. */
export interface CheckOutcome {
  status: Exclude<CheckStatus, 'error'>;
  summary: string;
  findings: number;
  report: unknown;
  text(style: Style): string;
  markdown(): string;
}

/**
 * Runs `evaluate`, prints what it found and exits by it (2 for problems, 0 clean), then records the result
 * when `identity` is given. An error `evaluate` throws is recorded as `error` and thrown on.
 */
export async function runCheck(
  ctx: CommandContext,
  identity: CheckIdentity | undefined,
  evaluate: () => CheckOutcome | Promise<CheckOutcome>,
): Promise<number> {
  let outcome: CheckOutcome;
  try {
    outcome = await evaluate();
  } catch (error) {
    if (identity && isStagecraftError(error)) {
      await record(ctx, identity, {
        status: 'error',
        summary: error.message.split('\n')[0] ?? error.message,
        findings: 0,
        report: { error: errorData(error, ctx.output.style) },
      });
    }
    throw error;
  }
  const { text, markdown, ...found } = outcome;
  ctx.output.report({ data: found.report, text, markdown });
  const exit = found.status === 'problems' ? ExitCode.Problems : ExitCode.Clean;
  if (!identity) return exit;
  const recorded = await record(ctx, identity, found);
  return !recorded && exit === ExitCode.Clean ? ExitCode.Error : exit;
}

/** A result to record: which check, and what it found. */
export interface CheckResultToRecord {
  identity: CheckIdentity;
  outcome: { status: CheckStatus; summary: string; findings: number; report: unknown };
}

/** Records one result; whether it was. A failure is printed on stderr, never instead of the report. */
function record(
  ctx: CommandContext,
  identity: CheckIdentity,
  outcome: CheckResultToRecord['outcome'],
): Promise<boolean> {
  return recordChecks(ctx, [{ identity, outcome }], `the result of ${identity.kind} ${identity.name}`);
}

/**
 * Records results in one ledger session; whether all were. A failure is printed on stderr (`what` names
 * what was not recorded), never instead of the report.
 */
export async function recordChecks(
  ctx: CommandContext,
  results: readonly CheckResultToRecord[],
  what: string,
): Promise<boolean> {
  try {
    const { withLedger } = await import('./ledger-support.ts');
    await withLedger(ctx, async (ledger, actor) => {
      for (const { identity, outcome } of results) {
        const check = await ledger.recordCheck(
          { ...identity, ...outcome, report: JSON.stringify(outcome.report) },
          actor,
        );
        ctx.output.note(`recorded: ${check.kind} ${check.name}, ${check.status} (check #${check.id})`);
      }
      return ExitCode.Clean;
    });
    return true;
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    ctx.output.note(`--record: ${what} ${results.length === 1 ? 'was' : 'were'} not recorded`);
    ctx.output.errorOnStderr(error);
    return false;
  }
}
