/**
 * A digest as people read it: `sha256:` and the first 12 hex digits, then `…` — the same length everywhere, so
 * two digests never look alike because one place cut them shorter than another.
 */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  const hex = colon === -1 ? digest : digest.slice(colon + 1);
  const algorithm = colon === -1 ? 'sha256' : digest.slice(0, colon);
  return hex.length <= 12 ? `${algorithm}:${hex}` : `${algorithm}:${hex.slice(0, 12)}…`;
}

/** Every full digest in a text (an audit entry's subject) shortened the same way. */
export function shortDigests(text: string): string {
  return text.replace(/\bsha256:[0-9a-f]{64}\b/g, shortDigest);
}
