// How the page words digests, commits, times and statuses. Every state has a text marker as well as a colour.

/** The first 12 hex digits of a digest, the way `docker images` shortens an id. */
export function shortDigest(digest) {
  return String(digest)
    .replace(/^sha256:/, '')
    .slice(0, 12);
}

export function shortCommit(commit) {
  return String(commit).slice(0, 7);
}

/** "5 min ago", measured on the server's clock (`skewMs`: server time minus this browser's). */
export function age(iso, skewMs = 0) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((Date.now() + skewMs - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** A time as this browser's locale shows it, to the second. */
export function clock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { hour12: false });
}

const STATUS = {
  succeeded: { marker: '✓', label: 'succeeded' },
  pending: { marker: '…', label: 'pending' },
  failed: { marker: '✗', label: 'failed' },
  clean: { marker: '✓', label: 'clean' },
  problems: { marker: '⚠', label: 'problems' },
  error: { marker: '✗', label: 'error' },
  done: { marker: '✓', label: 'done' },
  refused: { marker: '✗', label: 'refused' },
};

/** A status's text marker and word, e.g. "✓ succeeded". */
export function statusText(status) {
  const known = STATUS[status];
  return known ? `${known.marker} ${known.label}` : String(status);
}
