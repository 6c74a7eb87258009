/**
 * The drift section of stagecraft.yaml: its shape checked when the workspace loads (unknown keys, types,
 * durations), what needs the environments checked here, every problem at its file:line with a hint.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Problem, StagecraftError } from '@stagecraft/config/errors';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { runCli, tempDir } from '../test-support/cli.ts';
import { driftSettingsOf } from './settings.ts';

const ENVIRONMENTS = `environments:
  dev: {}
  staging: { manifests: deploy/staging }
  production: { manifests: deploy/production }
`;

function settings(t: Parameters<typeof tempDir>[0], drift: string) {
  const dir = tempDir(t, { 'stagecraft.yaml': `${ENVIRONMENTS}drift:\n${drift}` });
  return { dir, read: () => driftSettingsOf(loadWorkspace({ cwd: dir })) };
}

/** The problems reading the section reports, as `line: message (hint)`. */
function problems(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    return ((error as StagecraftError).problems as Problem[]).map(
      (p) => `${p.location?.line}: ${p.message} (${p.hint})`,
    );
  }
  assert.fail('the section was accepted');
}

test('every key, read with its defaults resolved', (t) => {
  const { dir, read } = settings(
    t,
    [
      '  iacOnly: [production]',
      '  main: trunk',
      '  hotfix: true',
      '  deps: [[staging, production]]',
      '  freshness:',
      '    staging: { maxBehind: 20, maxAge: 1d 12h }',
      '    production: {}',
      '  kubernetes:',
      '    staging: { context: staging-cluster, kubeconfig: kube/staging.yaml }',
      '    production: { live: live/production.json }',
      '',
    ].join('\n'),
  );
  const read1 = read();
  assert.equal(read1.main, 'trunk');
  assert.deepEqual(read1.hotfix, ['production'], 'true is the last environment of the chain');
  assert.deepEqual(read1.deps, [['staging', 'production']]);
  assert.deepEqual(read1.freshness, {
    staging: { maxBehind: 20, maxAge: { text: '1d 12h', ms: 36 * 3_600_000 } },
    production: {},
  });
  assert.deepEqual(read1.kubernetes, {
    staging: { context: 'staging-cluster', kubeconfig: join(dir, 'kube/staging.yaml') },
    production: { live: join(dir, 'live/production.json') },
  });
});

test('without a drift section: main is main and no source is configured', (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': ENVIRONMENTS });
  const read = driftSettingsOf(loadWorkspace({ cwd: dir }));
  assert.deepEqual(
    [read.main, read.hotfix, read.deps, read.freshness, read.kubernetes],
    ['main', [], [], {}, {}],
  );
});

test('unknown keys and wrong types are refused when the workspace loads, at their line, with a did-you-mean', (t) => {
  const { read } = settings(
    t,
    [
      '  freshnes: {}', // line 6
      '  freshness:',
      '    staging: { maxBehnd: 3, maxAge: 24 }', // line 7
      '  kubernetes:',
      '    staging: { contxt: x }', // line 9
      '  deps: [[staging]]', // line 10
      '  hotfix: production', // line 11
      '',
    ].join('\n'),
  );
  const found = problems(read);
  const has = (pattern: RegExp) =>
    assert.ok(
      found.some((line) => pattern.test(line)),
      `${pattern} not in:\n${found.join('\n')}`,
    );
  has(/^6: unknown key "freshnes".*did you mean "freshness"/);
  has(/^8: unknown key "maxBehnd".*did you mean "maxBehind"/);
  has(/^8: .*maxAge must be a string \(write a duration such as 24h/);
  has(/^10: unknown key "contxt".*did you mean "context"/);
  has(/^11: .*at least 2.*\(a pair of environments, e.g. \[staging, production\]\)/);
  has(/^12: drift.hotfix must be true or false or a list \(e.g. hotfix: \[production\], or hotfix: true/);
});

test('names that are not environments, and entries that cannot be used, are problems at their line', (t) => {
  const { read } = settings(
    t,
    [
      '  hotfix: [prodution]', // line 6
      '  deps: [[staging, staging], [staging, prod]]', // line 6
      '  freshness:',
      '    stagin: { maxBehind: 3 }', // line 8
      '  kubernetes:',
      '    staging: { context: a, live: b.json }', // line 10
      '    production: {}', // line 11
      '',
    ].join('\n'),
  );
  const found = problems(read);
  assert.deepEqual(found, [
    '6: drift.hotfix[0]: "prodution" is not an environment of this workspace (did you mean "production"? (one of dev, staging, production))',
    '7: drift.deps[0] compares staging with itself (name two environments)',
    '7: drift.deps[1][1]: "prod" is not an environment of this workspace (use one of dev, staging, production)',
    '9: drift.freshness.stagin: "stagin" is not an environment of this workspace (did you mean "staging"? (one of dev, staging, production))',
    '11: drift.kubernetes.staging needs either context (with an optional kubeconfig) or live, not both (e.g. staging: { context: staging-cluster }, or staging: { live: live/staging.json })',
    '12: drift.kubernetes.production needs either context (with an optional kubeconfig) or live, not neither (e.g. production: { context: production-cluster }, or production: { live: live/production.json })',
  ]);
});

test('workspace check reports them too, at their line', async (t) => {
  const { dir } = settings(t, '  freshness:\n    stagin: {}\n');
  const result = await runCli(['workspace', 'check'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(
    result.stdout,
    /stagecraft\.yaml:7.*"stagin" is not an environment.*\n.*did you mean "staging"/,
  );
});

test('drift.main is a branch name: nothing git would read as an option, nor what breaks out of a CI expression', (t) => {
  for (const branch of ['main', 'origin/main', 'release/2026.12', 'trunk-v2']) {
    assert.equal(settings(t, `  main: ${branch}\n`).read().main, branch);
  }
  for (const hostile of [
    '--upload-pack=touch x',
    'main" || true || "',
    'a..b',
    'main branch',
    '$CI_JOB_TOKEN',
  ]) {
    const found = problems(settings(t, `  main: ${JSON.stringify(hostile)}\n`).read);
    assert.equal(found.length, 1, hostile);
    assert.match(found[0] ?? '', /^6: drift\.main must be a branch name \(e\.g\. main: main/);
  }
});
