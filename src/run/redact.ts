/**
 * Masking known values in a stream (a child's output under `stagecraft run --redact`). A value may be split
 * across chunks, so the end of each chunk that could still begin a value is held back until the next chunk
 * decides — only that much, so output that cannot contain a value is passed on at once. Works on bytes
 * (latin1 strings), so any encoding passes through unchanged.
 */
import { Transform, type TransformCallback } from 'node:stream';

export const MASK = '***';

export class Redactor extends Transform {
  private readonly values: string[];
  private held = '';

  /** `values` are the plain texts to mask; the longest are matched first. */
  constructor(values: readonly string[]) {
    super();
    this.values = [
      ...new Set(values.filter(Boolean).map((v) => Buffer.from(v, 'utf8').toString('latin1'))),
    ].sort((a, b) => b.length - a.length);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.held + chunk.toString('latin1');
    const masked = this.mask(text);
    const keep = this.pendingPrefix(masked);
    this.held = masked.slice(masked.length - keep);
    const out = masked.slice(0, masked.length - keep);
    if (out) this.push(Buffer.from(out, 'latin1'));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.held) this.push(Buffer.from(this.mask(this.held), 'latin1'));
    this.held = '';
    done();
  }

  private mask(text: string): string {
    let result = text;
    for (const value of this.values) if (result.includes(value)) result = result.split(value).join(MASK);
    return result;
  }

  /** How many trailing characters could be the start of a value still to be completed. */
  private pendingPrefix(text: string): number {
    let longest = 0;
    for (const value of this.values) {
      for (let length = Math.min(value.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(value.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
