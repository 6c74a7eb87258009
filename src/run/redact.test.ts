import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redactor, redactValues } from './redact.ts';

/**
 * A value made now, with the characters that make its encodings differ from it: a space, `/`, `+`, a quote,
 * a backslash, a non-ASCII letter and a newline. Never printed: assertions compare and say only what failed.
 */
const secret = (): string =>
  `${randomBytes(9).toString('base64')} /+"\\é\n${randomBytes(9).toString('base64url')}`;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const urlSafe = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_');

/** Each way the value is written in the tests, by name, computed here rather than by the module under test. */
function forms(value: string): Record<string, string> {
  const padded = base64(value);
  return {
    verbatim: value,
    encodeURIComponent: encodeURIComponent(value),
    'form encoding (+ for space)': encodeURIComponent(value).replace(/%20/g, '+'),
    URLSearchParams: new URLSearchParams({ q: value }).toString().slice(2),
    'JSON string': JSON.stringify(value).slice(1, -1),
    'JSON string, ASCII only': JSON.stringify(value).slice(1, -1).replace(/é/g, '\\u00e9'),
    'base64, padded': padded,
    'base64, unpadded': padded.replace(/=+$/, ''),
    'base64url, padded': urlSafe(padded),
    'base64url, unpadded': urlSafe(padded).replace(/=+$/, ''),
  };
}

test('redactValues masks a value verbatim, URL-encoded, form-encoded, JSON-escaped and base64-encoded', () => {
  const value = secret();
  for (const [name, form] of Object.entries(forms(value))) {
    assert.notEqual(form.length, 0);
    const redacted = redactValues(`before ${form} after`, [value]);
    assert.ok(redacted === 'before *** after', `the ${name} form is masked`);
  }
  assert.equal(redactValues('nothing secret here', [value]), 'nothing secret here');
  assert.equal(redactValues('anything', []), 'anything');
  assert.equal(redactValues('anything', ['']), 'anything', 'an empty value masks nothing');
});

test('redactValues masks a value base64-encoded inside a longer text, at each of the three alignments', () => {
  const value = secret();
  // user: of 1, 2 and 3 bytes puts the value 1, 2 and 0 bytes into a base64 group.
  for (const user of ['', 'a', 'ab', 'abc']) {
    for (const encode of [base64, (text: string) => urlSafe(base64(text)).replace(/=+$/, '')]) {
      const header = `Authorization: Basic ${encode(`${user}:${value}`)}`;
      const redacted = redactValues(header, [value]);
      // At most the characters shared with the user name before it and the padding group after it remain.
      const before = Math.ceil(((user.length + 1) * 4) / 3) + 1;
      assert.ok(
        new RegExp(`^Authorization: Basic [A-Za-z0-9+/_-]{0,${before}}\\*\\*\\*[A-Za-z0-9+/_=-]{0,4}$`).test(
          redacted,
        ),
        `the value inside a Basic header is masked (user name of ${user.length} characters)`,
      );
    }
  }
});

test('Redactor masks every form however the output is cut into chunks, and passes other bytes through', async () => {
  const value = secret();
  const text = `start ${Object.values(forms(value)).join(' | ')} ¬ end\n`;
  const expected = redactValues(text, [value]);
  assert.ok(!expected.includes(value) && expected.startsWith('start *** | ***'));
  const bytes = Buffer.from(text, 'utf8');
  const through = async (chunks: Buffer[]) => {
    const redactor = new Redactor([value]);
    const out: Buffer[] = [];
    redactor.on('data', (chunk: Buffer) => out.push(chunk));
    const ended = new Promise((resolve) => redactor.on('end', resolve));
    for (const chunk of chunks) redactor.write(chunk);
    redactor.end();
    await ended;
    return Buffer.concat(out).toString('utf8');
  };
  for (let cut = 0; cut <= bytes.length; cut++) {
    const result = await through([bytes.subarray(0, cut), bytes.subarray(cut)]);
    assert.ok(result === expected, `the output cut at byte ${cut} is masked like the whole`);
  }
  const byteByByte = await through([...bytes].map((byte) => Buffer.from([byte])));
  assert.ok(byteByByte === expected, 'the output written one byte at a time is masked like the whole');
});

test('Redactor holds back only what could still begin a form', async () => {
  const value = secret();
  const redactor = new Redactor([value]);
  const out: string[] = [];
  redactor.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  redactor.write(Buffer.from('plain line\n'));
  redactor.write(Buffer.from(`next ${value.slice(0, 6)}`));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(out, ['plain line\n', 'next '], 'a possible beginning of the value waits for more');
  redactor.end(Buffer.from(`${value.slice(6)} done`));
  await new Promise((resolve) => redactor.on('end', resolve));
  assert.ok(out.join('') === 'plain line\nnext *** done');
});
