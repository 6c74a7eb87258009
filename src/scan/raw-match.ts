/** A match in the text: the whole matched span and the secret within it. Offsets are UTF-16 indexes. */
export interface RawMatch {
  start: number;
  end: number;
  secret: string;
  secretStart: number;
}
