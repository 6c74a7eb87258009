/**
 * Keyword prefilter: one pass over the text with an Aho-Corasick automaton finds every occurrence of every
 * rule keyword, case-insensitively, so most text never reaches a regular expression. The automaton is a full
 * DFA over ASCII (failure links folded into the transition table), so each character costs one table load.
 */

const ALPHABET = 128;

export interface KeywordHit {
  keyword: number;
  /** Offset of the keyword's first character. */
  index: number;
}

export class KeywordMatcher {
  readonly keywords: readonly string[];
  private readonly delta: Int32Array;
  /** For each state, the keywords that end there (including via failure links), or undefined. */
  private readonly outputs: (readonly number[] | undefined)[];
  private readonly lengths: Int32Array;
  /** 1 where a state ends some keyword: a typed-array test per character is cheaper than the outputs array. */
  private readonly accepting: Uint8Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    this.lengths = Int32Array.from(keywords, (keyword) => keyword.length);
    // The trie is built straight into the transition table (one typed array, -1 = no edge), then completed
    // breadth-first into a DFA: start-up matters for a pre-commit hook, and arrays of arrays cost tens of ms.
    const maxStates = 1 + keywords.reduce((sum, keyword) => sum + keyword.length, 0);
    const table = new Int32Array(maxStates * ALPHABET).fill(-1);
    const outputs: number[][] = [[]];
    let states = 1;
    keywords.forEach((keyword, id) => {
      if (keyword.length === 0) throw new Error('empty keyword');
      let state = 0;
      for (const char of keyword.toLowerCase()) {
        const code = char.charCodeAt(0);
        if (code >= ALPHABET) throw new Error(`keyword "${keyword}" is not ASCII`);
        const slot = state * ALPHABET + code;
        if (table[slot] === -1) {
          table[slot] = states++;
          outputs.push([]);
        }
        state = table[slot] as number;
      }
      (outputs[state] as number[]).push(id);
    });
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const next = table[c] as number;
      if (next > 0) queue.push(next);
      else table[c] = 0;
    }
    // Breadth-first: a state's failure target is shallower, so its row is complete when it is read.
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const failRow = (fail[state] as number) * ALPHABET;
      (outputs[state] as number[]).push(...(outputs[fail[state] as number] as number[]));
      for (let c = 0; c < ALPHABET; c++) {
        const slot = state * ALPHABET + c;
        const next = table[slot] as number;
        if (next > 0) {
          fail[next] = table[failRow + c] as number;
          queue.push(next);
        } else {
          table[slot] = table[failRow + c] as number;
        }
      }
    }
    // Upper-case letters go where their lower-case forms go, so matching needs no case test per character.
    for (let state = 0; state < states; state++)
      for (let c = 65; c <= 90; c++) table[state * ALPHABET + c] = table[state * ALPHABET + c + 32] as number;
    const delta = table.subarray(0, states * ALPHABET);
    this.delta = delta;
    this.outputs = outputs.map((list) => (list.length ? list : undefined));
    this.accepting = Uint8Array.from(outputs, (list) => (list.length ? 1 : 0));
  }

  /** Every keyword occurrence, in text order. */
  scan(text: string): KeywordHit[] {
    const hits: KeywordHit[] = [];
    this.each(text, (keyword, index) => {
      hits.push({ keyword, index });
    });
    return hits;
  }

  /** Calls `found` for every keyword occurrence, in text order, without allocating per hit. */
  each(text: string, found: (keyword: number, index: number) => void): void {
    const { delta, outputs, lengths, accepting } = this;
    let state = 0;
    for (let i = 0, length = text.length; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= ALPHABET) {
        state = 0;
        continue;
      }
      state = delta[(state << 7) | code] as number;
      if (accepting[state] === 1) {
        for (const keyword of outputs[state] as readonly number[])
          found(keyword, i - (lengths[keyword] as number) + 1);
      }
    }
  }
}
