import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StagecraftError } from '@stagecraft/config/errors';
import { CliCodes } from './errors.ts';
import { Output } from './output.ts';

function capture(format: 'json' | 'text') {
  const out = { stdout: '', stderr: '' };
  const output = new Output({
    stdout: { write: (chunk: string) => (out.stdout += chunk) },
    stderr: { write: (chunk: string) => (out.stderr += chunk) },
    format,
    color: false,
    errorColor: false,
  });
  return { out, output };
}

const report = (data: unknown) => ({ data, text: () => String(data), markdown: () => String(data) });

test('under --format json stdout holds one document: a report, or the error with the report under it', () => {
  const { out, output } = capture('json');
  output.report(report({ ok: 1 }));
  output.error(new StagecraftError(CliCodes.CLI_USAGE, 'it broke after reporting', { hint: 'run it again' }));
  const document = JSON.parse(out.stdout);
  assert.equal(document.error.code, 'CLI_USAGE');
  assert.deepEqual(document.report, { ok: 1 });
});

test('a second report under --format json is a bug, never a second document', () => {
  const { out, output } = capture('json');
  output.report(report({ first: true }));
  assert.throws(() => output.report(report({ second: true })), /reported twice/);
  output.flush();
  assert.deepEqual(JSON.parse(out.stdout), { first: true });
  // Text prints each report as it comes.
  const text = capture('text');
  text.output.report(report('one'));
  text.output.report(report('two'));
  assert.equal(text.out.stdout, 'one\ntwo\n');
});
