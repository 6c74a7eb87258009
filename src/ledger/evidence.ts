/**
 * What the gates read, recorded with who and when: test reports for a commit (`tests`), verifications of a
 * running environment (`soak`) and approvals of an artifact (`approvals`) — each only from the roles, or
 * people, stagecraft.yaml and the rules allow.
 */

import type { ActionScope } from './admission.ts';
import { chooseArtifact } from './artifact-choice.ts';
import { LedgerCodes } from './errors.ts';
import {
  type Actor,
  environmentNamed,
  requireApprover,
  requireInScope,
  requireRole,
  serviceNamed,
} from './policy.ts';
import { insertApproval, insertGateReport, insertVerification, releaseItems } from './queries.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow, CheckResult } from './schema.ts';

/** A test result for a commit (its full sha, resolved before the transaction); the full sha is returned. */
export async function recordTestReport(
  scope: ActionScope,
  commit: () => string,
  result: CheckResult,
  actor: Actor,
): Promise<string> {
  requireRole(actor, scope.workspace.ledger.reporters, 'report test results', 'reporters');
  const commit_sha = commit();
  const who = { actor: actor.name, role: actor.role };
  await insertGateReport(scope.trx, {
    kind: 'tests',
    commit_sha,
    result,
    ...who,
    at: scope.now,
    rehearsal: scope.mark,
  });
  return commit_sha;
}

/** A check of a running environment (or one service in it); a failure stops a soak there. */
export async function recordVerification(
  scope: ActionScope,
  environment: string,
  service: string | undefined,
  result: CheckResult,
  actor: Actor,
): Promise<void> {
  // Names first: a name stagecraft.yaml does not declare is a mistake on the command line, whoever makes it.
  environmentNamed(scope.workspace, environment);
  if (service) serviceNamed(scope.workspace, service);
  requireRole(actor, scope.workspace.ledger.verifiers, 'record verifications', 'verifiers');
  requireInScope(actor, environment);
  const verification = { environment, service: service ?? null, result, actor: actor.name };
  await insertVerification(scope.trx, { ...verification, at: scope.now, rehearsal: scope.mark });
}

/** Approves the artifact that would be promoted to the environment now; never by its own commit's author. */
export async function recordApproval(
  scope: ActionScope,
  service: string,
  environmentName: string,
  actor: Actor,
): Promise<ArtifactRow> {
  serviceNamed(scope.workspace, service);
  const environment = environmentNamed(scope.workspace, environmentName);
  requireRole(actor, scope.workspace.ledger.approvers, 'approve promotions', 'approvers');
  requireInScope(actor, environment.name);
  const artifact = await chooseArtifact(scope.trx, { service }, environment, scope.visible);
  requireApprover(actor, artifact);
  const approval = { service, environment: environment.name, artifact_id: artifact.id, approver: actor.name };
  await insertApproval(scope.trx, { ...approval, at: scope.now, rehearsal: scope.mark });
  return artifact;
}

/**
 * Approves every artifact of a release for an environment, in the caller's transaction: every one is
 * approved, or — when any is refused (not in the source environment, the approver wrote it) — none.
 */
export async function recordReleaseApproval(
  scope: ActionScope,
  release: string,
  environmentName: string,
  actor: Actor,
): Promise<ArtifactRow[]> {
  const environment = environmentNamed(scope.workspace, environmentName);
  requireRole(actor, scope.workspace.ledger.approvers, 'approve promotions', 'approvers');
  requireInScope(actor, environment.name);
  const items = await releaseItems(scope.trx, release);
  if (items.length === 0) {
    throw new Refusal(LedgerCodes.LEDGER_NO_RELEASE, `there is no release ${release}`, {
      hint: 'create it: stagecraft release create NAME SERVICE=DIGEST…',
    });
  }
  const approved: ArtifactRow[] = [];
  for (const item of items) {
    const artifact = await chooseArtifact(scope.trx, item, environment, scope.visible);
    requireApprover(actor, artifact);
    const approval = {
      service: item.service,
      environment: environment.name,
      artifact_id: artifact.id,
      approver: actor.name,
    };
    await insertApproval(scope.trx, { ...approval, at: scope.now, rehearsal: scope.mark });
    approved.push(artifact);
  }
  return approved;
}
