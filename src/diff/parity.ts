/** Infrastructure parity between the two environments: the parity comparison as `stagecraft parity` runs it. */
import { relative } from 'node:path';
import { compareEnvironments } from '../parity/compare.ts';
import { readPolicy } from '../parity/policy.ts';
import type { ParityResult } from '../parity/result.ts';
import { hasParityInputs, loadEnvironmentSide } from '../parity/side.ts';
import type { DiffInputs, Section } from './section.ts';
import { skipped } from './section.ts';

export type ParityData = ParityResult;

/**
 * Violations make the section differ; allowed differences (size and traffic, and what `parity.allow` names)
 * are listed but are what the team declared acceptable, so alone they leave it `same`.
 */
export function paritySection(inputs: DiffInputs): Section<ParityData> {
  const { workspace } = inputs;
  const environment = (name: string) => workspace.environments.find((env) => env.name === name);
  const left = environment(inputs.left);
  const right = environment(inputs.right);
  const bare = [left, right].filter((env) => env && !hasParityInputs(env)).map((env) => env?.name);
  if (!left || !right || bare.length)
    return skipped(
      `${bare.join(' and ')} ${bare.length === 1 ? 'declares' : 'declare'} no manifests, facts or terraform to compare (environments.NAME.manifests in stagecraft.yaml)`,
    );
  const result = compareEnvironments(
    loadEnvironmentSide(left),
    loadEnvironmentSide(right),
    readPolicy(workspace.parity, workspace.locate, ['parity']),
  );
  const data: ParityData = {
    ...result,
    allowed: result.allowed.map((entry) => ({
      ...entry,
      rule: entry.rule.startsWith('/') ? relative(workspace.root, entry.rule) : entry.rule,
    })),
  };
  const n = result.violations.length;
  return {
    status: n ? 'differs' : 'same',
    summary: n
      ? `${n} parity ${n === 1 ? 'violation' : 'violations'} (${result.allowed.length} allowed ${result.allowed.length === 1 ? 'difference' : 'differences'})`
      : `${inputs.right} mirrors ${inputs.left}: ${result.allowed.length} allowed ${result.allowed.length === 1 ? 'difference' : 'differences'} (size and traffic)`,
    data,
    error: null,
  };
}
