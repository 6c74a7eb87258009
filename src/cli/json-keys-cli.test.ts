/**
 * Everything a user reads in JSON is camelCase: no key of any command's `--format json` document has `_` or
 * `-`, except where the key is the user's own data — listed here by JSON path, each with why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLedger } from '../test-support/ledger.ts';
import { shop } from '../test-support/ledger-shop.ts';

/**
 * Objects whose keys are data, not names of ours, by command and JSON path (`*` one step, `**` any steps):
 * the keys of the object at that path are exempt, not the keys below them.
 */
const EXEMPT: readonly { command: string; path: string; why: string }[] = [
  { command: 'env parse', path: '$', why: 'the keys are the .env file’s variable names' },
  {
    command: 'workspace schema',
    path: '$.**',
    why: 'a JSON Schema: its own keywords and stagecraft.yaml’s keys',
  },
  { command: 'config schema', path: '$.**', why: 'a JSON Schema of the app’s config files: the app’s keys' },
  { command: 'drift terraform', path: '$.counts', why: 'Terraform’s own action names: no-op, create,forget' },
];

function exempt(command: string, path: string[]): boolean {
  return EXEMPT.some((rule) => rule.command === command && matches(rule.path.split('.').slice(1), path));
}

/** Whether a path matches a pattern's steps: `*` is one step, `**` any number. */
function matches(pattern: string[], path: string[]): boolean {
  const [step, ...rest] = pattern;
  if (step === undefined) return path.length === 0;
  if (step === '**') return matches(rest, path) || (path.length > 0 && matches(pattern, path.slice(1)));
  return path.length > 0 && (step === '*' || step === path[0]) && matches(rest, path.slice(1));
}

/** Every key with `_` or `-` in a document, by path, outside the exemptions. */
function badKeys(command: string, value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => badKeys(command, item, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  const bad: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (/[_-]/.test(key) && !exempt(command, path)) bad.push(`$${path.map((p) => `.${p}`).join('')}.${key}`);
    bad.push(...badKeys(command, item, [...path, key.replace(/\./g, '·')]));
  }
  return bad;
}

test('the exemptions match only what they name', () => {
  assert.deepEqual(badKeys('status', { a: { b_c: 1 } }), ['$.a.b_c']);
  assert.deepEqual(badKeys('env parse', { DB_HOST: { source_file: 1 } }), ['$.DB_HOST.source_file']);
  assert.deepEqual(badKeys('env parse', { DB_HOST: 1 }), []);
  assert.deepEqual(badKeys('status', { DB_HOST: 1 }), ['$.DB_HOST']);
  assert.deepEqual(badKeys('history', { deployments: [{ created_at: 1 }] }), ['$.deployments.0.created_at']);
  assert.deepEqual(badKeys('config schema', { properties: { a_b: { c_d: 1 } } }), []);
});

const digest = () => `sha256:${randomBytes(32).toString('hex')}`;
const commit = () => randomBytes(20).toString('hex');

test('every command’s JSON has camelCase keys only', async (t) => {
  const { cli, dir } = shop(t, { ledgerStore: await memoryLedger(t) });
  const sha = commit();
  const d = digest();
  const image = `registry.example.com/shop/storefront@${d}`;
  writeFileSync(join(dir, '.env.test'), 'DB_HOST=localhost\nAPI-KEY=x\n');
  spawnSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, 'live.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
  const change = {
    actions: ['update'],
    before: { tags: { cost_centre: 'a' } },
    after: { tags: { cost_centre: 'b' } },
  };
  writeFileSync(
    join(dir, 'plan.json'),
    JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.0',
      resource_changes: [{ address: 'aws_s3_bucket.logs', type: 'aws_s3_bucket', name: 'logs', change }],
    }),
  );
  // Each as [args, role]: the ledger's in the order a promotion needs them, so each has something to say.
  const commands: [string[], string][] = [
    [['workspace', 'check'], 'developer'],
    [['workspace', 'show'], 'developer'],
    [['workspace', 'schema'], 'developer'],
    [['env', 'parse', '.env.test'], 'developer'],
    [['config', 'check'], 'developer'],
    [['config', 'check', '--all'], 'developer'],
    [['config', 'show', '--env', 'dev'], 'developer'],
    [['config', 'example', '--check'], 'developer'],
    [['config', 'schema'], 'developer'],
    [['secrets', 'keys', '--env', 'dev'], 'developer'],
    [['secrets', 'check', '--env', 'dev'], 'developer'],
    [['scan'], 'developer'],
    [['gitignore', 'check'], 'developer'],
    [['hooks', 'run', 'pre-commit'], 'developer'],
    [['parity', 'staging', 'production'], 'developer'],
    [['drift', 'kubernetes', '--env', 'dev', '--live', 'live.json'], 'developer'],
    [['drift', 'terraform', 'plan.json'], 'developer'],
    [['artifact', 'register', 'storefront', image, '--commit', sha, '--author', 'alice'], 'ci'],
    [['artifact', 'list'], 'developer'],
    [['deploy', 'storefront', '--env', 'dev'], 'developer'],
    [['gate', 'report', 'tests', 'pass', '--commit', sha], 'ci'],
    [['promote', 'storefront', '--to', 'staging'], 'ci'],
    [['deployed', 'storefront', '--env', 'staging', '--confirm'], 'ci'],
    [['verify', 'pass', '--env', 'staging'], 'ci'],
    [['approve', 'storefront', '--env', 'production'], 'approver'],
    [['release', 'create', 'r1', `storefront=${d}`], 'ci'],
    [['status'], 'developer'],
    [['history'], 'developer'],
    [['diff', 'dev', 'staging'], 'developer'],
    [['history', '--limit', '1'], 'developer'],
    [['deployment', 'show', '1'], 'developer'],
    [['audit'], 'developer'],
    [['audit', 'verify'], 'developer'],
    [['rollback', 'storefront', '--env', 'dev'], 'developer'],
    [['reject', d, '--reason', 'CVE in the base image'], 'admin'],
  ];
  const bad: string[] = [];
  for (const [args, role] of commands) {
    const result = await cli([...args, '--format', 'json'], role, role === 'approver' ? 'bob' : 'alice');
    let document: unknown;
    try {
      document = JSON.parse(result.stdout);
    } catch {
      bad.push(`${args.join(' ')}: no JSON document (exit ${result.code}): ${result.stderr.slice(0, 300)}`);
      continue;
    }
    const command = args.slice(0, 2).join(' ');
    for (const key of badKeys(command, document)) bad.push(`${command}: ${key}`);
  }
  assert.deepEqual(bad, []);
});
