/**
 * Generated files as text, and whether one on disk is still as ci init wrote it. Each file starts with a
 * header naming the command that wrote it and the SHA-256 of everything after the header: a file whose hash
 * still matches was not edited since, so writing it again loses nothing; one that no longer matches (or has
 * no header) is someone's work, and is replaced only when asked (--force).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

const HASH_LINE = /^# stagecraft-hash: sha256:([0-9a-f]{64})\n/m;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The file's text: the header, then the YAML, stable from one run to the next. */
export function renderFile(document: Record<string, unknown>, command: string): string {
  const body = stringify(document, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
  return (
    [
      `# Written by \`${command}\` from stagecraft.yaml. Run it again after changing stagecraft.yaml;`,
      '# an edited file is kept unless --force is given (the hash below tells).',
      `# stagecraft-hash: sha256:${sha256(body)}`,
      '',
    ].join('\n') + body
  );
}

export type OnDisk = 'absent' | 'same' | 'generated' | 'edited';

/**
 * How a file on disk stands against what would be written: the same text, an older generated file (its
 * hash still matches its body), or edited since (or never generated).
 */
export function compareOnDisk(current: string | undefined, next: string): OnDisk {
  if (current === undefined) return 'absent';
  if (current === next) return 'same';
  const match = HASH_LINE.exec(current);
  if (!match) return 'edited';
  const body = current.slice(match.index + match[0].length);
  return sha256(body) === match[1] ? 'generated' : 'edited';
}
