/**
 * `stagecraft drift terraform`, against plans shaped as `terraform show -json plan.out` prints them. The rules
 * come from Terraform's documentation and source, cited where each is tested:
 *
 * - the JSON Output Format (https://developer.hashicorp.com/terraform/internals/json-format): the plan
 *   representation, change representation (`actions`, `importing`, `before_sensitive`/`after_sensitive`,
 *   `after_unknown`, `replace_paths`), `resource_drift`, `relevant_attributes`, `output_changes`, `checks`;
 * - `terraform plan -detailed-exitcode` (https://developer.hashicorp.com/terraform/cli/commands/plan): 0 no
 *   changes, 1 error, 2 changes. In hashicorp/terraform the command returns 2 when the plan is not empty
 *   (internal/command/plan.go), "empty" being `!plan.Applyable` (internal/backend/local/backend_plan.go);
 *   a plan is applyable when its changes are not empty (internal/plans/changes_src.go `ChangesSrc.Empty`: a
 *   resource action other than no-op, a move, an import, a root output change) or, refresh-only, when the
 *   refresh changed the state (internal/terraform/context_plan.go).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';

// biome-ignore lint/suspicious/noExplicitAny: plans are free-form JSON the tests build and read back.
type Json = Record<string, any>;

interface ResourceSpec {
  actions: string[];
  before?: unknown;
  after?: unknown;
  afterUnknown?: unknown;
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
  previousAddress?: string;
  importing?: Json;
  actionReason?: string;
  replacePaths?: unknown[][];
  mode?: 'managed' | 'data';
}

/** One entry of `resource_changes` or `resource_drift`, with the change representation's fields. */
function resource(address: string, spec: ResourceSpec): Json {
  const path = address.split('.');
  const mode = spec.mode ?? (path[0] === 'data' ? 'data' : 'managed');
  const [type, name] = mode === 'data' ? path.slice(1) : path.slice(-2);
  return {
    address,
    ...(spec.previousAddress ? { previous_address: spec.previousAddress } : {}),
    mode,
    type,
    name,
    ...(spec.actionReason ? { action_reason: spec.actionReason } : {}),
    change: {
      actions: spec.actions,
      before: spec.before ?? null,
      after: spec.after ?? null,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: spec.beforeSensitive ?? (spec.before === undefined ? false : {}),
      after_sensitive: spec.afterSensitive ?? (spec.after === undefined ? false : {}),
      ...(spec.importing ? { importing: spec.importing } : {}),
      ...(spec.replacePaths ? { replace_paths: spec.replacePaths } : {}),
    },
  };
}

const noop = (address: string, values: Json = { id: address }) =>
  resource(address, { actions: ['no-op'], before: values, after: values });

interface PlanSpec {
  resourceChanges?: Json[];
  resourceDrift?: Json[];
  relevantAttributes?: { resource: string; attribute: unknown[] }[];
  outputChanges?: Record<string, Json>;
  checks?: Json[];
  priorState?: Json;
  /** What Terraform ≥ 1.8 writes; older versions write neither `applyable` nor `complete`. */
  applyable?: boolean;
  errored?: boolean;
  formatVersion?: string;
}

/** A plan as `terraform show -json plan.out` prints it (format 1.2); `applyable` only when given. */
function plan(spec: PlanSpec): string {
  return JSON.stringify({
    format_version: spec.formatVersion ?? '1.2',
    terraform_version: spec.applyable === undefined ? '1.7.5' : '1.9.8',
    planned_values: { root_module: {} },
    ...(spec.resourceDrift?.length ? { resource_drift: spec.resourceDrift } : {}),
    ...(spec.resourceChanges?.length ? { resource_changes: spec.resourceChanges } : {}),
    ...(spec.outputChanges ? { output_changes: spec.outputChanges } : {}),
    ...(spec.priorState ? { prior_state: spec.priorState } : {}),
    configuration: { root_module: {} },
    ...(spec.relevantAttributes?.length ? { relevant_attributes: spec.relevantAttributes } : {}),
    ...(spec.checks ? { checks: spec.checks } : {}),
    timestamp: '2026-11-26T02:00:00Z',
    ...(spec.applyable === undefined
      ? { errored: spec.errored ?? false }
      : { applyable: spec.applyable, complete: true, errored: spec.errored ?? false }),
  });
}

/** An `output_changes` entry; outputs carry sensitivity as one boolean. */
function output(actions: string[], before: unknown, after: unknown, sensitive = false): Json {
  return {
    actions,
    before,
    after,
    after_unknown: false,
    before_sensitive: sensitive,
    after_sensitive: sensitive,
  };
}

async function drift(t: { after(fn: () => void): void }, text: string, format = 'json') {
  const dir = tempDir(t, { 'plan.json': text });
  const result = await runCli(['drift', 'terraform', 'plan.json', '--format', format], { cwd: dir });
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  return {
    ...result,
    data: (format === 'json' && result.code !== 1 ? JSON.parse(result.stdout) : {}) as Json,
  };
}

// -detailed-exitcode: 2 when applyable, whether or not Terraform wrote `applyable` (it does from 1.8).
for (const applyableField of [true, false]) {
  const given = (applyable: boolean) => (applyableField ? { applyable } : {});
  const how = applyableField ? 'with applyable' : 'from a Terraform before 1.8 (no applyable)';

  test(`drift terraform: a plan changing only a root output is exit 2, ${how}`, async (t) => {
    const result = await drift(
      t,
      plan({
        resourceChanges: [noop('aws_s3_bucket.logs')],
        outputChanges: { url: output(['update'], 'https://old.example.com', 'https://new.example.com') },
        ...given(true),
      }),
    );
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.equal(result.data.verdict, 'drift');
    assert.deepEqual(result.data.outputs, [
      { name: 'url', action: 'update', before: 'https://old.example.com', after: 'https://new.example.com' },
    ]);
    assert.equal(result.data.counts.output, 1);
  });

  test(`drift terraform: outputs that do not change (no-op) are exit 0, ${how}`, async (t) => {
    const result = await drift(
      t,
      plan({
        resourceChanges: [noop('aws_s3_bucket.logs')],
        outputChanges: { url: output(['no-op'], 'https://shop.example.com', 'https://shop.example.com') },
        ...given(false),
      }),
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(result.data.outputs, []);
  });

  test(`drift terraform: an import on a no-op is exit 2 and labelled import, ${how}`, async (t) => {
    const values = { id: 'shop-logs', bucket: 'shop-logs' };
    const result = await drift(
      t,
      plan({
        resourceChanges: [
          resource('aws_s3_bucket.logs', {
            actions: ['no-op'],
            before: values,
            after: values,
            importing: { id: 'shop-logs' },
          }),
        ],
        ...given(true),
      }),
    );
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.deepEqual(result.data.changes, [
      { address: 'aws_s3_bucket.logs', action: 'import', actions: ['no-op'], importing: { id: 'shop-logs' } },
    ]);
    assert.equal(result.data.counts.import, 1);
    assert.equal(result.data.counts['no-op'], 0);
  });

  test(`drift terraform: forget and create,forget are exit 2 and labelled as such, ${how}`, async (t) => {
    const result = await drift(
      t,
      plan({
        resourceChanges: [
          resource('aws_iam_role.legacy', { actions: ['forget'], before: { name: 'legacy' } }),
          resource('aws_instance.bastion', {
            actions: ['create', 'forget'],
            before: { ami: 'ami-1' },
            after: { ami: 'ami-2' },
            replacePaths: [['ami']],
          }),
        ],
        ...given(true),
      }),
      'text',
    );
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /forget +aws_iam_role\.legacy/);
    assert.match(result.stdout, /create,forget +aws_instance\.bastion/);
    assert.doesNotMatch(result.stdout, /^ +update/m);
    const json = await drift(t, plan({ resourceChanges: [resource('a_b.c', { actions: ['forget'] })] }));
    assert.deepEqual(
      { forget: json.data.counts.forget, update: json.data.counts.update, create: json.data.counts.create },
      { forget: 1, update: 0, create: 0 },
    );
  });

  test(`drift terraform: a data source read at apply time is exit 2, ${how}`, async (t) => {
    // ChangesSrc.Empty: any action other than no-op is a change; `read` defers the read to the apply.
    const result = await drift(
      t,
      plan({
        resourceChanges: [
          resource('data.aws_ami.base', { actions: ['read'], actionReason: 'read_because_config_unknown' }),
        ],
        ...given(true),
      }),
    );
    assert.equal(result.code, 2, result.stdout + result.stderr);
  });

  test(`drift terraform: a refresh-only plan that changes the state is exit 2 and recognised, ${how}`, async (t) => {
    const prior = {
      format_version: '1.0',
      values: { root_module: { resources: [{ address: 'aws_s3_bucket.logs', mode: 'managed' }] } },
    };
    // Refresh-only plans never have resource_changes (internal/terraform/context_plan.go refreshOnlyPlan).
    const outputOnly = await drift(
      t,
      plan({
        priorState: prior,
        outputChanges: { url: output(['update'], 'http://a.example.com', 'http://b.example.com') },
        ...given(true),
      }),
    );
    assert.equal(outputOnly.code, 2, outputOnly.stdout + outputOnly.stderr);
    assert.equal(outputOnly.data.refreshOnly, true);
    const nothing = await drift(t, plan({ priorState: prior, ...given(false) }), 'text');
    assert.equal(nothing.code, 0, nothing.stdout + nothing.stderr);
    assert.match(nothing.stdout, /refresh-only/);
  });

  test(`drift terraform: a move that also updates counts as moved, ${how}`, async (t) => {
    const result = await drift(
      t,
      plan({
        resourceChanges: [
          resource('aws_s3_bucket.assets', {
            actions: ['update'],
            previousAddress: 'aws_s3_bucket.static',
            before: { bucket: 'shop-assets', tags: { team: 'web' } },
            after: { bucket: 'shop-assets', tags: { team: 'storefront' } },
          }),
          noop('aws_s3_bucket.logs'),
        ],
        ...given(true),
      }),
    );
    assert.equal(result.code, 2);
    assert.equal(result.data.counts.move, 1);
    assert.equal(result.data.counts.update, 1);
    assert.equal(result.data.changes[0].previousAddress, 'aws_s3_bucket.static');
  });
}

test('drift terraform: applyable written by Terraform decides 2 even when no change is one stagecraft knows', async (t) => {
  // A later minor format may add what makes a plan applyable (action_invocations in 1.14): ask Terraform.
  const result = await drift(t, plan({ resourceChanges: [noop('aws_s3_bucket.logs')], applyable: true }));
  assert.equal(result.code, 2, result.stdout + result.stderr);
});

/** A node group resized by its autoscaler; its desired_size is under ignore_changes. */
const autoscaled = resource('aws_eks_node_group.workers', {
  actions: ['update'],
  before: { node_group_name: 'workers', scaling_config: [{ desired_size: 3, max_size: 10, min_size: 2 }] },
  after: { node_group_name: 'workers', scaling_config: [{ desired_size: 7, max_size: 10, min_size: 2 }] },
});

test('drift terraform: resource_drift outside relevant_attributes is informational and alone is exit 0', async (t) => {
  const result = await drift(
    t,
    plan({
      resourceChanges: [
        noop('aws_eks_node_group.workers', {
          node_group_name: 'workers',
          scaling_config: [{ desired_size: 7, max_size: 10, min_size: 2 }],
        }),
      ],
      resourceDrift: [autoscaled],
      applyable: false,
    }),
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(result.data.drift, []);
  assert.deepEqual(
    result.data.informationalDrift.map((c: Json) => [c.address, c.attributes]),
    [['aws_eks_node_group.workers', [{ path: 'scaling_config[0].desired_size', before: 3, after: 7 }]]],
  );
  const text = await drift(
    t,
    plan({ resourceDrift: [autoscaled], resourceChanges: [noop('a_b.c')] }),
    'text',
  );
  assert.equal(text.code, 0);
  assert.match(text.stdout, /not relevant to this plan/);
  assert.match(text.stdout, /aws_eks_node_group\.workers/);
  assert.match(text.stdout, /no drift/);
});

test('drift terraform: resource_drift among relevant_attributes is drift, and other drift in the same plan is not', async (t) => {
  const sg = resource('aws_security_group.web', {
    actions: ['update'],
    before: { name: 'web', description: 'web' },
    after: { name: 'web', description: 'edited by hand' },
  });
  const result = await drift(
    t,
    plan({
      resourceChanges: [
        resource('aws_security_group.web', {
          actions: ['update'],
          before: { name: 'web', description: 'edited by hand' },
          after: { name: 'web', description: 'web' },
        }),
        noop('aws_eks_node_group.workers'),
      ],
      resourceDrift: [sg, autoscaled],
      relevantAttributes: [
        { resource: 'aws_security_group.web', attribute: ['description'] },
        // Relevant to the plan, but not the attribute that drifted.
        { resource: 'aws_eks_node_group.workers', attribute: ['node_group_name'] },
      ],
    }),
  );
  assert.equal(result.code, 2);
  assert.deepEqual(
    result.data.drift.map((c: Json) => c.address),
    ['aws_security_group.web'],
  );
  assert.deepEqual(
    result.data.informationalDrift.map((c: Json) => c.address),
    ['aws_eks_node_group.workers'],
  );
});

test('drift terraform: format 1.0 plans predate relevant_attributes, so all their drift counts', async (t) => {
  const result = await drift(
    t,
    plan({
      formatVersion: '1.0',
      resourceChanges: [noop('aws_eks_node_group.workers')],
      resourceDrift: [autoscaled],
    }),
  );
  assert.equal(result.code, 2);
  assert.deepEqual(
    result.data.drift.map((c: Json) => c.address),
    ['aws_eks_node_group.workers'],
  );
});

test('drift terraform: a refresh-only plan counts all its drift (it has no relevant_attributes)', async (t) => {
  const result = await drift(t, plan({ resourceDrift: [autoscaled], applyable: true }));
  assert.equal(result.code, 2);
  assert.equal(result.data.refreshOnly, true);
  assert.equal(result.data.drift.length, 1);
});

test('drift terraform: an update lists the attributes that change, like terraform plan', async (t) => {
  const https = { cidr_blocks: ['0.0.0.0/0'], from_port: 443, protocol: 'tcp', to_port: 443 };
  const ssh = { cidr_blocks: ['0.0.0.0/0'], from_port: 22, protocol: 'tcp', to_port: 22 };
  const text = plan({
    resourceChanges: [
      resource('aws_security_group.web', {
        actions: ['update'],
        before: { name: 'web', ingress: [https], tags: { team: 'web' } },
        after: { name: 'web', ingress: [ssh, https], tags: { team: 'web' } },
      }),
      resource('aws_instance.web', {
        actions: ['delete', 'create'],
        actionReason: 'replace_because_cannot_update',
        before: { ami: 'ami-1', instance_type: 't3.small', arn: 'arn:aws:ec2:i-1' },
        after: { ami: 'ami-2', instance_type: 't3.small' },
        afterUnknown: { arn: true },
        replacePaths: [['ami']],
      }),
    ],
    applyable: true,
  });
  const result = await drift(t, text);
  assert.equal(result.code, 2);
  assert.deepEqual(result.data.changes[0].attributes, [{ path: 'ingress[0]', after: ssh }]);
  assert.deepEqual(result.data.changes[1].attributes, [
    { path: 'ami', before: 'ami-1', after: 'ami-2', forcesReplacement: true },
    { path: 'arn', before: 'arn:aws:ec2:i-1', after: '(known after apply)' },
  ]);
  const shown = await drift(t, text, 'text');
  assert.match(shown.stdout, /update +aws_security_group\.web\n +\+ ingress\[0\] = \{.*"from_port":22/);
  assert.match(shown.stdout, /~ ami = "ami-1" -> "ami-2" # forces replacement/);
  assert.doesNotMatch(shown.stdout, /name =|team/, 'what does not change is not listed');
  const markdown = await drift(t, text, 'markdown');
  assert.match(markdown.stdout, /ingress\[0\]/);
});

test('drift terraform: sensitive values are (sensitive) in every format, nested masks included', async (t) => {
  // Generated at run time: values that look like credentials stay out of the repository.
  const value = () => randomBytes(9).toString('base64url');
  const secrets = [value(), value(), value(), value(), value(), value()];
  const [dbOld, dbNew, tokenOld, tokenNew, outOld, outNew] = secrets as [string, ...string[]];
  const text = plan({
    resourceChanges: [
      resource('aws_db_instance.shop', {
        actions: ['update'],
        before: { password: dbOld, port: 5432 },
        after: { password: dbNew, port: 5432 },
        beforeSensitive: { password: true },
        afterSensitive: { password: true },
      }),
      resource('kubernetes_secret.api', {
        actions: ['update'],
        before: { data: { token: tokenOld }, env: [{ name: 'A', value: 'x' }] },
        after: { data: { token: tokenNew }, env: [{ name: 'A', value: tokenNew }] },
        beforeSensitive: { data: true, env: [{}] },
        afterSensitive: { data: true, env: [{ value: true }] },
      }),
    ],
    resourceDrift: [
      resource('aws_db_instance.shop', {
        actions: ['update'],
        before: { password: dbOld },
        after: { password: dbNew },
        beforeSensitive: true,
        afterSensitive: true,
      }),
    ],
    relevantAttributes: [{ resource: 'aws_db_instance.shop', attribute: ['password'] }],
    outputChanges: { db_password: output(['update'], outOld, outNew, true) },
    applyable: true,
  });
  for (const format of ['json', 'text', 'markdown']) {
    const result = await drift(t, text, format);
    assert.equal(result.code, 2, result.stderr);
    for (const secret of secrets) assert.ok(!result.stdout.includes(secret), `${format} shows ${secret}`);
    assert.match(result.stdout, /\(sensitive\)/);
  }
  const { data } = await drift(t, text);
  assert.deepEqual(data.changes[0].attributes, [
    { path: 'password', before: '(sensitive)', after: '(sensitive)' },
  ]);
  assert.deepEqual(data.changes[1].attributes, [
    { path: 'data', before: '(sensitive)', after: '(sensitive)' },
    { path: 'env[0].value', before: 'x', after: '(sensitive)' },
  ]);
  assert.deepEqual(data.outputs, [
    { name: 'db_password', action: 'update', before: '(sensitive)', after: '(sensitive)' },
  ]);
});

test('drift terraform: failed checks are shown, passing ones are not', async (t) => {
  const text = plan({
    resourceChanges: [noop('aws_s3_bucket.logs')],
    checks: [
      {
        address: { kind: 'check', name: 'health', to_display: 'check.health' },
        status: 'fail',
        instances: [
          {
            address: { to_display: 'check.health' },
            status: 'fail',
            problems: [{ message: 'storefront answered 503' }],
          },
        ],
      },
      {
        address: { kind: 'check', name: 'certificate', to_display: 'check.certificate' },
        status: 'pass',
        instances: [{ address: { to_display: 'check.certificate' }, status: 'pass' }],
      },
    ],
    applyable: false,
  });
  const result = await drift(t, text, 'text');
  assert.equal(result.code, 0, 'a failed check block is a warning in terraform plan, not a change');
  assert.match(result.stdout, /check\.health.*\n.*storefront answered 503/);
  assert.doesNotMatch(result.stdout, /check\.certificate/);
  const { data } = await drift(t, text);
  assert.deepEqual(data.failedChecks, [
    { address: 'check.health', status: 'fail', problems: ['storefront answered 503'] },
  ]);
});

test('drift terraform: a state file where a plan is expected says so (exit 1)', async (t) => {
  const raw = JSON.stringify({
    version: 4,
    terraform_version: '1.9.8',
    serial: 12,
    lineage: '3f0c0f6e-8a4b-4b8e-9a53-0c1f7c1d2e3f',
    outputs: {},
    resources: [],
    check_results: null,
  });
  const shown = JSON.stringify({
    format_version: '1.0',
    terraform_version: '1.9.8',
    values: { root_module: { resources: [] } },
  });
  for (const [text, pattern] of [
    [raw, /is a Terraform state file, not a plan/],
    [shown, /is the JSON of a Terraform state, not of a plan/],
  ] as const) {
    const result = await drift(t, text, 'text');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\[TERRAFORM_NOT_A_PLAN\]/);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /upgrade stagecraft/);
    assert.match(result.stderr, /terraform show -json plan\.out/);
  }
});

test('drift terraform: a plan with nothing to do is exit 0 and says so', async (t) => {
  const result = await drift(
    t,
    plan({ resourceChanges: [noop('aws_s3_bucket.logs'), noop('aws_iam_role.app')], applyable: false }),
    'text',
  );
  assert.equal(result.code, 0);
  assert.match(result.stdout, /no drift: 0 to create, 0 to update, 0 to replace, 0 to delete.*2 unchanged/);
});

test('drift terraform: values the provider left unmarked but that name or look like a secret are (not shown)', async (t) => {
  const value = () => randomBytes(12).toString('hex');
  const [envOld, envNew, urlOld, urlNew, outOld, outNew] = [
    value(),
    value(),
    value(),
    value(),
    value(),
    value(),
  ];
  const text = plan({
    resourceChanges: [
      resource('aws_lambda_function.api', {
        actions: ['update'],
        before: {
          environment: [{ variables: { DB_PASSWORD: envOld, LOG_LEVEL: 'info' } }],
          memory_size: 128,
        },
        after: {
          environment: [{ variables: { DB_PASSWORD: envNew, LOG_LEVEL: 'debug' } }],
          memory_size: 256,
        },
      }),
      resource('aws_instance.worker', {
        actions: ['update'],
        before: { user_data: `DATABASE_URL=postgres://app:${urlOld}@db.internal:5432/app` },
        after: { user_data: `DATABASE_URL=postgres://app:${urlNew}@db.internal:5432/app` },
      }),
    ],
    outputChanges: { admin_password: output(['update'], outOld, outNew) },
    applyable: true,
  });
  const { data } = await drift(t, text);
  assert.deepEqual(data.changes[0].attributes, [
    { path: 'environment[0].variables.DB_PASSWORD', before: '(not shown)', after: '(not shown)' },
    { path: 'environment[0].variables.LOG_LEVEL', before: 'info', after: 'debug' },
    { path: 'memory_size', before: 128, after: 256 },
  ]);
  assert.deepEqual(data.changes[1].attributes, [
    { path: 'user_data', before: '(not shown)', after: '(not shown)' },
  ]);
  assert.deepEqual(data.outputs, [
    { name: 'admin_password', action: 'update', before: '(not shown)', after: '(not shown)' },
  ]);
  for (const format of ['json', 'text', 'markdown']) {
    const result = await drift(t, text, format);
    assert.equal(result.code, 2, result.stderr);
    for (const secret of [envOld, envNew, urlOld, urlNew, outOld, outNew])
      assert.ok(!result.stdout.includes(secret), `${format} shows a secret value`);
  }
});
