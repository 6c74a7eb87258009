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
  FRESHNESS_NO_DEPLOYMENT: {
    outcome: 'failed',
    meaning:
      'drift freshness found no deployment of any service in the environment, so nothing to compare with main.',
    hint: 'Check --env, or deploy to the environment first (stagecraft deploy / promote).',
  },
  FRESHNESS_COMMIT_MISSING: {
    outcome: 'failed',
    meaning:
      'A deployed commit, or the main branch, is not in this git repository (a shallow or stale clone).',
    hint: 'Fetch the full history (git fetch --unshallow origin, or fetch-depth: 0 in actions/checkout), then run again.',
  },
  DRIFT_NOTHING_CONFIGURED: {
    outcome: 'failed',
    meaning: 'stagecraft drift found no source to run: nothing in stagecraft.yaml says what to check.',
    hint: 'Configure drift.kubernetes, drift.freshness, drift.hotfix or drift.deps, or terraform.plan on an environment.',
  },
  DRIFT_SOURCE_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning: 'stagecraft.yaml configures a drift source this copy of stagecraft cannot run.',
    hint: 'Upgrade stagecraft, or remove the setting from the drift section.',
  },
} as const;

export const DriftCodes: Catalog<keyof typeof codes> = defineErrors('drift', codes);
