/**
 * The baseline: findings a team has looked at and accepted, by fingerprint. Fingerprints hang on the rule,
 * the file and the secret — not the line — so an entry survives edits around it. The file is sorted and holds
 * one tab-separated entry per line, so two branches that each accept a finding add two separate lines
 * (declare it `merge=union` in .gitattributes and they never conflict at all):
 *
 *   # file	rule	fingerprint	reason
 *   test/fixtures/keys.ts	github-pat	5c0d…	parser fixture, not a live token
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { StagecraftError } from '../errors.ts';
import { INPUT_LIMITS, readInputFile } from '../input/read-file.ts';
import type { Finding } from './finding.ts';
import type { Suppressor } from './suppression.ts';

export interface BaselineEntry {
  file: string;
  rule: string;
  fingerprint: string;
  reason: string;
}

const HEADER = [
  '# stagecraft scan baseline: accepted findings, one per line, sorted (file, rule, fingerprint, reason; tab-separated).',
  '# Rewrite with `stagecraft scan --write-baseline FILE`; entries keep their reasons. Mark it merge=union in .gitattributes.',
];

export function readBaseline(path: string): Map<string, BaselineEntry> {
  if (!existsSync(path)) {
    throw new StagecraftError('BASELINE_NOT_FOUND', `baseline file ${path} does not exist`, {
      hint: 'create it with `stagecraft scan --write-baseline FILE`',
    });
  }
  const entries = new Map<string, BaselineEntry>();
  readInputFile(path, { what: 'baseline', maxBytes: INPUT_LIMITS.rendered })
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '' || line.startsWith('#')) return;
      const [file, rule, fingerprint, ...reason] = line.split('\t');
      if (
        file === undefined ||
        rule === undefined ||
        fingerprint === undefined ||
        !/^[0-9a-f]{32}$/.test(fingerprint)
      ) {
        throw new StagecraftError(
          'BASELINE_INVALID',
          'a baseline entry must be "file<TAB>rule<TAB>fingerprint<TAB>reason"',
          {
            location: { file: path, line: index + 1, column: 1 },
            hint: 'fix or delete the line (a fingerprint is 32 hex digits), or regenerate the file with --write-baseline',
          },
        );
      }
      entries.set(fingerprint, {
        file: unescapeField(file),
        rule,
        fingerprint,
        reason: unescapeField(reason.join('\t')),
      });
    });
  return entries;
}

export function baselineSuppressor(entries: ReadonlyMap<string, BaselineEntry>, source: string): Suppressor {
  return (finding) => {
    const entry = entries.get(finding.fingerprint);
    return entry ? { by: 'baseline', reason: entry.reason || `accepted in ${source}` } : undefined;
  };
}

/**
 * Writes the findings as the new baseline, atomically. Entries already in `previous` keep their reasons;
 * new ones get `reason`. Entries for findings no longer found are dropped: a baseline never hides a future
 * secret that happens to reuse an old slot.
 */
export function writeBaseline(
  path: string,
  findings: readonly (Finding & { acceptedReason?: string })[],
  previous: ReadonlyMap<string, BaselineEntry>,
  reason: string,
): { entries: number; added: number; dropped: number } {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const known = previous.get(finding.fingerprint);
    entries.set(finding.fingerprint, {
      file: finding.file,
      rule: finding.rule,
      fingerprint: finding.fingerprint,
      reason: known?.reason ?? finding.acceptedReason ?? reason,
    });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => compare(a.file, b.file) || compare(a.rule, b.rule) || compare(a.fingerprint, b.fingerprint),
  );
  const text = [
    ...HEADER,
    ...sorted.map((e) => [escapeField(e.file), e.rule, e.fingerprint, escapeField(e.reason)].join('\t')),
  ].join('\n');
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${text}\n`);
  renameSync(temporary, path);
  const added = sorted.filter((e) => !previous.has(e.fingerprint)).length;
  const dropped = [...previous.keys()].filter((fingerprint) => !entries.has(fingerprint)).length;
  return { entries: sorted.length, added, dropped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const escapeField = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n');
const unescapeField = (text: string) =>
  text.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
