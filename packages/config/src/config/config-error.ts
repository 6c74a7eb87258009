import { outcomeOfProblems, type Problem, StagecraftError, summarizeProblems } from '../errors.ts';
import { ConfigCodes } from './errors.ts';

/**
 * Every problem with an app's configuration, at once: missing, invalid, unknown (strict mode) and literal
 * secrets, each with its field, variable, source and a hint. Secret values never appear in it.
 */
export class ConfigError extends StagecraftError {
  readonly environment: string;

  constructor(environment: string, problems: readonly Problem[]) {
    const count = problems.length;
    super(
      ConfigCodes.CONFIG_INVALID,
      summarizeProblems(
        `configuration for environment "${environment}" has ${count} problem${count === 1 ? '' : 's'}:`,
        problems,
      ),
      {
        problems,
        hint: 'fix each problem listed; `stagecraft config check --env NAME` re-checks without starting the app',
        // Only unreachable stores: the config was not judged, so not "invalid" (exit 1, not 2).
        outcome: outcomeOfProblems(problems),
      },
    );
    this.name = 'ConfigError';
    this.environment = environment;
  }
}
