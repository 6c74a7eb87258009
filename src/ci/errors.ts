/** Codes of `stagecraft ci init`: CI workflows generated from stagecraft.yaml. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  CI_NO_PROVIDER: {
    outcome: 'failed',
    meaning: 'ci init was not told which CI to write workflows for.',
    hint: 'Give --github (.github/workflows/stagecraft-*.yml), --gitlab (.gitlab-ci.yml), or both.',
  },
  CI_WORKSPACE_UNFIT: {
    outcome: 'failed',
    meaning:
      'stagecraft.yaml lacks what the workflows need: a chain of at least two environments (staging, then production) and at least one service.',
    hint: 'Declare the environments CI deploys (e.g. staging, then production with from: staging) and the services it builds, then run ci init again.',
  },
  CI_CONFIG_UNREADABLE: {
    outcome: 'failed',
    meaning:
      "An environment's config file could not be read or parsed, so the secret variables its jobs need are unknown.",
    hint: 'Fix the file (stagecraft config check --all lists its problems), then run ci init again.',
  },
  CI_WORKFLOW_EDITED: {
    outcome: 'refused',
    meaning:
      'A workflow file ci init would write was changed by hand (or was not written by ci init): overwriting it would lose those changes.',
    hint: 'Keep your file, or run ci init again with --force to replace it (copy your changes over afterwards).',
  },
  CI_WRITE_REFUSED: {
    outcome: 'refused',
    meaning:
      'A workflow file ci init would write, or a folder on its way (.github, .github/workflows), is a symbolic link: writing through it could replace a file outside the repository. Nothing was written.',
    hint: 'Replace the link with a real folder or file, then run ci init again.',
  },
} as const;

export const CiCodes: Catalog<keyof typeof codes> = defineErrors('ci', codes);
