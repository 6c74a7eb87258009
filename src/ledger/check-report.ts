/**
 * A check's report as the ledger keeps it: the JSON `--format json` prints, with anything the secret scanner
 * recognises masked, and cut to REPORT_LIMIT bytes. Parity and drift reports already show a value that names
 * or looks like a secret as `(not shown)` where they are made; this is the second net, run wherever a report
 * is kept (the server runs it again on what a client sends), so a report that slipped one through still
 * stores only its mask.
 */
import { ScanEngine } from '../scan/engine.ts';
import { redact, revealSecret } from '../scan/finding.ts';
import { buildRuleSet } from '../scan/rule-set.ts';

/** The most a kept report holds, in UTF-8 bytes: a large parity report's head, and every usual one whole. */
export const REPORT_LIMIT: number = 256 * 1024;

let engine: ScanEngine | undefined;

/** The report to store: masked, then cut. A report larger than the limit becomes `{ truncated, bytes, head }`. */
export function keptReport(report: string): string {
  const bytes = Buffer.byteLength(report, 'utf8');
  if (bytes <= REPORT_LIMIT) return masked(report);
  return truncated(report, bytes);
}

/** Every secret the scanner finds replaced by its mask; a report that would not stay JSON is withheld. */
function masked(report: string): string {
  const secrets = secretsIn(report);
  if (secrets.length === 0) return report;
  const text = maskAll(report, secrets);
  try {
    JSON.parse(text);
  } catch {
    // A secret that spanned part of an escape sequence: better no report than a broken or leaky one.
    return JSON.stringify({
      withheld: 'the report held a value the secret scanner recognises, and it could not be masked in place',
    });
  }
  return text;
}

/**
 * The head of a report too large to keep whole, as a JSON string inside a JSON object, so the column always
 * parses; the head is masked as text (it is no longer JSON of its own).
 */
function truncated(report: string, bytes: number): string {
  const wrap = (head: string) => JSON.stringify({ truncated: true, bytes, head });
  // Escaping makes the head grow inside its string: shrink it until the whole fits.
  let length = REPORT_LIMIT - 100;
  for (;;) {
    let end = Math.min(length, report.length);
    // Never half a surrogate pair.
    if (end > 0 && /[\uD800-\uDBFF]/.test(report.charAt(end - 1))) end--;
    const head = report.slice(0, end);
    const secrets = secretsIn(head);
    const text = wrap(secrets.length ? maskAll(head, secrets) : head);
    const size = Buffer.byteLength(text, 'utf8');
    if (size <= REPORT_LIMIT) return text;
    length = Math.floor(end * ((REPORT_LIMIT - 100) / size));
  }
}

function secretsIn(text: string): string[] {
  engine ??= new ScanEngine(buildRuleSet([]));
  // Our reports never hold base64 Secret data (drift compares digests, parity shows keys), so no decoding.
  const found = engine.scan(text, 'report.json', { decode: false });
  const secrets = found.map((finding) => revealSecret(finding)).filter((secret) => secret !== undefined);
  // Longest first: a secret that contains another is masked whole.
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

function maskAll(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(redact(secret));
  return result;
}
