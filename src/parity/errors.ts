/** Codes of parity: comparing two environments under a policy of allowed differences. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  PARITY_POLICY_INVALID: {
    outcome: 'invalid',
    meaning:
      'The parity policy (the parity section of stagecraft.yaml, or the file given to --policy) is not valid YAML or has problems; each is listed at its line.',
    hint: 'Fix each problem listed.',
  },
  PARITY_UNKNOWN_SIDE: {
    outcome: 'failed',
    meaning: 'A side to compare is neither an environment of stagecraft.yaml nor a folder.',
    hint: 'Name a declared environment or a folder of manifests.',
  },
  PARITY_NOTHING_TO_COMPARE: {
    outcome: 'failed',
    meaning: 'An environment to compare declares no manifests, facts or Terraform.',
    hint: 'Declare at least one of them for the environment in stagecraft.yaml.',
  },
  TERRAFORM_INVALID: {
    outcome: 'failed',
    meaning:
      'A Terraform file is missing, not valid JSON, or not what `terraform show -json` writes for a plan or state.',
    hint: 'Write it with `terraform show -json plan.out > plan.json` (or `terraform show -json` for the state).',
  },
} as const;

export const ParityCodes: Catalog<keyof typeof codes> = defineErrors('parity', codes);
