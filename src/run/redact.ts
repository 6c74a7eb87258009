/**
 * Masking known values in output: each value verbatim and in the encoded forms a program may print it in
 * (see encoded-forms.ts for which are covered). At each position the longest form that starts there is
 * masked, scanning left to right. In a stream (a child's output under `stagecraft run --redact`) a form may be
 * split across chunks, and a short form may be the start of a longer one, so the end of each chunk that
 * could still begin a form is held back until the next chunk decides — only that much, so output that cannot
 * contain a value is passed on at once, and the result is what masking the whole output at once would give.
 * The stream works on bytes (latin1 strings), so any encoding passes through unchanged.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { encodedForms } from './encoded-forms.ts';

export const MASK = '***';

/**
 * `stagecraft run` masks no value shorter than this: it would mask ordinary text everywhere in the output.
 * `redactValues` and `Redactor` mask whatever they are given; the caller chooses.
 */
export const MIN_REDACTED_LENGTH = 4;

/** `text` with every value in `values`, and each encoded form of it, replaced by `***`. */
export function redactValues(text: string, values: readonly string[]): string {
  const pattern = targetPattern(targets(values, (form) => form));
  return pattern ? text.replace(pattern, MASK) : text;
}

export class Redactor extends Transform {
  private readonly targets: string[];
  private readonly pattern: RegExp | undefined;
  /** For each target, its KMP failure table: where a partial match can continue after a mismatch. */
  private readonly failures: Int32Array[];
  private held = '';

  /** `values` are the plain texts to mask; their encoded forms are masked too. */
  constructor(values: readonly string[]) {
    super();
    this.targets = targets(values, (form) => Buffer.from(form, 'utf8').toString('latin1'));
    this.pattern = targetPattern(this.targets);
    this.failures = this.targets.map(failureTable);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.held + chunk.toString('latin1');
    // Up to `hold` every decision is final: no form could begin there and still be completed by more input.
    let hold = text.length - this.pendingPrefix(text, 0);
    let out = '';
    let position = 0;
    if (this.pattern) {
      this.pattern.lastIndex = 0;
      for (
        let match = this.pattern.exec(text);
        match && match.index < hold;
        match = this.pattern.exec(text)
      ) {
        out += text.slice(position, match.index) + MASK;
        position = match.index + match[0].length;
        this.pattern.lastIndex = position;
        // A form found whole may end inside what was held back; what could still begin one starts after it.
        if (position > hold) hold = text.length - this.pendingPrefix(text, position);
      }
    }
    out += text.slice(position, hold);
    this.held = text.slice(hold);
    if (out) this.push(Buffer.from(out, 'latin1'));
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.pattern ? this.held.replace(this.pattern, MASK) : this.held;
    if (rest) this.push(Buffer.from(rest, 'latin1'));
    this.held = '';
    done();
  }

  /**
   * The length of the longest suffix of `text`, starting at `from` or later, that is a proper prefix of a
   * target (so more input could complete it). Found with each target's failure table in time linear in its
   * length, as the forms of a long value (a PEM key) are many and each chunk is checked against all of them.
   */
  private pendingPrefix(text: string, from: number): number {
    let longest = 0;
    this.targets.forEach((target, index) => {
      const failure = this.failures[index] as Int32Array;
      let matched = 0;
      for (let i = Math.max(from, text.length - (target.length - 1)); i < text.length; i++) {
        while (matched > 0 && text[i] !== target[matched]) matched = failure[matched - 1] as number;
        if (text[i] === target[matched]) matched++;
        if (matched === target.length) matched = failure[matched - 1] as number;
      }
      if (matched > longest) longest = matched;
    });
    return longest;
  }
}

/** Every distinct non-empty form of every value, as `convert` turns it into text, the longest first. */
function targets(values: readonly string[], convert: (form: string) => string): string[] {
  const all = new Set<string>();
  for (const value of values) for (const form of encodedForms(value)) all.add(convert(form));
  return [...all].sort((a, b) => b.length - a.length);
}

/**
 * One pattern matching any target; as the longest come first and an alternation takes the first alternative
 * that matches, each match is the longest target starting at the leftmost position where one does.
 */
function targetPattern(targets: readonly string[]): RegExp | undefined {
  if (targets.length === 0) return undefined;
  return new RegExp(targets.map((target) => target.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'g');
}

/** For each prefix of `pattern`, the length of its longest proper prefix that is also its suffix. */
function failureTable(pattern: string): Int32Array {
  const table = new Int32Array(pattern.length);
  let length = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (length > 0 && pattern[i] !== pattern[length]) length = table[length - 1] as number;
    if (pattern[i] === pattern[length]) length++;
    table[i] = length;
  }
  return table;
}
