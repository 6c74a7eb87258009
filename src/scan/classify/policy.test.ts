import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Confidence } from './confidence.ts';
import { FINDING_CONTEXTS, type FindingContext } from './context.ts';
import { DEFAULT_FAIL_POLICY, failsRun } from './policy.ts';

test('by default high fails anywhere, medium outside tests, docs and examples, low nowhere', () => {
  const quiet: FindingContext[] = ['test', 'docs', 'example'];
  for (const context of FINDING_CONTEXTS) {
    const verdict = (confidence: Confidence) => failsRun({ confidence, context }, DEFAULT_FAIL_POLICY);
    assert.equal(verdict('high'), true, `high in ${context}`);
    assert.equal(verdict('medium'), !quiet.includes(context), `medium in ${context}`);
    assert.equal(verdict('low'), false, `low in ${context}`);
  }
});

test('minConfidence and contexts move the line, but never below high', () => {
  const strict = { minConfidence: 'low' as const, contexts: FINDING_CONTEXTS };
  assert.equal(failsRun({ confidence: 'low', context: 'test' }, strict), true);
  const lenient = { minConfidence: 'high' as const, contexts: ['code' as const] };
  assert.equal(failsRun({ confidence: 'medium', context: 'code' }, lenient), false);
  assert.equal(failsRun({ confidence: 'high', context: 'docs' }, lenient), true);
  const onlyCode = { minConfidence: 'medium' as const, contexts: ['code' as const] };
  assert.equal(failsRun({ confidence: 'medium', context: 'config' }, onlyCode), false);
});
