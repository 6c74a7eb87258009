import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSseParser, type ServerSentEvent } from './sse.js';

/** The events a stream's text gives when it arrives in these chunks. */
function parse(...chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

test('reads events, their types, ids and data lines, and skips comments', () => {
  assert.deepEqual(
    parse('event: ledger\ndata: {"count":3}\nretry: 3000\n\n: ping\n\ndata: a\ndata: b\nid: 7\n\n'),
    [
      { type: 'ledger', data: '{"count":3}', id: undefined },
      { type: 'message', data: 'a\nb', id: '7' },
    ],
  );
});

test('an event is dispatched only at its blank line, and one without data is none', () => {
  assert.deepEqual(parse('event: ledger\ndata: 1\n'), []);
  assert.deepEqual(parse('event: ledger\n\n'), []);
  assert.deepEqual(parse('data:no space\n\n'), [{ type: 'message', data: 'no space', id: undefined }]);
});

test('chunks may split a line anywhere, even between the \\r and \\n of one line ending', () => {
  const whole = 'event: ledger\r\ndata: {"count":12}\r\n\r\nevent: ledger\rdata: {"count":13}\r\r';
  const expected = [
    { type: 'ledger', data: '{"count":12}', id: undefined },
    { type: 'ledger', data: '{"count":13}', id: undefined },
  ];
  assert.deepEqual(parse(whole), expected);
  for (let cut = 1; cut < whole.length; cut++) {
    assert.deepEqual(parse(whole.slice(0, cut), whole.slice(cut)), expected, `cut at ${cut}`);
  }
  assert.deepEqual(parse(...whole.split('')), expected, 'one character at a time');
});
