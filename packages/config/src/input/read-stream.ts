/**
 * A stream read to its end under a cap, for input piped to a command (`scan --stdin`): the counterpart of
 * read-file.ts for what has no path and no size to check beforehand.
 */
import { StagecraftError } from '../errors.ts';
import { InputCodes } from './errors.ts';

export async function readInputStream(
  stream: AsyncIterable<Buffer | string>,
  options: { what: string; maxBytes: number; hint: string },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    // Stops at the first chunk over the cap: the rest is never held in memory.
    if (total > options.maxBytes) {
      throw new StagecraftError(
        InputCodes.INPUT_TOO_LARGE,
        `${options.what} is over the ${options.maxBytes}-byte limit`,
        { hint: options.hint },
      );
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}
