import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowGate } from './window.ts';

const berlin = {
  days: ['mon', 'tue', 'wed', 'thu'] as const,
  opens: '09:00',
  closes: '16:00',
  timezone: 'Europe/Berlin',
};

test('the window opens on its days and hours, read in its time zone', () => {
  // Monday 24 November 2026, 11:00 in Berlin (10:00 UTC).
  assert.equal(windowGate(berlin, { now: new Date('2026-11-24T10:00:00Z') }), undefined);
  // 09:00 is inside, 16:00 is not.
  assert.equal(windowGate(berlin, { now: new Date('2026-11-24T08:00:00Z') }), undefined);
  assert.match(
    windowGate(berlin, { now: new Date('2026-11-24T15:00:00Z') })?.message ?? '',
    /it is tue 16:00 there/,
  );
});

test('outside its days the window is shut, and says when it is where', () => {
  const failure = windowGate(berlin, { now: new Date('2026-11-27T17:00:00Z') });
  assert.equal(failure?.gate, 'window');
  assert.equal(
    failure?.message,
    'outside the deploy window (mon, tue, wed, thu 09:00-16:00 Europe/Berlin; it is fri 18:00 there)',
  );
  assert.match(failure?.hint ?? '', /--break-glass/);
});

test('a window to 24:00 includes the last minute of the day', () => {
  const allDay = {
    days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const,
    opens: '00:00',
    closes: '24:00',
    timezone: 'UTC',
  };
  assert.equal(windowGate(allDay, { now: new Date('2026-11-24T23:59:30Z') }), undefined);
  assert.equal(windowGate(allDay, { now: new Date('2026-11-24T00:00:00Z') }), undefined);
});
