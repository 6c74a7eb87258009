import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureLimiter } from './rate-limit.ts';

/** A limiter on a clock the test moves. */
function limiter(options: { maxFailures: number; windowMs?: number; maxClients?: number }) {
  const clock = { now: 1_000_000 };
  const limit = new FailureLimiter({ windowMs: 60_000, maxClients: 100, ...options }, () => clock.now);
  return { limit, clock };
}

test('a client may fail up to the limit; the failure that reaches it locks the client out, once', () => {
  const { limit } = limiter({ maxFailures: 3 });
  assert.equal(limit.retryAfter('10.0.0.1'), undefined);
  assert.equal(limit.fail('10.0.0.1'), false);
  assert.equal(limit.fail('10.0.0.1'), false);
  assert.equal(limit.retryAfter('10.0.0.1'), undefined);
  assert.equal(limit.fail('10.0.0.1'), true);
  assert.equal(limit.retryAfter('10.0.0.1'), 60);
  // Counted on past the limit (the server does not), it does not report the lock-out again.
  assert.equal(limit.fail('10.0.0.1'), false);
});

test('the lock-out lasts until the window that began with the first failure has passed', () => {
  const { limit, clock } = limiter({ maxFailures: 2 });
  limit.fail('10.0.0.1');
  clock.now += 20_000;
  limit.fail('10.0.0.1');
  // The window runs from the first failure, not the last: 40 s are left of it.
  assert.equal(limit.retryAfter('10.0.0.1'), 40);
  clock.now += 39_001;
  // Less than a second left is still a second to wait: Retry-After is never 0 while locked out.
  assert.equal(limit.retryAfter('10.0.0.1'), 1);
  clock.now += 999;
  assert.equal(limit.retryAfter('10.0.0.1'), undefined);
  // A new window: the earlier failures no longer count.
  assert.equal(limit.fail('10.0.0.1'), false);
  assert.equal(limit.retryAfter('10.0.0.1'), undefined);
  assert.equal(limit.fail('10.0.0.1'), true);
});

test('failures that do not reach the limit within the window are forgotten', () => {
  const { limit, clock } = limiter({ maxFailures: 3 });
  limit.fail('10.0.0.1');
  limit.fail('10.0.0.1');
  clock.now += 60_000;
  assert.equal(limit.fail('10.0.0.1'), false);
  assert.equal(limit.fail('10.0.0.1'), false);
  assert.equal(limit.retryAfter('10.0.0.1'), undefined);
});

test('each client is counted on its own', () => {
  const { limit } = limiter({ maxFailures: 1 });
  assert.equal(limit.fail('10.0.0.1'), true);
  assert.equal(limit.retryAfter('10.0.0.1'), 60);
  assert.equal(limit.retryAfter('10.0.0.2'), undefined);
  assert.equal(limit.retryAfter('::1'), undefined);
});

test('the table is bounded: past its size the client whose last failure is oldest is forgotten', () => {
  const { limit } = limiter({ maxFailures: 2, maxClients: 3 });
  limit.fail('a');
  limit.fail('b');
  limit.fail('c');
  // a fails again: its entry is now the newest, and it is locked out.
  assert.equal(limit.fail('a'), true);
  // A fourth client pushes out the one whose last failure is oldest: b, not a.
  limit.fail('d');
  assert.equal(limit.retryAfter('a'), 60);
  // b starts again from nothing: one failure is not yet the limit of two.
  assert.equal(limit.fail('b'), false);
  // Memory wins over a lock-out: once three clients failed after it, a is forgotten too.
  limit.fail('e');
  assert.equal(limit.retryAfter('a'), undefined);
});
