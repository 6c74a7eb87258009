/**
 * The baseline: findings a team has looked at and accepted, by fingerprint. Fingerprints hang on the rule,
 * the file and the secret — not the line — so an entry survives edits around it. The file is sorted and holds
 * one tab-separated entry per line, so two branches that each accept a finding add two separate lines
 * (declare it `merge=union` in .gitattributes and they never conflict at all):
 *
 *   # salt: 9c41…  (64 hex digits)
 *   # file	rule	fingerprint	reason
 *   test/fixtures/keys.ts	github-pat	5c0d…	parser fixture, not a live token
 *
 * A baseline is committed, so its fingerprints must not be plain hashes of secrets: anyone could hash a
 * dictionary of weak passwords once and look every baseline up in it. Each is an HMAC-SHA-256, keyed with a
 * random salt the file carries, of the finding's fingerprint, so a guess has to be tried against each
 * baseline on its own and the same secret looks different in every baseline. The salt is made when a baseline
 * is first written and kept when it is rewritten. Baselines written before salting (no salt line) are read as
 * they were, and salted on their next rewrite; a union merge of two baselines started apart has two salt
 * lines, and an entry made under either still matches.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { StagecraftError } from '@stagecraft/config/errors';
import { INPUT_LIMITS, readInputFile } from '@stagecraft/config/input';
import { ScanCodes } from './errors.ts';
import type { Finding } from './finding.ts';
import type { Suppressor } from './suppression.ts';

export interface BaselineEntry {
  file: string;
  rule: string;
  fingerprint: string;
  reason: string;
}

export interface Baseline {
  /** The salts (hex) entries are keyed with: none in a baseline from before salting, two after some merges. */
  salts: string[];
  /** Entries by their fingerprint as written in the file. */
  entries: Map<string, BaselineEntry>;
}

export function emptyBaseline(): Baseline {
  return { salts: [], entries: new Map() };
}

const SALT_LINE = /^# salt: ([0-9a-f]{64})\s*$/;

const HEADER = [
  '# stagecraft scan baseline: accepted findings, one per line, sorted (file, rule, fingerprint, reason; tab-separated).',
  '# Fingerprints are keyed with the salt below (HMAC-SHA-256), never a plain hash of a secret: keep the salt line.',
];
const FOOTER_NOTE =
  '# Rewrite with `stagecraft scan --write-baseline FILE`; entries keep their reasons. Mark it merge=union in .gitattributes.';

export function readBaseline(path: string): Baseline {
  if (!existsSync(path)) {
    throw new StagecraftError(ScanCodes.BASELINE_NOT_FOUND, `baseline file ${path} does not exist`, {
      hint: 'create it with `stagecraft scan --write-baseline FILE`',
    });
  }
  const baseline = emptyBaseline();
  readInputFile(path, { what: 'baseline', maxBytes: INPUT_LIMITS.rendered })
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.startsWith('# salt:')) {
        const salt = SALT_LINE.exec(line)?.[1];
        if (salt === undefined) {
          throw new StagecraftError(
            ScanCodes.BASELINE_INVALID,
            'a baseline salt line must be "# salt: " and 64 hex digits',
            {
              location: { file: path, line: index + 1, column: 1 },
              hint: 'restore the line from version control, or regenerate the file with --write-baseline',
            },
          );
        }
        if (!baseline.salts.includes(salt)) baseline.salts.push(salt);
        return;
      }
      if (line.trim() === '' || line.startsWith('#')) return;
      const [file, rule, fingerprint, ...reason] = line.split('\t');
      if (
        file === undefined ||
        rule === undefined ||
        fingerprint === undefined ||
        !/^[0-9a-f]{32}$/.test(fingerprint)
      ) {
        throw new StagecraftError(
          ScanCodes.BASELINE_INVALID,
          'a baseline entry must be "file<TAB>rule<TAB>fingerprint<TAB>reason"',
          {
            location: { file: path, line: index + 1, column: 1 },
            hint: 'fix or delete the line (a fingerprint is 32 hex digits), or regenerate the file with --write-baseline',
          },
        );
      }
      baseline.entries.set(fingerprint, {
        file: unescapeField(file),
        rule,
        fingerprint,
        reason: unescapeField(reason.join('\t')),
      });
    });
  return baseline;
}

/** The entry that accepts a finding: keyed with any of the file's salts, or plain (written before salting). */
export function baselineEntry(baseline: Baseline, finding: Finding): BaselineEntry | undefined {
  for (const salt of baseline.salts) {
    const entry = baseline.entries.get(saltedFingerprint(salt, finding.fingerprint));
    if (entry) return entry;
  }
  return baseline.entries.get(finding.fingerprint);
}

export function baselineSuppressor(baseline: Baseline, source: string): Suppressor {
  return (finding) => {
    const entry = baselineEntry(baseline, finding);
    return entry ? { by: 'baseline', reason: entry.reason || `accepted in ${source}` } : undefined;
  };
}

/**
 * Writes the findings as the new baseline, atomically, keyed with the previous file's salt (a new one when
 * it had none). Entries already in `previous` keep their reasons; new ones get `reason`. Entries for findings
 * no longer found are dropped: a baseline never hides a future secret that happens to reuse an old slot.
 */
export function writeBaseline(
  path: string,
  findings: readonly (Finding & { acceptedReason?: string })[],
  previous: Baseline,
  reason: string,
): { entries: number; added: number; dropped: number } {
  const salt = previous.salts[0] ?? randomBytes(32).toString('hex');
  const entries = new Map<string, BaselineEntry>();
  const kept = new Set<string>();
  let added = 0;
  for (const finding of findings) {
    const fingerprint = saltedFingerprint(salt, finding.fingerprint);
    if (entries.has(fingerprint)) continue;
    const known = baselineEntry(previous, finding);
    if (known) kept.add(known.fingerprint);
    else added++;
    entries.set(fingerprint, {
      file: finding.file,
      rule: finding.rule,
      fingerprint,
      reason: known?.reason ?? finding.acceptedReason ?? reason,
    });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => compare(a.file, b.file) || compare(a.rule, b.rule) || compare(a.fingerprint, b.fingerprint),
  );
  const text = [
    ...HEADER,
    `# salt: ${salt}`,
    FOOTER_NOTE,
    ...sorted.map((e) => [escapeField(e.file), e.rule, e.fingerprint, escapeField(e.reason)].join('\t')),
  ].join('\n');
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${text}\n`);
  renameSync(temporary, path);
  const dropped = [...previous.entries.keys()].filter((fingerprint) => !kept.has(fingerprint)).length;
  return { entries: sorted.length, added, dropped };
}

/** A finding's fingerprint as a baseline stores it: keyed with the baseline's salt, 128 bits like the original. */
function saltedFingerprint(salt: string, fingerprint: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(fingerprint).digest('hex').slice(0, 32);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const escapeField = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n');
const unescapeField = (text: string) =>
  text.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
