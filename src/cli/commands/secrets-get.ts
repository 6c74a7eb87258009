/**
 * `stagecraft secrets get REF`: prints the value one reference names. Revealing is its purpose, so it is the
 * one command that prints a secret without --reveal; the value goes to stdout alone, for `$(…)` and pipes.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import { SecretCodes, SecretResolver } from '@stagecraft/config/secret-references';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { noteLeasesLeftRunning, secretsEnvironment } from '../secrets-support.ts';

export async function run(ctx: CommandContext, options: { env?: string }, args: string[]): Promise<number> {
  const [reference] = args;
  if (reference === undefined || !reference.includes('ref+')) {
    throw new StagecraftError(
      SecretCodes.SECRET_REFERENCE_INVALID,
      `"${reference ?? ''}" is not a secret reference`,
      {
        hint: 'give one reference, e.g. stagecraft secrets get ref+env://DB_PASSWORD',
      },
    );
  }
  const { backend } = secretsEnvironment(ctx, options.env);
  // A reference that does not resolve is an answer ("not there", "refused"): its outcome makes it exit 2,
  // while a backend that cannot be reached exits 1.
  const resolver = new SecretResolver(backend);
  const value = await resolver.resolveString(reference);
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (ctx.output.format === 'json') ctx.output.write(JSON.stringify({ reference, value }, null, 2));
  else ctx.output.write(text);
  // The value is used after this exits ($(…), a pipe): a dynamic credential stays valid until its TTL.
  noteLeasesLeftRunning(ctx, resolver.leases, 'the credential printed');
  return ExitCode.Clean;
}
