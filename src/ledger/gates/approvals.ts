/** `approvals`: `count` approvers other than the commit's author (`stagecraft approve`). */

import { counted } from '@stagecraft/config/text';
import { isAuthor } from '../commits.ts';
import type { EvaluateGate } from './gate.ts';

export const approvalsGate: EvaluateGate<'approvals'> = async (
  { count },
  { trx, artifact, service, environment, visible },
) => {
  const rows = await trx
    .selectFrom('approvals')
    .select(['approver'])
    .where('service', '=', service)
    .where('environment', '=', environment)
    .where('artifact_id', '=', artifact.id)
    .where('rehearsal', '<=', visible)
    .execute();
  // The commit's author cannot approve their own change.
  const approvers = new Set(
    rows.map((row) => row.approver).filter((approver) => !isAuthor(approver, artifact.author)),
  );
  if (approvers.size >= count) return undefined;
  return {
    gate: 'approvals',
    message: `${approvers.size} of ${counted(count, 'approval')} from someone other than the author${artifact.author ? ` (${artifact.author})` : ''}`,
    hint: `another person approves: stagecraft approve ${service} --env ${environment}`,
  };
};
