/** Codes of reading input: files and streams under their caps, and nesting within them. */
import { type Catalog, defineErrors } from '../errors.ts';

const codes = {
  INPUT_NOT_FOUND: {
    outcome: 'unavailable',
    meaning: 'A file stagecraft was given or needs does not exist, or is a symbolic link to nothing.',
    hint: 'Check the path.',
  },
  INPUT_UNREADABLE: {
    outcome: 'unavailable',
    meaning: 'A file exists but cannot be opened or read (permissions, an I/O error).',
    hint: 'Check that the file is readable by the user stagecraft runs as.',
  },
  INPUT_NOT_A_FILE: {
    outcome: 'failed',
    meaning:
      'An input is a directory, named pipe, device or socket: stagecraft reads only regular files, so a pipe cannot block it and a device cannot feed it without end.',
    hint: 'Give the path of a regular file; to pass generated content, write it to a file first.',
  },
  INPUT_SYMLINK_LOOP: {
    outcome: 'unavailable',
    meaning: 'An input is a symbolic link that leads back to itself.',
    hint: 'Fix or remove the link (`ls -l` shows where each link points).',
  },
  INPUT_TOO_LARGE: {
    outcome: 'failed',
    meaning:
      'An input is larger than the cap for its kind (1 MiB for files people write, 16 MiB for rendered manifests, 256 MiB for Terraform and kubectl JSON).',
    hint: 'Check that this is the right file; no real input of its kind is this large.',
  },
  INPUT_TOO_DEEP: {
    outcome: 'failed',
    meaning: 'Maps and lists in an input nest more than 256 levels deep.',
    hint: 'Check that this is the right file and that it was not generated in a loop.',
  },
} as const;

export const InputCodes: Catalog<keyof typeof codes> = defineErrors('input', codes);
