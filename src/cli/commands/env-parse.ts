import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dotenvRecord, parseDotenv } from '../../config/dotenv-parse.ts';
import { StagecraftError } from '../../errors.ts';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

/** Prints a .env file's values: the file is the user's own and printing it is this command's purpose. */
export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const file = resolve(ctx.cwd, args[0] as string);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StagecraftError(
      'ENV_FILE_UNREADABLE',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        hint: 'check the path',
        cause: error,
      },
    );
  }
  const record = dotenvRecord(parseDotenv(text));
  const data = Object.fromEntries([...record].map(([key, entry]) => [key, entry.value]));
  // The output is the JSON object whatever the format: that is what scripts and differential tests compare.
  ctx.output.write(JSON.stringify(data, null, 2));
  return ExitCode.Clean;
}
