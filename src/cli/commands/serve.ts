/**
 * `stagecraft serve`: the team's authority — the ledger's API, with identities proven by tokens and OIDC,
 * and the dashboard — until SIGINT or SIGTERM, which let requests in flight finish.
 */
import { join } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { ledgerMode } from '../../ledger/clock.ts';
import { LedgerCodes } from '../../ledger/errors.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { openStore } from '../../ledger/store.ts';
import { createApp } from '../../server/app.ts';
import { ServerCodes } from '../../server/errors.ts';
import { listen } from '../../server/serve.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  host: string;
  port: string;
  /** true, or the name of the first admin token. */
  initAdmin?: string | boolean;
  quiet?: boolean;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65_535) {
    throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `--port ${options.port} is not a port`, {
      hint: 'a number from 0 to 65535 (0: any free port)',
    });
  }
  if (ledgerMode(ctx.env).rehearsal) {
    throw new StagecraftError(
      ServerCodes.SERVER_LOCAL_ONLY,
      'the server never rehearses: it keeps the database’s time',
      {
        hint: 'unset STAGECRAFT_REHEARSAL to serve; rehearse with a local ledger',
      },
    );
  }
  const workspace = ctx.workspace();
  const store = await openStore({
    databaseUrl: ctx.env['STAGECRAFT_DATABASE_URL'],
    file: join(workspace.root, '.stagecraft', 'state.db'),
  });
  try {
    const ledger = new Ledger(store, workspace, { rehearsal: false }, ctx.env);
    if (options.initAdmin)
      await initAdmin(ctx, ledger, options.initAdmin === true ? 'admin' : options.initAdmin);
    const log = (line: string) => ctx.output.note(`${new Date().toISOString()} ${line}`);
    const stopping = new AbortController();
    const app = createApp({
      ledger,
      log,
      stopping: stopping.signal,
      ...(options.quiet ? {} : { accessLog: log }),
    });
    const listening = await listen(app, options.host, port);
    ctx.output.write(`stagecraft serve: ${listening.url} (ledger: ${store.description})`);
    await stopSignal();
    ctx.output.note('stagecraft serve: stopping; requests in flight finish first');
    // Event streams never finish on their own: they end now, and their connections close with the idle ones.
    stopping.abort();
    await listening.close();
    return ExitCode.Clean;
  } finally {
    await store.close();
  }
}

/**
 * The first admin token, printed once on stdout. Made only while no admin token is active: a restart with
 * the same flag does not mint another.
 */
async function initAdmin(ctx: CommandContext, ledger: Ledger, name: string): Promise<void> {
  const system = { name: 'stagecraft serve --init-admin', role: 'admin' };
  const active = (await ledger.tokens(system)).filter(
    (token) => token.role === 'admin' && token.state === 'active',
  );
  if (active.length) {
    ctx.output.note(
      `an admin token is already active (${active.map((token) => token.name).join(', ')}); none made`,
    );
    return;
  }
  const { token } = await ledger.createToken({ name, role: 'admin' }, system);
  ctx.output.write(`admin token "${name}" (shown once; keep it in your secret store): ${token}`);
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
