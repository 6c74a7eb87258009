/** Artifacts: a service's image by digest, registered once per build with its commit, and rejected everywhere at once. */
import type { ActionScope } from './admission.ts';
import { LedgerCodes } from './errors.ts';
import { type Actor, imageDigest, requireRole, requireSameCommit, serviceNamed } from './policy.ts';
import { insertArtifact, rejectArtifacts } from './queries.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow } from './schema.ts';

export interface ArtifactInput {
  service: string;
  image: string;
  /** The full commit sha and its author, resolved with git before the action's transaction. */
  commit: () => string;
  author: () => string | null;
  build?: Record<string, unknown> | undefined;
}

export async function recordArtifact(
  scope: ActionScope,
  input: ArtifactInput,
  actor: Actor,
): Promise<ArtifactRow> {
  const digest = imageDigest(input.image, serviceNamed(scope.workspace, input.service));
  const row = await insertArtifact(scope.trx, {
    service: input.service,
    image: input.image,
    digest,
    commit_sha: input.commit(),
    author: input.author(),
    build: input.build ? JSON.stringify(input.build) : null,
    registered_at: scope.now,
    registered_by: actor.name,
    rehearsal: scope.mark,
    rejected_at: null,
    rejected_by: null,
    reject_reason: null,
  });
  requireSameCommit(row, input.commit());
  return row;
}

/** Rejects every artifact with the digest (of any service); how many were. */
export async function rejectArtifact(
  scope: ActionScope,
  digest: string,
  reason: string,
  actor: Actor,
): Promise<number> {
  requireRole(actor, scope.workspace.ledger.rejecters, 'reject artifacts', 'rejecters');
  const rejection = { rejected_at: scope.now, rejected_by: actor.name, reject_reason: reason };
  const count = await rejectArtifacts(scope.trx, digest, rejection);
  if (count > 0) return count;
  throw new Refusal(LedgerCodes.LEDGER_NO_ARTIFACT, `no unrejected artifact has the digest ${digest}`, {
    hint: 'check the digest (stagecraft history lists them)',
  });
}
