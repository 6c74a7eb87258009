/**
 * `stagecraft serve`: the team's authority — the ledger's API, with identities proven by tokens and OIDC,
 * and the dashboard — until SIGINT or SIGTERM, which let requests in flight finish.
 */
import { join } from 'node:path';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { ledgerMode } from '../../ledger/clock.ts';
import { LedgerCodes } from '../../ledger/errors.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { openStore } from '../../ledger/store.ts';
import { createApp } from '../../server/app.ts';
import { ServerCodes } from '../../server/errors.ts';
import { createOidcVerifier } from '../../server/oidc.ts';
import { listen } from '../../server/serve.ts';
import type { CommandContext } from '../context.ts';
import { differ } from '../diff-inputs.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  host: string;
  port: string;
  /** true, or the name of the first admin token. */
  initAdmin?: string | boolean;
  quiet?: boolean;
  trustedProxies?: string;
}

export async function run(ctx: CommandContext, options: Options): Promise<number> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65_535) {
    throw new StagecraftError(LedgerCodes.LEDGER_BAD_OPTION, `--port ${options.port} is not a port`, {
      hint: 'a number from 0 to 65535 (0: any free port)',
    });
  }
  const trustedProxies = Number(options.trustedProxies ?? '0');
  if (!/^\d{1,2}$/.test(options.trustedProxies ?? '0')) {
    throw new StagecraftError(
      LedgerCodes.LEDGER_BAD_OPTION,
      `--trusted-proxies ${options.trustedProxies} is not a count`,
      {
        hint: 'how many load balancers or proxies stand in front of the server, e.g. 1',
      },
    );
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
    // OIDC only where stagecraft.yaml trusts an issuer: otherwise a JWT is refused as such.
    const oidc = workspace.server.oidc.length ? createOidcVerifier(workspace.server.oidc) : undefined;
    const stopping = new AbortController();
    const app = createApp({
      ledger,
      log,
      // The dashboard's diff judges secret config fields by the app's definition, as `stagecraft diff` does.
      diff: await differ(ctx),
      oidc,
      trustedProxies,
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
  try {
    const { token } = await ledger.createToken({ name, role: 'admin', firstAdmin: true }, system);
    ctx.output.write(`admin token "${name}" (shown once; keep it in your secret store): ${token}`);
  } catch (error) {
    // Another server (or an earlier start) made it: serving goes on.
    if (!isStagecraftError(error, LedgerCodes.LEDGER_BAD_TOKEN_REQUEST)) throw error;
    ctx.output.note(error.message);
  }
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
