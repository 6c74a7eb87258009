/**
 * The config library's internals that the stagecraft CLI drives (checking every environment, showing where each
 * value came from, generating `.env.example`, watching): not part of the app-facing API in `../index.ts`.
 */
export * from './config-error.ts';
export * from './context.ts';
export * from './define.ts';
export * from './definition.ts';
export * from './dotenv-parse.ts';
export * from './errors.ts';
export * from './generate.ts';
export * from './inspection.ts';
export { expand } from './interpolate.ts';
export * from './naming.ts';
export * from './resolve.ts';
export * from './secret.ts';
export * from './watch.ts';
