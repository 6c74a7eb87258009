import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import {
  type ParseResult,
  parseBool,
  parseByteSize,
  parseDuration,
  parseEnum,
  parseInt as parseInteger,
  parseJson,
  parseList,
  parseNumber,
  parsePort,
  parseString,
  parseUrl,
} from './values.ts';

type Parser = (raw: unknown) => ParseResult<unknown>;
/** A rejected input and the hint it must get: exact text, a pattern, or `undefined` for no hint. */
type Rejection = readonly [raw: unknown, hint: string | RegExp | undefined];

function assertAccepts<T>(
  parse: (raw: unknown) => ParseResult<T>,
  table: readonly (readonly [unknown, T])[],
): void {
  for (const [raw, value] of table) {
    assert.deepEqual(parse(raw), { ok: true, value }, `input ${inspect(raw)}`);
  }
}

function assertRejects(parse: Parser, expected: string, table: readonly Rejection[]): void {
  for (const [raw, hint] of table) {
    const result = parse(raw);
    const label = `input ${inspect(raw)} gave ${inspect(result)}`;
    assert.equal(result.ok, false, label);
    if (result.ok) continue;
    assert.equal(result.expected, expected, label);
    if (hint instanceof RegExp) assert.match(result.hint ?? '', hint, label);
    else assert.equal(result.hint, hint, label);
  }
}

const NULL_HINT = 'the value is null (YAML reads an empty value or ~ as null); write a value';
const LIST_HINT = 'got a list; give a single value';
const MAP_HINT = 'got a map; give a single value';

test('parseString keeps strings verbatim and stringifies YAML numbers and booleans', () => {
  assertAccepts(parseString, [
    ['eu-west-1', 'eu-west-1'],
    ['', ''],
    ['  padded secret ', '  padded secret '],
    [80, '80'],
    [1.5, '1.5'],
    [true, 'true'],
    [false, 'false'],
    [12345678901234567890n, '12345678901234567890'],
  ]);
});

test('parseString refuses null, lists, maps and numbers YAML could not hold exactly', () => {
  assertRejects(parseString, 'a string', [
    [null, NULL_HINT],
    [undefined, 'no value was given'],
    [['a'], LIST_HINT],
    [{ a: 1 }, MAP_HINT],
    [2 ** 64, 'YAML read this as a number too large to keep exactly; quote it'],
    [Number.NaN, 'quote the value in YAML to read it as text'],
    [Number.POSITIVE_INFINITY, 'quote the value in YAML to read it as text'],
  ]);
});

test('parseInt accepts trimmed decimal integers with a sign and YAML whole numbers', () => {
  assertAccepts(parseInteger, [
    ['42', 42],
    [' 42 ', 42],
    ['\t42\n', 42],
    ['-7', -7],
    ['+7', 7],
    ['007', 7],
    ['-0', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    [42, 42],
    [4.0, 4],
    [-3, -3],
    [42n, 42],
  ]);
  assert.ok(Object.is((parseInteger('-0') as { value: number }).value, 0), '-0 comes back as 0');
});

test('parseInt refuses decimals, exponents, hex, separators and unsafe integers, saying why', () => {
  assertRejects(parseInteger, 'an integer such as 42', [
    ['', 'the value is empty'],
    ['   ', 'the value is empty'],
    ['4.0', 'write a whole number'],
    ['4.5', 'write a whole number'],
    ['1e3', 'write all the digits; exponents are not accepted'],
    ['0x10', 'write the number in decimal'],
    ['0o17', 'write the number in decimal'],
    ['1_000', 'remove the digit separators (_ or ,)'],
    ['1,000', 'remove the digit separators (_ or ,)'],
    ['Infinity', 'the number must be finite'],
    ['NaN', 'the number must be finite'],
    ['9007199254740992', 'integers must lie between -9007199254740991 and 9007199254740991'],
    ['forty-two', undefined],
    ['4 2', undefined],
    ['٤٢', undefined],
    [4.5, 'write a whole number'],
    [2 ** 60, 'integers must lie between -9007199254740991 and 9007199254740991'],
    [Number.POSITIVE_INFINITY, 'the number must be finite'],
    [true, 'got a boolean'],
    [null, NULL_HINT],
    [[1], LIST_HINT],
  ]);
});

test('parseInt enforces inclusive bounds and describes them', () => {
  const between = (raw: unknown) => parseInteger(raw, { min: 1, max: 10 });
  assertAccepts(between, [
    ['1', 1],
    ['10', 10],
  ]);
  assertRejects(between, 'an integer from 1 to 10', [
    ['0', 'the value is below the minimum, 1'],
    [11, 'the value is above the maximum, 10'],
  ]);
  assertRejects((raw) => parseInteger(raw, { min: 0 }), 'an integer of at least 0', [['-1', /minimum, 0$/]]);
  assertRejects((raw) => parseInteger(raw, { max: 5 }), 'an integer of at most 5', [['6', /maximum, 5$/]]);
});

test('parseNumber accepts finite decimals in every common spelling', () => {
  assertAccepts(parseNumber, [
    ['3', 3],
    [' -2.5 ', -2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['+1.25', 1.25],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['-0', 0],
    [1.5, 1.5],
    [7, 7],
  ]);
});

test('parseNumber refuses empty, non-finite and non-decimal input', () => {
  assertRejects(parseNumber, 'a number such as 2.5', [
    ['', 'the value is empty'],
    ['NaN', 'the number must be finite'],
    ['Infinity', 'the number must be finite'],
    ['-inf', 'the number must be finite'],
    ['1e999', 'the number must be finite'],
    ['0x10', 'write the number in decimal'],
    ['1_000.5', 'remove the digit separators (_ or ,)'],
    ['.', undefined],
    ['1.2.3', undefined],
    ['e3', undefined],
    [Number.NaN, 'the number must be finite'],
    [false, 'got a boolean'],
    [{}, MAP_HINT],
  ]);
  assertRejects((raw) => parseNumber(raw, { min: 0, max: 1 }), 'a number from 0 to 1', [
    ['1.01', 'the value is above the maximum, 1'],
  ]);
});

const BOOL_TABLE = 'accepted, in any case: true, yes, on, 1 and false, no, off, 0';

test('parseBool reads the explicit table in any case, trimmed, and YAML booleans', () => {
  assertAccepts(parseBool, [
    ['true', true],
    ['TRUE', true],
    [' Yes ', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['NO', false],
    ['off', false],
    ['0', false],
    [true, true],
    [false, false],
    [1, true],
    [0, false],
  ]);
});

test('parseBool refuses anything outside the table, listing it', () => {
  assertRejects(parseBool, 'a boolean: true or false', [
    ['', `the value is empty; ${BOOL_TABLE}`],
    ['2', BOOL_TABLE],
    ['ture', BOOL_TABLE],
    ['y', BOOL_TABLE],
    ['enabled', BOOL_TABLE],
    ['true!', BOOL_TABLE],
    [2, `got a number; ${BOOL_TABLE}`],
    [null, `${NULL_HINT}; ${BOOL_TABLE}`],
    [['true'], `${LIST_HINT}; ${BOOL_TABLE}`],
  ]);
});

test('parseBool never reads a false word as true', () => {
  for (const word of ['false', 'FALSE', 'no', 'off', '0', ' false ']) {
    assert.deepEqual(parseBool(word), { ok: true, value: false }, word);
  }
});

const PORT = 'a port number from 1 to 65535, such as 8080';

test('parsePort accepts 1 to 65535 from text and YAML', () => {
  assertAccepts(parsePort, [
    ['1', 1],
    [' 8080 ', 8080],
    ['65535', 65535],
    [5432, 5432],
  ]);
});

test('parsePort refuses 0, out-of-range and host:port values with a hint', () => {
  assertRejects(parsePort, PORT, [
    ['0', 'port 0 lets the system pick any free port; choose a fixed port from 1 to 65535'],
    [0, 'port 0 lets the system pick any free port; choose a fixed port from 1 to 65535'],
    ['65536', 'ports range from 1 to 65535'],
    ['-1', 'ports range from 1 to 65535'],
    [':8080', 'write the port number alone, without a host or colon'],
    ['localhost:8080', 'write the port number alone, without a host or colon'],
    ['80.0', 'write a whole number'],
    ['', 'the value is empty'],
    ['http', undefined],
    [null, NULL_HINT],
  ]);
});

const WEB_URL = 'a URL starting with http:// or https://, such as https://example.com';

test('parseUrl returns the trimmed URL as written, not normalised', () => {
  assertAccepts(parseUrl, [
    ['https://example.com', 'https://example.com'],
    [' http://localhost:3000/api?q=1 ', 'http://localhost:3000/api?q=1'],
    ['HTTPS://Example.COM/Path', 'HTTPS://Example.COM/Path'],
    ['https://user:pass@db.internal:8443/', 'https://user:pass@db.internal:8443/'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ]);
});

test('parseUrl refuses other schemes, missing schemes and malformed URLs', () => {
  assertRejects(parseUrl, WEB_URL, [
    ['ftp://example.com', 'the scheme must be http: or https:'],
    ['example.com', 'start with the scheme, such as http://'],
    ['localhost:8080', 'start with the scheme, such as http://'],
    ['https:example.com', 'write // after https:'],
    ['https://', 'the URL is malformed; check the host name and port'],
    ['http://host:99999', 'the URL is malformed; check the host name and port'],
    ['https://exa mple.com', /cannot contain spaces/],
    ['https://example.com/a\tb', /cannot contain spaces/],
    ['', 'the value is empty'],
    [80, 'got a number'],
    [null, NULL_HINT],
  ]);
});

test('parseUrl takes the accepted schemes from options, with or without the colon', () => {
  const database = (raw: unknown) => parseUrl(raw, { protocols: ['postgres:', 'postgresql'] });
  assertAccepts(database, [
    ['postgres://app@db:5432/shop', 'postgres://app@db:5432/shop'],
    ['postgresql://db/shop', 'postgresql://db/shop'],
  ]);
  assertRejects(database, 'a URL starting with postgres: or postgresql:', [
    ['https://db/shop', 'the scheme must be postgres: or postgresql:'],
    ['db:5432', 'start with the scheme, such as postgres:'],
  ]);
  assertRejects(
    (raw) => parseUrl(raw, { protocols: ['https:'] }),
    'a URL starting with https://, such as https://example.com',
    [['http://example.com', 'the scheme must be https:']],
  );
  assert.throws(() => parseUrl('https://example.com', { protocols: [] }), TypeError);
});

const STAGES = ['dev', 'staging', 'production'] as const;
const STAGE_EXPECTED = 'one of "dev", "staging" or "production"';

test('parseEnum matches values exactly after trimming', () => {
  const stage = (raw: unknown) => parseEnum(raw, STAGES);
  assertAccepts(stage, [
    ['dev', 'dev'],
    [' production ', 'production'],
  ]);
  assertAccepts(
    (raw) => parseEnum(raw, ['1', '2', 'true']),
    [
      [2, '2'],
      [true, 'true'],
    ],
  );
});

test('parseEnum suggests the value that differs only in case and otherwise lists the values', () => {
  assertRejects((raw) => parseEnum(raw, STAGES), STAGE_EXPECTED, [
    ['Production', 'did you mean "production"? Values are case-sensitive'],
    ['DEV', 'did you mean "dev"? Values are case-sensitive'],
    ['prod', undefined],
    ['', 'the value is empty'],
    [null, NULL_HINT],
    [['dev'], LIST_HINT],
  ]);
  assertRejects((raw) => parseEnum(raw, ['a', 'A']), 'one of "a" or "A"', [['á', undefined]]);
  assertRejects((raw) => parseEnum(raw, []), 'no value (the list of allowed values is empty)', [
    ['x', undefined],
  ]);
});

const JSON_EXPECTED = 'JSON text, such as {"retries": 3} or ["a", "b"]';

test('parseJson parses text and passes structured YAML values through', () => {
  const map = { retries: 3 };
  assertAccepts(parseJson, [
    ['{"retries": 3}', { retries: 3 }],
    [' [1, "a", null] ', [1, 'a', null]],
    ['"text"', 'text'],
    ['42', 42],
    ['null', null],
    [map, map],
    [
      [1, 2],
      [1, 2],
    ],
    [3, 3],
    [false, false],
  ]);
  const result = parseJson(map);
  assert.ok(result.ok && result.value === map, 'a YAML map comes back as the same object');
});

test('parseJson refuses invalid text with a position but no quote of the input', () => {
  assertRejects(parseJson, JSON_EXPECTED, [
    ['', 'the value is empty'],
    ['{"a":1}x', 'the JSON is invalid at line 1, column 8'],
    ['{\n  "a": 1,\n}', 'the JSON is invalid at line 3, column 1'],
    ["{'a': 1}", 'the JSON is invalid at line 1, column 2; strings and keys need double quotes'],
    ['[1, 2', 'the JSON ends early; check for a missing bracket or quote'],
    ['undefined', 'the text is not valid JSON; keys and strings need double quotes'],
    [null, NULL_HINT],
    [undefined, 'no value was given'],
    [Number.NaN, 'the number must be finite'],
  ]);
});

const LIST = 'a comma-separated list such as a,b,c, or a JSON array such as ["a", "b"]';

test('parseList splits on commas, trims items and allows one trailing comma', () => {
  assertAccepts(parseList, [
    ['a,b,c', ['a', 'b', 'c']],
    [' a , b ,c ', ['a', 'b', 'c']],
    ['a b,c', ['a b', 'c']],
    ['single', ['single']],
    ['a,b,', ['a', 'b']],
    ['', []],
    ['   ', []],
  ]);
});

test('parseList reads JSON arrays and YAML lists, stringifying scalar items', () => {
  assertAccepts(parseList, [
    ['["a", "b,c"]', ['a', 'b,c']],
    [' [1, true, " x "] ', ['1', 'true', ' x ']],
    ['[]', []],
    ['["[::1]:80"]', ['[::1]:80']],
    [
      ['a', 2, false],
      ['a', '2', 'false'],
    ],
    [[], []],
    [8080, ['8080']],
    [true, ['true']],
  ]);
});

test('parseList refuses empty items, nested items and broken JSON arrays', () => {
  assertRejects(parseList, LIST, [
    ['a,,b', 'item 2 is empty; remove the extra separator'],
    [',a', 'item 1 is empty; remove the extra separator'],
    ['a,b,,', 'item 3 is empty; remove the extra separator'],
    [',', 'item 1 is empty; remove the extra separator'],
    ['[a, b]', /^a value starting with \[ is read as a JSON array/],
    ['[::1]:80,[::2]:80', /^a value starting with \[ is read as a JSON array/],
    ['["a", ["b"]]', 'item 2 is a list; items must be strings, numbers or booleans'],
    ['[{"a": 1}]', 'item 1 is a map; items must be strings, numbers or booleans'],
    [['a', null], 'item 2 is null; items must be strings, numbers or booleans'],
    [[Number.NaN], 'item 1 is invalid; items must be strings, numbers or booleans'],
    [{ a: 'b' }, MAP_HINT],
    [null, NULL_HINT],
  ]);
});

test('parseList honours a custom separator, and a whitespace separator drops every empty item', () => {
  assertAccepts(
    (raw) => parseList(raw, { separator: ';' }),
    [
      ['a; b;c,d', ['a', 'b', 'c,d']],
      ['a;', ['a']],
    ],
  );
  assertRejects((raw) => parseList(raw, { separator: ';' }), 'a list separated by ";", or a JSON array', [
    ['a;;b', 'item 2 is empty; remove the extra separator'],
  ]);
  assertAccepts((raw) => parseList(raw, { separator: '\n' }), [['\n a \n\n b c \n', ['a', 'b c']]]);
  assertAccepts((raw) => parseList(raw, { separator: ' ' }), [['a  b   c', ['a', 'b', 'c']]]);
  assert.throws(() => parseList('a', { separator: '' }), TypeError);
});

const DURATION = 'a duration such as 90s, 5m, 1h30m or PT1H30M';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('parseDuration reads unit parts, largest first, into milliseconds', () => {
  assertAccepts(parseDuration, [
    ['90s', 90 * SECOND],
    ['5m', 5 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['1h 30m', 90 * MINUTE],
    [' 1 h 30 m ', 90 * MINUTE],
    ['250ms', 250],
    ['2d', 2 * DAY],
    ['1w', 7 * DAY],
    ['1w2d3h4m5s6ms', 7 * DAY + 2 * DAY + 3 * HOUR + 4 * MINUTE + 5 * SECOND + 6],
    ['1.5h', 90 * MINUTE],
    ['1.1s', 1100],
    ['.5s', 500],
    ['0s', 0],
    ['0', 0],
    [0, 0],
    ['0.0', 0],
  ]);
});

test('parseDuration reads ISO 8601 weeks, days and times', () => {
  assertAccepts(parseDuration, [
    ['PT90S', 90 * SECOND],
    ['PT1H30M', 90 * MINUTE],
    ['P1DT2H', 26 * HOUR],
    ['P2W', 14 * DAY],
    ['P1W1D', 8 * DAY],
    ['PT0.5S', 500],
    ['PT1,5S', 1500],
    ['P1.5D', 36 * HOUR],
    ['pt10m', 10 * MINUTE],
  ]);
});

test('parseDuration refuses bare numbers as ambiguous, and negative durations', () => {
  const bare = 'add a unit, such as 30s or 30000ms: a bare number is ambiguous';
  assertRejects(parseDuration, DURATION, [
    ['30', bare],
    [' 30 ', bare],
    ['1.5', bare],
    [30, bare],
    [Number.POSITIVE_INFINITY, bare],
    ['-5s', 'a duration cannot be negative'],
    ['-PT5S', 'a duration cannot be negative'],
    [-30, 'a duration cannot be negative'],
  ]);
});

test('parseDuration refuses unknown or upper-case units, disorder and fractions of a millisecond', () => {
  const units = 'units are ms, s, m, h, d (24h) and w (7d)';
  assertRejects(parseDuration, DURATION, [
    ['5min', units],
    ['2 hours', units],
    ['10us', units],
    ['5µs', units],
    ['1y', units],
    ['5M', `write units in lower case: ${units}`],
    ['5S', `write units in lower case: ${units}`],
    ['30m1h', 'write each unit once, from largest to smallest, as in 1h30m'],
    ['1h1h', 'write each unit once, from largest to smallest, as in 1h30m'],
    ['1h30', 'every number needs a unit, as in 1h30m'],
    ['1.5ms', 'durations are whole milliseconds'],
    ['0.0001s', 'durations are whole milliseconds'],
    ['99999999999999999w', 'the duration is too long to hold exactly in milliseconds'],
    ['1h, 30m', undefined],
    ['+5s', undefined],
    ['', 'the value is empty'],
    [null, NULL_HINT],
    [true, 'got a boolean'],
    [{ seconds: 5 }, MAP_HINT],
  ]);
});

test('parseDuration refuses ISO 8601 years and months, and malformed ISO durations', () => {
  const varies = 'years and months vary in length; write days or weeks instead, as in P30D';
  assertRejects(parseDuration, DURATION, [
    ['P1Y', varies],
    ['P1M', varies],
    ['P1Y2DT3H', varies],
    ['P', 'an ISO 8601 duration needs at least one part, as in PT30S'],
    ['PT', 'write at least one part after T, as in PT30S'],
    ['P1DT', 'write at least one part after T, as in PT30S'],
    ['P1H', 'before T, use W and D; hours, minutes and seconds go after T'],
    ['PT1D', 'after T, use H, M and S'],
    ['PT1M1H', 'write the parts of an ISO 8601 duration from largest to smallest'],
    ['PT1.5H30M', 'only the last part of an ISO 8601 duration may have a fraction'],
    ['PT0.0001S', 'durations are whole milliseconds'],
    ['PT1HT2M', undefined],
    ['P1 D', undefined],
  ]);
});

const BYTES = 'a size in bytes such as 512, 64KiB, 8MB or 1.5GiB';

test('parseByteSize reads SI and IEC units, case-insensitively, with an optional space', () => {
  assertAccepts(parseByteSize, [
    ['512', 512],
    ['512B', 512],
    [512, 512],
    ['8KB', 8000],
    ['8kB', 8000],
    ['8kb', 8000],
    ['8KiB', 8192],
    ['8kib', 8192],
    ['8 MB', 8_000_000],
    ['2MiB', 2 * 1024 ** 2],
    ['1GB', 1e9],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['2TB', 2e12],
    ['1TiB', 1024 ** 4],
    ['0.5KB', 500],
    ['0.0009765625KiB', 1],
    [' 64 KiB ', 65536],
    ['0', 0],
  ]);
});

test('parseByteSize refuses fractions of a byte, negatives, unknown units and unsafe sizes', () => {
  const units = 'units are B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB (powers of 1024)';
  const whole = 'the size is not a whole number of bytes';
  const tooLarge = 'the size is too large to hold exactly (the limit is 2^53 − 1 bytes, just under 8192 TiB)';
  assertRejects(parseByteSize, BYTES, [
    ['1.5', whole],
    ['0.3KiB', whole],
    [1.5, whole],
    ['-1', 'a size cannot be negative'],
    ['-1KB', 'a size cannot be negative'],
    [-1, 'a size cannot be negative'],
    ['8XB', units],
    ['8PB', units],
    ['8 bytes', units],
    ['8Mi', 'write MiB for 1024² bytes'],
    ['8K', 'write KB (1000 bytes) or KiB (1024 bytes)'],
    ['8g', 'write GB (1000³ bytes) or GiB (1024³ bytes)'],
    ['8192TiB', tooLarge],
    ['1'.repeat(40), tooLarge],
    [2 ** 60, tooLarge],
    [Number.POSITIVE_INFINITY, tooLarge],
    ['1,024', 'remove the digit separators (_ or ,)'],
    ['1e3', undefined],
    ['KB', undefined],
    ['', 'the value is empty'],
    [null, NULL_HINT],
    [[512], LIST_HINT],
  ]);
});

const PARSERS: readonly (readonly [string, Parser])[] = [
  ['parseString', parseString],
  ['parseInt', (raw) => parseInteger(raw)],
  ['parseInt with bounds', (raw) => parseInteger(raw, { min: 1, max: 10 })],
  ['parseNumber', (raw) => parseNumber(raw, { max: 1 })],
  ['parseBool', parseBool],
  ['parsePort', parsePort],
  ['parseUrl', (raw) => parseUrl(raw)],
  ['parseUrl for redis', (raw) => parseUrl(raw, { protocols: ['redis:'] })],
  ['parseEnum', (raw) => parseEnum(raw, ['alpha', 'beta'])],
  ['parseJson', parseJson],
  ['parseList', (raw) => parseList(raw)],
  ['parseList with ;', (raw) => parseList(raw, { separator: ';' })],
  ['parseDuration', parseDuration],
  ['parseByteSize', parseByteSize],
];

const CANARY = 'zzcanary';
const NUMBER_CANARY = '917917917';
const CANARY_INPUTS: readonly unknown[] = [
  CANARY,
  ` ${CANARY} `,
  CANARY.toUpperCase(),
  `5${CANARY}`,
  `5 ${CANARY}`,
  `1.5${CANARY}`,
  `1h${CANARY}`,
  `-${CANARY}`,
  `0x${CANARY}`,
  `${CANARY}_1`,
  `${CANARY}:8080`,
  `P1${CANARY}`,
  `PT1${CANARY}`,
  `[${CANARY}`,
  `["${CANARY}"`,
  `["${CANARY}", [1]]`,
  `{"${CANARY}": ${CANARY}}`,
  `'${CANARY}'`,
  `${CANARY},,x`,
  `ftp://${CANARY}.example/`,
  `https:${CANARY}.example`,
  `https://${CANARY} x/`,
  `http://${CANARY}:99999/`,
  NUMBER_CANARY,
  `-${NUMBER_CANARY}`,
  `${NUMBER_CANARY}.5`,
  `0.${NUMBER_CANARY}s`,
  `${NUMBER_CANARY}${NUMBER_CANARY}w`,
  Number(NUMBER_CANARY),
  -Number(NUMBER_CANARY),
  Number(`${NUMBER_CANARY}.5`),
  [CANARY, { [CANARY]: 1 }],
  { [CANARY]: CANARY },
];

test('no parser ever repeats the input in expected or hint', () => {
  let rejections = 0;
  for (const [name, parse] of PARSERS) {
    let rejectedHere = 0;
    for (const raw of CANARY_INPUTS) {
      const result = parse(raw);
      if (result.ok) continue;
      rejectedHere += 1;
      const text = `${result.expected}\n${result.hint ?? ''}`;
      for (const canary of [CANARY, CANARY.toUpperCase(), NUMBER_CANARY]) {
        assert.ok(!text.includes(canary), `${name}(${inspect(raw)}) repeated its input: ${inspect(result)}`);
      }
    }
    assert.ok(rejectedHere >= 2, `${name} rejected only ${rejectedHere} canary inputs`);
    rejections += rejectedHere;
  }
  assert.ok(rejections > 300, `only ${rejections} rejections were checked`);
});

// Quadratic backtracking on 100 kB takes minutes; the timeout turns that into a failure.
test('every parser finishes quickly on long adversarial input', { timeout: 30_000 }, () => {
  const inputs = [
    `${'1'.repeat(100_000)}x`,
    `0.${'0'.repeat(100_000)}1s`,
    `${'1h'.repeat(50_000)}`,
    `${'1 '.repeat(50_000)}x`,
    `P${'1D'.repeat(50_000)}`,
    `[${'"a",'.repeat(25_000)}`,
    `${'a,'.repeat(50_000)},`,
  ];
  for (const [, parse] of PARSERS) {
    for (const raw of inputs) assert.equal(typeof parse(raw).ok, 'boolean');
  }
});
