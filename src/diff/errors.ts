/** Codes of `stagecraft diff`: what differs between two environments. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  DIFF_SECTION_FAILED: {
    outcome: 'failed',
    meaning:
      'One section of the diff could not be evaluated because of an unexpected error in stagecraft; the other sections were still compared.',
    hint: 'Report it as a bug with the command you ran.',
  },
} as const;

export const DiffCodes: Catalog<keyof typeof codes> = defineErrors('diff', codes);
