/**
 * Suppressions a repository already has from another scanner, honoured so switching tools does not bring
 * back every finding a team has triaged:
 *
 * - `.gitleaksignore`: one gitleaks fingerprint per line, `file:rule:line` (directory scans) or
 *   `commit:file:rule:line` (git scans). gitleaks' rule names are not ours, so a line covers any finding at
 *   that file and line (and commit, when given).
 * - detect-secrets' `.secrets.baseline`: JSON whose `results` map each file to entries with
 *   `hashed_secret` (SHA-1 of the secret) and `line_number`. An entry covers a finding in that file whose
 *   secret has that hash, or, since the two tools may cut a secret differently, that sits on that line.
 *   Entries audited as real secrets (`is_secret: true`) cover nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputFile } from '@stagecraft/config/input';
import { ScanCodes } from './errors.ts';
import { revealSecret } from './finding.ts';
import type { Suppressor } from './suppression.ts';

export const GITLEAKS_IGNORE = '.gitleaksignore';
export const DETECT_SECRETS_BASELINE = '.secrets.baseline';

/** The suppressors for whichever of the two files exist in `root`. */
export function importedSuppressors(root: string): Suppressor[] {
  const suppressors: Suppressor[] = [];
  const gitleaks = join(root, GITLEAKS_IGNORE);
  if (existsSync(gitleaks)) suppressors.push(gitleaksIgnoreSuppressor(gitleaks));
  const detectSecrets = join(root, DETECT_SECRETS_BASELINE);
  if (existsSync(detectSecrets)) suppressors.push(detectSecretsSuppressor(detectSecrets));
  return suppressors;
}

/** Reads either format, told apart by content: a detect-secrets baseline is a JSON object. */
export function importedSuppressor(path: string): Suppressor {
  if (!existsSync(path)) {
    throw new StagecraftError(ScanCodes.BASELINE_NOT_FOUND, `${path} does not exist`, {
      hint: `give a ${GITLEAKS_IGNORE} or a detect-secrets ${DETECT_SECRETS_BASELINE}`,
    });
  }
  return readInputFile(path, { what: 'baseline', maxBytes: INPUT_LIMITS.rendered })
    .trimStart()
    .startsWith('{')
    ? detectSecretsSuppressor(path)
    : gitleaksIgnoreSuppressor(path);
}

interface GitleaksIgnore {
  commit: string | undefined;
  file: string;
  line: number;
  source: number;
}

export function gitleaksIgnoreSuppressor(path: string): Suppressor {
  const byPlace = new Map<string, GitleaksIgnore[]>();
  readInputFile(path, { what: 'baseline', maxBytes: INPUT_LIMITS.rendered })
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      // Parsed from the right: a file name may itself contain colons.
      const parts = line.split(':');
      const lineNumber = Number(parts.pop());
      parts.pop(); // the gitleaks rule id
      const commit = parts.length > 1 && /^[0-9a-f]{7,40}$/.test(parts[0] ?? '') ? parts.shift() : undefined;
      const file = parts.join(':');
      if (!Number.isInteger(lineNumber) || file === '') {
        throw new StagecraftError(
          ScanCodes.BASELINE_INVALID,
          'a .gitleaksignore line must be [commit:]file:rule:line',
          {
            location: { file: path, line: index + 1, column: 1 },
            hint: 'fix or delete the line; gitleaks prints these fingerprints with each finding',
          },
        );
      }
      const key = `${file}\0${lineNumber}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), { commit, file, line: lineNumber, source: index + 1 }]);
    });
  return (finding) => {
    const entries = byPlace.get(`${finding.file}\0${finding.line}`) ?? [];
    const entry = entries.find((e) => e.commit === undefined || finding.commit?.sha.startsWith(e.commit));
    return entry ? { by: 'gitleaksignore', reason: `${GITLEAKS_IGNORE}:${entry.source}` } : undefined;
  };
}

interface DetectSecretsEntry {
  hashed_secret?: unknown;
  line_number?: unknown;
  is_secret?: unknown;
  type?: unknown;
}

export function detectSecretsSuppressor(path: string): Suppressor {
  let results: Record<string, DetectSecretsEntry[]>;
  try {
    const parsed = JSON.parse(readInputFile(path, { what: 'baseline', maxBytes: INPUT_LIMITS.rendered })) as {
      results?: unknown;
    };
    if (parsed.results === null || typeof parsed.results !== 'object' || Array.isArray(parsed.results)) {
      throw new Error('it has no "results" object');
    }
    results = parsed.results as Record<string, DetectSecretsEntry[]>;
  } catch (error) {
    throw new StagecraftError(
      ScanCodes.BASELINE_INVALID,
      `not a detect-secrets baseline: ${(error as Error).message}`,
      {
        location: { file: path },
        hint: 'regenerate it with `detect-secrets scan > .secrets.baseline`, or remove it',
      },
    );
  }
  const byFile = new Map<string, DetectSecretsEntry[]>();
  for (const [file, entries] of Object.entries(results)) {
    if (Array.isArray(entries))
      byFile.set(
        file.replace(/^\.\//, ''),
        // Entries that are not objects (null, a string) say nothing about a finding: skipped, never a crash.
        entries.filter(
          (e): e is DetectSecretsEntry => e !== null && typeof e === 'object' && e.is_secret !== true,
        ),
      );
  }
  return (finding) => {
    const entries = byFile.get(finding.file);
    if (!entries?.length) return undefined;
    const hash = createHash('sha1')
      .update(revealSecret(finding) ?? '')
      .digest('hex');
    const entry =
      entries.find((e) => e.hashed_secret === hash) ?? entries.find((e) => e.line_number === finding.line);
    if (!entry) return undefined;
    const type = typeof entry.type === 'string' ? ` (${entry.type})` : '';
    return { by: 'detect-secrets', reason: `${DETECT_SECRETS_BASELINE}${type}` };
  };
}
