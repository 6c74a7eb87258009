/** Wording helpers shared by every part: "did you mean" suggestions. */
export * from './suggest.ts';
