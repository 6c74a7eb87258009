/**
 * Codes of the config library: an app's configuration for one environment, checked field by field (each
 * problem has its code, listed inside CONFIG_INVALID), and the definition it is checked against.
 */
import { type Catalog, defineErrors } from '../errors.ts';

const codes = {
  CONFIG_INVALID: {
    outcome: 'invalid',
    meaning:
      "An app's configuration for an environment has problems; the error lists every one, each with its field, variable, source and code. No secret value is ever shown.",
    hint: 'Fix each problem listed; `stagecraft config check --env NAME` checks again without starting the app.',
  },
  CONFIG_DEFINITION: {
    outcome: 'failed',
    meaning:
      'The config definition itself is wrong (two fields read one variable, a secret field has the client prefix, a field name holds "__"): a mistake in the code, found when defineConfig runs.',
    hint: 'Change the definition as the message says.',
  },
  CONFIG_MISSING_VAR: {
    outcome: 'invalid',
    meaning: 'A required field has no value: no variable, file, secret or default provides one.',
    hint: 'Set the variable named where the app runs, or give the field a default.',
  },
  CONFIG_INVALID_VALUE: {
    outcome: 'invalid',
    meaning:
      "A field's value is not valid for its type (a port that is not a number, a URL that is not one).",
    hint: 'Correct the value at the source named.',
  },
  CONFIG_UNKNOWN_VAR: {
    outcome: 'invalid',
    meaning: 'In strict mode, a variable has the config prefix but fills no field, often a misspelt one.',
    hint: 'Unset it, correct its name, or add a field for it.',
  },
  CONFIG_UNKNOWN_KEY: {
    outcome: 'invalid',
    meaning: 'In strict mode, a key in a config file fills no field.',
    hint: 'Correct or remove the key.',
  },
  CONFIG_AMBIGUOUS_KEY: {
    outcome: 'invalid',
    meaning: 'A config file sets one field under two spellings (camelCase and snake_case).',
    hint: 'Keep one spelling.',
  },
  CONFIG_UNKNOWN_ENVIRONMENT: {
    outcome: 'invalid',
    meaning: 'The environment asked for is not declared in stagecraft.yaml.',
    hint: 'Use a declared environment, or declare it.',
  },
  CONFIG_YAML_SYNTAX: {
    outcome: 'invalid',
    meaning: 'A config file is not valid YAML.',
    hint: 'Fix the YAML at the position given.',
  },
  CONFIG_YAML_NOT_A_MAP: {
    outcome: 'invalid',
    meaning: 'A config file is valid YAML but not a map of keys to values.',
    hint: 'Write one `key: value` per line.',
  },
  CONFIG_SECRET_LITERAL: {
    outcome: 'invalid',
    meaning: 'A secret field is written as a literal value in a committed config file.',
    hint: 'Write "${VARIABLE}" or a secret reference instead, and provide the value at run time.',
  },
  CONFIG_FILE_CONFLICT: {
    outcome: 'invalid',
    meaning: 'Both a variable and its _FILE counterpart are set, so which one holds the value is unclear.',
    hint: 'Set one of them.',
  },
  CONFIG_SECRETS_DIR_MISSING: {
    outcome: 'invalid',
    meaning: 'The secrets directory the config reads (secretsDir or STAGECRAFT_SECRETS_DIR) does not exist.',
    hint: 'Mount the secret volume there, or correct the directory.',
  },
  CONFIG_SECRET_FILE_CONFLICT: {
    outcome: 'invalid',
    meaning: 'Two files in the secrets directory provide the same variable.',
    hint: 'Keep one file per key.',
  },
  CONFIG_SECRET_FILE_REFUSED: {
    outcome: 'refused',
    meaning:
      'A secret file is not read: it is missing, not a regular file, too large for one value, or a link leading out of its mounted directory.',
    hint: 'Point the _FILE variable or the mount at the file holding the value.',
  },
  CONFIG_REFERENCE_SYNTAX: {
    outcome: 'invalid',
    meaning: 'A ${VARIABLE} reference in a config value is malformed.',
    hint: 'Write ${NAME}, ${NAME:-default} or ${NAME:?message}.',
  },
  CONFIG_UNSET_REFERENCE: {
    outcome: 'invalid',
    meaning: 'A config value refers to ${VARIABLE}, which is not set and has no default.',
    hint: 'Set the variable, or give a default: ${NAME:-value}.',
  },
  CONFIG_REFERENCE_INVALID: {
    outcome: 'invalid',
    meaning: 'A field holds a secret reference (ref+…) that is malformed.',
    hint: 'Correct the reference as the message says.',
  },
  CONFIG_UNRESOLVED_REFERENCE: {
    outcome: 'failed',
    meaning:
      'A field holds a secret reference, and the config was loaded with the synchronous load(), which does not resolve references.',
    hint: 'Load the config with `await loader.loadWithSecrets()`, or start the app with `stagecraft run`.',
  },
} as const;

export const ConfigCodes: Catalog<keyof typeof codes> = defineErrors('config', codes);
