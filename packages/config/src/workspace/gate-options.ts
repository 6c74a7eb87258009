/**
 * Each gate kind's options: the shape stagecraft.yaml is checked against when it loads (so a bad option is a
 * problem at its line, never a surprise at promotion time) and the conversion to the typed options the
 * promotion rules read. A gate's map is closed: an option of another kind, or a typo, is refused.
 */

import { closestMatch } from '../text/suggest.ts';
import { parseDuration } from '../units/duration.ts';
import type { Gate, GateKind, GateOptions, Weekday } from './model.ts';
import { integer, list, type MapShape, map, oneOf, type Shape, string, tagged, wordOrMap } from './shape.ts';

export const GATE_KINDS: readonly GateKind[] = ['tests', 'soak', 'approvals', 'window'];

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A day by its three-letter or full English name, in any case. */
const WEEKDAY =
  /^(?:sun(?:day)?|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?)$/i;

/** HH:MM-HH:MM on a 24-hour clock; 24:00 only as the end. No named groups: the JSON Schema carries it too. */
const HOURS = /^([01]\d:[0-5]\d|2[0-3]:[0-5]\d)-([01]\d:[0-5]\d|2[0-3]:[0-5]\d|24:00)$/;

const DURATION_RULE = 'a duration such as 90s, 30m, 2h or 1d';

const kind = (name: GateKind) => ({ shape: oneOf([name]), required: true });

/** The shape, defaults and conversion of each kind's options. */
const KINDS: {
  [K in GateKind]: { shape: MapShape; convert(declared: Readonly<Record<string, unknown>>): GateOptions[K] };
} = {
  tests: {
    shape: map(
      { kind: kind('tests') },
      {
        description: 'A passing test report for the artifact’s commit',
        hint: 'the tests gate takes no options: write it as - tests',
      },
    ),
    convert: () => ({}),
  },
  soak: {
    shape: map(
      {
        kind: kind('soak'),
        duration: string({
          rule: DURATION_RULE,
          description: 'How long the artifact runs in the environment it comes from first; default 1h',
          hint: 'write how long the artifact soaks, e.g. duration: 2h',
          validate: (text) => {
            const parsed = parseDuration(text);
            return parsed.ok
              ? undefined
              : (parsed.hint ?? 'write how long the artifact soaks, e.g. duration: 2h');
          },
        }),
      },
      {
        description: 'Time in the source environment with no failed verification there',
        hint: 'soak takes duration only',
      },
    ),
    convert: (declared) => {
      const duration = typeof declared['duration'] === 'string' ? declared['duration'] : '1h';
      const parsed = parseDuration(duration);
      // The shape has checked it; were it unreadable all the same, the soak would never pass, not pass early.
      return { duration, durationMs: parsed.ok ? parsed.value : Number.POSITIVE_INFINITY };
    },
  },
  approvals: {
    shape: map(
      {
        kind: kind('approvals'),
        count: integer({
          min: 1,
          description: 'How many people other than the commit’s author approve; default 1',
          hint: 'count is how many people other than the author approve: a whole number, 1 or more',
        }),
      },
      {
        description: 'Approvals from people other than the commit’s author',
        hint: 'approvals takes count only',
      },
    ),
    convert: (declared) => ({ count: typeof declared['count'] === 'number' ? declared['count'] : 1 }),
  },
  window: {
    shape: map(
      {
        kind: kind('window'),
        days: list(
          string({
            pattern: WEEKDAY,
            rule: 'a day such as mon or monday',
            hint: (value) => {
              // Edit distance grows with the value: a near miss of a day name is about as short as one.
              const near =
                typeof value === 'string' && value.length <= 12
                  ? closestMatch(value, [...WEEKDAYS, ...DAY_NAMES])
                  : undefined;
              return near ? `did you mean "${near}"?` : `days are ${WEEKDAYS.join(', ')}`;
            },
          }),
          {
            min: 1,
            description: 'The days deploys may happen on, e.g. [mon, tue, wed, thu]; default every day',
            hint: 'list the days deploys may happen on, e.g. days: [mon, tue, wed, thu]',
          },
        ),
        hours: string({
          pattern: HOURS,
          rule: 'HH:MM-HH:MM on a 24-hour clock, e.g. 09:00-17:00',
          description: 'The time of day deploys may happen in, e.g. "09:00-17:00"; default "00:00-24:00"',
          hint: 'write two-digit hours and minutes, e.g. hours: "09:00-17:00"; 24:00 ends at midnight',
          validate: (text) => {
            const [, opens = '', closes = ''] = HOURS.exec(text) ?? [];
            return opens < closes
              ? undefined
              : 'the window opens before it closes on the same day, e.g. 09:00-17:00; it cannot span midnight';
          },
        }),
        timezone: string({
          rule: 'an IANA time zone such as Europe/Berlin or UTC',
          description: 'The time zone days and hours are read in, e.g. Europe/Berlin; default UTC',
          hint: 'name an IANA time zone, e.g. timezone: Europe/Berlin',
          validate: timeZoneProblem,
        }),
      },
      { description: 'Deploy days and hours, in a time zone', hint: 'window takes days, hours and timezone' },
    ),
    convert: (declared) => {
      const days = Array.isArray(declared['days'])
        ? declared['days'].map((day) => String(day).toLowerCase().slice(0, 3) as Weekday)
        : WEEKDAYS;
      const [, opens = '00:00', closes = '24:00'] =
        HOURS.exec(typeof declared['hours'] === 'string' ? declared['hours'] : '') ?? [];
      const timezone = typeof declared['timezone'] === 'string' ? declared['timezone'] : 'UTC';
      return { days, opens, closes, timezone };
    },
  },
};

/** Zones already found valid: building a formatter to check one costs about 80 µs, every load. */
const knownZones = new Set<string>();

/** Undefined for a time zone this Node.js knows, else what to write instead. */
function timeZoneProblem(zone: string): string | undefined {
  if (knownZones.has(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    knownZones.add(zone);
    return undefined;
  } catch {
    // Compared with some 400 zone names: only a value of a zone name's length can be a near miss of one.
    const near =
      zone.length <= 40 ? closestMatch(zone, ['UTC', ...Intl.supportedValuesOf('timeZone')]) : undefined;
    return near ? `did you mean "${near}"?` : 'name an IANA time zone, e.g. timezone: Europe/Berlin';
  }
}

const gateKind = oneOf(GATE_KINDS, { description: 'The gate kind' });

/** One entry of `environments.<name>.gates`: a kind, or a map with a kind and that kind's options. */
export const gateShape: Shape = wordOrMap(
  gateKind,
  tagged('kind', Object.fromEntries(GATE_KINDS.map((name) => [name, KINDS[name].shape])), {
    description: 'A gate with options, e.g. { kind: approvals, count: 2 }',
  }),
);

/** A gate as stagecraft.yaml writes it. */
export type GateInput = string | { kind: string; [option: string]: unknown };

/** The typed gate of an entry the shape has accepted. */
export function toGate(input: GateInput): Gate {
  const { kind, ...declared } = typeof input === 'string' ? { kind: input } : input;
  switch (kind) {
    case 'tests':
      return { kind, options: KINDS.tests.convert(declared), declared };
    case 'soak':
      return { kind, options: KINDS.soak.convert(declared), declared };
    case 'approvals':
      return { kind, options: KINDS.approvals.convert(declared), declared };
    case 'window':
      return { kind, options: KINDS.window.convert(declared), declared };
    default:
      throw new Error(`toGate was given the gate kind "${kind}", which the workspace shape refuses`);
  }
}
