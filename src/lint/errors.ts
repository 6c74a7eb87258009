/** Codes of `stagecraft lint`: environment branches in application code. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  LINT_INCOMPLETE: {
    outcome: 'unavailable',
    meaning:
      'Files lint was to check could not be read or parsed, so it cannot say the code is clean; the report of what was checked comes with the error.',
    hint: 'Fix the syntax error or the permissions named, or exclude the file in .gitignore.',
  },
  LINT_NEEDS_TYPESCRIPT: {
    outcome: 'unavailable',
    meaning:
      "stagecraft lint parses code with TypeScript's own parser, from the project's typescript package (a peer dependency), and it is not installed.",
    hint: 'Install it beside stagecraft: npm install --save-dev typescript',
  },
} as const;

export const LintCodes: Catalog<keyof typeof codes> = defineErrors('lint', codes);
