import { isStagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, InputCodes, readInputFile } from '@stagecraft/config/input';

/** A hook file's text, or undefined when it does not exist (or is a link to nothing, which install replaces). */
export function readOptional(file: string): string | undefined {
  try {
    return readInputFile(file, { what: 'hook file', maxBytes: INPUT_LIMITS.authored });
  } catch (error) {
    if (isStagecraftError(error, InputCodes.INPUT_NOT_FOUND)) return undefined;
    throw error;
  }
}
