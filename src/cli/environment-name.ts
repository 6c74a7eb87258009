/** An environment named on the command line must be one stagecraft.yaml declares: one error for every command. */
import { StagecraftError } from '@stagecraft/config/errors';
import { oneOf } from '@stagecraft/config/text';
import { CliCodes } from './errors.ts';

/** `also` adds to the hint what else the argument could have meant (`for a commit write commit:REF`). */
export function requireEnvironment(declared: readonly string[], name: string, also?: string): void {
  if (declared.includes(name)) return;
  throw new StagecraftError(CliCodes.ENVIRONMENT_UNKNOWN, `there is no environment "${name}"`, {
    hint: also ? `${oneOf(name, declared)}; ${also}` : oneOf(name, declared),
  });
}
