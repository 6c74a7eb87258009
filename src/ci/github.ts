/**
 * The GitHub Actions workflows: pull requests checked and scanned (SARIF to code scanning), every push to main
 * built once, registered and promoted to staging, then production — in its protected environment, where the
 * approval happens — promoting the digest staging got, and a nightly drift check. Every job reaches the
 * stagecraft server with its own OIDC token; no stagecraft credential is stored in CI.
 */
import { Scalar } from 'yaml';
import { ACTION_PINS, type PinName } from './pins.ts';
import { type CiPlan, DEFAULT_AUDIENCE, type DeployTarget } from './plan.ts';

export interface GeneratedFile {
  /** Relative to the workspace's folder, with forward slashes. */
  path: string;
  /** The document, with `uses:` values as commented scalars; rendered by render.ts. */
  document: Record<string, unknown>;
}

type Step = Record<string, unknown>;

/** `owner/repo@commit # vX.Y.Z`, from the pins table only. */
export function pinned(name: PinName): Scalar<string> {
  const pin = ACTION_PINS[name];
  const scalar = new Scalar(`${pin.action}@${pin.commit}`);
  scalar.comment = ` ${pin.version}`;
  return scalar;
}

const RUNNER = 'ubuntu-latest';
const NODE_VERSION = '22';

/** A name usable in step ids, output names and secret names. */
export function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}

function setup(plan: CiPlan, options: { history?: boolean } = {}): Step[] {
  return [
    { uses: pinned('checkout'), ...(options.history ? { with: { 'fetch-depth': 0 } } : {}) },
    { uses: pinned('setupNode'), with: { 'node-version': NODE_VERSION } },
    {
      name: 'Install stagecraft',
      run: [`npm install --global stagecraft@${plan.version}`, ...(plan.npmCi ? ['npm ci'] : [])].join('\n'),
    },
  ];
}

/**
 * The job's OIDC token for the server's audience, requested just before the steps that use it (it expires
 * within minutes), as STAGECRAFT_TOKEN for the later steps (masked in logs).
 * The server verifies it against GitHub's keys and maps its claims (repository, ref, environment) to a role.
 */
function oidcStep(plan: CiPlan): Step {
  const audience = plan.githubAudience ?? DEFAULT_AUDIENCE;
  return {
    name: 'OIDC token for the stagecraft server',
    run: [
      `token=$(curl --fail --silent --show-error --header "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${audience}" | jq --raw-output .value)`,
      'test -n "$token" && test "$token" != null',
      'echo "::add-mask::$token"',
      'echo "STAGECRAFT_TOKEN=$token" >> "$GITHUB_ENV"',
    ].join('\n'),
  };
}

/** The server's address is configuration, not a secret: a repository variable. */
const SERVER_ENV = { STAGECRAFT_URL: '${{ vars.STAGECRAFT_URL }}' };

function secretEnv(target: DeployTarget): Record<string, string> {
  return Object.fromEntries(target.secrets.variables.map((name) => [name, `\${{ secrets.${name} }}`]));
}

function registrySecret(plan: CiPlan, registry: string, what: 'USERNAME' | 'PASSWORD'): string {
  const suffix =
    plan.registries.length > 1 ? `_${identifier(registry).replace(/-/g, '_').toUpperCase()}` : '';
  return `\${{ secrets.REGISTRY_${what}${suffix} }}`;
}

const digestOutput = (service: string) => `digest-${identifier(service)}`;

function deploySteps(plan: CiPlan, target: DeployTarget): Step[] {
  return plan.services.map((service) => ({
    name: `${target.promoted ? 'Promote' : 'Deploy'} ${service.name} to ${target.name}`,
    env: { DIGEST: `\${{ needs.build.outputs.${digestOutput(service.name)} }}` },
    run: target.promoted
      ? `stagecraft promote ${service.name} --to ${target.name} --digest "$DIGEST"`
      : `stagecraft deploy ${service.name} --env ${target.name} --digest "$DIGEST"`,
  }));
}

function pullRequestWorkflow(plan: CiPlan): GeneratedFile {
  const base = { BASE_REF: '${{ github.base_ref }}' };
  return {
    path: '.github/workflows/stagecraft-pull-request.yml',
    document: {
      name: 'stagecraft: pull request',
      on: { pull_request: {} },
      permissions: {},
      jobs: {
        check: {
          name: 'stagecraft check',
          'runs-on': RUNNER,
          permissions: { contents: 'read' },
          steps: [
            ...setup(plan, { history: true }),
            {
              name: 'Check the change',
              env: base,
              run: 'stagecraft check --all --range "origin/$BASE_REF..HEAD"',
            },
          ],
        },
        scan: {
          name: 'Secret scan',
          'runs-on': RUNNER,
          permissions: { contents: 'read', 'security-events': 'write' },
          steps: [
            ...setup(plan, { history: true }),
            {
              name: 'Scan the change for secrets',
              env: base,
              run: 'stagecraft scan --range "origin/$BASE_REF..HEAD" --format sarif > stagecraft-scan.sarif',
            },
            {
              name: 'Upload the findings to code scanning',
              // Also when the scan found something (exit 2), so the findings show on the pull request.
              if: 'always()',
              uses: pinned('uploadSarif'),
              with: { sarif_file: 'stagecraft-scan.sarif', category: 'stagecraft-scan' },
            },
          ],
        },
      },
    },
  };
}

function mainWorkflow(plan: CiPlan): GeneratedFile {
  const tests = plan.staging.testsGate || plan.production.testsGate;
  const oidc = { contents: 'read', 'id-token': 'write' };
  const jobs: Record<string, unknown> = {};
  if (tests) {
    jobs['test'] = {
      name: 'Test and report to the tests gate',
      'runs-on': RUNNER,
      permissions: oidc,
      env: SERVER_ENV,
      steps: [
        ...setup(plan),
        { name: 'Test', id: 'test', run: 'npm test' },
        { ...oidcStep(plan), if: 'always()' },
        { name: 'Report a pass', run: 'stagecraft gate report tests pass --commit "$GITHUB_SHA"' },
        {
          name: 'Report a failure',
          if: "failure() && steps.test.outcome == 'failure'",
          run: 'stagecraft gate report tests fail --commit "$GITHUB_SHA"',
        },
      ],
    };
  }
  jobs['build'] = {
    name: 'Build once and register',
    'runs-on': RUNNER,
    permissions: oidc,
    env: SERVER_ENV,
    outputs: Object.fromEntries(
      plan.services.map((service) => [
        digestOutput(service.name),
        `\${{ steps.build-${identifier(service.name)}.outputs.digest }}`,
      ]),
    ),
    steps: [
      ...setup(plan),
      { uses: pinned('setupBuildx') },
      ...plan.registries.map((registry) => ({
        uses: pinned('dockerLogin'),
        with: {
          ...(registry === 'docker.io' ? {} : { registry }),
          username: registrySecret(plan, registry, 'USERNAME'),
          password: registrySecret(plan, registry, 'PASSWORD'),
        },
      })),
      ...plan.services.map((service) => ({
        name: `Build ${service.name}`,
        id: `build-${identifier(service.name)}`,
        uses: pinned('buildPush'),
        // The repository's Dockerfile, its stage named after the service; pushed under the commit, deployed by digest.
        with: { context: '.', target: service.name, push: true, tags: `${service.image}:\${{ github.sha }}` },
      })),
      oidcStep(plan),
      ...plan.services.map((service) => ({
        name: `Register ${service.name}`,
        env: { DIGEST: `\${{ steps.build-${identifier(service.name)}.outputs.digest }}` },
        run: `stagecraft artifact register ${service.name} "${service.image}@$DIGEST" --commit "$GITHUB_SHA" --build "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"`,
      })),
    ],
  };
  const gated = tests ? ['build', 'test'] : ['build'];
  if (plan.first) jobs['first'] = deployJob(plan, plan.first, ['build']);
  jobs['staging'] = deployJob(plan, plan.staging, plan.first ? [...gated, 'first'] : gated);
  jobs['production'] = deployJob(plan, plan.production, ['build', 'staging']);
  return {
    path: '.github/workflows/stagecraft-main.yml',
    document: {
      name: `stagecraft: ${plan.mainBranch} to ${plan.staging.name} and ${plan.production.name}`,
      on: { push: { branches: [plan.mainBranch] } },
      // One promotion at a time, none cancelled halfway: the ledger refuses a second pending deployment.
      concurrency: { group: 'stagecraft-main', 'cancel-in-progress': false },
      permissions: {},
      jobs,
    },
  };
}

/**
 * A deploying job: in the GitHub environment of the same name (production's protection rules, such as
 * required reviewers, hold it there), with that environment's secret variables, promoting the digests the
 * build job produced. It builds nothing.
 */
function deployJob(plan: CiPlan, target: DeployTarget, needs: string[]): Record<string, unknown> {
  return {
    name: `${target.promoted ? 'Promote' : 'Deploy'} to ${target.name}`,
    needs,
    'runs-on': RUNNER,
    environment: target.name,
    permissions: { contents: 'read', 'id-token': 'write' },
    env: { ...SERVER_ENV, ...secretEnv(target) },
    steps: [...setup(plan), oidcStep(plan), ...deploySteps(plan, target)],
  };
}

function driftWorkflow(plan: CiPlan): GeneratedFile {
  return {
    path: '.github/workflows/stagecraft-drift.yml',
    document: {
      name: 'stagecraft: nightly drift',
      on: { schedule: [{ cron: '17 3 * * *' }], workflow_dispatch: {} },
      permissions: {},
      jobs: {
        drift: {
          name: 'stagecraft drift',
          'runs-on': RUNNER,
          permissions: { contents: 'read', 'id-token': 'write' },
          env: SERVER_ENV,
          steps: [
            ...setup(plan, { history: true }),
            oidcStep(plan),
            // Exit 2 (drift found) and 1 (could not check) both fail the job: nothing reads as clean that was not.
            { name: 'Drift', run: 'stagecraft drift' },
          ],
        },
      },
    },
  };
}

export function githubWorkflows(plan: CiPlan): GeneratedFile[] {
  return [pullRequestWorkflow(plan), mainWorkflow(plan), driftWorkflow(plan)];
}
