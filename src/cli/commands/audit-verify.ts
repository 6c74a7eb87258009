/**
 * `stagecraft audit verify`: the audit log's hash chain recomputed from the first row, and the triggers that
 * keep the ledger append-only still in place. Exit 0 intact, 2 with the first broken link.
 */

import { StagecraftError } from '@stagecraft/config/errors';
import { counted } from '@stagecraft/config/text';
import { missingTriggers } from '../../ledger/append-only.ts';
import { verifyAuditChain } from '../../ledger/audit-chain.ts';
import { remoteSettings } from '../../server/client.ts';
import { ServerCodes } from '../../server/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLocalLedger } from '../ledger-support.ts';

export async function run(ctx: CommandContext): Promise<number> {
  if (remoteSettings(ctx.env)) {
    throw new StagecraftError(
      ServerCodes.SERVER_LOCAL_ONLY,
      'audit verify reads the ledger’s database itself, and STAGECRAFT_URL points at a server',
      {
        hint: 'run it where the server’s database is reachable, with STAGECRAFT_DATABASE_URL and without STAGECRAFT_URL',
      },
    );
  }
  return withLocalLedger(ctx, async (ledger) => {
    const verdict = await verifyAuditChain(ledger.store.db);
    const missing = await missingTriggers(ledger.store.db, ledger.store.dialect);
    const head = await ledger.store.db
      .selectFrom('audit_head')
      .select(['hash'])
      .where('id', '=', 1)
      .executeTakeFirst();
    const intact = verdict.broken === undefined && missing.length === 0;
    const problems = [
      ...(verdict.broken ? [verdict.broken.reason] : []),
      ...(missing.length ? [`append-only triggers missing: ${missing.join(', ')}`] : []),
    ];
    ctx.output.report({
      data: {
        intact,
        rows: verdict.rows,
        head: head?.hash ?? null,
        brokenAt: verdict.broken?.id ?? null,
        problems,
      },
      text: (s) =>
        intact
          ? `${s.green('✓')} the audit log is intact: ${counted(verdict.rows, 'row')}, head ${head?.hash ?? ''}`
          : `${s.red('✗')} the audit log is broken:\n${problems.map((p) => `  ${p}`).join('\n')}\n${s.dim('  the rows before the first broken link are intact; compare with a copy of the head kept elsewhere')}`,
      markdown: () =>
        intact
          ? `Audit log intact: ${verdict.rows} rows, head \`${head?.hash ?? ''}\`.`
          : `**Audit log broken**:\n\n${problems.map((p) => `- ${p}`).join('\n')}`,
    });
    return intact ? ExitCode.Clean : ExitCode.Problems;
  });
}
