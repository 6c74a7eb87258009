/**
 * Releases: several services' registered artifacts named once, then deployed or promoted together as one
 * unit — every artifact passes every rule in one transaction, or none is recorded.
 */
import type { Environment } from '@stagecraft/config/workspace';
import { type ActionScope, type Admitted, admit, type Runner } from './admission.ts';
import { LedgerCodes } from './errors.ts';
import { type Actor, serviceNamed } from './policy.ts';
import { findArtifact, insertRelease, releaseExists, releaseItems } from './queries.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow } from './schema.ts';

/** Records the release `name` of `items` (SERVICE=DIGEST each); a release is immutable. */
export async function recordRelease(
  scope: ActionScope,
  name: string,
  items: readonly { service: string; digest: string }[],
  actor: Actor,
): Promise<number> {
  if (items.length === 0) {
    throw new Refusal(LedgerCodes.LEDGER_EMPTY_RELEASE, `release ${name} names no artifacts`, {
      hint: 'give SERVICE=DIGEST for each service in it',
    });
  }
  const artifacts: ArtifactRow[] = [];
  for (const item of items) {
    serviceNamed(scope.workspace, item.service);
    const artifact = await findArtifact(scope.trx, item.service, item.digest, scope.visible);
    if (!artifact) {
      throw new Refusal(
        LedgerCodes.LEDGER_NO_ARTIFACT,
        `${item.digest} is not a registered artifact of ${item.service}`,
        {
          hint: 'register it first: stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA',
        },
      );
    }
    artifacts.push(artifact);
  }
  if (await releaseExists(scope.trx, name)) {
    throw new Refusal(LedgerCodes.LEDGER_RELEASE_EXISTS, `release ${name} already exists`, {
      hint: 'a release is immutable: name a new one',
    });
  }
  return insertRelease(scope.trx, { name, created_at: scope.now, created_by: actor.name }, artifacts);
}

/** Admits every artifact of the release to the environment, in service order. */
export async function admitRelease(
  scope: ActionScope,
  request: {
    release: string;
    kind: 'deploy' | 'promote';
    breakGlass?: string | undefined;
    runner?: Runner | undefined;
  },
  environment: Environment,
  actor: Actor,
): Promise<Admitted[]> {
  const items = await releaseItems(scope.trx, request.release);
  if (items.length === 0) {
    throw new Refusal(LedgerCodes.LEDGER_NO_RELEASE, `there is no release ${request.release}`, {
      hint: 'create it: stagecraft release create NAME SERVICE=DIGEST…',
    });
  }
  const admitted: Admitted[] = [];
  for (const item of items) admitted.push(await admit(scope, { ...request, ...item }, environment, actor));
  return admitted;
}
