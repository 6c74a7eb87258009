/**
 * Which artifact a deployment takes: at the start of the chain a registered one (the one named, else the
 * newest); beyond it exactly what succeeded in the environment it is promoted from, unchanged; for a rollback
 * the previous successful artifact of the environment itself. Rows written in rehearsal count only when
 * rehearsing (`visible` is the highest rehearsal mark that counts).
 */

import type { Environment } from '@stagecraft/config/workspace';
import type { Transaction } from 'kysely';
import { LedgerCodes } from './errors.ts';
import { Refusal } from './refusal.ts';
import type { ArtifactRow, Database } from './schema.ts';

export async function chooseArtifact(
  trx: Transaction<Database>,
  input: { service: string; digest?: string | undefined },
  environment: Environment,
  visible: number,
): Promise<ArtifactRow> {
  const from = environment.from;
  if (from === undefined) {
    let query = trx
      .selectFrom('artifacts')
      .selectAll()
      .where('service', '=', input.service)
      .where('rehearsal', '<=', visible);
    if (input.digest) query = query.where('digest', '=', normaliseDigest(input.digest));
    const artifact = await query.orderBy('id', 'desc').executeTakeFirst();
    if (!artifact) {
      throw new Refusal(
        LedgerCodes.LEDGER_NO_ARTIFACT,
        input.digest
          ? `${input.digest} is not a registered artifact of ${input.service}`
          : `${input.service} has no registered artifact`,
        { hint: 'register it first: stagecraft artifact register SERVICE IMAGE@DIGEST --commit SHA' },
      );
    }
    return artifact;
  }
  let query = trx
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .selectAll('artifacts')
    .where('deployments.service', '=', input.service)
    .where('deployments.environment', '=', from)
    .where('deployments.status', '=', 'succeeded')
    .where('deployments.rehearsal', '<=', visible);
  if (input.digest) query = query.where('artifacts.digest', '=', normaliseDigest(input.digest));
  const artifact = await query.orderBy('deployments.id', 'desc').executeTakeFirst();
  if (!artifact) {
    throw new Refusal(
      LedgerCodes.LEDGER_NOT_IN_SOURCE,
      input.digest
        ? `${input.digest} has not been deployed successfully to ${from}, which ${environment.name} is promoted from`
        : `${input.service} has no successful deployment in ${from}, which ${environment.name} is promoted from`,
      { hint: `deploy it to ${from} first; only what succeeded there is promoted, unchanged` },
    );
  }
  return artifact;
}

/** What ran here before the current artifact: the newest succeeded deployment of another digest. */
export async function previousArtifact(
  trx: Transaction<Database>,
  service: string,
  environment: string,
  visible: number,
): Promise<ArtifactRow> {
  const succeeded = await trx
    .selectFrom('deployments')
    .innerJoin('artifacts', 'artifacts.id', 'deployments.artifact_id')
    .selectAll('artifacts')
    .where('deployments.service', '=', service)
    .where('deployments.environment', '=', environment)
    .where('deployments.status', '=', 'succeeded')
    .where('deployments.rehearsal', '<=', visible)
    .orderBy('deployments.id', 'desc')
    .execute();
  const current = succeeded[0];
  const previous = succeeded.find((artifact) => artifact.id !== current?.id);
  if (!previous) {
    throw new Refusal(
      LedgerCodes.LEDGER_NOTHING_TO_ROLL_BACK_TO,
      `${service} has no earlier successful artifact in ${environment}`,
      { hint: 'rollback deploys the previous successful artifact of this environment; there is none' },
    );
  }
  return previous;
}

/** `sha256:…` from `sha256:…` or `repository@sha256:…`. */
export function normaliseDigest(digest: string): string {
  const at = digest.lastIndexOf('@');
  return at === -1 ? digest : digest.slice(at + 1);
}
