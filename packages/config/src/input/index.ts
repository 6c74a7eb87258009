/** Reading the user's files and streams within fixed limits: size caps, special files, nesting depth, JSON. */

export * from './errors.ts';
export * from './json.ts';
export * from './nesting.ts';
export * from './read-file.ts';
export * from './read-stream.ts';
