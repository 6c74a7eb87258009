/**
 * `soak`: the artifact has run for `duration` in the environment it comes from since its deployment there
 * succeeded, with no failed verification there meanwhile (`stagecraft verify fail`).
 */
import type { EvaluateGate } from './gate.ts';

export const soakGate: EvaluateGate<'soak'> = async (
  { duration, durationMs },
  { trx, artifact, service, from, now, visible },
) => {
  if (from === undefined) {
    return {
      gate: 'soak',
      message: 'soak needs an environment to soak in',
      hint: 'declare soak on an environment promoted from another',
    };
  }
  const since = await trx
    .selectFrom('deployments')
    .select(['finished_at'])
    .where('service', '=', service)
    .where('environment', '=', from)
    .where('artifact_id', '=', artifact.id)
    .where('status', '=', 'succeeded')
    .where('rehearsal', '<=', visible)
    .orderBy('id', 'asc')
    .executeTakeFirst();
  const started = since?.finished_at ? Date.parse(since.finished_at) : Number.NaN;
  const failed = await trx
    .selectFrom('verifications')
    .select(['actor', 'at'])
    .where('environment', '=', from)
    .where('result', '=', 'fail')
    .where('rehearsal', '<=', visible)
    .where('at', '>=', since?.finished_at ?? '')
    .where((eb) => eb.or([eb('service', '=', service), eb('service', 'is', null)]))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (failed) {
    // The soak counts from the artifact's first success in `from`: deploying the same digest there again
    // does not restart it, so the failure stands for this artifact for good.
    return {
      gate: 'soak',
      message: `a verification failed in ${from} at ${failed.at} (${failed.actor}) while it soaked`,
      hint: 'fix and ship a new artifact; this one failed its soak',
      blocked: {
        reset: `a new artifact of ${service}, deployed to ${from} and soaked there for ${duration} with no failed verification (deploying this digest again does not restart its soak; an admin's break-glass bypasses the gate)`,
      },
    };
  }
  const remaining = started + durationMs - now.getTime();
  if (Number.isNaN(started) || remaining > 0) {
    const minutes = Math.ceil((Number.isNaN(remaining) ? durationMs : remaining) / 60_000);
    return {
      gate: 'soak',
      message: `it has not soaked in ${from} for ${duration} yet (${minutes} min to go)`,
      hint: 'wait; a failed verification in the meantime (stagecraft verify fail) stops it',
    };
  }
  return undefined;
};
