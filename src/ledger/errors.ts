/**
 * Codes of the deployment ledger. Refusals (a rule of the ledger said no; each is also recorded in the audit
 * trail) are `refused`.
 */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  LEDGER_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning: 'The ledger database (.stagecraft/state.db, or PostgreSQL) cannot be opened or prepared.',
    hint: 'Check the folder’s permissions, or that STAGECRAFT_DATABASE_URL points at a reachable database you may create tables in.',
  },
  LEDGER_BAD_DATABASE_URL: {
    outcome: 'failed',
    meaning: 'STAGECRAFT_DATABASE_URL is not a URL, or not a postgres:// one.',
    hint: 'Use postgres://USER:PASSWORD@HOST:5432/DATABASE, or unset it to keep the ledger in .stagecraft/state.db.',
  },
  LEDGER_BAD_CLOCK: {
    outcome: 'failed',
    meaning: 'STAGECRAFT_NOW is not an ISO 8601 date and time.',
    hint: 'Use ISO 8601 with a zone, e.g. STAGECRAFT_NOW=2026-12-04T09:30:00Z.',
  },
  LEDGER_BAD_OPTION: {
    outcome: 'failed',
    meaning: 'A ledger command was given options that do not fit together, or a value it does not take.',
    hint: 'Follow the example in the hint.',
  },
  LEDGER_REASON_REQUIRED: {
    outcome: 'failed',
    meaning: 'The command records a reason, and none was given (reject, deploy --break-glass).',
    hint: 'Say why with --reason.',
  },
  LEDGER_GITOPS_NO_PATH: {
    outcome: 'failed',
    meaning: 'The environment deploys by GitOps but declares no manifests to rewrite.',
    hint: 'Declare manifests: for the environment in stagecraft.yaml.',
  },
  LEDGER_CLOCK_REFUSED: {
    outcome: 'refused',
    meaning: 'STAGECRAFT_NOW sets the time only in rehearsal mode; the ledger keeps the database’s time.',
    hint: 'Rehearse with STAGECRAFT_REHEARSAL=1, or unset STAGECRAFT_NOW.',
  },
  LEDGER_UNKNOWN_SERVICE: {
    outcome: 'failed',
    meaning: 'The service named is not declared in stagecraft.yaml.',
    hint: 'Use a declared service, or declare it under services:.',
  },
  LEDGER_UNKNOWN_ENVIRONMENT: {
    outcome: 'failed',
    meaning: 'The environment named is not declared in stagecraft.yaml.',
    hint: 'Use a declared environment.',
  },
  LEDGER_BAD_TOKEN_REQUEST: {
    outcome: 'refused',
    meaning:
      'A token cannot be made as asked: its name, role or environments, or an active token has the name.',
    hint: 'Follow the hint: a known role, existing environments, a free name.',
  },
  LEDGER_UNKNOWN_DEPLOYMENT: {
    outcome: 'failed',
    meaning: 'No deployment has this id.',
    hint: 'Run `stagecraft history` for the ids.',
  },
  LEDGER_UNKNOWN_TOKEN: {
    outcome: 'failed',
    meaning: 'No unrevoked token has this name or id.',
    hint: 'Run `stagecraft token list`.',
  },
  LEDGER_NOT_YOUR_STEP: {
    outcome: 'refused',
    meaning:
      "A deploy step's progress (heartbeat, commit, ending) was reported by an identity other than the one that recorded the deployment.",
    hint: 'The process that started the deployment reports its step; `stagecraft deployed` confirms one without a step.',
  },
  LEDGER_ENVIRONMENT_REFUSED: {
    outcome: 'refused',
    meaning:
      'The identity may act only in other environments: a token created with --env, or an OIDC rule that names its environments.',
    hint: 'Use an identity made for this environment.',
  },
  LEDGER_ROLE_REFUSED: {
    outcome: 'refused',
    meaning: "The actor's role may not do this (stagecraft.yaml ledger: sets who may).",
    hint: 'Ask someone whose role may, or change the roles in stagecraft.yaml.',
  },
  LEDGER_BREAK_GLASS_REFUSED: {
    outcome: 'refused',
    meaning: '--break-glass is for the admin role.',
    hint: 'Ask an admin, or deploy through the gates.',
  },
  LEDGER_BAD_COMMIT: {
    outcome: 'refused',
    meaning: 'The commit given is not a git commit id, or a short one git cannot resolve here.',
    hint: 'Pass the full sha: --commit $(git rev-parse HEAD).',
  },
  LEDGER_NOT_A_DIGEST: {
    outcome: 'refused',
    meaning: 'An image is registered by tag; the ledger records images by digest (repository@sha256:…).',
    hint: 'Register the image by its digest.',
  },
  LEDGER_WRONG_REPOSITORY: {
    outcome: 'refused',
    meaning: 'The image is not from the repository stagecraft.yaml declares for the service.',
    hint: 'Register the image the service is built to.',
  },
  LEDGER_DIGEST_CONFLICT: {
    outcome: 'refused',
    meaning: 'The digest is already registered for the service from another commit; one digest is one build.',
    hint: 'Check which commit really built it.',
  },
  LEDGER_AUTHOR_UNKNOWN: {
    outcome: 'refused',
    meaning:
      "The author of the artifact's commit is unknown, so an approval cannot be told from self-approval.",
    hint: 'Register the artifact where git knows the commit, or with --author.',
  },
  LEDGER_AUTHOR_MISMATCH: {
    outcome: 'refused',
    meaning: '--author names someone other than the author git records for the commit.',
    hint: 'Leave out --author where git knows the commit.',
  },
  LEDGER_SELF_APPROVAL: {
    outcome: 'refused',
    meaning: 'The approver wrote the commit, or registered its artifact; nobody approves their own change.',
    hint: 'Ask someone else to approve it.',
  },
  LEDGER_NO_ARTIFACT: {
    outcome: 'refused',
    meaning: 'No registered (and not rejected) artifact matches the service or digest given.',
    hint: 'Register it first: stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA.',
  },
  LEDGER_ARTIFACT_REJECTED: {
    outcome: 'refused',
    meaning: 'The artifact was rejected and is never deployed again.',
    hint: 'Build and register a new artifact.',
  },
  LEDGER_NOT_IN_SOURCE: {
    outcome: 'refused',
    meaning:
      'The artifact has not been deployed successfully to the environment this one is promoted from; only what succeeded there is promoted, unchanged.',
    hint: 'Deploy it to the earlier environment first.',
  },
  LEDGER_GATE_FAILED: {
    outcome: 'refused',
    meaning:
      'A gate of the target environment (soak time, approvals, tests, a verification) is not satisfied yet.',
    hint: 'Satisfy each gate named, or wait; `stagecraft status` shows where each environment stands.',
  },
  LEDGER_ALREADY_DEPLOYED: {
    outcome: 'refused',
    meaning: 'The artifact already runs in the environment.',
    hint: 'Nothing to do; `stagecraft status` shows what runs where.',
  },
  LEDGER_DEPLOYMENT_IN_PROGRESS: {
    outcome: 'refused',
    meaning: 'A deployment of the service to the environment has not finished.',
    hint: 'Wait for it, or confirm how it ended with `stagecraft deployed`.',
  },
  LEDGER_NOTHING_PENDING: {
    outcome: 'refused',
    meaning:
      'No deployment is pending to confirm: none was started, or it was already confirmed or taken over.',
    hint: '`stagecraft history` shows how it ended.',
  },
  LEDGER_NOTHING_TO_ROLL_BACK_TO: {
    outcome: 'refused',
    meaning: 'rollback deploys the previous successful artifact of the environment, and there is none.',
    hint: 'Deploy a chosen artifact instead.',
  },
  LEDGER_EMPTY_RELEASE: {
    outcome: 'refused',
    meaning: 'A release names no artifacts.',
    hint: 'Give SERVICE=DIGEST for each service in it.',
  },
  LEDGER_RELEASE_EXISTS: {
    outcome: 'refused',
    meaning: 'A release of that name already exists; a release is immutable.',
    hint: 'Name a new release.',
  },
  LEDGER_NO_RELEASE: {
    outcome: 'refused',
    meaning: 'There is no release of that name.',
    hint: 'Create it: stagecraft release create NAME SERVICE=DIGEST….',
  },
  LEDGER_GITOPS_NO_REFERENCE: {
    outcome: 'refused',
    meaning:
      "No reference to the service's image was found in the environment's manifests, so there is nothing to rewrite.",
    hint: 'The manifests must name the image (image: repository:tag, or a kustomization images: entry).',
  },
  LEDGER_NOT_LIVE: {
    outcome: 'refused',
    meaning: 'A GitOps deployment is confirmed, but the live objects do not run its image yet.',
    hint: 'Wait for the GitOps controller to apply the commit, then check again.',
  },
} as const;

export const LedgerCodes: Catalog<keyof typeof codes> = defineErrors('ledger', codes);
