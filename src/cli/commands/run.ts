/**
 * `stagecraft run --env NAME -- CMD ARGS…`: resolves the environment's config and secrets and starts CMD
 * with them as environment variables — of that process only. Nothing resolved is written to disk. Under
 * GitHub Actions each secret is first registered with `::add-mask::`, so the runner masks it in logs;
 * `--redact` masks the values in the child's output itself.
 */

import type { ConfigWatcher, ResolvedInspection } from '@stagecraft/config/engine';
import { ConfigError } from '@stagecraft/config/engine';
import { StagecraftError } from '@stagecraft/config/errors';
import { LeaseKeeper } from '@stagecraft/config/secret-references';
import { counted } from '@stagecraft/config/text';
import { parseDuration } from '@stagecraft/config/units';
import { type RunningChild, runChild, startChild } from '../../run/child.ts';
import { RunCodes } from '../../run/errors.ts';
import { MIN_REDACTED_LENGTH } from '../../run/redact.ts';
import { loadConfigModule } from '../config-module.ts';
import type { CommandContext } from '../context.ts';
import { CliCodes } from '../errors.ts';
import { resolvedConfig, secretValues } from '../secrets-support.ts';

interface Options {
  env?: string;
  module?: string;
  redact?: boolean;
  watch?: boolean;
  refresh?: string;
}

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || !ctx.argv.includes('--')) {
    throw new StagecraftError(RunCodes.RUN_USAGE, 'give the command to run after --', {
      hint: "stagecraft run --env dev -- node server.js (the -- keeps the command's own options from being read as stagecraft's)",
    });
  }
  const refreshIntervalMs = refreshInterval(options);
  if (options.watch) return runWatching(ctx, options, command, rest, refreshIntervalMs);
  const { inspection } = await resolvedConfig(ctx, options);
  // The command never starts with a config it would reject.
  if (inspection.problems.length) throw new ConfigError(inspection.environment, inspection.problems);
  // Dynamic secrets' leases live while the command runs and are revoked when it exits (also after a signal
  // forwarded to it); one that can no longer be extended is reported: --watch restarts with a fresh one.
  const keeper = new LeaseKeeper({
    onExpiring: (lease) =>
      ctx.output.note(
        `stagecraft run: the lease ${lease.id} cannot be renewed further; the command keeps its credential until the lease ends (--watch restarts it with a fresh one)`,
      ),
    onError: (lease, error) =>
      ctx.output.note(
        `stagecraft run: lease ${lease.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      ),
  });
  for (const lease of inspection.leases ?? []) keeper.keep(lease);
  try {
    return await runChild({
      command,
      args: rest,
      cwd: ctx.cwd,
      ...childEnvironment(ctx, inspection, options),
    });
  } finally {
    await keeper.close();
  }
}

/** `--refresh DURATION`, checked before anything is resolved; only with --watch. */
function refreshInterval(options: Options): number | undefined {
  if (options.refresh === undefined) return undefined;
  const parsed = parseDuration(options.refresh);
  if (!options.watch || !parsed.ok) {
    throw new StagecraftError(
      RunCodes.RUN_BAD_REFRESH,
      options.watch
        ? `--refresh ${options.refresh} is not a duration`
        : '--refresh sets how often --watch reads secrets again, and --watch was not given',
      { hint: 'such as --watch --refresh 1m (0 turns refreshing off)' },
    );
  }
  return parsed.value;
}

/**
 * `--watch`: when a mounted secret changes, or a secret read through an API (Vault, AWS, the Kubernetes API)
 * is found changed when read again every `--refresh` (default 5 minutes), the command is stopped (SIGTERM)
 * and started again with the new values — a process's environment cannot change under it. A reload that
 * fails leaves it running. A reload reuses the leases of dynamic secrets that still run.
 */
async function runWatching(
  ctx: CommandContext,
  options: Options,
  command: string,
  args: string[],
  refreshIntervalMs: number | undefined,
): Promise<number> {
  const { loader } = await loadConfigModule(ctx, options.module);
  if (typeof loader.watch !== 'function') {
    throw new StagecraftError(
      CliCodes.CONFIG_MODULE_OUTDATED,
      'the config module was made by an older stagecraft that cannot watch secrets',
      {
        hint: 'update the stagecraft package the app depends on to this version',
      },
    );
  }
  let child: RunningChild | undefined;
  let restarting: Promise<void> | undefined;
  let watcher: ConfigWatcher<unknown>;
  const start = () =>
    startChild({ command, args, cwd: ctx.cwd, ...childEnvironment(ctx, watcher.inspection, options) });
  // A config with problems throws the app's own ConfigError (its copy of stagecraft made it), whose outcome
  // makes it exit 2 like ours.
  watcher = await loader.watch({
    env: ctx.env,
    cwd: ctx.cwd,
    ...(options.env ? { environment: options.env } : {}),
    ...(refreshIntervalMs === undefined ? {} : { refreshIntervalMs }),
    onChange() {
      restarting = (async () => {
        ctx.output.note('stagecraft run: secrets changed; restarting the command');
        const old = child;
        old?.kill('SIGTERM');
        await old?.exited;
        child = start();
      })();
    },
    onError(error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      ctx.output.note(
        `stagecraft run: reloading secrets failed; the command keeps its current values: ${message}`,
      );
    },
  });
  child = start();
  for (;;) {
    const current: RunningChild = child;
    const code = await current.exited;
    if (restarting) {
      await restarting;
      restarting = undefined;
      continue;
    }
    await watcher.close();
    return code;
  }
}

/** The child's variables (ours, then the config's), after registering its secrets for masking. */
function childEnvironment(
  ctx: CommandContext,
  inspection: ResolvedInspection,
  options: Options,
): { env: Record<string, string>; redact?: string[] } {
  const variables = inspection.toEnvironment();
  const secrets = secretValues(inspection);

  if (ctx.env['GITHUB_ACTIONS'] === 'true') {
    // The runner masks per line; a multi-line value (a PEM key) is registered line by line.
    const lines = secrets.flatMap((value) => value.split(/\r?\n/)).filter((line) => line.trim() !== '');
    for (const line of new Set(lines)) ctx.output.write(`::add-mask::${escapeCommandData(line)}`);
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, variables);
  if (!options.redact) return { env };
  const redact = secrets.filter((value) => value.length >= MIN_REDACTED_LENGTH);
  const short = secrets.length - redact.length;
  if (short) {
    ctx.output.note(
      `stagecraft run: ${counted(short, 'secret value')} shorter than ${MIN_REDACTED_LENGTH} characters are not masked`,
    );
  }
  return { env, redact };
}

/** GitHub's workflow-command escaping of a command's data (as @actions/core does). */
function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
