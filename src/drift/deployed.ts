/**
 * What an environment runs, from the ledger: each service's current successful deployment there. A pending
 * or failed newer deployment changed nothing, so for such a service the last one that succeeded counts.
 * Rehearsed deployments count only in rehearsal. Every git-based drift check (hotfix, deps, freshness) starts
 * from this.
 */
import { StagecraftError } from '@stagecraft/config/errors';
import type { LedgerApi } from '../ledger/api.ts';
import { DriftCodes } from './errors.ts';

/** What an environment runs of one service, as the ledger recorded it. */
export interface RunningCommit {
  service: string;
  commit: string;
  deploymentId: number;
  /** When it was deployed, ISO 8601. */
  deployedAt: string;
}

/** How far back a service's history is read for its last successful deployment. */
const HISTORY_LIMIT = 200;

/**
 * Each service's running commit in `environment`, in the ledger's order; none is an error (DRIFT_NO_DEPLOYMENT)
 * with `hint`, since a check with nothing to compare must not come out clean.
 */
export async function runningInEnvironment(
  ledger: Pick<LedgerApi, 'status' | 'history' | 'rehearsal'>,
  environment: string,
  hint = `check --env (${environment}), or deploy there first`,
): Promise<RunningCommit[]> {
  const running: RunningCommit[] = [];
  for (const row of (await ledger.status()).filter((r) => r.environment === environment)) {
    const current =
      row.status === 'succeeded'
        ? row
        : (
            await ledger.history({ environment, service: row.service, limit: HISTORY_LIMIT })
          ).deployments.find((d) => d.status === 'succeeded' && (ledger.rehearsal || !d.rehearsal));
    if (current) {
      running.push({
        service: current.service,
        commit: current.commit,
        deploymentId: current.id,
        deployedAt: current.createdAt,
      });
    }
  }
  if (running.length === 0) {
    throw new StagecraftError(
      DriftCodes.DRIFT_NO_DEPLOYMENT,
      `the ledger has no successful deployment in ${environment}: there is no deployed commit to compare`,
      { hint },
    );
  }
  return running;
}
