/**
 * Which CI secret variables an environment's jobs must be given: the names its config files reference as
 * `${VAR}` or `ref+env://VAR`, read from the committed files alone (never resolved, never a value), and the
 * other backends its references read, which need access rather than a variable.
 */
import { expand } from '@stagecraft/config/engine';
import { StagecraftError } from '@stagecraft/config/errors';
import { collectReferences } from '@stagecraft/config/secret-references';
import type { Workspace } from '@stagecraft/config/workspace';
import { parseYamlSource } from '@stagecraft/config/yaml';
import { readEnvironmentConfig } from '../workspace/environment-config.ts';
import { CiCodes } from './errors.ts';

export interface EnvironmentVariables {
  /** Variable names, sorted. */
  variables: string[];
  /** Backends other than env that the references read (vault, k8s, …), sorted. */
  backends: string[];
}

export function environmentVariables(workspace: Workspace, environment: string): EnvironmentVariables {
  const variables = new Set<string>();
  const backends = new Set<string>();
  for (const { path: file, shown, text } of readEnvironmentConfig(workspace, environment)) {
    const source = parseYamlSource(text, file);
    const [problem] = source.syntaxProblems;
    if (problem) {
      throw new StagecraftError(CiCodes.CI_CONFIG_UNREADABLE, `${shown}: ${problem.message}`, {
        ...(problem.location ? { location: problem.location } : {}),
        hint: 'fix the file (stagecraft config check --all lists its problems), then run ci init again',
      });
    }
    for (const value of strings(source.value)) {
      // Every variable is "set" here, so each reference is listed and no default is taken for it.
      for (const name of expand(value, () => 'set').references) variables.add(name);
      const { references, invalid } = collectReferences(value);
      if (invalid) {
        throw new StagecraftError(CiCodes.CI_CONFIG_UNREADABLE, `${shown}: ${invalid.message}`, {
          hint: invalid.hint,
        });
      }
      for (const reference of references) {
        if (reference.backend === 'env') variables.add(reference.path);
        else backends.add(reference.backend);
      }
    }
  }
  return { variables: [...variables].sort(), backends: [...backends].sort() };
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) yield* strings(item);
}
