/** Codes of `stagecraft diff`: what differs between two environments. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  DIFF_SECTION_FAILED: {
    outcome: 'failed',
    meaning:
      'One section of the diff could not be evaluated because of an unexpected error in stagecraft; the other sections were still compared.',
    hint: 'Report it as a bug with the command you ran.',
  },
  DIFF_NO_REPOSITORY: {
    outcome: 'unavailable',
    meaning:
      'A section of the diff needs the git repository (commits between the deployed commits, lockfiles at them), and the workspace is not in one.',
    hint: 'Run stagecraft diff (or stagecraft serve) in a clone of the repository the services are built from.',
  },
} as const;

export const DiffCodes: Catalog<keyof typeof codes> = defineErrors('diff', codes);
