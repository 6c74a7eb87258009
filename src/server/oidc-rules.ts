/**
 * Rules of stagecraft.yaml's `server.oidc` applied to a verified token's claims: the first rule whose claims
 * all match wins. Claims are compared exactly, as text; a claim the token lacks, or carries as a list or a
 * map, matches nothing.
 */
import type { OidcRule } from '@stagecraft/config/workspace';
import { shown } from './oidc-error.ts';

/** The claims of a CI token that say where it was issued: shown whenever no rule matched. */
const WHERE_CLAIMS = ['repository', 'ref', 'environment'];

/** At most this many claims are shown, so a file of rules does not make a response of claims. */
const MAX_SHOWN_CLAIMS = 12;

export function findRule(
  rules: readonly OidcRule[],
  claims: Readonly<Record<string, unknown>>,
): OidcRule | undefined {
  return rules.find((rule) =>
    Object.entries(rule.claims).every(([name, accepted]) => {
      const value = claimText(claims, name);
      return value !== undefined && accepted.includes(value);
    }),
  );
}

/**
 * The claims a rule could have matched on, as the token carries them (null when it does not, or not as
 * text): repository, ref and environment, then the others the rules name. None of them is secret; the
 * token is.
 */
export function claimsSeen(
  rules: readonly OidcRule[],
  claims: Readonly<Record<string, unknown>>,
): Record<string, string | null> {
  const names = [...new Set([...WHERE_CLAIMS, ...rules.flatMap((rule) => Object.keys(rule.claims))])];
  return Object.fromEntries(
    names.slice(0, MAX_SHOWN_CLAIMS).map((name) => {
      const value = claimText(claims, name);
      return [name, value === undefined ? null : cut(value)];
    }),
  );
}

/** `repository "acme/shop", ref "refs/heads/main", environment (none)` */
export function describeClaims(seen: Readonly<Record<string, string | null>>): string {
  return Object.entries(seen)
    .map(([name, value]) => `${name} ${value === null ? '(none)' : shown(value)}`)
    .join(', ');
}

function claimText(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (!Object.hasOwn(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Long enough for any repository, ref or environment name; short enough for a log line. */
const cut = (text: string) => (text.length > 100 ? `${text.slice(0, 97)}...` : text);
