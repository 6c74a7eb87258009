/** Codes of drift: the live state against the desired one (Kubernetes objects, Terraform plans). */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  DRIFT_SETTINGS_INVALID: {
    outcome: 'invalid',
    meaning: 'The drift section of stagecraft.yaml has problems; each is listed at its line.',
    hint: 'Fix each problem listed.',
  },
  DRIFT_NO_LIVE: {
    outcome: 'failed',
    meaning: 'drift kubernetes was given neither live objects (--live FILE) nor a kubectl context to ask.',
    hint: 'Give --live FILE (kubectl get … -o json --show-managed-fields) or --context NAME.',
  },
  DRIFT_NO_DESIRED: {
    outcome: 'failed',
    meaning:
      'drift kubernetes has no desired state: neither --desired DIR nor an --env that declares manifests.',
    hint: 'Give --desired DIR, or declare manifests: for the environment in stagecraft.yaml.',
  },
  DRIFT_LIVE_INVALID: {
    outcome: 'failed',
    meaning: 'The live objects are not what `kubectl get -o json --show-managed-fields` prints.',
    hint: 'Give the objects as kubectl prints them, with --show-managed-fields.',
  },
  TERRAFORM_NOT_A_PLAN: {
    outcome: 'failed',
    meaning: 'A Terraform state file, or other JSON, was given where a plan belongs.',
    hint: 'Write the plan with `terraform plan -out=plan.out && terraform show -json plan.out > plan.json`.',
  },
  TERRAFORM_FORMAT_UNSUPPORTED: {
    outcome: 'failed',
    meaning: "The plan's format_version is not 1.x, the JSON format stagecraft reads.",
    hint: 'A new major format may mean something else: upgrade stagecraft before trusting a "no drift" answer.',
  },
  TERRAFORM_PLAN_ERRORED: {
    outcome: 'failed',
    meaning: 'The plan is one that errored, so it cannot say whether anything drifted.',
    hint: 'Fix the error terraform plan reported, then plan again.',
  },
  DEPS_LOCKFILE_UNREADABLE: {
    outcome: 'failed',
    meaning:
      'drift deps could not read one or more lockfiles (each is listed, at its line where the parser gives one), so it cannot say that their dependencies agree.',
    hint: 'Fix or regenerate each lockfile listed; a lockfile that cannot be read is never reported as clean.',
  },
  DEPS_LOCKFILE_INVALID: {
    outcome: 'failed',
    meaning: 'A lockfile is not valid for its format (a syntax error, a merge conflict, an unknown shape).',
    hint: 'Regenerate the lockfile with its package manager (npm install, pnpm install, yarn install, bun install).',
  },
  DEPS_LOCKFILE_BINARY: {
    outcome: 'failed',
    meaning: 'bun.lockb is a binary lockfile that stagecraft does not read.',
    hint: 'Switch to the text lockfile with `bun install --save-text-lockfile` (bun 1.1.39 and later) and commit bun.lock.',
  },
  DEPS_LOCKFILE_TOO_LARGE: {
    outcome: 'failed',
    meaning:
      'A lockfile is larger than drift deps reads (64 MiB for JSON lockfiles, 16 MiB for YAML and yarn.lock, 4 MiB for .terraform.lock.hcl), or has more packages than it compares.',
    hint: 'Check that this is a real lockfile; no real one is this large.',
  },
  DEPS_COMMIT_UNKNOWN: {
    outcome: 'failed',
    meaning: 'A commit drift deps was asked to compare is not in this repository.',
    hint: 'Fetch it (`git fetch origin`; in a shallow CI clone `git fetch --unshallow` or a deeper `fetch-depth`).',
  },
  DEPS_NOT_DEPLOYED: {
    outcome: 'failed',
    meaning:
      'drift deps was given an environment that is not declared, or in which the ledger records no deployment.',
    hint: 'Name environments from stagecraft.yaml that have been deployed, or compare commits with commit:SHA.',
  },
} as const;

export const DriftCodes: Catalog<keyof typeof codes> = defineErrors('drift', codes);
