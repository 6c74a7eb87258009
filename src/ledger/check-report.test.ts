import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { keptReport, REPORT_LIMIT } from './check-report.ts';

/** A connection string's password: what the scanner recognises wherever it stands. Generated per run. */
const password = () => `Zq${randomBytes(16).toString('hex')}`;
const connection = (secret: string) => `postgres://shop:${secret}@db.example.com:5432/shop`;

test('a report is kept as it is when the scanner finds nothing in it', () => {
  const report = JSON.stringify({
    verdict: 'drift',
    items: [{ path: 'data.NOTE', desired: 'a', live: 'b' }],
  });
  assert.equal(keptReport(report), report);
});

test('what the scanner recognises is masked wherever it stands in the report, which stays JSON', () => {
  const [old, current] = [password(), password()];
  const report = JSON.stringify({
    items: [{ path: 'data.note', desired: connection(old), live: connection(current), other: 'kept' }],
  });
  const kept = keptReport(report);
  assert.ok(!kept.includes(old) && !kept.includes(current), 'a secret was kept');
  const data = JSON.parse(kept);
  assert.match(data.items[0].desired, /^postgres:\/\/shop:Zq\S*\*{4,}@db\.example\.com:5432\/shop$/);
  assert.equal(data.items[0].other, 'kept');
});

test('a report larger than 256 KiB keeps its head, masked, in an object that parses', () => {
  const secret = password();
  const items = Array.from({ length: 20_000 }, (_, i) => ({
    path: `data.KEY_${i}`,
    // Multi-byte text and quotes, which grow when the head is escaped into a string.
    desired: `"värde" ↔ ${i} 🚀`,
    live: i === 3 ? connection(secret) : `"value" ${i}`,
  }));
  const report = JSON.stringify({ verdict: 'violations', items });
  const size = Buffer.byteLength(report, 'utf8');
  assert.ok(size > 2 * REPORT_LIMIT);
  const started = performance.now();
  const kept = keptReport(report);
  const ms = performance.now() - started;
  assert.ok(Buffer.byteLength(kept, 'utf8') <= REPORT_LIMIT, 'cut to the limit');
  assert.ok(Buffer.byteLength(kept, 'utf8') > REPORT_LIMIT * 0.9, 'and not far below it');
  const data = JSON.parse(kept) as { truncated: boolean; bytes: number; head: string };
  assert.equal(data.truncated, true);
  assert.equal(data.bytes, size);
  assert.ok(!data.head.includes(secret), 'the head is masked');
  assert.ok(report.startsWith(data.head.slice(0, data.head.indexOf('Zq'))), 'the head is the report’s start');
  assert.doesNotMatch(data.head, /[\uD800-\uDBFF]$/, 'no half of a surrogate pair');
  // Seconds would mean the scanner ran over the whole report rather than the head kept.
  assert.ok(ms < 5_000, `took ${ms.toFixed(0)} ms`);
});
