/** Wording helpers shared by every part: "did you mean" suggestions, and counts with their nouns. */
export * from './count.ts';
export * from './suggest.ts';
