/** An environment of stagecraft.yaml as parity compares it: its manifests, facts and Terraform, read. */
import { join } from 'node:path';
import type { Environment } from '@stagecraft/config/workspace';
import { loadManifests } from '../kubernetes/manifests.ts';
import { readFacts } from './facts.ts';
import type { ParitySide } from './result.ts';
import { readTerraform } from './terraform.ts';

/** Whether an environment declares anything parity can compare. */
export function hasParityInputs(environment: Environment): boolean {
  return Boolean(
    environment.manifests || environment.facts || environment.terraform.plan || environment.terraform.state,
  );
}

/** Reads what an environment declares; facts default to facts.json beside its manifests. */
export function loadEnvironmentSide(environment: Environment): ParitySide {
  const terraform = environment.terraform.plan ?? environment.terraform.state;
  const factsFile =
    environment.facts ?? (environment.manifests ? join(environment.manifests, 'facts.json') : undefined);
  return {
    name: environment.name,
    manifests: environment.manifests ? loadManifests(environment.manifests) : undefined,
    facts: factsFile ? readFacts(factsFile) : undefined,
    terraform: terraform ? readTerraform(terraform) : undefined,
  };
}
