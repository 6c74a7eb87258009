/**
 * `// stagecraft-lint-allow: reason` on the line of a finding or on the line before it accepts that finding.
 * The reason is required: an allow without one is not honoured, and the finding says so, so every accepted
 * branch carries the why a reviewer needs (a framework's development mode, a test helper).
 */

export const ALLOW_DIRECTIVE = 'stagecraft-lint-allow';

export interface CommentLines {
  /** The comment's text, without its delimiters. */
  value: string;
  startLine: number;
  endLine: number;
}

export type InlineVerdict =
  | { kind: 'allowed'; reason: string }
  | { kind: 'no-reason'; line: number }
  | { kind: 'none' };

const DIRECTIVE = new RegExp(`^\\s*\\*?\\s*${ALLOW_DIRECTIVE}\\b(?:\\s*:(.*))?`, 's');

/** The inline allows of a file, looked up by the line of a finding. */
export class InlineAllows {
  private readonly byLine = new Map<number, { reason: string | undefined; line: number }>();

  constructor(comments: readonly CommentLines[]) {
    for (const comment of comments) {
      const match = DIRECTIVE.exec(comment.value);
      if (!match) continue;
      const reason = match[1]?.replace(/\*\/?\s*$/, '').trim() || undefined;
      const entry = { reason, line: comment.startLine };
      // A trailing comment covers its own line; a comment on a line of its own, the next one too.
      this.byLine.set(comment.startLine, entry);
      this.byLine.set(comment.endLine + 1, entry);
    }
  }

  verdict(line: number): InlineVerdict {
    const entry = this.byLine.get(line);
    if (entry === undefined) return { kind: 'none' };
    return entry.reason === undefined
      ? { kind: 'no-reason', line: entry.line }
      : { kind: 'allowed', reason: entry.reason };
  }
}

export const NO_REASON_NOTE: string = `the ${ALLOW_DIRECTIVE} comment for this line gives no reason, so it is not honoured: write "// ${ALLOW_DIRECTIVE}: why this branch is needed"`;
