/**
 * The same kind of problem exits with the same code from every command: bad usage (an unknown option, a
 * missing argument or required option, a name stagecraft.yaml does not declare) is 1, a refused action is 2.
 * Each case also runs under --format json, where the error is the one JSON document on stdout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLedger } from '../test-support/ledger.ts';
import { shop } from '../test-support/ledger-shop.ts';

const USAGE = 1;
const REFUSED = 2;

interface Case {
  kind: string;
  args: string[];
  code: number;
  /** The error code the JSON document names. */
  error: string;
}

const cases: Case[] = [
  // An option the command does not have.
  ...[
    ['status'],
    ['history'],
    ['audit'],
    ['deploy', 'storefront', '--env', 'dev'],
    ['artifact', 'list'],
    ['deployment', 'show', '1'],
    ['config', 'check'],
    ['workspace', 'check'],
    ['scan'],
  ].map((args) => ({ kind: 'bad option', args: [...args, '--bogus'], code: USAGE, error: 'CLI_USAGE' })),
  // A value an option does not take.
  { kind: 'bad option', args: ['history', '--limit', 'lots'], code: USAGE, error: 'LEDGER_BAD_OPTION' },
  { kind: 'bad option', args: ['audit', '--limit', '0'], code: USAGE, error: 'LEDGER_BAD_OPTION' },
  { kind: 'bad option', args: ['deployment', 'show', 'latest'], code: USAGE, error: 'LEDGER_BAD_OPTION' },
  { kind: 'bad option', args: ['verify', 'maybe', '--env', 'dev'], code: USAGE, error: 'LEDGER_BAD_OPTION' },
  // A required option or argument left out.
  ...[
    ['deploy', 'storefront'],
    ['promote', 'storefront'],
    ['approve', 'storefront'],
    ['artifact', 'register', 'storefront', 'registry.example.com/shop/storefront@sha256:00'],
    ['deployment', 'show'],
    ['reject'],
  ].map((args) => ({ kind: 'missing', args, code: USAGE, error: 'CLI_USAGE' })),
  ...[
    ['deploy', '--env', 'dev'],
    ['approve', '--env', 'production'],
  ].map((args) => ({ kind: 'missing', args, code: USAGE, error: 'LEDGER_BAD_OPTION' })),
  // A service stagecraft.yaml does not declare.
  ...[
    ['deploy', 'nope', '--env', 'dev'],
    ['approve', 'nope', '--env', 'production'],
    ['artifact', 'list', '--service', 'nope'],
    ['history', '--service', 'nope'],
    ['rollback', 'nope', '--env', 'dev'],
  ].map((args) => ({ kind: 'unknown service', args, code: USAGE, error: 'LEDGER_UNKNOWN_SERVICE' })),
  // An environment it does not declare.
  ...[
    ['deploy', 'storefront', '--env', 'nope'],
    ['promote', 'storefront', '--to', 'nope'],
    ['history', '--env', 'nope'],
    ['verify', 'pass', '--env', 'nope'],
    ['approve', 'storefront', '--env', 'nope'],
  ].map((args) => ({ kind: 'unknown environment', args, code: USAGE, error: 'LEDGER_UNKNOWN_ENVIRONMENT' })),
  ...[
    ['config', 'check', '--env', 'nope'],
    ['config', 'show', '--env', 'nope'],
    ['secrets', 'keys', '--env', 'nope'],
    ['secrets', 'check', '--env', 'nope'],
  ].map((args) => ({ kind: 'unknown environment', args, code: USAGE, error: 'ENVIRONMENT_UNKNOWN' })),
  // An id the ledger does not hold: unknown, like a name stagecraft.yaml does not declare.
  {
    kind: 'unknown id',
    args: ['deployment', 'show', '999'],
    code: USAGE,
    error: 'LEDGER_UNKNOWN_DEPLOYMENT',
  },
  // A rule of the ledger said no.
  {
    kind: 'refused',
    args: ['promote', 'storefront', '--to', 'staging'],
    code: REFUSED,
    error: 'LEDGER_ROLE_REFUSED',
  },
  {
    kind: 'refused',
    args: ['approve', 'storefront', '--env', 'production'],
    code: REFUSED,
    error: 'LEDGER_NOT_IN_SOURCE',
  },
  {
    kind: 'refused',
    args: ['deploy', 'storefront', '--env', 'production'],
    code: REFUSED,
    error: 'LEDGER_ROLE_REFUSED',
  },
];

test('the same kind of problem exits with the same code from every command, in text and as one JSON error', async (t) => {
  const { cli } = shop(t, { ledgerStore: await memoryLedger(t) });
  const wrong: string[] = [];
  for (const { kind, args, code, error } of cases) {
    const text = await cli(args, 'developer', 'alice');
    if (text.code !== code) wrong.push(`${kind}: ${args.join(' ')} exits ${text.code}, not ${code}`);
    if (text.stdout !== '') wrong.push(`${kind}: ${args.join(' ')} printed on stdout in text`);
    const json = await cli([...args, '--format', 'json'], 'developer', 'alice');
    if (json.code !== code)
      wrong.push(`${kind}: ${args.join(' ')} --format json exits ${json.code}, not ${code}`);
    let document: { error?: { code?: string; outcome?: string; message?: string } } | undefined;
    try {
      document = JSON.parse(json.stdout);
    } catch {
      wrong.push(
        `${kind}: ${args.join(' ')} --format json printed no JSON document: ${json.stdout}${json.stderr}`,
      );
      continue;
    }
    if (document?.error?.code !== error)
      wrong.push(`${kind}: ${args.join(' ')} --format json names ${document?.error?.code}, not ${error}`);
    if (typeof document?.error?.message !== 'string' || document.error.message === '')
      wrong.push(`${kind}: ${args.join(' ')} --format json has no message`);
    const outcome = code === REFUSED ? 'refused' : 'failed';
    if (document?.error?.outcome !== outcome)
      wrong.push(
        `${kind}: ${args.join(' ')} --format json has outcome ${document?.error?.outcome}, not ${outcome}`,
      );
  }
  assert.deepEqual(wrong, []);
});
