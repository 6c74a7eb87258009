import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Problem, StagecraftError } from '../errors.ts';
import { loadWorkspace, parseWorkspace } from './load.ts';
import { workspaceJsonSchema } from './schema.ts';

const EXAMPLE_SHOP = fileURLToPath(new URL('../../../../examples/shop', import.meta.url));

const FILE = '/repo/stagecraft.yaml';

/** A workspace whose staging environment declares `gate` (one line of YAML flow map) as its only gate. */
const withGate = (gate: string) =>
  `environments:\n  dev: {}\n  staging:\n    from: dev\n    gates:\n      - ${gate}\n`;

/** The one problem of a workspace whose only gate is `gate`. */
function problemOf(gate: string): Problem {
  try {
    parseWorkspace(withGate(gate), FILE);
  } catch (error) {
    assert.ok(error instanceof StagecraftError);
    assert.equal(error.code, 'WORKSPACE_INVALID');
    assert.equal(error.problems.length, 1, JSON.stringify(error.problems, null, 2));
    return error.problems[0] as Problem;
  }
  assert.fail(`expected ${gate} to be refused`);
}

function gatesOf(text: string) {
  return parseWorkspace(text, FILE).environments.find((env) => env.name === 'staging')?.gates;
}

test('the shop’s gates load with typed options, as declared', () => {
  const production = loadWorkspace({ cwd: EXAMPLE_SHOP }).environments[2];
  assert.deepEqual(
    production?.gates.map(({ kind, options }) => ({ kind, options })),
    [
      { kind: 'tests', options: {} },
      { kind: 'soak', options: { duration: '1h', durationMs: 3_600_000 } },
      { kind: 'approvals', options: { count: 1 } },
      {
        kind: 'window',
        options: {
          days: ['mon', 'tue', 'wed', 'thu'],
          opens: '09:00',
          closes: '16:00',
          timezone: 'Europe/Berlin',
        },
      },
    ],
  );
  // What was written stays available, for `workspace show`.
  assert.deepEqual(production?.gates[1]?.declared, { duration: '1h' });
});

test('options left out take their defaults; day names are read in any case, short or full', () => {
  const gates = gatesOf(
    `${withGate('soak')}      - approvals\n      - window\n      - { kind: window, days: [Monday, TUE], hours: "00:00-24:00" }\n`,
  );
  assert.deepEqual(
    gates?.map((gate) => gate.options),
    [
      { duration: '1h', durationMs: 3_600_000 },
      { count: 1 },
      {
        days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        opens: '00:00',
        closes: '24:00',
        timezone: 'UTC',
      },
      { days: ['mon', 'tue'], opens: '00:00', closes: '24:00', timezone: 'UTC' },
    ],
  );
});

test('a negative approvals count is refused at its line', () => {
  const problem = problemOf('{ kind: approvals, count: -1 }');
  assert.equal(problem.message, 'environments.staging.gates[0].count must be at least 1');
  assert.deepEqual(problem.location, { file: FILE, line: 6, column: 35 });
  assert.match(problem.hint ?? '', /1 or more/);
});

test('a fractional approvals count is refused, and so is a word', () => {
  const fraction = problemOf('{ kind: approvals, count: 1.5 }');
  assert.equal(fraction.message, 'environments.staging.gates[0].count must be a whole number');
  assert.equal(fraction.found, '1.5');
  assert.match(fraction.hint ?? '', /whole number, 1 or more/);
  assert.equal(problemOf('{ kind: approvals, count: two }').found, '"two"');
});

test('a soak duration that is not a duration is refused with what one looks like', () => {
  const problem = problemOf('{ kind: soak, duration: forever }');
  assert.equal(problem.code, 'WORKSPACE_INVALID_VALUE');
  assert.equal(problem.message, 'environments.staging.gates[0].duration is not valid');
  assert.equal(problem.expected, 'a duration such as 90s, 30m, 2h or 1d');
  assert.deepEqual(problem.location, { file: FILE, line: 6, column: 33 });
  assert.equal(problem.hint, 'write how long the artifact soaks, e.g. duration: 2h');
  // The duration parser's own hint, when it has one.
  assert.match(problemOf('{ kind: soak, duration: 5M }').hint ?? '', /lower case/);
  assert.match(problemOf('{ kind: soak, duration: 90 }').message, /must be a string/);
});

test('an unknown time zone is refused, with the zone meant when it is a near miss', () => {
  const mars = problemOf('{ kind: window, timezone: Mars/Olympus }');
  assert.equal(mars.message, 'environments.staging.gates[0].timezone is not valid');
  assert.equal(mars.expected, 'an IANA time zone such as Europe/Berlin or UTC');
  assert.deepEqual(mars.location, { file: FILE, line: 6, column: 35 });
  assert.equal(mars.hint, 'name an IANA time zone, e.g. timezone: Europe/Berlin');
  assert.equal(problemOf('{ kind: window, timezone: Europe/Berln }').hint, 'did you mean "Europe/Berlin"?');
});

test('an option the gate does not take is refused, with the one meant', () => {
  const typo = problemOf('{ kind: soak, durations: 1h }');
  assert.equal(typo.code, 'WORKSPACE_UNKNOWN_KEY');
  assert.equal(typo.message, 'unknown key "durations" in environments.staging.gates[0]');
  assert.equal(typo.hint, 'did you mean "duration"?');
  assert.deepEqual(typo.location, { file: FILE, line: 6, column: 23 });
  // Another kind's option is no option of this one.
  const other = problemOf('{ kind: tests, count: 2 }');
  assert.equal(other.expected, 'one of kind');
  assert.equal(other.hint, 'the tests gate takes no options: write it as - tests');
});

test('bad weekdays are refused, each at its place in the list', () => {
  const funday = problemOf('{ kind: window, days: [mon, funday] }');
  assert.equal(funday.path, 'environments.staging.gates[0].days[1]');
  assert.equal(funday.expected, 'a day such as mon or monday');
  assert.deepEqual(funday.location, { file: FILE, line: 6, column: 37 });
  assert.equal(problemOf('{ kind: window, days: [mon, thr] }').hint, 'did you mean "thu"?');
  assert.equal(
    problemOf('{ kind: window, days: [everyday] }').hint,
    'days are sun, mon, tue, wed, thu, fri, sat',
  );
  const none = problemOf('{ kind: window, days: [] }');
  assert.equal(none.message, 'environments.staging.gates[0].days needs at least 1 item');
  assert.match(none.hint ?? '', /days: \[mon, tue, wed, thu\]/);
});

test('bad hours are refused: the HH:MM form, and a window that would close before it opens', () => {
  const loose = problemOf('{ kind: window, hours: 9-17 }');
  assert.equal(loose.message, 'environments.staging.gates[0].hours is not valid');
  assert.equal(loose.expected, 'HH:MM-HH:MM on a 24-hour clock, e.g. 09:00-17:00');
  assert.match(loose.hint ?? '', /two-digit hours/);
  assert.match(problemOf('{ kind: window, hours: "09:00-25:00" }').message, /hours is not valid/);
  const backwards = problemOf('{ kind: window, hours: "17:00-09:00" }');
  assert.match(backwards.hint ?? '', /opens before it closes.*cannot span midnight/);
  assert.match(problemOf('{ kind: window, hours: "09:00-09:00" }').hint ?? '', /opens before it closes/);
});

test('every bad option of a file is reported at once, in file order', () => {
  try {
    parseWorkspace(
      withGate(
        '{ kind: approvals, count: 0 }\n      - { kind: window, hours: 9-17, timezone: Mars/Olympus }',
      ),
      FILE,
    );
    assert.fail('expected the workspace to be invalid');
  } catch (error) {
    assert.ok(error instanceof StagecraftError);
    assert.deepEqual(
      error.problems.map((problem) => [problem.path, problem.location?.line]),
      [
        ['environments.staging.gates[0].count', 6],
        ['environments.staging.gates[1].hours', 7],
        ['environments.staging.gates[1].timezone', 7],
      ],
    );
  }
});

test('the JSON Schema gives editors each kind’s options, closed', () => {
  const schema = JSON.stringify(workspaceJsonSchema());
  const gate = (kind: string) => {
    const match = new RegExp(
      `\\{"description":"[^"]*","type":"object","properties":\\{"kind":\\{"enum":\\["${kind}"\\]\\}(.*?)"additionalProperties":false\\}`,
    ).exec(schema);
    assert.ok(match, `no closed map for ${kind}`);
    return match[1] ?? '';
  };
  assert.match(gate('approvals'), /"count":\{[^}]*"type":"integer","minimum":1\}/);
  assert.match(gate('soak'), /"duration":\{[^}]*"type":"string"\}/);
  assert.match(gate('window'), /"days":\{.*"minItems":1/);
  // A case-insensitive day name, as a pattern JSON Schema can carry.
  assert.match(gate('window'), /\[mM\]\[oO\]\[nN\]/);
  assert.equal(gate('tests'), '},"required":["kind"],');
});
