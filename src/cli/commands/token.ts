/**
 * `stagecraft token create|list|revoke`: the server's API tokens, made by admins. Against the server with
 * STAGECRAFT_URL (as the admin its token proves), or on the ledger's database directly where the server's
 * operator has it. A new token is printed once; only its hash is kept.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { parseDuration } from '@stagecraft/config/units';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { withLedger } from '../ledger-support.ts';
import { markdownTable, textTable } from '../output.ts';

interface CreateOptions {
  name: string;
  role: string;
  env?: string[];
  expires?: string;
}

export async function create(ctx: CommandContext, options: CreateOptions): Promise<number> {
  let expiresInMs: number | undefined;
  if (options.expires !== undefined) {
    const parsed = parseDuration(options.expires);
    if (!parsed.ok || parsed.value <= 0) {
      throw new StagecraftError(
        LedgerCodes.LEDGER_BAD_OPTION,
        `--expires ${options.expires} is not a duration`,
        {
          hint: 'such as 12h, 30d or 90d',
        },
      );
    }
    expiresInMs = parsed.value;
  }
  const environments = options.env
    ?.flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  return withLedger(ctx, async (ledger, actor) => {
    const made = await ledger.createToken(
      { name: options.name, role: options.role, environments, expiresInMs },
      actor,
    );
    const scope = environments?.length ? ` in ${environments.join(', ')}` : '';
    const until = made.expiresAt ? `, until ${made.expiresAt}` : ', until revoked';
    ctx.output.report({
      data: {
        id: made.id,
        name: options.name,
        role: options.role,
        environments: environments ?? null,
        expiresAt: made.expiresAt,
        token: made.token,
      },
      text: (s) =>
        `${s.green('✓')} token #${made.id} for ${options.name} (${options.role}${scope}${until})\n${made.token}\n${s.dim('  shown once: keep it in a secret store; stagecraft keeps only its hash')}`,
      markdown: () =>
        `Token #${made.id} for \`${options.name}\` (${options.role}${scope}${until}):\n\n    ${made.token}\n`,
    });
    return ExitCode.Clean;
  });
}

export async function list(ctx: CommandContext): Promise<number> {
  return withLedger(ctx, async (ledger, actor) => {
    const tokens = await ledger.tokens(actor);
    const headers = ['id', 'name', 'role', 'environments', 'state', 'expires', 'created'];
    const rows = tokens.map((t) => [
      `#${t.id}`,
      t.name,
      t.role,
      t.environments?.join(', ') ?? 'all',
      t.state === 'revoked' ? `revoked by ${t.revokedBy}` : t.state,
      t.expiresAt?.slice(0, 16).replace('T', ' ') ?? 'never',
      `${t.createdAt.slice(0, 16).replace('T', ' ')} by ${t.createdBy}`,
    ]);
    ctx.output.report({
      data: { tokens },
      text: () => textTable([headers, ...rows]),
      markdown: () => markdownTable(headers, rows),
    });
    return ExitCode.Clean;
  });
}

export async function revoke(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const [which = ''] = args;
  return withLedger(ctx, async (ledger, actor) => {
    const token = await ledger.revokeToken(which, actor);
    ctx.output.report({
      data: token,
      text: (s) =>
        `${s.green('✓')} token #${token.id} for ${token.name} (${token.role}) is revoked: it fails from its next request`,
      markdown: () => `Token #${token.id} for \`${token.name}\` is revoked.`,
    });
    return ExitCode.Clean;
  });
}
