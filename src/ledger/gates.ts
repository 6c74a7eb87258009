/**
 * The gates an environment declares, evaluated for one artifact at one moment:
 *
 * - `tests`: a passing check reported for the artifact's commit (`stagecraft gate report tests pass`), the
 *   latest report deciding;
 * - `soak`: the artifact has run for `duration` in the environment it comes from, with no failed verification
 *   there since (`stagecraft verify fail`);
 * - `approvals`: `count` approvers other than the commit's author (`stagecraft approve`);
 * - `window`: deploys only on `days` within `hours`, in `timezone`.
 *
 * Each returns undefined when it passes, or why it does not and what would make it pass.
 */

import { parseDuration } from '@stagecraft/config/units';
import type { Gate } from '@stagecraft/config/workspace';
import type { Transaction } from 'kysely';
import type { ArtifactRow } from './artifact-choice.ts';
import { isAuthor } from './commits.ts';
import type { Database } from './schema.ts';

export interface GateContext {
  trx: Transaction<Database>;
  artifact: ArtifactRow;
  service: string;
  environment: string;
  from: string | undefined;
  now: Date;
  /** The highest rehearsal mark that counts: rehearsed reports, verifications and approvals only in rehearsal. */
  visible: number;
}

export interface GateFailure {
  gate: string;
  message: string;
  hint: string;
}

/** Every gate of the environment that the artifact does not pass now, in declared order. */
export async function failingGates(gates: readonly Gate[], context: GateContext): Promise<GateFailure[]> {
  const failures: GateFailure[] = [];
  for (const gate of gates) {
    const failure = await evaluateGate(gate, context);
    if (failure) failures.push(failure);
  }
  return failures;
}

export async function evaluateGate(gate: Gate, context: GateContext): Promise<GateFailure | undefined> {
  switch (gate.kind) {
    case 'tests':
      return tests(context);
    case 'soak':
      return soak(gate, context);
    case 'approvals':
      return approvals(gate, context);
    case 'window':
      return window(gate, context.now);
    default:
      return {
        gate: gate.kind,
        message: `the gate "${gate.kind}" is not one stagecraft knows`,
        hint: 'gates are tests, soak, approvals and window',
      };
  }
}

async function tests({ trx, artifact, visible }: GateContext): Promise<GateFailure | undefined> {
  const report = await trx
    .selectFrom('gate_reports')
    .select(['result', 'actor', 'at'])
    .where('kind', '=', 'tests')
    .where('commit_sha', '=', artifact.commit_sha)
    .where('rehearsal', '<=', visible)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (report?.result === 'pass') return undefined;
  return {
    gate: 'tests',
    message: report
      ? `the tests of commit ${artifact.commit_sha.slice(0, 12)} failed (reported by ${report.actor} at ${report.at})`
      : `no test result is reported for commit ${artifact.commit_sha.slice(0, 12)}`,
    hint: `CI reports it: stagecraft gate report tests pass --commit ${artifact.commit_sha}`,
  };
}

async function soak(
  gate: Gate,
  { trx, artifact, service, from, now, visible }: GateContext,
): Promise<GateFailure | undefined> {
  const parsed = parseDuration(gate.options['duration'] ?? '1h');
  // A duration we cannot read fails the gate: guessing one would let an artifact through early.
  if (!parsed.ok) return misconfigured('soak', `duration ${JSON.stringify(gate.options['duration'])}`);
  const duration = parsed.value;
  if (from === undefined)
    return {
      gate: 'soak',
      message: 'soak needs an environment to soak in',
      hint: 'declare soak on an environment promoted from another',
    };
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
    return {
      gate: 'soak',
      message: `a verification failed in ${from} at ${failed.at} (${failed.actor}) while it soaked`,
      hint: 'fix and ship a new artifact; this one failed its soak',
    };
  }
  const remaining = started + duration - now.getTime();
  if (Number.isNaN(started) || remaining > 0) {
    const minutes = Math.ceil((Number.isNaN(remaining) ? duration : remaining) / 60_000);
    return {
      gate: 'soak',
      message: `it has not soaked in ${from} for ${gate.options['duration'] ?? '1h'} yet (${minutes} min to go)`,
      hint: 'wait; a failed verification in the meantime (stagecraft verify fail) stops it',
    };
  }
  return undefined;
}

async function approvals(
  gate: Gate,
  { trx, artifact, service, environment, visible }: GateContext,
): Promise<GateFailure | undefined> {
  const needed = Number(gate.options['count'] ?? 1);
  if (!Number.isInteger(needed) || needed < 1) {
    return misconfigured('approvals', `count ${JSON.stringify(gate.options['count'])}`);
  }
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
  if (approvers.size >= needed) return undefined;
  return {
    gate: 'approvals',
    message: `${approvers.size} of ${needed} approval(s) from someone other than the author${artifact.author ? ` (${artifact.author})` : ''}`,
    hint: `another person approves: stagecraft approve ${service} --env ${environment}`,
  };
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function window(gate: Gate, now: Date): GateFailure | undefined {
  const timezone = String(gate.options['timezone'] ?? 'UTC');
  const rawDays = gate.options['days'] ?? DAYS;
  const days = Array.isArray(rawDays) ? rawDays.map((day) => String(day).toLowerCase().slice(0, 3)) : [];
  if (days.length === 0 || days.some((day) => !DAYS.includes(day))) {
    return misconfigured('window', `days ${JSON.stringify(rawDays)}`);
  }
  const hours = String(gate.options['hours'] ?? '00:00-24:00');
  const range = /^(?<from>[01]\d:[0-5]\d|2[0-3]:[0-5]\d)-(?<to>[01]\d:[0-5]\d|2[0-3]:[0-5]\d|24:00)$/.exec(
    hours,
  );
  if (!range?.groups) return misconfigured('window', `hours ${JSON.stringify(hours)} (HH:MM-HH:MM)`);
  const { from = '', to = '' } = range.groups;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return misconfigured(
      'window',
      `timezone ${JSON.stringify(timezone)} (an IANA zone such as Europe/Berlin)`,
    );
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  const day = String(parts['weekday']).toLowerCase().slice(0, 3);
  const time = `${parts['hour']}:${parts['minute']}`;
  if (days.includes(day) && time >= from && time < to) return undefined;
  return {
    gate: 'window',
    message: `outside the deploy window (${days.join(', ')} ${from}-${to} ${timezone}; it is ${day} ${time} there)`,
    hint: 'deploy within the window, or an admin may use --break-glass --reason',
  };
}

/** A gate whose options cannot be read never passes; the message says what to fix. */
function misconfigured(gate: string, option: string): GateFailure {
  return {
    gate,
    message: `its ${option} in stagecraft.yaml cannot be read, so it cannot pass`,
    hint: `fix the ${gate} gate's options (e.g. duration: 2h, count: 2)`,
  };
}
