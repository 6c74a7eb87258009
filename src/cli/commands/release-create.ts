/** `stagecraft release create NAME SERVICE=DIGEST…`: registered artifacts of several services, promoted as one. */
import { StagecraftError } from '@stagecraft/config/errors';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const [name = '', ...pairs] = args;
  const items = pairs.map((pair) => {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `"${pair}" is not SERVICE=DIGEST`, {
        hint: 'e.g. stagecraft release create 2026.11 web=sha256:… api=sha256:…',
      });
    }
    return { service: pair.slice(0, equals), digest: pair.slice(equals + 1) };
  });
  return withLedger(ctx, async (ledger, actor) => {
    await ledger.createRelease(name, items, actor);
    ctx.output.report({
      data: { release: name, items },
      text: (s) => `${s.green('✓')} release ${name}: ${items.map((i) => i.service).join(', ')}`,
      markdown: () => `Release \`${name}\`: ${items.map((i) => `\`${i.service}\``).join(', ')}.`,
    });
    return ExitCode.Clean;
  });
}
