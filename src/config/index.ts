/**
 * `stagecraft/config`: typed twelve-factor configuration for applications.
 */
export { type Problem, type SourceLocation, StagecraftError } from '../errors.ts';
