/**
 * `stagecraft drift freshness` against a real repository whose staging runs commits several days and
 * commits behind main, deployed through the ledger in rehearsal so that "now" is fixed (STAGECRAFT_NOW).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DRIFT_WORKSPACE, type DriftRepo, driftRepo } from '../test-support/drift-repo.ts';
import { memoryLedger, commit as randomCommit } from '../test-support/ledger.ts';

const NOW = '2026-11-24T10:00:00Z';

interface Freshness {
  environment: string;
  main: { ref: string; commit: string };
  limits: { maxBehind: number | null; maxAge: string | null };
  services: {
    service: string;
    commit: string;
    behind: number;
    ahead: number;
    behindHours: number;
    deploymentAgeHours: number;
    oldestMissing: { commit: string; subject: string } | null;
    exceeded: string[];
  }[];
  notDeployed: string[];
  verdict: string;
}

/**
 * main: initial (20 Nov) → a (21 Nov, web deployed to staging at 11:00) → b (22 Nov) → c (23 Nov, api
 * deployed at 10:00) → d (24 Nov 09:00). At 24 Nov 10:00 web is 3 commits and 49 hours behind (since b),
 * api 1 commit and 1 hour (since d).
 */
async function staleStaging(t: Parameters<typeof driftRepo>[0], workspace?: string) {
  const repo = driftRepo(t, await memoryLedger(t), workspace);
  repo.commit('initial', '2026-11-20T10:00:00Z');
  const a = repo.commit('feature a', '2026-11-21T10:00:00Z');
  await repo.deployToStaging('web', a, '2026-11-21T11:00:00Z');
  const b = repo.commit('feature b', '2026-11-22T09:00:00Z');
  const c = repo.commit('feature c', '2026-11-23T09:00:00Z');
  await repo.deployToStaging('api', c, '2026-11-23T10:00:00Z');
  const d = repo.commit('feature d', '2026-11-24T09:00:00Z');
  return { repo, a, b, c, d };
}

async function freshness(repo: DriftRepo, args: string[] = []) {
  const result = await repo.cli(['drift', 'freshness', ...args, '--format', 'json'], NOW);
  return { ...result, data: JSON.parse(result.stdout || '{}') as Freshness };
}

test('a staging days and commits behind main: counted per service, reported without a threshold, exit 0', async (t) => {
  const { repo, a, b, d } = await staleStaging(t);
  const { code, data, stderr } = await freshness(repo);
  assert.equal(code, 0, stderr);
  assert.equal(data.environment, 'staging', 'the second environment of the chain by default');
  assert.deepEqual(data.main, { name: 'main', ref: 'refs/heads/main', commit: d, remoteTracking: false });
  const web = data.services.find((s) => s.service === 'web');
  const api = data.services.find((s) => s.service === 'api');
  assert.deepEqual(
    [
      web?.commit,
      web?.behind,
      web?.ahead,
      web?.behindHours,
      web?.deploymentAgeHours,
      web?.oldestMissing?.commit,
    ],
    [a, 3, 0, 49, 71, b],
  );
  assert.deepEqual(
    [api?.behind, api?.behindHours, api?.deploymentAgeHours, api?.oldestMissing?.subject],
    [1, 1, 24, 'feature d'],
  );
  assert.equal(data.verdict, 'fresh');

  const text = await repo.cli(['drift', 'freshness'], NOW);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /no threshold is set/);
  assert.match(text.stdout, /web\s+\w{7}\s+3 commits\s+49h \(since \w{7} feature b\)\s+71h ago/);
});

test('past --max-behind or --max-age it is drift, exit 2; within both, exit 0', async (t) => {
  const { repo } = await staleStaging(t);
  const behind = await freshness(repo, ['--max-behind', '2']);
  assert.equal(behind.code, 2);
  assert.deepEqual(
    behind.data.services.map((s) => [s.service, s.exceeded]),
    [
      ['web', ['maxBehind']],
      ['api', []],
    ],
  );
  const age = await repo.cli(['drift', 'freshness', '--max-age', '24h'], NOW);
  assert.equal(age.code, 2);
  assert.match(age.stdout, /staging is stale: web 3 commits, 49h behind \(allowed: at most 24h\)/);
  const both = await freshness(repo, ['--max-behind', '3', '--max-age', '2d 2h']);
  assert.equal(both.code, 0, 'exactly at the limit is not past it; 49h is within 50h');
  assert.equal(both.data.verdict, 'fresh');

  const markdown = await repo.cli(['drift', 'freshness', '--max-age', '48h', '--format', 'markdown'], NOW);
  assert.equal(markdown.code, 2);
  assert.match(markdown.stdout, /^### Freshness of staging: stale/);
  assert.match(markdown.stdout, /\| web \| \w{7} \| 3 commits \| 49h .* \| past maxAge \|/);
});

test('thresholds come from drift.freshness in stagecraft.yaml; the flags override them', async (t) => {
  const workspace = `${DRIFT_WORKSPACE}drift:\n  freshness:\n    staging: { maxBehind: 5, maxAge: 72h }\n`;
  const { repo } = await staleStaging(t, workspace);
  const configured = await freshness(repo);
  assert.equal(configured.code, 0);
  assert.deepEqual(configured.data.limits, { maxBehind: 5, maxAge: '72h' });
  const flag = await freshness(repo, ['--max-behind', '0']);
  assert.equal(flag.code, 2);
  assert.deepEqual(flag.data.limits, { maxBehind: 0, maxAge: '72h' });
  assert.deepEqual(
    flag.data.services.map((s) => s.exceeded),
    [['maxBehind'], ['maxBehind']],
  );
});

test('a branch merged into main counts from when it was merged, not from its old commits', async (t) => {
  const repo = driftRepo(t, await memoryLedger(t));
  const base = repo.commit('initial', '2026-11-20T10:00:00Z');
  await repo.deployToStaging('web', base, '2026-11-20T11:00:00Z');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('old work', '2026-11-10T10:00:00Z', 'feature.txt');
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--no-ff', '--no-edit', 'feature');
  // The merge commit's date is the committer's clock: set it by amending with a fixed date.
  repo.git('-c', 'user.name=Dana Dev', 'commit', '-q', '--amend', '--no-edit', '--date=2026-11-24T06:00:00Z');
  const merged = await repo.cli(['drift', 'freshness', '--format', 'json'], NOW, 'developer');
  const data = JSON.parse(merged.stdout) as Freshness;
  const web = data.services[0];
  assert.equal(web?.behind, 2, 'both the merge and the merged commit are missing');
  assert.ok(web?.oldestMissing?.subject.startsWith('Merge'), JSON.stringify(web?.oldestMissing));
  assert.ok((web?.behindHours ?? 0) < 10, `counted from the merge, not 10 November: ${web?.behindHours}h`);
});

test('what cannot be evaluated exits 1 and says what to do', async (t) => {
  const { repo } = await staleStaging(t);
  const none = await repo.cli(['drift', 'freshness', '--env', 'production'], NOW);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /\[DRIFT_NO_DEPLOYMENT\]/);
  assert.match(none.stderr, /the ledger has no successful deployment in production/);

  const branch = await repo.cli(['drift', 'freshness', '--main', 'trunk'], NOW);
  assert.equal(branch.code, 1);
  assert.match(
    branch.stderr,
    /\[DRIFT_MAIN_MISSING\] main branch trunk is neither a local branch nor origin\/trunk here/,
  );

  const unknown = await repo.cli(['drift', 'freshness', '--env', 'stagin'], NOW);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /did you mean "staging"/);

  for (const [flag, value] of [
    ['--max-behind', 'many'],
    ['--max-age', '24'],
  ] as const) {
    const bad = await repo.cli(['drift', 'freshness', flag, value], NOW);
    assert.equal(bad.code, 1, `${flag} ${value}`);
    assert.match(bad.stderr, /\[CLI_USAGE\]/);
  }

  // A deployed commit the clone does not have (CI checked out shallowly, or it was never pushed here).
  const missing = randomCommit();
  await repo.deployToStaging('web', missing, NOW);
  const shallow = await repo.cli(['drift', 'freshness', '--max-behind', '100'], NOW);
  assert.equal(shallow.code, 1, 'never clean when a commit cannot be read');
  assert.match(shallow.stderr, new RegExp(`web in staging runs commit ${missing.slice(0, 12)}`));
  assert.match(shallow.stderr, /fetch-depth: 0/);
});

test('main as origin/main when there is no local branch (a CI checkout), and --record keeps the result', async (t) => {
  const { repo, d } = await staleStaging(t);
  repo.git('update-ref', 'refs/remotes/origin/main', d);
  repo.git('checkout', '-q', '--detach');
  repo.git('branch', '-D', 'main');
  const recorded = await repo.cli(
    ['drift', 'freshness', '--max-behind', '2', '--record', '--format', 'json'],
    NOW,
  );
  assert.equal(recorded.code, 2, recorded.stderr);
  assert.equal((JSON.parse(recorded.stdout) as Freshness).main.ref, 'refs/remotes/origin/main');
  assert.match(recorded.stderr, /recorded: drift freshness staging, problems/);
  const status = await repo.cli(['status'], NOW);
  assert.match(status.stdout, /drift\s+freshness staging\s+problems/);
});
