/**
 * A deploy step's pending entry whose process is gone. The process records its host and pid and beats a
 * heartbeat while the step runs; killed with SIGKILL (or its machine lost), it stops. A later deploy may then
 * take the entry over — recorded as failed — instead of waiting forever: at once when the pid is known dead on
 * this same host, otherwise once the heartbeat is older than `ledger.staleAfter`.
 */
import { hostname } from 'node:os';
import type { DeploymentRow } from './schema.ts';

export type Heartbeat = Pick<DeploymentRow, 'host' | 'pid' | 'heartbeat_at'>;

/** Why the entry is abandoned, or undefined while its process may still be working. */
export function abandonment(row: Heartbeat, now: Date, staleAfterMs: number): string | undefined {
  if (row.host === null || row.pid === null || row.heartbeat_at === null) return undefined; // waits for a person
  if (row.host === hostname() && !isAlive(row.pid)) {
    return `its deploy step's process (pid ${row.pid} on ${row.host}) is gone`;
  }
  const silent = now.getTime() - Date.parse(row.heartbeat_at);
  if (silent > staleAfterMs) {
    return `its deploy step's process (pid ${row.pid} on ${row.host}) has sent no heartbeat since ${row.heartbeat_at}`;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
