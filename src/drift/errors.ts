/**
 * Codes of drift: the live state against the desired one (Kubernetes objects, Terraform plans), and what the
 * deployed commits have that main lacks (hotfix).
 */
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

  DRIFT_NO_DEPLOYMENT: {
    outcome: 'failed',
    meaning:
      'The ledger has no successful deployment in the environment, so there is no deployed commit to compare.',
    hint: 'Check --env, or deploy to the environment first; drift hotfix also takes --deployed-commit SHA.',
  },
  DRIFT_COMMIT_MISSING: {
    outcome: 'unavailable',
    meaning:
      'A deployed commit is not in this git repository (a shallow or stale clone), so it cannot be compared.',
    hint: 'Fetch it (git fetch origin SHA); in a shallow clone fetch the whole history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0).',
  },
  DRIFT_MAIN_MISSING: {
    outcome: 'unavailable',
    meaning: 'The main branch (drift.main or --main, default main) is neither a local branch nor origin’s.',
    hint: 'Fetch it (git fetch origin main), or name the branch with --main or drift.main.',
  },
  DRIFT_BAD_REVISION: {
    outcome: 'failed',
    meaning:
      'A commit or branch name is not one: a commit is a hexadecimal SHA, a branch a valid ref name that does not start with "-".',
    hint: 'Give a full commit SHA (--deployed-commit) and a branch name (--main, drift.main).',
  },
  DRIFT_SOURCE_FAILED: {
    outcome: 'failed',
    meaning:
      'One drift source of `stagecraft drift` failed unexpectedly; the other sources were still checked.',
    hint: 'This is a bug in stagecraft: report it with the command you ran.',
  },
  DRIFT_NOTHING_CONFIGURED: {
    outcome: 'failed',
    meaning: 'stagecraft drift found no source to run: nothing in stagecraft.yaml says what to check.',
    hint: 'Configure drift.kubernetes, drift.freshness, drift.hotfix or drift.deps, or terraform.plan on an environment.',
  },

  HOTFIX_SHALLOW_CLONE: {
    outcome: 'unavailable',
    meaning:
      'The deployed commit is not an ancestor of main, and this clone is shallow: the history that would show whether its changes reached main is missing.',
    hint: 'Fetch the whole history: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0).',
  },

  HOTFIX_NO_COMMON_HISTORY: {
    outcome: 'failed',
    meaning: 'The deployed commit and main share no history.',
    hint: 'Check --main and the deployed commit: they should belong to the same project.',
  },
  HOTFIX_TOO_MANY_COMMITS: {
    outcome: 'failed',
    meaning:
      'The deployed commit has more commits missing from main than a hotfix branch would: the limit keeps the check bounded.',
    hint: 'Check --main (a release branch, not main, may be what was deployed from), or the deployed commit.',
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
} as const;

export const DriftCodes: Catalog<keyof typeof codes> = defineErrors('drift', codes);
