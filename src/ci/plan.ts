/**
 * What the generated workflows need from stagecraft.yaml, decided once for every CI: which environment CI
 * deploys on every merge (staging) and which after the gates (production), the services it builds, the
 * audience of the OIDC token the server accepts, and the secret variables each deploying job is given.
 * Whatever a workflow cannot do on its own (a step that waits for a person) becomes a note, said once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StagecraftError } from '@stagecraft/config/errors';
import type { Environment, Service, Workspace } from '@stagecraft/config/workspace';
import { driftSettingsOf } from '../drift/settings.ts';
import { CiCodes } from './errors.ts';
import { type EnvironmentVariables, environmentVariables } from './variables.ts';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The audience the OIDC tokens are requested for when stagecraft.yaml names none. */
export const DEFAULT_AUDIENCE = 'stagecraft';

export interface DeployTarget {
  name: string;
  /** `promote --to` when the environment is promoted from another, `deploy --env` at the start of the chain. */
  promoted: boolean;
  /** Whether a `tests` gate guards it: CI reports the commit's tests before promoting. */
  testsGate: boolean;
  secrets: EnvironmentVariables;
}

export interface CiPlan {
  workspaceName: string;
  /**
   * The environment staging is promoted from (dev), when CI may deploy there: each merge's build goes there
   * first, since the ledger lets into staging only a digest that succeeded in it. Undefined when CI may not.
   */
  first: DeployTarget | undefined;
  staging: DeployTarget;
  production: DeployTarget;
  services: readonly Service[];
  /** The branch a merge to deploys staging: drift.main, default main. */
  mainBranch: string;
  /** Distinct registries the images are pushed to (the image's host). */
  registries: string[];
  /** `npm ci` first: the workspace's folder has a lockfile (the config module's imports). */
  npmCi: boolean;
  /** The stagecraft version the jobs install, the one that generated them. */
  version: string;
  /** The audience server.oidc accepts from GitHub Actions' issuer; undefined when it trusts none. */
  githubAudience: string | undefined;
  /** The audience of the first other issuer (GitLab's); undefined when there is none. */
  gitlabAudience: string | undefined;
  /** What the workflows cannot do on their own, for the person running ci init. */
  notes: string[];
}

export function planCi(workspace: Workspace, version: string): CiPlan {
  const production = workspace.environments.at(-1);
  const stagingName = production?.from;
  const staging = workspace.environments.find((environment) => environment.name === stagingName);
  const missing: string[] = [];
  if (!production || !staging) {
    missing.push(
      workspace.environments.length < 2
        ? `a chain of at least two environments (it has ${workspace.environments.length})`
        : `production (the last environment, ${production?.name}) promoted from another with from:`,
    );
  }
  if (workspace.services.length === 0) missing.push('at least one service (services:)');
  if (!production || !staging || missing.length > 0) {
    throw new StagecraftError(
      CiCodes.CI_WORKSPACE_UNFIT,
      `stagecraft.yaml has no ${missing.join(', and no ')}: the workflows deploy staging on every merge and production after the gates`,
      {
        location: workspace.locate([
          missing[0]?.startsWith('at least one service') ? 'services' : 'environments',
        ]),
        hint: 'declare staging and production (from: staging) under environments:, and the services CI builds under services:',
      },
    );
  }
  const notes: string[] = [];
  const target = (environment: Environment): DeployTarget => {
    if (!environment.deployers.includes('ci')) {
      notes.push(
        `${environment.name}'s deployers are ${environment.deployers.join(', ') || 'none'}: add ci, or its job is refused (LEDGER_ROLE_REFUSED)`,
      );
    }
    const secrets = environmentVariables(workspace, environment.name);
    if (secrets.backends.length > 0) {
      notes.push(
        `${environment.name}'s config also reads ${secrets.backends.join(', ')} references: give its job access to them (e.g. VAULT_ADDR and a login)`,
      );
    }
    return {
      name: environment.name,
      promoted: environment.from !== undefined,
      testsGate: environment.gates.some((gate) => gate.kind === 'tests'),
      secrets,
    };
  };
  const source = workspace.environments.find((environment) => environment.name === staging.from);
  if (source && !source.deployers.includes('ci')) {
    notes.push(
      `${staging.name} is promoted from ${source.name}, which CI does not deploy: a digest reaches ${staging.name} only after it succeeded in ${source.name}; add ci to ${source.name}'s deployers and CI deploys each merge there first`,
    );
  }
  const first = source?.deployers.includes('ci') ? target(source) : undefined;
  if (source && first && !source.deploy) {
    notes.push(
      `${source.name} has no deploy step: each deployment stays pending until \`stagecraft deployed SERVICE --env ${source.name} --confirm\`, and ${staging.name} waits for that`,
    );
  }
  if (!staging.deploy) {
    notes.push(
      `${staging.name} has no deploy step: each deployment stays pending until \`stagecraft deployed SERVICE --env ${staging.name} --confirm\`, and production waits for that`,
    );
  }
  const tests = [staging, production].some((environment) =>
    environment.gates.some((g) => g.kind === 'tests'),
  );
  if (tests && !existsSync(join(workspace.root, 'package.json'))) {
    notes.push(
      'the tests gate is fed by `npm test` in the test job, and there is no package.json here: add one with a test script',
    );
  }
  const oidcAudience = (github: boolean): string | undefined =>
    workspace.server.oidc.find((entry) => (entry.issuer === GITHUB_ISSUER) === github)?.audiences[0];
  return {
    workspaceName: workspace.name,
    first,
    staging: target(staging),
    production: target(production),
    services: workspace.services,
    mainBranch: driftSettingsOf(workspace).main,
    registries: [...new Set(workspace.services.map((service) => registryOf(service.image)))].sort(),
    npmCi: existsSync(join(workspace.root, 'package-lock.json')),
    version,
    githubAudience: oidcAudience(true),
    gitlabAudience: oidcAudience(false),
    notes,
  };
}

/** The registry an image is pushed to: its first part when that names a host, else Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
}
