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
      "A secret store refused the read or the login: the token's policies do not allow it, or the token or login credentials are expired, revoked or wrong.",
    hint: 'Grant the policy read on the path, or log in again; the message says which and quotes the store.',
  },
  SECRET_STORE_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning:
      'A secret store could not answer after bounded retries: it is sealed, throttling, unreachable or not answering in time.',
    hint: 'Check that the store is reachable, unsealed and not rate-limiting; then try again.',
  },
  SECRET_STORE_NOT_CONFIGURED: {
    outcome: 'invalid',
    meaning:
      'A secret store backend lacks what it needs to log in or connect: no token, an unknown login method, a CA file that cannot be read.',
    hint: 'Set the variables the message names (the README lists them per backend).',
  },
  SECRET_READ_FAILED: {
    outcome: 'unavailable',
    meaning: 'Reading a secret failed in a way the backend did not explain (an I/O or network error).',
    hint: 'Check that the backend is reachable and readable from here.',
  },
} as const;

export const SecretCodes: Catalog<keyof typeof codes> = defineErrors('secret-references', codes);
