/**
 * `stagecraft drift` with no subcommand: every source stagecraft.yaml configures — here Kubernetes (a live
 * file), Terraform (terraform.plan) and freshness (a real repository and the ledger in rehearsal) — in one
 * report with one exit code, each source's own status kept.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DRIFT_WORKSPACE, driftRepo } from '../test-support/drift-repo.ts';
import { memoryLedger } from '../test-support/ledger.ts';
import { asLive } from '../test-support/live-objects.ts';
import { emptyPlan } from '../test-support/terraform.ts';

const NOW = '2026-11-24T10:00:00Z';

const WORKSPACE = `${DRIFT_WORKSPACE.replace(
  "  staging:\n    from: dev\n    deployers: [ci]\n    deploy: { command: 'true' }\n",
  "  staging:\n    from: dev\n    deployers: [ci]\n    deploy: { command: 'true' }\n    manifests: deploy/staging\n",
).replace(
  '  production:\n    from: staging\n    deployers: [ci]\n',
  '  production:\n    from: staging\n    deployers: [ci]\n    terraform: { plan: plan.json }\n',
)}drift:
  freshness:
    staging: { maxBehind: 2 }
  kubernetes:
    staging: { live: live/staging.json }
`;

const CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web', namespace: 'shop-staging' },
  data: { LOG_LEVEL: 'info' },
};

/** A plan that would change the database's port: drift. */
const CHANGING_PLAN = JSON.stringify({
  format_version: '1.2',
  terraform_version: '1.9.8',
  planned_values: { root_module: {} },
  resource_changes: [
    {
      address: 'aws_db_instance.shop',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'shop',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { port: 5432 },
        after: { port: 5433 },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    },
  ],
  configuration: { root_module: {} },
  applyable: true,
  complete: true,
  errored: false,
});

interface Report {
  verdict: string;
  counts: { clean: number; drift: number; error: number };
  sources: {
    source: string;
    name: string;
    environments: string[];
    status: string;
    summary: string;
    findings: number;
    report: unknown;
    error: { code: string } | null;
  }[];
}

/**
 * Staging runs web at the first commit, 1 behind main (fresh under maxBehind 2); its ConfigMap as declared;
 * production's plan changes nothing. `behind` more commits on main make staging stale.
 */
async function nightly(t: Parameters<typeof driftRepo>[0], workspace = WORKSPACE) {
  const repo = driftRepo(t, await memoryLedger(t), workspace);
  mkdirSync(join(repo.dir, 'deploy/staging'), { recursive: true });
  mkdirSync(join(repo.dir, 'live'));
  writeFileSync(join(repo.dir, 'deploy/staging/web.json'), JSON.stringify(CONFIG_MAP));
  writeFileSync(
    join(repo.dir, 'live/staging.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [asLive(CONFIG_MAP)] }),
  );
  writeFileSync(join(repo.dir, 'plan.json'), emptyPlan({ complete: true, errored: false }));
  const first = repo.commit('initial', '2026-11-22T10:00:00Z');
  await repo.deployToStaging('web', first, '2026-11-22T11:00:00Z');
  repo.commit('feature a', '2026-11-23T10:00:00Z');
  const drift = async (...args: string[]) => {
    const result = await repo.cli(['drift', ...args, '--format', 'json'], NOW);
    return { ...result, data: JSON.parse(result.stdout || '{}') as Report };
  };
  return { repo, drift };
}

const statuses = (report: Report) => report.sources.map((s) => `${s.name}: ${s.status}`);

test('every configured source, clean: one report, exit 0, in the order of the sources', async (t) => {
  const { drift } = await nightly(t);
  const { code, data, stderr } = await drift();
  assert.equal(code, 0, stderr);
  assert.equal(data.verdict, 'no-drift');
  assert.deepEqual(data.counts, { clean: 3, drift: 0, error: 0 });
  assert.deepEqual(statuses(data), [
    'kubernetes staging: clean',
    'terraform production: clean',
    'freshness staging: clean',
  ]);
  const freshness = data.sources[2];
  assert.deepEqual(
    [freshness?.source, freshness?.environments, freshness?.error],
    ['freshness', ['staging'], null],
  );
  const report = freshness?.report as { services: { behind: number }[] } | undefined;
  assert.equal(report?.services[0]?.behind, 1);
});

test('one source drifting, one failing: exit 1, each source its own status, the failure hiding nothing', async (t) => {
  const { repo, drift } = await nightly(t);
  repo.commit('feature b', '2026-11-23T12:00:00Z');
  repo.commit('feature c', '2026-11-23T14:00:00Z');
  writeFileSync(join(repo.dir, 'plan.json'), emptyPlan({ complete: false, errored: true }));
  const failing = await drift();
  assert.equal(failing.code, 1, 'a source that could not be evaluated makes the run exit 1');
  assert.equal(failing.data.verdict, 'error');
  assert.deepEqual(failing.data.counts, { clean: 1, drift: 1, error: 1 });
  assert.deepEqual(statuses(failing.data), [
    'kubernetes staging: clean',
    'terraform production: error',
    'freshness staging: drift',
  ]);
  const terraform = failing.data.sources[1];
  assert.equal(terraform?.error?.code, 'TERRAFORM_PLAN_ERRORED');
  assert.equal(terraform?.report, null);
  assert.match(failing.data.sources[2]?.summary ?? '', /staging is stale: web 3 commits/);

  // Text: every source's section, then the summary; markdown for $GITHUB_STEP_SUMMARY.
  const text = await repo.cli(['drift'], NOW);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /── terraform production ──\ncould not evaluate: .*errored/);
  assert.match(text.stdout, /── freshness staging ──\n.*staging against main/);
  assert.match(text.stdout, /! 1 source could not be evaluated, 1 found drift \(of 3 sources\)/);
  const markdown = await repo.cli(['drift', '--format', 'markdown'], NOW);
  assert.match(markdown.stdout, /^## Drift: incomplete\n/);
  assert.match(markdown.stdout, /\| ! \| terraform production \| error \|/);
  assert.match(markdown.stdout, /#### freshness staging\n\n##### Freshness of staging: stale/);

  // The plan fixed to one that changes something: drift, exit 2.
  writeFileSync(join(repo.dir, 'plan.json'), CHANGING_PLAN);
  const drifting = await drift();
  assert.equal(drifting.code, 2, drifting.stderr);
  assert.equal(drifting.data.verdict, 'drift');
  assert.deepEqual(drifting.data.counts, { clean: 1, drift: 2, error: 0 });
});

test('--record records each source under its own command’s name; status shows them', async (t) => {
  const { repo, drift } = await nightly(t);
  writeFileSync(join(repo.dir, 'plan.json'), emptyPlan({ complete: false, errored: true }));
  const recorded = await drift('--record');
  assert.equal(recorded.code, 1);
  for (const line of [
    'drift kubernetes staging, clean',
    'drift terraform production, error',
    'drift freshness staging, clean',
  ])
    assert.match(recorded.stderr, new RegExp(`recorded: ${line} \\(check #\\d+\\)`));
  const status = await repo.cli(['status', '--format', 'json'], NOW);
  const checks = (JSON.parse(status.stdout) as { checks: { name: string; status: string }[] }).checks;
  assert.deepEqual(checks.map((c) => `${c.name}: ${c.status}`).sort(), [
    'freshness staging: clean',
    'kubernetes staging: clean',
    'terraform production: error',
  ]);
  const text = await repo.cli(['status'], NOW);
  assert.match(text.stdout, /Recorded checks\n.*drift\s+freshness staging\s+clean/);
  // drift kubernetes --env reaches the environment as drift.kubernetes says, when not told otherwise.
  const kubernetes = await repo.cli(['drift', 'kubernetes', '--env', 'staging'], NOW);
  assert.equal(kubernetes.code, 0, kubernetes.stderr);
  assert.match(kubernetes.stdout, /no drift \(1 desired object, 1 live\)/);
  // The subcommands keep their own --record.
  const single = await repo.cli(['drift', 'freshness', '--record'], NOW);
  assert.equal(single.code, 0, single.stderr);
  assert.match(single.stderr, /recorded: drift freshness staging, clean/);
});

test('a configured source that cannot be evaluated (nothing deployed there) is an error for that source, never clean', async (t) => {
  const workspace = WORKSPACE.replace(
    'drift:\n',
    'drift:\n  hotfix: true\n  deps: [[staging, production]]\n',
  );
  const { drift } = await nightly(t, workspace);
  const { code, data } = await drift();
  assert.equal(code, 1);
  assert.deepEqual(statuses(data), [
    'kubernetes staging: clean',
    'terraform production: clean',
    'hotfix production: error',
    'deps staging↔production: error',
    'freshness staging: clean',
  ]);
  assert.equal(data.sources[2]?.error?.code, 'DRIFT_NO_DEPLOYMENT');
  assert.equal(data.sources[3]?.error?.code, 'DRIFT_NO_DEPLOYMENT');
});

test('nothing configured: exit 1, saying what to configure', async (t) => {
  const { repo } = await nightly(t, DRIFT_WORKSPACE);
  const result = await repo.cli(['drift'], NOW);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /\[DRIFT_NOTHING_CONFIGURED\]/);
  assert.match(
    result.stderr,
    /drift\.kubernetes .*drift\.freshness, drift\.hotfix or drift\.deps, or terraform\.plan/,
  );
});
