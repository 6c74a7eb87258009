/** The ledger's rules that need no database, each with what it allows and the refusal that names it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStagecraftError } from '@stagecraft/config/errors';
import { parseWorkspace } from '@stagecraft/config/workspace';
import { LedgerCodes } from './errors.ts';
import {
  environmentNamed,
  imageDigest,
  mayDeploy,
  requireAdmissible,
  requireApprover,
  requireLive,
  requireNotInProgress,
  requireNotRejected,
  requireRole,
  requireSameCommit,
  serviceNamed,
} from './policy.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow } from './schema.ts';

const workspace = parseWorkspace(
  `environments:
  dev: { deployers: [developer] }
  production: { from: dev, deployers: [ci] }
services:
  web: { image: registry.example.com/shop/web }
ledger:
  reporters: [ci]
`,
  '/repo/stagecraft.yaml',
);
const web = serviceNamed(workspace, 'web');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const COMMIT = 'c'.repeat(40);

const artifact = (changes: Partial<ArtifactRow> = {}): ArtifactRow => ({
  id: 7,
  service: 'web',
  image: `registry.example.com/shop/web@${DIGEST}`,
  digest: DIGEST,
  commit_sha: COMMIT,
  author: 'Alice Example <alice@example.com>',
  build: null,
  registered_at: '2026-12-01T10:00:00.000Z',
  registered_by: 'ci',
  rehearsal: 0,
  rejected_at: null,
  rejected_by: null,
  reject_reason: null,
  ...changes,
});

/** `work` is refused by the rule `code`, and the refusal says what to do. */
function refuses(work: () => unknown, code: string, message?: RegExp): Refusal {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof Refusal, String(error));
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    assert.ok(error.hint, `${code} has no hint`);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test('names: a service or environment stagecraft.yaml does not declare is a usage error naming the ones it does', () => {
  assert.equal(environmentNamed(workspace, 'production').from, 'dev');
  assert.throws(
    () => serviceNamed(workspace, 'api'),
    (error: unknown) =>
      isStagecraftError(error, LedgerCodes.LEDGER_UNKNOWN_SERVICE) &&
      !(error instanceof Refusal) &&
      error.outcome === 'failed' &&
      error.hint === 'use one of web',
  );
  assert.throws(
    () => environmentNamed(workspace, 'qa'),
    (error: unknown) =>
      isStagecraftError(error, LedgerCodes.LEDGER_UNKNOWN_ENVIRONMENT) &&
      error.hint === 'use one of dev, production',
  );
});

test('roles: an action reserved to some roles names the stagecraft.yaml key that lists them', () => {
  requireRole({ name: 'bot', role: 'ci' }, workspace.ledger.reporters, 'report test results', 'reporters');
  const refusal = refuses(
    () =>
      requireRole(
        { name: 'dana', role: 'developer' },
        workspace.ledger.reporters,
        'report test results',
        'reporters',
      ),
    'LEDGER_ROLE_REFUSED',
    /the role developer may not report test results/,
  );
  assert.equal(refusal.hint, 'report test results is for: ci (stagecraft.yaml ledger.reporters)');
});

test('deployers: only the roles an environment lists deploy there; break-glass is the admin’s alone', () => {
  assert.equal(mayDeploy(workspace, 'production', { name: 'bot', role: 'ci' }, undefined).name, 'production');
  refuses(
    () => mayDeploy(workspace, 'production', { name: 'dana', role: 'developer' }, undefined),
    'LEDGER_ROLE_REFUSED',
    /may not deploy to production/,
  );
  // An admin is no deployer of production, but may break the glass, with a reason.
  refuses(
    () => mayDeploy(workspace, 'production', { name: 'root', role: 'admin' }, undefined),
    'LEDGER_ROLE_REFUSED',
  );
  assert.equal(
    mayDeploy(workspace, 'production', { name: 'root', role: 'admin' }, 'INC-7').name,
    'production',
  );
  refuses(
    () => mayDeploy(workspace, 'production', { name: 'bot', role: 'ci' }, 'INC-7'),
    'LEDGER_BREAK_GLASS_REFUSED',
    /for the admin role, not ci/,
  );
});

test('digests: an image is registered by digest, in the repository its service is built to', () => {
  assert.equal(imageDigest(`registry.example.com/shop/web@${DIGEST}`, web), DIGEST);
  // A registry port is part of the repository, not a tag.
  const ported = { ...web, image: 'registry.example.com:5000/shop/web' };
  assert.equal(imageDigest(`registry.example.com:5000/shop/web@${DIGEST}`, ported), DIGEST);
  refuses(
    () => imageDigest('registry.example.com/shop/web:1.2', web),
    'LEDGER_NOT_A_DIGEST',
    /not an image by digest/,
  );
  refuses(
    () => imageDigest(`registry.example.com/shop/web@sha256:${'a'.repeat(63)}`, web),
    'LEDGER_NOT_A_DIGEST',
  );
  refuses(
    () => imageDigest(`registry.example.com/shop/api@${DIGEST}`, web),
    'LEDGER_WRONG_REPOSITORY',
    /web is built to registry\.example\.com\/shop\/web, not registry\.example\.com\/shop\/api/,
  );
});

test('commits: one digest is one commit, and nobody approves their own', () => {
  requireSameCommit(artifact(), COMMIT);
  refuses(() => requireSameCommit(artifact(), 'd'.repeat(40)), 'LEDGER_DIGEST_CONFLICT', /from commit cccc/);
  requireApprover({ name: 'bob', role: 'developer' }, artifact());
  for (const name of ['alice', 'Alice Example', 'alice@example.com']) {
    refuses(() => requireApprover({ name, role: 'developer' }, artifact()), 'LEDGER_SELF_APPROVAL');
  }
  refuses(
    () => requireApprover({ name: 'bob', role: 'developer' }, artifact({ author: null })),
    'LEDGER_AUTHOR_UNKNOWN',
    /cannot be told from self-approval/,
  );
});

test('admission: a rejected artifact, one already running, or a failed gate holds a deployment back', () => {
  requireNotRejected(artifact(), 'web');
  refuses(
    () => requireNotRejected(artifact({ rejected_at: '2026-12-02T00:00:00Z', reject_reason: 'CVE' }), 'web'),
    'LEDGER_ARTIFACT_REJECTED',
    /was rejected: CVE/,
  );
  const base = { service: 'web', environment: 'production', artifact: artifact(), failures: [] };
  const running = { id: 3, artifact_id: 7, status: 'succeeded' as const };
  requireAdmissible({ ...base, kind: 'promote', latest: { ...running, status: 'failed' } });
  refuses(
    () => requireAdmissible({ ...base, kind: 'promote', latest: running }),
    'LEDGER_ALREADY_DEPLOYED',
    /#3/,
  );
  // A rollback returns to what ran before; that it ran is the point.
  requireAdmissible({ ...base, kind: 'rollback', latest: running });
  const failures = [
    { gate: 'approvals' as const, message: '0 of 1 approval', hint: 'another person approves' },
  ];
  const gated = refuses(
    () => requireAdmissible({ ...base, kind: 'promote', latest: undefined, failures }),
    'LEDGER_GATE_FAILED',
    /may not go to production yet: approvals: 0 of 1/,
  );
  assert.equal(gated.hint, 'another person approves');
  requireAdmissible({ ...base, kind: 'promote', latest: undefined, failures, breakGlass: 'INC-7' });
});

test('in progress: a pending deployment blocks another until it is abandoned; live objects must run the image', () => {
  const pending = { id: 4, host: null, pid: null };
  requireNotInProgress(pending, 'its process is gone', 'web', 'dev');
  assert.match(
    refuses(() => requireNotInProgress(pending, undefined, 'web', 'dev'), 'LEDGER_DEPLOYMENT_IN_PROGRESS')
      .hint ?? '',
    /deployed --confirm/,
  );
  assert.match(
    refuses(
      () => requireNotInProgress({ id: 4, host: 'ci-1', pid: 42 }, undefined, 'web', 'dev'),
      'LEDGER_DEPLOYMENT_IN_PROGRESS',
    ).hint ?? '',
    /pid 42 on ci-1/,
  );
  const image = `registry.example.com/shop/web@${DIGEST}`;
  requireLive(image, new Set([image]));
  refuses(() => requireLive(image, new Set()), 'LEDGER_NOT_LIVE', /do not run/);
});
