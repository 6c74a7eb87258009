/**
 * The GitLab pipeline, the same stages as the GitHub workflows: merge requests checked and scanned, the main
 * branch built once, registered and promoted to staging, production as a manual job in its environment
 * (protected environments hold it for approval), and drift in scheduled pipelines. Jobs reach the server
 * with an `id_tokens:` token; the environment's secret variables are CI/CD variables GitLab injects itself.
 */
import type { GeneratedFile } from './github.ts';
import { identifier } from './github.ts';
import { type CiPlan, DEFAULT_AUDIENCE, type DeployTarget } from './plan.ts';

const NODE_IMAGE = 'node:22';
const DOCKER_IMAGE = 'docker:27';

const MERGE_REQUEST = { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' };
const SCHEDULE = { if: '$CI_PIPELINE_SOURCE == "schedule"' };

function onMain(plan: CiPlan): { if: string } {
  return { if: `$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "${plan.mainBranch}"` };
}

function install(plan: CiPlan): string[] {
  return [`npm install --global stagecraft@${plan.version}`, ...(plan.npmCi ? ['npm ci'] : [])];
}

function idTokens(plan: CiPlan): Record<string, unknown> {
  return { STAGECRAFT_TOKEN: { aud: plan.gitlabAudience ?? DEFAULT_AUDIENCE } };
}

const digestVariable = (service: string) => `DIGEST_${identifier(service).replace(/-/g, '_').toUpperCase()}`;

/** A deploying job; the first of them (`register`) also registers the digests the build job made. */
function deployJob(
  plan: CiPlan,
  target: DeployTarget,
  needs: string[],
  options: { manual: boolean; register: boolean },
): Record<string, unknown> {
  const { manual, register } = options;
  return {
    stage: target.name,
    image: NODE_IMAGE,
    needs,
    rules: [{ ...onMain(plan), ...(manual ? { when: 'manual' } : {}) }],
    environment: { name: target.name },
    // The environment's secret variables are CI/CD variables scoped to it: GitLab passes them to the job.
    id_tokens: idTokens(plan),
    script: [
      ...install(plan),
      ...(register
        ? plan.services.map(
            (service) =>
              `stagecraft artifact register ${service.name} "${service.image}@$${digestVariable(service.name)}" --commit "$CI_COMMIT_SHA" --build "$CI_JOB_URL"`,
          )
        : []),
      ...plan.services.map((service) =>
        target.promoted
          ? `stagecraft promote ${service.name} --to ${target.name} --digest "$${digestVariable(service.name)}"`
          : `stagecraft deploy ${service.name} --env ${target.name} --digest "$${digestVariable(service.name)}"`,
      ),
    ],
  };
}

/** A job of merge request pipelines that reads the change against its target branch, fetched in full. */
function mergeRequestJob(plan: CiPlan, command: string): Record<string, unknown> {
  return {
    stage: 'check',
    image: NODE_IMAGE,
    rules: [MERGE_REQUEST],
    variables: { GIT_DEPTH: '0' },
    script: [...install(plan), 'git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"', command],
  };
}

export function gitlabPipeline(plan: CiPlan): GeneratedFile {
  const tests = plan.staging.testsGate || plan.production.testsGate;
  const jobs: Record<string, unknown> = {
    'stagecraft-check': mergeRequestJob(
      plan,
      'stagecraft check --all --range "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME..HEAD"',
    ),
    'stagecraft-scan': {
      ...mergeRequestJob(
        plan,
        'stagecraft scan --range "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME..HEAD" --format sarif > stagecraft-scan.sarif',
      ),
      artifacts: { when: 'always', paths: ['stagecraft-scan.sarif'] },
    },
  };
  if (tests) {
    jobs['stagecraft-test'] = {
      stage: 'build',
      image: NODE_IMAGE,
      rules: [onMain(plan)],
      id_tokens: idTokens(plan),
      script: [
        ...install(plan),
        'npm test || { stagecraft gate report tests fail --commit "$CI_COMMIT_SHA"; exit 1; }',
        'stagecraft gate report tests pass --commit "$CI_COMMIT_SHA"',
      ],
    };
  }
  jobs['stagecraft-build'] = {
    stage: 'build',
    image: DOCKER_IMAGE,
    services: ['docker:27-dind'],
    rules: [onMain(plan)],
    script: [
      ...plan.registries.map((registry) => {
        const suffix =
          plan.registries.length > 1 ? `_${identifier(registry).replace(/-/g, '_').toUpperCase()}` : '';
        return `echo "$REGISTRY_PASSWORD${suffix}" | docker login --username "$REGISTRY_USERNAME${suffix}" --password-stdin${registry === 'docker.io' ? '' : ` ${registry}`}`;
      }),
      ...plan.services.flatMap((service) => [
        `docker build --target ${service.name} --tag "${service.image}:$CI_COMMIT_SHA" .`,
        `docker push "${service.image}:$CI_COMMIT_SHA"`,
        `echo "${digestVariable(service.name)}=$(docker inspect --format '{{index .RepoDigests 0}}' "${service.image}:$CI_COMMIT_SHA" | cut -d@ -f2)" >> build.env`,
      ]),
    ],
    artifacts: { reports: { dotenv: 'build.env' } },
  };
  const gated = tests ? ['stagecraft-build', 'stagecraft-test'] : ['stagecraft-build'];
  if (plan.first) {
    jobs[`stagecraft-${plan.first.name}`] = deployJob(plan, plan.first, ['stagecraft-build'], {
      manual: false,
      register: true,
    });
  }
  jobs[`stagecraft-${plan.staging.name}`] = deployJob(
    plan,
    plan.staging,
    plan.first ? [...gated, `stagecraft-${plan.first.name}`] : gated,
    { manual: false, register: plan.first === undefined },
  );
  jobs[`stagecraft-${plan.production.name}`] = deployJob(
    plan,
    plan.production,
    ['stagecraft-build', `stagecraft-${plan.staging.name}`],
    { manual: true, register: false },
  );
  jobs['stagecraft-drift'] = {
    stage: 'drift',
    image: NODE_IMAGE,
    rules: [SCHEDULE],
    variables: { GIT_DEPTH: '0' },
    id_tokens: idTokens(plan),
    // Exit 2 (drift found) and 1 (could not check) both fail the job.
    script: [...install(plan), 'stagecraft drift'],
  };
  return {
    path: '.gitlab-ci.yml',
    document: {
      stages: [
        'check',
        'build',
        ...(plan.first ? [plan.first.name] : []),
        plan.staging.name,
        plan.production.name,
        'drift',
      ],
      ...jobs,
    },
  };
}
