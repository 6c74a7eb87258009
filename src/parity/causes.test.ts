import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedName } from './causes.ts';

test('the changed part of two values is a name only when it is word-aligned and holds a letter', () => {
  assert.deepEqual(changedName('shop-stg', 'shop-prd'), ['stg', 'prd']);
  assert.deepEqual(changedName('https://shop-stg.example.com/api', 'https://shop-prd.example.com/api'), [
    'stg',
    'prd',
  ]);
  assert.deepEqual(changedName('db.staging.svc.cluster.local', 'db.prod.svc.cluster.local'), [
    'staging',
    'prod',
  ]);
  assert.deepEqual(changedName('eu-west-1a', 'eu-central-1a'), ['west', 'central']);
  // A version bump, a list grown by an item, a value replaced by a sentence: not a name.
  assert.equal(changedName('1.8.3', '1.8.4'), undefined);
  assert.equal(changedName('search', 'search,checkout'), undefined);
  assert.equal(changedName('INFO', 'log everything at debug level'), undefined);
  assert.equal(changedName('a.b', 'a.b'), undefined);
});
