/**
 * A finding, as every report shows it. The secret itself is kept off the enumerable properties, so no
 * serialisation (JSON, SARIF, logs) can include it by accident; reports read it only under `--reveal`.
 */
import { createHash } from 'node:crypto';
import type { Confidence } from './classify/confidence.ts';
import type { FindingContext } from './classify/context.ts';

export interface Finding {
  rule: string;
  description: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The matched text with the secret masked. */
  match: string;
  /** Shannon entropy of the secret, bits per character, rounded to 2 decimals. */
  entropy: number;
  /** Stable across line moves: rule, file, secret and the occurrence number of that secret in the file. */
  fingerprint: string;
  /** How the secret was encoded where it was found (`base64`), when it had to be decoded first. */
  decoded?: string;
  /** History and range scans: the commit that added the secret (the oldest, when several did). */
  commit?: { sha: string; author: string; email: string; date: string };
  /** History and range scans: whether the secret is still in the tree at HEAD (anywhere, not only this file). */
  presentAtHead?: boolean;
  /** How sure the scanner is that this is a live secret (classify/confidence.ts). Set on every reported finding. */
  confidence?: Confidence;
  /** What kind of file holds it: code, config, test, docs, … (classify/context.ts). Set on every reported finding. */
  context?: FindingContext;
}

const SECRETS = new WeakMap<Finding, string>();

export function attachSecret(finding: Finding, secret: string): Finding {
  SECRETS.set(finding, secret);
  return finding;
}

/** The unmasked secret: only for `--reveal` and for computing suppressions. */
export function revealSecret(finding: Finding): string | undefined {
  return SECRETS.get(finding);
}

/** `ghp_************`: a few leading characters (often a public prefix) and a fixed-length mask. */
export function redact(secret: string): string {
  const keep = secret.length >= 16 ? 4 : secret.length >= 10 ? 2 : 0;
  return `${secret.slice(0, keep)}${'*'.repeat(Math.min(12, Math.max(4, secret.length - keep)))}`;
}

export function fingerprintOf(rule: string, file: string, secret: string, occurrence: number): string {
  return createHash('sha256').update(`${rule}\0${file}\0${secret}\0${occurrence}`).digest('hex').slice(0, 32);
}
