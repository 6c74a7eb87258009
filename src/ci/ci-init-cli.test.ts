/**
 * `stagecraft ci init` on a copy of examples/shop: the GitHub workflows it writes pass SchemaStore's workflow
 * schema offline, pin every action by commit from the pins table, promote to production the digest the
 * build made (building nothing there), fail the nightly job on drift, and name secrets, never values. The
 * GitLab pipeline is checked for its structure.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseYaml } from '@stagecraft/config/yaml';
import { Ajv } from 'ajv';
import { EXAMPLE_SHOP, runCli, tempDir } from '../test-support/cli.ts';
import { ACTION_PINS } from './pins.ts';

const WORKFLOWS = [
  '.github/workflows/stagecraft-pull-request.yml',
  '.github/workflows/stagecraft-main.yml',
  '.github/workflows/stagecraft-drift.yml',
];

const schema = JSON.parse(readFileSync(new URL('./schemas/github-workflow.json', import.meta.url), 'utf8'));
const validateWorkflow = new Ajv({ strict: false, allErrors: true }).compile(schema);

type Job = {
  needs?: string[];
  environment?: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }[];
  'continue-on-error'?: unknown;
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

async function shopWithWorkflows(t: { after(fn: () => void): void }, flags = ['--github', '--gitlab']) {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  const result = await runCli(['-C', dir, 'ci', 'init', ...flags]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  return dir;
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const workflow = (dir: string, path: string) => parseYaml(read(dir, path)) as Workflow;

test('the GitHub workflows written for the shop are valid against the workflow JSON Schema', async (t) => {
  const dir = await shopWithWorkflows(t, ['--github']);
  for (const path of WORKFLOWS) {
    const valid = validateWorkflow(parseYaml(read(dir, path)));
    assert.ok(valid, `${path}: ${JSON.stringify(validateWorkflow.errors, null, 2)}`);
  }
  // The schema is not so loose that anything passes: a job without runs-on or steps is refused.
  assert.equal(validateWorkflow({ on: 'push', jobs: { a: { name: 'x' } } }), false);
});

test('every action is pinned by a full commit from the pins table, its version beside it', async (t) => {
  const dir = await shopWithWorkflows(t, ['--github']);
  const pins = new Map(Object.values(ACTION_PINS).map((pin) => [`${pin.action}@${pin.commit}`, pin.version]));
  let count = 0;
  for (const path of WORKFLOWS) {
    for (const line of read(dir, path).split('\n')) {
      const match = /^\s*(?:- )?uses: (\S+)(?: # (\S+))?$/.exec(line);
      if (!line.includes('uses:')) continue;
      assert.ok(match, `${path}: ${line}`);
      const [, uses = '', comment] = match;
      assert.match(uses, /@[0-9a-f]{40}$/, `${path}: ${uses} is not pinned by a commit`);
      assert.equal(pins.get(uses), comment, `${path}: ${uses} is not from the pins table`);
      count++;
    }
  }
  assert.ok(count >= 8, `only ${count} actions`);
});

test('the pull request workflow checks the change and uploads the secret scan to code scanning', async (t) => {
  const dir = await shopWithWorkflows(t, ['--github']);
  const pr = workflow(dir, WORKFLOWS[0] as string);
  assert.deepEqual(Object.keys(pr.on), ['pull_request']);
  const runs = Object.values(pr.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
  assert.ok(runs.includes('stagecraft check --all --range "origin/$BASE_REF..HEAD"'));
  assert.ok(
    runs.some((run) => run.startsWith('stagecraft scan --range "origin/$BASE_REF..HEAD" --format sarif')),
  );
  const scan = pr.jobs['scan'] as Job;
  assert.equal(scan.permissions?.['security-events'], 'write');
  const upload = scan.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.equal(upload?.with?.['sarif_file'], 'stagecraft-scan.sarif');
  assert.equal(upload?.if, 'always()');
});

test('production promotes the digest the build registered and staging got, in its protected environment, building nothing', async (t) => {
  const dir = await shopWithWorkflows(t, ['--github']);
  const main = workflow(dir, WORKFLOWS[1] as string);
  assert.deepEqual(main.on, { push: { branches: ['main'] } });
  const { build, first, staging, production } = main.jobs as Record<string, Job>;
  assert.ok(build && first && staging && production);
  assert.equal(production.environment, 'production');
  assert.deepEqual(production.needs, ['build', 'staging']);
  // Staging takes only a digest that succeeded in dev: CI deploys each merge's build there first.
  assert.equal(first.environment, 'dev');
  assert.deepEqual(staging.needs, ['build', 'test', 'first']);
  for (const job of [build, staging, production]) assert.equal(job.permissions?.['id-token'], 'write');
  const uses = production.steps.map((step) => step.uses ?? '');
  assert.ok(!uses.some((u) => u.startsWith('docker/')), 'production builds or pushes an image');
  const runs = production.steps.map((step) => step.run ?? '').join('\n');
  assert.doesNotMatch(runs, /docker build|artifact register/);
  for (const service of ['storefront', 'catalog', 'orders']) {
    const step = (job: Job, to: string) =>
      job.steps.find((s) => s.run === `stagecraft promote ${service} --to ${to} --digest "$DIGEST"`) as
        | (Job['steps'][number] & { env?: Record<string, string> })
        | undefined;
    const expected = `\${{ needs.build.outputs.digest-${service} }}`;
    assert.equal(step(staging, 'staging')?.env?.['DIGEST'], expected);
    const toDev = first.steps.find(
      (s) => s.run === `stagecraft deploy ${service} --env dev --digest "$DIGEST"`,
    ) as { env?: Record<string, string> } | undefined;
    assert.equal(toDev?.env?.['DIGEST'], expected);
    assert.equal(step(production, 'production')?.env?.['DIGEST'], expected);
    const register = build.steps.find((s) => s.run?.startsWith(`stagecraft artifact register ${service} `)) as
      | { env?: Record<string, string> }
      | undefined;
    assert.equal(register?.env?.['DIGEST'], `\${{ steps.build-${service}.outputs.digest }}`);
  }
  // The server's address and the config's variables, as CI secrets by name.
  assert.deepEqual(production.env, {
    STAGECRAFT_URL: '${{ vars.STAGECRAFT_URL }}',
    DB_HOST: '${{ secrets.DB_HOST }}',
  });
});

test('the nightly drift job fails on any non-zero exit of stagecraft drift', async (t) => {
  const dir = await shopWithWorkflows(t, ['--github']);
  const drift = workflow(dir, WORKFLOWS[2] as string);
  assert.ok(Array.isArray(drift.on['schedule']));
  const job = drift.jobs['drift'] as Job;
  assert.equal(job['continue-on-error'], undefined);
  const step = job.steps.find((s) => s.run?.includes('stagecraft drift'));
  assert.equal(step?.run, 'stagecraft drift');
  assert.ok(job.steps.every((s) => !('continue-on-error' in s)));
});

test('no secret value is written: only ${{ secrets.NAME }} references', async (t) => {
  const dir = await shopWithWorkflows(t);
  for (const path of [...WORKFLOWS, '.gitlab-ci.yml']) {
    const text = read(dir, path);
    for (const match of text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)) {
      assert.match(
        match[1] as string,
        /^(DB_HOST|API_KEY|DB_PASSWORD|REGISTRY_USERNAME|REGISTRY_PASSWORD)$/,
        path,
      );
    }
    assert.doesNotMatch(text, /password: (?!\$\{\{ secrets\.)/i, path);
  }
  const scan = await runCli(['-C', dir, 'scan', '.github', '.gitlab-ci.yml', '--show-low']);
  assert.equal(scan.code, 0, scan.stdout);
});

test('the GitLab pipeline has the same stages: merge request check and scan, main to staging, manual production, scheduled drift', async (t) => {
  const dir = await shopWithWorkflows(t, ['--gitlab']);
  const pipeline = parseYaml(read(dir, '.gitlab-ci.yml')) as Record<string, unknown>;
  const stages = pipeline['stages'] as string[];
  type GitlabJob = {
    stage: string;
    script: string[];
    rules: { if: string; when?: string }[];
    needs?: string[];
    environment?: { name: string };
    id_tokens?: Record<string, { aud: string }>;
  };
  const jobs = Object.fromEntries(Object.entries(pipeline).filter(([key]) => key !== 'stages')) as Record<
    string,
    GitlabJob
  >;
  for (const [name, job] of Object.entries(jobs)) {
    assert.ok(stages.includes(job.stage), `${name}: stage ${job.stage} is not declared`);
    assert.ok(job.script.length > 0 && job.script.every((line) => typeof line === 'string'), name);
    assert.ok(job.rules.length > 0 && job.rules.every((rule) => typeof rule.if === 'string'), name);
    for (const need of job.needs ?? []) assert.ok(need in jobs, `${name} needs unknown job ${need}`);
  }
  assert.match(jobs['stagecraft-check']?.rules[0]?.if ?? '', /merge_request_event/);
  assert.match(jobs['stagecraft-drift']?.rules[0]?.if ?? '', /schedule/);
  const production = jobs['stagecraft-production'] as GitlabJob;
  assert.equal(production.rules[0]?.when, 'manual');
  assert.deepEqual(production.environment, { name: 'production' });
  assert.deepEqual(production.id_tokens, { STAGECRAFT_TOKEN: { aud: 'stagecraft' } });
  assert.ok(production.script.every((line) => !/docker|artifact register/.test(line)));
  assert.ok(
    production.script.includes('stagecraft promote orders --to production --digest "$DIGEST_ORDERS"'),
  );
  assert.deepEqual(jobs['stagecraft-drift']?.script.at(-1), 'stagecraft drift');
  // The digests are registered once, by the first deploying job (dev's), and staging follows it.
  const dev = jobs['stagecraft-dev'] as GitlabJob;
  assert.deepEqual(stages.slice(2, 5), ['dev', 'staging', 'production']);
  assert.ok(dev.script.some((line) => line.startsWith('stagecraft artifact register orders ')));
  assert.ok(dev.script.includes('stagecraft deploy orders --env dev --digest "$DIGEST_ORDERS"'));
  const staging = jobs['stagecraft-staging'] as GitlabJob;
  assert.ok(staging.needs?.includes('stagecraft-dev'));
  assert.ok(!staging.script.some((line) => line.includes('artifact register')));
});
