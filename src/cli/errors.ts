/** Codes of the CLI's own work: loading an app's config module, choosing an environment, rendering secrets. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  CLI_USAGE: {
    outcome: 'failed',
    meaning:
      'The command line is not one stagecraft takes: an unknown command or option, a missing argument or required option, or a format the command does not print.',
    hint: 'Run the command with --help for its usage.',
  },
  ENVIRONMENT_UNKNOWN: {
    outcome: 'failed',
    meaning: 'The environment named (--env, or ENVIRONMENT) is not declared in stagecraft.yaml.',
    hint: 'Use one of the environments the hint lists.',
  },
  CONFIG_MODULE_NOT_FOUND: {
    outcome: 'unavailable',
    meaning:
      "The app's config definition module (config.module in stagecraft.yaml, or --module) does not exist.",
    hint: 'Set config.module to the module that does `export default defineConfig({...})`, or pass --module.',
  },
  CONFIG_MODULE_NEEDS_TSX: {
    outcome: 'unavailable',
    meaning:
      "The app's config module is TypeScript that the running Node cannot load by itself (Node 20, or syntax beyond type annotations), and tsx, an optional peer, is not installed.",
    hint: 'Install tsx beside stagecraft (`npm install --save-dev tsx`), run Node 22.18 or newer, or set config.module to the compiled JavaScript.',
  },
  CONFIG_MODULE_FAILED: {
    outcome: 'failed',
    meaning: "The app's config definition module threw while it was imported.",
    hint: 'The module must import cleanly, with no side effects beyond defining the config.',
  },
  CONFIG_MODULE_INVALID: {
    outcome: 'failed',
    meaning: "The app's config definition module does not export a config definition as its default export.",
    hint: "Write `export default defineConfig({ ... })` with defineConfig from '@stagecraft/config'.",
  },
  CONFIG_MODULE_OUTDATED: {
    outcome: 'failed',
    meaning:
      "The app's config module was made by an older stagecraft that cannot do what the command needs (resolve or watch secrets).",
    hint: 'Update the stagecraft package the app depends on to this version.',
  },
  ENV_FILE_UNREADABLE: {
    outcome: 'unavailable',
    meaning: 'The .env file given to env parse does not exist or cannot be read.',
    hint: 'Check the path.',
  },
  RENDER_UNREADABLE: {
    outcome: 'unavailable',
    meaning: 'The file to render (or standard input) cannot be read.',
    hint: 'Give a YAML or JSON file, or - for standard input.',
  },
  RENDER_INVALID: {
    outcome: 'failed',
    meaning: 'The file to render is not valid YAML or JSON.',
    hint: 'Fix it, or give it the extension of what it holds (.json for JSON).',
  },
  RENDER_UNRESOLVED: {
    outcome: 'invalid',
    meaning:
      'References in the file to render cannot be resolved; each is listed with its own code, and nothing was written.',
    hint: 'Fix each reference listed; `stagecraft secrets check` lists the config’s own.',
  },
  RENDER_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning:
      'References in the file to render could not be resolved because a backend could not be reached or failed (sealed, throttled, unreachable); each is listed with its own code, and nothing was written.',
    hint: 'Try again once the backend can be reached; fix any other reference listed.',
  },
  RENDER_OUT_REFUSED: {
    outcome: 'refused',
    meaning:
      'The --out path is a symbolic link or a folder; the rendered secrets are not written through a link someone else may have planted.',
    hint: 'Remove the link, or give --out a file path.',
  },
  RENDER_WRITE_FAILED: {
    outcome: 'unavailable',
    meaning: 'The rendered file could not be written; the file at --out is unchanged.',
    hint: 'Check that the folder exists, is writable and has space.',
  },
  CHECK_UNKNOWN: {
    outcome: 'failed',
    meaning:
      'A name given to `stagecraft check --only` or `--skip` is not one of the checks it runs, or `--only` names none.',
    hint: 'Use the names the message lists: config, scan, gitignore, secrets, parity, drift, lint.',
  },
  CHECK_FAILED: {
    outcome: 'failed',
    meaning:
      'One check of `stagecraft check` stopped on an unexpected error, a bug in stagecraft; the other checks still ran.',
    hint: 'Report it with the command you ran and the message.',
  },
} as const;

export const CliCodes: Catalog<keyof typeof codes> = defineErrors('cli', codes);
