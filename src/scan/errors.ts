/**
 * Codes of the secret scanner (its options, settings, baselines and what it could not read), and of git,
 * which the scanner was first to need and other modules reach through it.
 */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const scan = {
  SCAN_BAD_OPTION: {
    outcome: 'failed',
    meaning: 'The scan options do not fit together, or one has a value it does not take.',
    hint: 'Follow the example in the hint; `stagecraft scan --help` lists the options.',
  },
  SCAN_PATH_NOT_FOUND: {
    outcome: 'unavailable',
    meaning:
      'A path given to scan does not exist. A scan that cannot read what it was asked to is an error, not a clean result.',
    hint: 'Check the path.',
  },
  SCAN_UNREADABLE: {
    outcome: 'unavailable',
    meaning:
      'Paths the scan was to read could not be read; the report of what was read comes with the error.',
    hint: 'Fix the permissions, or exclude the paths in .gitignore.',
  },
  SCAN_FILE_SKIPPED: {
    outcome: 'failed',
    meaning:
      'A warning in the scan report: a file was not scanned (binary, over scan.maxFileSize, or text in an encoding the scanner does not decode).',
    hint: 'Exclude it in .gitignore, raise scan.maxFileSize, or re-save it as UTF-8.',
  },
  SCAN_FILES_SKIPPED: {
    outcome: 'failed',
    meaning: 'With --fail-on-skipped: files were not scanned, so the scan is not complete.',
    hint: 'Deal with each skipped file, or drop --fail-on-skipped to accept them as warnings.',
  },
  SCAN_CONFIG_INVALID: {
    outcome: 'invalid',
    meaning: 'The scan section of stagecraft.yaml has problems; each is listed at its line.',
    hint: 'Fix each problem listed.',
  },
  SCAN_GITLEAKS_CONFIG_INVALID: {
    outcome: 'invalid',
    meaning:
      'The .gitleaks.toml stagecraft reads rules and allowlists from is not valid TOML, or has a rule whose regex RE2 cannot compile.',
    hint: 'Fix the file (gitleaks regexes are RE2: no lookaround or backreferences), or declare the rule under scan.rules in stagecraft.yaml.',
  },
  BASELINE_NOT_FOUND: {
    outcome: 'unavailable',
    meaning: 'The baseline file given does not exist.',
    hint: 'Create one with `stagecraft scan --write-baseline FILE`, or give a .gitleaksignore or detect-secrets baseline.',
  },
  BASELINE_INVALID: {
    outcome: 'failed',
    meaning:
      'A baseline, a file tools write, is not in its format: a stagecraft baseline line, a .gitleaksignore line, or a detect-secrets baseline that is not one.',
    hint: 'Rewrite it with `stagecraft scan --write-baseline FILE`, or fix the line named.',
  },
} as const;

export const ScanCodes: Catalog<keyof typeof scan> = defineErrors('scan', scan);

const git = {
  GIT_UNAVAILABLE: {
    outcome: 'unavailable',
    meaning: 'git could not be started.',
    hint: 'Install git and make sure it is on PATH.',
  },
  GIT_NOT_A_REPOSITORY: {
    outcome: 'unavailable',
    meaning: 'The command needs a git repository, and the working directory is not inside one.',
    hint: 'Run it in a clone, or `git init` first.',
  },
  GIT_FAILED: {
    outcome: 'failed',
    meaning: 'A git command stagecraft ran failed; the message has the first line git wrote.',
    hint: 'Check that the repository is healthy (git fsck) and the revisions given exist.',
  },
  GIT_SHALLOW_CLONE: {
    outcome: 'unavailable',
    meaning: 'A history scan needs the whole history, and this clone is shallow.',
    hint: 'Fetch the whole history first: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0).',
  },
  GIT_UNKNOWN_REVISION: {
    outcome: 'unavailable',
    meaning: 'git does not know a revision of the range given, often because it was not fetched.',
    hint: 'Check the name, or fetch it first.',
  },
} as const;

export const GitCodes: Catalog<keyof typeof git> = defineErrors('git', git);
