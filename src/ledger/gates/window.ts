/** `window`: deploys only on `days`, between `opens` and `closes`, in `timezone`; needs no database. */
import type { GateOptions } from '@stagecraft/config/workspace';
import type { GateFailure } from './gate.ts';

export function windowGate(
  { days, opens, closes, timezone }: Readonly<GateOptions['window']>,
  { now }: { now: Date },
): GateFailure | undefined {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  const day = String(parts['weekday']).toLowerCase().slice(0, 3);
  const time = `${parts['hour']}:${parts['minute']}`;
  if ((days as readonly string[]).includes(day) && time >= opens && time < closes) return undefined;
  return {
    gate: 'window',
    message: `outside the deploy window (${days.join(', ')} ${opens}-${closes} ${timezone}; it is ${day} ${time} there)`,
    hint: 'deploy within the window, or an admin may use --break-glass --reason',
  };
}
