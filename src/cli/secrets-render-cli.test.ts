import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, CLI, runCli, tempDir } from '../test-support/cli.ts';

/** Made now, so no credential-like literal is committed; compared by equality, never printed. */
const secretValue = () => randomBytes(12).toString('base64url');

/** A workspace with a secret file and a JSON document that references it. */
function workspace(t: { after(fn: () => void): void }, padding = ''): { dir: string; password: string } {
  const password = secretValue();
  const dir = tempDir(t, {
    'stagecraft.yaml': 'environments:\n  dev: {}\n',
    'creds.json': JSON.stringify({ password }),
    'values.json': JSON.stringify({ password: 'ref+file://creds.json#/password', padding }),
  });
  return { dir, password };
}

test('secrets render --out refuses to write through a link at FILE and leaves what it points at alone', async (t) => {
  const { dir, password } = workspace(t);
  const elsewhere = tempDir(t, { 'target.txt': 'original\n' });
  symlinkSync(join(elsewhere, 'target.txt'), join(dir, 'out.json'));

  const result = await runCli(['secrets', 'render', 'values.json', '--out', 'out.json'], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /out\.json is a symbolic link/);
  assert.match(result.stderr, /hint:/);
  assert.ok(!result.stderr.includes(password));
  assert.equal(readFileSync(join(elsewhere, 'target.txt'), 'utf8'), 'original\n');
  assert.ok(lstatSync(join(dir, 'out.json')).isSymbolicLink(), 'the link itself is left as it was');
  assert.equal(readlinkSync(join(dir, 'out.json')), join(elsewhere, 'target.txt'));
  assert.deepEqual(readdirSync(dir).sort(), ['creds.json', 'out.json', 'stagecraft.yaml', 'values.json']);
});

test('secrets render --out replaces a wider-permission file with a private one, and leaves no temporary', async (t) => {
  const { dir, password } = workspace(t);
  const out = join(dir, 'out.json');
  writeFileSync(out, 'old\n');
  chmodSync(out, 0o644);

  const result = await runCli(['secrets', 'render', 'values.json', '--out', 'out.json'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).password === password, 'the rendered value was written');
  assert.deepEqual(readdirSync(dir).sort(), ['creds.json', 'out.json', 'stagecraft.yaml', 'values.json']);
});

test('secrets render --out that fails part-way leaves FILE as it was and no temporary behind', async (t) => {
  // Larger than the file-size limit below, so the write fails after part of it reached the disk.
  const { dir, password } = workspace(t, 'x'.repeat(8192));
  const out = join(dir, 'out.json');
  writeFileSync(out, 'previous\n');
  assertBuilt();
  const limited = spawnSync(
    'sh',
    [
      '-c',
      'ulimit -f 1 && exec "$0" "$@"',
      process.execPath,
      CLI,
      'secrets',
      'render',
      'values.json',
      '--out',
      'out.json',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(limited.status, 1, limited.stderr);
  assert.match(limited.stderr, /cannot write out\.json: EFBIG/);
  assert.match(limited.stderr, /out\.json is unchanged/);
  assert.ok(!/\n\s+at /.test(limited.stderr), 'no stack trace');
  assert.ok(!limited.stderr.includes(password));
  assert.equal(readFileSync(out, 'utf8'), 'previous\n');
  assert.deepEqual(readdirSync(dir).sort(), ['creds.json', 'out.json', 'stagecraft.yaml', 'values.json']);

  // An unwritable folder (only meaningful when not running as root, whom permissions do not stop).
  if (process.getuid?.() !== 0) {
    const locked = workspace(t);
    writeFileSync(join(locked.dir, 'out.json'), 'previous\n');
    chmodSync(locked.dir, 0o555);
    t.after(() => chmodSync(locked.dir, 0o755));
    const refused = await runCli(['secrets', 'render', 'values.json', '--out', 'out.json'], {
      cwd: locked.dir,
    });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /cannot write out\.json/);
    assert.equal(readFileSync(join(locked.dir, 'out.json'), 'utf8'), 'previous\n');
  }
});

test('secrets render of YAML: references resolved with comments kept; an alias bomb is an error at its line', async (t) => {
  const { dir, password } = workspace(t);
  writeFileSync(
    join(dir, 'values.yaml'),
    '# kept\ndb:\n  password: ref+file://creds.json#/password # inline\n',
  );
  const rendered = await runCli(['secrets', 'render', 'values.yaml'], { cwd: dir });
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.ok(
    rendered.stdout === `# kept\ndb:\n  password: ${password} # inline\n`,
    'the reference was resolved',
  );

  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 9; level++)
    lines.push(
      `l${level}: &l${level} [${Array(10)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  writeFileSync(join(dir, 'bomb.yaml'), `a: ref+file://creds.json#/password\n${lines.join('\n')}\n`);
  const bomb = await runCli(['secrets', 'render', 'bomb.yaml'], {
    cwd: dir,
    timeoutMs: 20_000,
    maxHeapMb: 192,
  });
  assert.equal(bomb.code, 1, bomb.stderr);
  assert.match(bomb.stderr, /\[YAML_ALIAS_LIMIT\] bomb\.yaml:6:\d+: aliases expand this document/);
  assert.equal(bomb.stdout, '');
});
