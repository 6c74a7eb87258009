/** `stagecraft deployed SERVICE --env ENV --confirm|--failed`: how a pending deployment ended. */
import { resolve } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { LIVE_OBJECTS, loadManifests } from '../../kubernetes/manifests.ts';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';

export async function run(
  ctx: CommandContext,
  options: { env: string; confirm?: boolean; failed?: boolean; live?: string },
  args: string[],
): Promise<number> {
  const [service = ''] = args;
  if (options.confirm === options.failed) {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_OPTION,
      'give --confirm (it runs) or --failed (it did not)',
      {
        hint: 'stagecraft deployed web --env production --confirm',
      },
    );
  }
  const status = options.confirm ? 'succeeded' : 'failed';
  return withLedger(ctx, async (ledger, actor) => {
    // What a drift check sees: the cluster runs the digest, so the deployment did succeed. Read once the
    // ledger has found the pending deployment, inside its action, so a refusal is audited.
    const file = options.live;
    const live =
      file === undefined
        ? undefined
        : () =>
            liveImages(
              loadManifests(resolve(ctx.cwd, file), LIVE_OBJECTS).objects.map((entry) => entry.object),
            );
    const id = await ledger.confirm({ service, environment: options.env, status, live }, actor);
    ctx.output.report({
      data: { id, service, environment: options.env, status },
      text: (s) =>
        `${status === 'succeeded' ? s.green('✓') : s.red('✗')} deployment #${id} of ${service} to ${options.env}: ${status}`,
      markdown: () => `Deployment #${id} of \`${service}\` to ${options.env}: ${status}.`,
    });
    return ExitCode.Clean;
  });
}

/** Every container image the objects run (any `image` field, in any kind's pod template). */
function liveImages(objects: readonly unknown[]): Set<string> {
  const images = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'image' && typeof child === 'string') images.add(child);
        else walk(child);
      }
    }
  };
  walk(objects);
  return images;
}
