/** Codes of secret references (`ref+BACKEND://PATH#/pointer`) and the backends that resolve them. */
import { type Catalog, defineErrors } from '../errors.ts';

const codes = {
  SECRET_REFERENCE_INVALID: {
    outcome: 'invalid',
    meaning:
      'A secret reference is malformed: not ref+BACKEND://PATH, a path its backend cannot name, or a parameter its backend does not take.',
    hint: 'Correct the reference as the message says.',
  },
  SECRET_NOT_FOUND: {
    outcome: 'invalid',
    meaning:
      'The value a reference names is not there: the variable is not set, the .env entry or file does not exist, or the value is empty.',
    hint: 'Provide the value where this runs, or correct the reference.',
  },
  SECRET_KEY_NOT_FOUND: {
    outcome: 'invalid',
    meaning: "A reference's pointer (#/key) names a key or item the secret does not have.",
    hint: 'Correct the pointer; the message lists the keys there are.',
  },
  SECRET_NOT_JSON: {
    outcome: 'invalid',
    meaning:
      'A reference has a pointer (#/key), but the secret it names is a single value, not JSON or YAML.',
    hint: 'Remove the pointer to use the whole value, or store the secret as a JSON object.',
  },
  SECRET_NOT_A_VALUE: {
    outcome: 'invalid',
    meaning: 'A reference inside a longer string names a map or list, which cannot be part of a string.',
    hint: 'Select one value with a pointer, e.g. #/password.',
  },
  SECRET_BACKEND_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning: 'A reference names a backend this version of stagecraft does not have.',
    hint: 'Use a backend listed in the message, or a version of stagecraft that has this one.',
  },
  SECRET_DOTENV_REFUSED: {
    outcome: 'refused',
    meaning: 'A ref+dotenv reference is used in an environment that may not read .env files.',
    hint: '.env is for local development: provide the value another way there, e.g. ref+env or ref+file.',
  },
  SECRET_FILE_OUTSIDE_ROOTS: {
    outcome: 'refused',
    meaning:
      'A ref+file reference names a file outside the folders secret files are read from (the workspace and secrets.file.roots), once links are followed.',
    hint: 'Add the folder to secrets.file.roots in stagecraft.yaml if secrets are meant to be read from there.',
  },
  SECRET_FILE_REFUSED: {
    outcome: 'refused',
    meaning:
      'A secret file is not read: it is not a regular file, is too large for one value, or is a link leading out of its mounted Secret.',
    hint: 'Point the reference at the file holding the value.',
  },
  SECRET_FORBIDDEN: {
    outcome: 'refused',
    meaning:
      'The backend refused to give the secret to the identity stagecraft used (a service account, a kubeconfig user): it lacks the permission.',
    hint: 'Grant that identity read access to the secret as the message says, or use another identity.',
  },
  SECRET_UNAUTHENTICATED: {
    outcome: 'refused',
    meaning:
      "The backend did not accept stagecraft's credentials: a token that expired or was revoked, or a certificate it does not trust.",
    hint: 'Renew the credentials (log in again, or check that the token file is being refreshed).',
  },
  SECRET_TOKEN_EXPIRING: {
    outcome: 'unavailable',
    meaning:
      'The Vault or OpenBao token the user gave cannot be renewed further (not renewable, or its maximum TTL is near); the dynamic secrets read with it end when it does.',
    hint: 'Log in again (vault login / bao login) and restart, or let stagecraft log in itself with an auth method.',
  },
  SECRET_CREDENTIALS_MISSING: {
    outcome: 'invalid',
    meaning:
      'No usable credentials to reach the backend were found: no kubeconfig or in-cluster service account, an unknown context, or a credential form stagecraft does not support.',
    hint: 'Provide credentials where this runs, as the message says.',
  },
  SECRET_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning:
      'The backend could not be reached, or kept answering that it cannot serve now (throttled, not ready) after bounded retries.',
    hint: 'Retry later; check that the backend is reachable from here.',
  },
  SECRET_BACKEND_NOT_CONFIGURED: {
    outcome: 'invalid',
    meaning: 'A secret backend lacks a setting it needs to know where to read, such as the AWS region.',
    hint: 'Set it as the message says (a variable, or a parameter of the reference).',
  },
  SECRET_CLIENT_NOT_INSTALLED: {
    outcome: 'unavailable',
    meaning:
      "A secret backend's client library (an optional peer dependency of @stagecraft/config) is not installed.",
    hint: 'Install the package the message names beside @stagecraft/config.',
  },
  SECRET_READ_FAILED: {
    outcome: 'unavailable',
    meaning: 'Reading a secret failed in a way the backend did not explain (an I/O or network error).',
    hint: 'Check that the backend is reachable and readable from here.',
  },
} as const;

export const SecretCodes: Catalog<keyof typeof codes> = defineErrors('secret-references', codes);
