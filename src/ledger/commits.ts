/**
 * Commits as the ledger keeps them: always the full object name, so a tests report and an artifact name the
 * same commit however either was typed; and the commit's author, so nobody approves their own change.
 */
import { isStagecraftError } from '@stagecraft/config/errors';
import { type GitEnvironment, runGit } from '../git/run.ts';
import { LedgerCodes } from './errors.ts';
import { Refusal } from './refusal.ts';

const FULL = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ABBREVIATED = /^[0-9a-f]{4,63}$/;

/**
 * The full sha of `commit`: a full one as given (CI may register from another checkout), an abbreviated one
 * resolved in the workspace's repository, or a refusal.
 */
export function fullCommit(commit: string, repository: string, env?: GitEnvironment): string {
  const text = commit.trim().toLowerCase();
  if (FULL.test(text)) return text;
  if (!ABBREVIATED.test(text)) {
    throw new Refusal(LedgerCodes.LEDGER_BAD_COMMIT, `"${commit}" is not a git commit id`, {
      hint: 'pass --commit $(git rev-parse HEAD)',
    });
  }
  let resolved = '';
  let why = 'it is not a commit of this repository';
  try {
    resolved = runGit(repository, ['rev-parse', '--verify', '--quiet', `${text}^{commit}`], {
      acceptedStatuses: [1, 128],
      ...(env ? { env } : {}),
    })
      .toString('utf8')
      .trim();
  } catch (error) {
    if (!isStagecraftError(error)) throw error;
    why = error.message;
  }
  if (!FULL.test(resolved)) {
    throw new Refusal(LedgerCodes.LEDGER_BAD_COMMIT, `cannot resolve the short commit ${commit}: ${why}`, {
      hint: 'give the full sha (--commit $(git rev-parse HEAD)), or fetch the commit first',
    });
  }
  return resolved;
}

/** "Name <email>" of the commit's author, or undefined when git cannot tell. */
export function commitAuthor(commit: string, repository: string, env?: GitEnvironment): string | undefined {
  try {
    const [name, email] = runGit(repository, ['log', '-1', '--format=%an%n%ae', commit, '--'], {
      acceptedStatuses: [128],
      ...(env ? { env } : {}),
    })
      .toString('utf8')
      .split('\n');
    if (!name) return undefined;
    return email ? `${name} <${email}>` : name;
  } catch {
    return undefined;
  }
}

/**
 * Whether `actor` is the author: by the whole recorded form, the name, the e-mail or its local part, without
 * case. Loose on purpose: a false "is the author" refuses one approval; a false "is not" lets a change be
 * approved by the person who wrote it.
 */
export function isAuthor(actor: string, author: string | null): boolean {
  if (author === null) return false;
  const who = actor.trim().toLowerCase();
  const match = /^(?<name>.*?)\s*<(?<email>[^>]*)>\s*$/.exec(author.trim());
  const name = (match?.groups?.['name'] ?? author).trim().toLowerCase();
  const email = (match?.groups?.['email'] ?? (author.includes('@') ? author : '')).trim().toLowerCase();
  const forms = new Set(
    [author.trim().toLowerCase(), name, email, email.split('@')[0] ?? ''].filter(Boolean),
  );
  return forms.has(who) || (who.includes('@') && forms.has(who.split('@')[0] ?? ''));
}
