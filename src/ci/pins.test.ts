import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTION_PINS } from './pins.ts';

test('every pin is a full commit with the release tag it was taken from and that tag’s page', () => {
  for (const [name, pin] of Object.entries(ACTION_PINS)) {
    assert.match(pin.commit, /^[0-9a-f]{40}$/, name);
    assert.match(pin.version, /^v\d+\.\d+\.\d+$/, name);
    const repository = pin.action.split('/').slice(0, 2).join('/');
    assert.equal(pin.source, `https://github.com/${repository}/releases/tag/${pin.version}`, name);
  }
});
