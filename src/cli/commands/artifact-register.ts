/** `stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA`: an artifact the ledger can promote. */
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

interface Options {
  commit: string;
  author?: string;
  build?: string;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [service = '', image = ''] = args;
  return withLedger(ctx, async (ledger, actor) => {
    const artifact = await ledger.registerArtifact(
      {
        service,
        image,
        commit: options.commit,
        ...(options.author ? { author: options.author } : {}),
        ...(options.build ? { build: { url: options.build } } : {}),
      },
      actor,
    );
    ctx.output.report({
      data: artifact,
      text: (s) =>
        `${s.green('✓')} registered ${artifact.service} ${artifact.digest.slice(0, 19)}… from commit ${artifact.commit.slice(0, 12)}`,
      markdown: () =>
        `Registered \`${artifact.service}\` \`${artifact.digest}\` from commit \`${artifact.commit}\`.`,
    });
    return ExitCode.Clean;
  });
}
