/**
 * What an installed hook runs, in the shell forms each hook manager takes. The hook finds stagecraft when it
 * runs, not when it is installed: the project's own copy first (node_modules/.bin), then one on PATH, so a
 * clone works after `npm install` and a global install works without one. The plain git hook, which lives in
 * .git/ and is never committed, also remembers the copy that installed it (a global or `npx` one that is not
 * on PATH when git runs the hook); the hook files other managers keep are committed, so they name no path of
 * this machine.
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

/** The lines of the plain git hook that name the copy that installed it, and the node that ran it. */
const INSTALLER_LINES = /^stagecraft_(installer|node)=.*$/gm;

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Who installed the plain git hook: that copy's CLI, and the node that ran it. */
export interface HookInstaller {
  cli: string;
  node: string;
}

/**
 * The plain git pre-commit hook. `installer` is the copy running `hooks install`: the hook's last resort,
 * after the project's copy and PATH, run with the node that installed it (a git GUI's PATH may have none).
 * Whichever copy it runs is named when the check fails.
 */
export function gitHookScript(installer?: HookInstaller): string {
  return `#!/bin/sh
# ${SCRIPT_MARKER}: written by \`stagecraft hooks install\`; \`stagecraft hooks uninstall\` removes it and
# puts back the hook it replaced. Each commit is scanned for secrets and .gitignore is checked.
# Skip it once with \`git commit --no-verify\` (discouraged: a committed secret must be rotated).

# The hook that was here before runs first, with the same arguments; if it fails, the commit stops.
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi

# stagecraft: the project's own copy, else one on PATH, else the copy that installed this hook.
stagecraft_installer=${installer === undefined ? "''" : shellQuote(installer.cli)}
stagecraft_node=${installer === undefined ? "''" : shellQuote(installer.node)}
[ -x "$stagecraft_node" ] || stagecraft_node=node
stagecraft_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/stagecraft"
[ -x "$stagecraft_bin" ] || stagecraft_bin=$(command -v stagecraft) || stagecraft_bin=''
if [ -n "$stagecraft_bin" ]; then
  "$stagecraft_bin" ${HOOK_RUN}
elif [ -n "$stagecraft_installer" ] && [ -f "$stagecraft_installer" ]; then
  stagecraft_bin="$stagecraft_installer"
  "$stagecraft_node" "$stagecraft_installer" ${HOOK_RUN}
else
  echo "${NOT_INSTALLED.replace(/; run npm install/, ' (not in node_modules/.bin, not on PATH${stagecraft_installer:+, not at $stagecraft_installer}); run npm install')}" >&2
  exit 1
fi || {
  status=$?
  echo "stagecraft pre-commit hook: $stagecraft_bin ${HOOK_RUN} exited $status" >&2
  exit $status
}
`;
}

/** The plain git hook as this version writes it, whoever installed it: the installer's paths aside. */
export function sameGitHook(a: string, b: string): boolean {
  const normal = (text: string) => text.replace(INSTALLER_LINES, 'stagecraft_$1=');
  return normal(a) === normal(b);
}

/** The plain git hook without an installer to fall back on. */
export const GIT_HOOK_SCRIPT: string = gitHookScript();
