/**
 * How a pending deployment ends: succeeded or failed, by its deploy step's exit, by someone who saw it run
 * (or not) with `stagecraft deployed`, or failed when a refused step or a take-over ends it. A deployment ends
 * once; ending one that is no longer pending is refused.
 */
import type { ActionScope } from './admission.ts';
import { LedgerCodes } from './errors.ts';
import { type Actor, environmentNamed, mayDeploy, requireInScope, requireLive } from './policy.ts';
import { endPending, pendingDeployment } from './queries.ts';
import { Refusal } from './refusal.ts';

export type Ending = 'succeeded' | 'failed';

export interface Confirmation {
  service: string;
  environment: string;
  status: Ending;
  /** The images the cluster runs, read when asked: a confirmation must find the deployment's among them. */
  live?: (() => ReadonlySet<string>) | undefined;
}

export async function endDeployment(
  scope: ActionScope,
  id: number,
  status: Ending,
  output: string | null,
): Promise<void> {
  if (await endPending(scope.trx, id, { status, finished_at: scope.now, output })) return;
  throw new Refusal(LedgerCodes.LEDGER_NOTHING_PENDING, `deployment #${id} is no longer pending`, {
    hint: 'it was taken over as abandoned, or confirmed by someone else: stagecraft history shows how it ended',
  });
}

/**
 * A deploy step's progress is reported by whoever recorded its deployment (the process running the step), or
 * an admin: another identity could otherwise end someone else's deployment succeeded.
 */
export async function requireOwnStep(scope: ActionScope, id: number, actor: Actor): Promise<void> {
  const row = await scope.trx
    .selectFrom('deployments')
    .select(['actor'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    throw new Refusal(LedgerCodes.LEDGER_NOTHING_PENDING, `there is no deployment #${id}`, {
      hint: 'stagecraft history shows what was recorded',
    });
  }
  if (row.actor === actor.name || actor.role === 'admin') return;
  throw notYourStep(id, row.actor, actor);
}

export function notYourStep(id: number, recordedBy: string, actor: Actor): Refusal {
  return new Refusal(
    LedgerCodes.LEDGER_NOT_YOUR_STEP,
    `deployment #${id} was recorded by ${recordedBy}; ${actor.name} may not report its deploy step`,
    {
      hint: 'the identity that started a deployment reports how its step went; stagecraft deployed confirms one that has no step',
    },
  );
}

/** `stagecraft deployed`: ends the service's pending deployment in the environment; returns its id. */
export async function confirmDeployment(
  scope: ActionScope,
  input: Confirmation,
  actor: Actor,
): Promise<number> {
  const environment = environmentNamed(scope.workspace, input.environment);
  const pending = await pendingDeployment(scope.trx, input.service, environment.name, scope.visible);
  // The deployers of the environment say how a deployment ended; so may an admin who broke the glass to
  // record it, since an emergency deployment may be one the usual deployers never saw.
  if (pending?.break_glass && actor.role === 'admin') requireInScope(actor, environment.name);
  else mayDeploy(scope.workspace, environment.name, actor, undefined);
  if (!pending) {
    throw new Refusal(
      LedgerCodes.LEDGER_NOTHING_PENDING,
      `no deployment of ${input.service} to ${environment.name} is pending`,
      { hint: 'stagecraft history shows what was recorded' },
    );
  }
  if (input.live && input.status === 'succeeded') requireLive(pending.image, input.live());
  const how = `${input.status === 'succeeded' ? 'confirmed' : 'reported failed'} by ${actor.name}`;
  await endDeployment(scope, pending.id, input.status, how);
  return pending.id;
}
