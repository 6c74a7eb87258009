/**
 * `stagecraft run --env NAME -- CMD ARGS…`: resolves the environment's config and secrets and starts CMD
 * with them as environment variables — of that process only. Nothing resolved is written to disk. Under
 * GitHub Actions each secret is first registered with `::add-mask::`, so the runner masks it in logs;
 * `--redact` masks the values in the child's output itself.
 */
import { ConfigError } from '../../config/config-error.ts';
import { StagecraftError } from '../../errors.ts';
import { runChild } from '../../run/child.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { resolvedConfig } from '../secrets-support.ts';

interface Options {
  env?: string;
  module?: string;
  redact?: boolean;
}

/** Shorter values would mask ordinary text everywhere in the output. */
const MIN_REDACTED_LENGTH = 4;

export async function run(ctx: CommandContext, options: Options, args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || !ctx.argv.includes('--')) {
    throw new StagecraftError('RUN_USAGE', 'give the command to run after --', {
      hint: "stagecraft run --env dev -- node server.js (the -- keeps the command's own options from being read as stagecraft's)",
    });
  }
  const { inspection } = await resolvedConfig(ctx, options);
  if (inspection.problems.length) {
    // The command never starts with a config it would reject.
    ctx.output.error(new ConfigError(inspection.environment, inspection.problems));
    return ExitCode.Problems;
  }
  const variables = inspection.toEnvironment();
  const secrets = inspection.entries
    .filter((entry) => entry.field.spec.secret || entry.secretReference)
    .map((entry) => variables[entry.field.envName])
    .filter((value): value is string => value !== undefined && value !== '');

  if (ctx.env['GITHUB_ACTIONS'] === 'true') {
    // The runner masks per line; a multi-line value (a PEM key) is registered line by line.
    const lines = secrets.flatMap((value) => value.split(/\r?\n/)).filter((line) => line.trim() !== '');
    for (const line of new Set(lines)) ctx.output.write(`::add-mask::${escapeCommandData(line)}`);
  }
  let redact: string[] | undefined;
  if (options.redact) {
    redact = secrets.filter((value) => value.length >= MIN_REDACTED_LENGTH);
    const short = secrets.length - redact.length;
    if (short)
      ctx.output.note(
        `stagecraft run: ${short} secret value(s) shorter than ${MIN_REDACTED_LENGTH} characters are not masked`,
      );
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, variables);
  return runChild({ command, args: rest, env, cwd: ctx.cwd, ...(redact ? { redact } : {}) });
}

/** GitHub's workflow-command escaping of a command's data (as @actions/core does). */
function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
