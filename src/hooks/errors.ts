/** Codes of the pre-commit hook: installing it under each hook manager, and running it. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  HOOKS_UNKNOWN_HOOK: {
    outcome: 'failed',
    meaning: 'hooks run was asked for a hook stagecraft does not have.',
    hint: 'The hook stagecraft runs is pre-commit: `stagecraft hooks run pre-commit`.',
  },
  HOOKS_CONFIG_INVALID: {
    outcome: 'invalid',
    meaning:
      "A hook manager's configuration (package.json, lefthook.yml, .simple-git-hooks.json) cannot be read, or is not in the shape that manager expects.",
    hint: 'Fix it (the hook manager cannot read it either), then run the command again.',
  },
  HOOKS_MANUAL_EDIT: {
    outcome: 'failed',
    meaning: 'simple-git-hooks is configured in a JavaScript file, which stagecraft does not edit.',
    hint: 'Add or remove the line the hint gives by hand, then run npx simple-git-hooks.',
  },
  HOOKS_CHAINED_EXISTS: {
    outcome: 'failed',
    meaning:
      "Another tool's pre-commit hook is in place, and the file stagecraft would move it to (to run it first) already exists.",
    hint: 'Rename or remove that file (check what it does first), then install again.',
  },
  HOOKS_FILE_ERROR: {
    outcome: 'unavailable',
    meaning: 'A hook file could not be written, moved or removed.',
    hint: "Check the permissions of the repository's hook files, then run the command again.",
  },
} as const;

export const HookCodes: Catalog<keyof typeof codes> = defineErrors('hooks', codes);
