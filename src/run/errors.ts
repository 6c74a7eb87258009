/** Codes of `stagecraft run`: starting a command with an environment's config. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  RUN_USAGE: {
    outcome: 'failed',
    meaning: 'stagecraft run was not given a command after --.',
    hint: 'stagecraft run --env dev -- node server.js',
  },
  RUN_BAD_REFRESH: {
    outcome: 'failed',
    meaning: 'stagecraft run --refresh was not a duration, or was given without --watch.',
    hint: 'stagecraft run --watch --refresh 1m -- node server.js (0 turns refreshing off)',
  },
  RUN_COMMAND_NOT_FOUND: {
    outcome: 'unavailable',
    meaning: 'The command to run was not found. It runs without a shell.',
    hint: 'Give a program on PATH or a path to one; for shell syntax, run sh -c "…".',
  },
  RUN_COMMAND_FAILED: {
    outcome: 'failed',
    meaning: 'The command to run could not be started (not executable, for example).',
    hint: 'Check that the file is executable.',
  },
} as const;

export const RunCodes: Catalog<keyof typeof codes> = defineErrors('run', codes);
