/**
 * What an environment runs, from the ledger: each service's current successful deployment there. A pending
 * or failed deployment does not replace what runs, so for such a service the last one that succeeded counts.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import type { LedgerApi } from '../ledger/api.ts';
import { DriftCodes } from './errors.ts';
import type { DeployedCommit } from './hotfix.ts';

/** How far back a service's history is read for its last successful deployment. */
const HISTORY_LIMIT = 200;

export async function deployedInEnvironment(
  ledger: Pick<LedgerApi, 'status' | 'history'>,
  environment: string,
): Promise<DeployedCommit[]> {
  const deployed: DeployedCommit[] = [];
  for (const row of (await ledger.status()).filter((r) => r.environment === environment)) {
    const current =
      row.status === 'succeeded'
        ? row
        : (
            await ledger.history({ environment, service: row.service, limit: HISTORY_LIMIT })
          ).deployments.find((d) => d.status === 'succeeded');
    if (current)
      deployed.push({ service: current.service, commit: current.commit, deploymentId: current.id });
  }
  if (deployed.length === 0) {
    throw new StagecraftError(
      DriftCodes.HOTFIX_NO_DEPLOYMENT,
      `the ledger has no successful deployment in ${environment}: there is no deployed commit to check`,
      { hint: 'check another environment with --env, or give the commit with --deployed-commit SHA' },
    );
  }
  return deployed.sort((a, b) => (a.service ?? '').localeCompare(b.service ?? ''));
}
