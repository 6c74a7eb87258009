/**
 * `stagecraft secrets get REF`: prints the value one reference names. Revealing is its purpose, so it is the
 * one command that prints a secret without --reveal; the value goes to stdout alone, for `$(…)` and pipes.
 */
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { SecretResolver } from '@stagecraft/config/secret-references';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { secretsEnvironment } from '../secrets-support.ts';

export async function run(ctx: CommandContext, options: { env?: string }, args: string[]): Promise<number> {
  const [reference] = args;
  if (reference === undefined || !reference.includes('ref+')) {
    throw new StagecraftError('SECRET_REFERENCE_INVALID', `"${reference ?? ''}" is not a secret reference`, {
      hint: 'give one reference, e.g. stagecraft secrets get ref+env://DB_PASSWORD',
    });
  }
  const { backend } = secretsEnvironment(ctx, options.env);
  let value: unknown;
  try {
    value = await new SecretResolver(backend).resolveString(reference);
  } catch (error) {
    // An unresolvable reference is an answer ("not there"), reported like a finding, not a crash.
    if (!isStagecraftError(error)) throw error;
    ctx.output.error(error);
    return ExitCode.Problems;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (ctx.output.format === 'json') ctx.output.write(JSON.stringify({ reference, value }, null, 2));
  else ctx.output.write(text);
  return ExitCode.Clean;
}
