/** `stagecraft artifact list [--service S]`: every registered artifact, newest first. */
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

export async function run(ctx: CommandContext, options: { service?: string }): Promise<number> {
  return withLedger(ctx, async (ledger) => {
    const artifacts = await ledger.artifacts(options.service);
    const headers = ['service', 'digest', 'commit', 'author', 'registered', 'by', 'rejected'];
    const table = artifacts.map((a) => [
      a.service,
      a.digest.slice(7, 19),
      a.commit.slice(0, 7),
      a.author ?? '—',
      a.registeredAt.slice(0, 19).replace('T', ' '),
      a.registeredBy,
      `${a.rejected ? `REJECTED by ${a.rejected.by}: ${a.rejected.reason}` : '—'}${a.rehearsal ? ' (rehearsed)' : ''}`,
    ]);
    ctx.output.report({
      data: { artifacts },
      text: () => (artifacts.length ? textTable([headers, ...table]) : '  no artifact registered yet'),
      markdown: () => (artifacts.length ? markdownTable(headers, table) : '_No artifact registered yet._'),
    });
    return ExitCode.Clean;
  });
}
