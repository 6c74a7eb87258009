import { resolve } from 'node:path';
import { dotenvRecord, parseDotenv } from '@stagecraft/config/engine';
import { INPUT_LIMITS, readInputFile } from '@stagecraft/config/input';
import type { CommandContext } from '../context.ts';
import { CliCodes } from '../errors.ts';
import { ExitCode } from '../exit-codes.ts';

/** Prints a .env file's values: the file is the user's own and printing it is this command's purpose. */
export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const file = resolve(ctx.cwd, args[0] as string);
  const text = readInputFile(file, {
    what: '.env file',
    maxBytes: INPUT_LIMITS.authored,
    code: CliCodes.ENV_FILE_UNREADABLE,
    hint: 'check the path',
  });
  const record = dotenvRecord(parseDotenv(text));
  const data = Object.fromEntries([...record].map(([key, entry]) => [key, entry.value]));
  // The output is the JSON object whatever the format: that is what scripts and differential tests compare.
  ctx.output.write(JSON.stringify(data, null, 2));
  return ExitCode.Clean;
}
