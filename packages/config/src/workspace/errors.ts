/** Codes of stagecraft.yaml: finding it, reading it, and each problem its validation reports. */
import { type Catalog, defineErrors } from '../errors.ts';

const codes = {
  WORKSPACE_NOT_FOUND: {
    outcome: 'unavailable',
    meaning:
      'No stagecraft.yaml was found in the working directory or any folder above it, or the file given to --workspace does not exist.',
    hint: 'Run `stagecraft init` to create one, or pass --workspace FILE.',
  },
  WORKSPACE_AMBIGUOUS: {
    outcome: 'invalid',
    meaning: 'A folder holds both stagecraft.yaml and stagecraft.yml, so which one applies is unclear.',
    hint: 'Keep one workspace file and delete the other.',
  },
  WORKSPACE_UNREADABLE: {
    outcome: 'unavailable',
    meaning: 'The workspace file was found but cannot be opened or read.',
    hint: 'Check that the file exists and is readable by this user.',
  },
  WORKSPACE_INVALID: {
    outcome: 'invalid',
    meaning:
      'stagecraft.yaml has problems; the error lists every one of them with its line and column, each with its own code.',
    hint: 'Fix each problem listed; `stagecraft workspace check` checks again without doing anything else.',
  },
  WORKSPACE_YAML_SYNTAX: {
    outcome: 'invalid',
    meaning: 'stagecraft.yaml is not valid YAML.',
    hint: 'Fix the YAML at the position given.',
  },
  WORKSPACE_UNKNOWN_KEY: {
    outcome: 'invalid',
    meaning: 'stagecraft.yaml has a key stagecraft does not know, often a misspelt one.',
    hint: 'Correct or remove the key; `stagecraft workspace schema` lists every key.',
  },
  WORKSPACE_MISSING_KEY: {
    outcome: 'invalid',
    meaning: 'A key stagecraft.yaml requires is missing.',
    hint: 'Add the key named.',
  },
  WORKSPACE_INVALID_TYPE: {
    outcome: 'invalid',
    meaning:
      'A value in stagecraft.yaml has the wrong type (a list where a map belongs, a number for a name).',
    hint: 'Write the value as the type named under "expected".',
  },
  WORKSPACE_INVALID_VALUE: {
    outcome: 'invalid',
    meaning: 'A value in stagecraft.yaml has the right type but is not one stagecraft accepts there.',
    hint: 'Use one of the values named under "expected".',
  },
  WORKSPACE_NO_ENVIRONMENTS: {
    outcome: 'invalid',
    meaning: 'The environments section is empty.',
    hint: 'Declare at least one environment, or remove the key to use dev, staging and production.',
  },
  WORKSPACE_INVALID_NAME: {
    outcome: 'invalid',
    meaning:
      'An environment or service name is not allowed (names are lowercase letters, digits and dashes).',
    hint: 'Rename it as "expected" says.',
  },
  WORKSPACE_CHAIN_CYCLE: {
    outcome: 'invalid',
    meaning: 'The promotion chain has a cycle: an environment is promoted, directly or not, from itself.',
    hint: 'Point each `from:` at an environment earlier in the chain.',
  },
  WORKSPACE_UNKNOWN_ENVIRONMENT: {
    outcome: 'invalid',
    meaning:
      'An environment is promoted `from:` an environment that is not declared, or an OIDC rule of `server:` names one that is not.',
    hint: 'Declare that environment, or correct the name.',
  },
  WORKSPACE_CHAIN_ORDER: {
    outcome: 'invalid',
    meaning:
      'An environment is promoted `from:` one declared after it; the chain is written in promotion order.',
    hint: 'Declare environments in the order artifacts pass through them.',
  },
  WORKSPACE_INVALID_IMAGE: {
    outcome: 'invalid',
    meaning:
      "A service's image is not a valid repository, or pins a tag or digest (the ledger records the digest of each deployment).",
    hint: 'Write the repository alone, e.g. registry.example.com/team/app.',
  },
  WORKSPACE_OIDC_DUPLICATE_ISSUER: {
    outcome: 'invalid',
    meaning:
      'An OpenID Connect issuer is listed twice under server.oidc, so which entry a token is checked against would be unclear.',
    hint: 'Keep one entry per issuer, with all its audiences and rules.',
  },
  WORKSPACE_OIDC_RULE_UNPINNED: {
    outcome: 'invalid',
    meaning:
      "An OIDC rule for GitHub Actions' issuer names no repository or owner. Every repository on GitHub gets tokens from that issuer, for any audience it asks, so such a rule would admit them all.",
    hint: 'Add a repository (or repository_owner, repository_id, sub) claim to the rule.',
  },
  WORKSPACE_PATH_MISSING: {
    outcome: 'invalid',
    meaning:
      'A path stagecraft.yaml declares (manifests, facts, a Terraform plan or state, a JWKS file) does not exist yet. A warning: a fresh workspace may not have rendered them.',
    hint: 'Create it, or correct the path (relative to stagecraft.yaml).',
  },
} as const;

export const WorkspaceCodes: Catalog<keyof typeof codes> = defineErrors('workspace', codes);
