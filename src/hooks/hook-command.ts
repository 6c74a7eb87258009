/**
 * What an installed hook runs, in the shell forms each hook manager takes. The hook finds stagecraft when it
 * runs, not when it is installed: the project's own copy first (node_modules/.bin), then one on PATH, so a
 * clone works after `npm install` and a global install works without one.
 */

/** The stagecraft command every installed hook runs. */
export const HOOK_RUN = 'hooks run pre-commit';

const NOT_INSTALLED =
  'stagecraft pre-commit hook: stagecraft is not installed here; run npm install (or skip the check once with git commit --no-verify)';

/** Leaves the stagecraft to run in $stagecraft_bin, or stops the hook with a message saying what to do. */
const LOOKUP: readonly string[] = [
  'stagecraft_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/stagecraft"',
  '[ -x "$stagecraft_bin" ] || stagecraft_bin=$(command -v stagecraft) || {',
  `  echo '${NOT_INSTALLED}' >&2`,
  '  exit 1',
  '}',
];

/** Multi-line sh: a lefthook `run:` value, and the body of the plain git hook. */
export const HOOK_SCRIPT: string = [...LOOKUP, `"$stagecraft_bin" ${HOOK_RUN}`].join('\n');

/**
 * One brace group on one line, for a config that holds a command string (simple-git-hooks), where it may
 * follow `other-command && `.
 */
export const HOOK_ONE_LINE: string = `{ ${LOOKUP[0]}; ${LOOKUP[1]} echo '${NOT_INSTALLED}' >&2; exit 1; }; "$stagecraft_bin" ${HOOK_RUN}; }`;

export const BLOCK_BEGIN = '# >>> stagecraft >>>';
export const BLOCK_END = '# <<< stagecraft <<<';

/**
 * A marked block for a hook file someone else owns (husky's .husky/pre-commit). It ends with `|| exit` so a
 * refusal stops the hook even if lines are added after it later.
 */
export const HOOK_BLOCK: string = `${[
  BLOCK_BEGIN,
  '# Added by `stagecraft hooks install`; `stagecraft hooks uninstall` removes this block.',
  ...LOOKUP,
  `"$stagecraft_bin" ${HOOK_RUN} || exit $?`,
  BLOCK_END,
].join('\n')}\n`;

/** Marks a whole hook file as stagecraft's: install leaves it be, uninstall may remove it. */
export const SCRIPT_MARKER = 'stagecraft-managed-hook';

/** Where the plain git hook moves a pre-commit hook it finds, to run it first. */
export const CHAINED_SUFFIX = '.stagecraft-chained';

/** The plain git pre-commit hook. */
export const GIT_HOOK_SCRIPT: string = `#!/bin/sh
# ${SCRIPT_MARKER}: written by \`stagecraft hooks install\`; \`stagecraft hooks uninstall\` removes it and
# puts back the hook it replaced. Each commit is scanned for secrets and .gitignore is checked.
# Skip it once with \`git commit --no-verify\` (discouraged: a committed secret must be rotated).

# The hook that was here before runs first, with the same arguments; if it fails, the commit stops.
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi

${HOOK_SCRIPT}
`;
