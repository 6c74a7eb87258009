/**
 * The ledger's side of the git-based drift checks: what each service runs in an environment (in the order
 * stagecraft.yaml declares the services), and the
 * ledger's "now" (STAGECRAFT_NOW when rehearsing). The ledger's modules load only here, so a check given its
 * commits on the command line opens no database.
 */
import type { RunningCommit } from '../drift/deployed.ts';
import type { CommandContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';

export async function runningFromLedger(
  ctx: CommandContext,
  environment: string,
  hint?: string,
): Promise<{ running: RunningCommit[]; now: Date }> {
  const [{ withLedger }, { runningInEnvironment }] = await Promise.all([
    import('./ledger-support.ts'),
    import('../drift/deployed.ts'),
  ]);
  let running: RunningCommit[] = [];
  let now = new Date();
  await withLedger(ctx, async (ledger) => {
    running = await runningInEnvironment(ledger, environment, hint);
    now = await ledger.now();
    return ExitCode.Clean;
  });
  // In the order stagecraft.yaml declares the services, whatever order the ledger keeps them in.
  const order = ctx.workspace().services.map((service) => service.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  running.sort((a, b) => rank(a.service) - rank(b.service) || a.service.localeCompare(b.service));
  return { running, now };
}
