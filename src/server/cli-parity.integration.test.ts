/**
 * The CLI's ledger commands print, format and exit the same against `stagecraft serve` as on a local ledger.
 * One scenario (test-support/ledger-parity.ts) runs step by step on both — locally as STAGECRAFT_ACTOR and
 * STAGECRAFT_ROLE on SQLite, remotely with STAGECRAFT_URL and tokens of the same names and roles — once per
 * output format. Each step's exit code, stdout and stderr are compared after normalising only what must
 * differ: times and ages, token values, and the local ledger's note that roles are not authenticated.
 * The two runs of a step are a few milliseconds apart, so a gate's countdown reads the same on both.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { assertBuilt, type CliResult, runCli } from '../test-support/cli.ts';
import { ledgerScenario, type Person, ROLES, type Step } from '../test-support/ledger-parity.ts';
import { shop } from '../test-support/ledger-shop.ts';
import { startServer } from '../test-support/server.ts';

const TOKEN = /stagecraft_[A-Za-z0-9_-]{43}/g;
const LOCAL_NOTE = 'local ledger: you act as';

/** What may differ between two runs of one step, a few milliseconds apart, on two ledgers. */
function normalise(text: string): string {
  return (
    text
      .split('\n')
      .filter((line) => !line.startsWith(LOCAL_NOTE))
      .join('\n')
      .replace(TOKEN, '<token>')
      .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?/g, '<time>')
      // status's ages (42s, 5m) and the gates' countdowns may tick between the two runs.
      .replace(/\b\d+[smhd]\b/g, '<age>')
      .replace(/\(\d+ min to go\)/g, '(<wait> to go)')
      .replace(/it is \w{3} \d\d:\d\d there/g, 'it is <time> there')
      // A text table's columns are as wide as what they hold.
      .replace(/ {2,}/g, ' ')
      .replace(/-{2,}/g, '-')
  );
}

/** The environment both sides run with: no ambient ledger settings, the stand-in kubectl first on PATH. */
function baseEnv(dir: string): Record<string, string | undefined> {
  return {
    PATH: `${dir}${delimiter}${process.env['PATH']}`,
    STAGECRAFT_URL: undefined,
    STAGECRAFT_TOKEN: undefined,
    STAGECRAFT_ROLE: undefined,
    STAGECRAFT_ACTOR: undefined,
    STAGECRAFT_NOW: undefined,
    STAGECRAFT_REHEARSAL: undefined,
    STAGECRAFT_DATABASE_URL: undefined,
  };
}

/** What differs between the two runs of a step, or between the local run and what the scenario expects. */
function compare(step: Step, here: CliResult, there: CliResult): string[] {
  const problems: string[] = [];
  if (here.code !== step.code) problems.push(`locally exit ${here.code}, expected ${step.code}`);
  if (there.code !== here.code) problems.push(`exit ${here.code} locally, ${there.code} against the server`);
  // Locally the note is said once; against the server, where roles are proven, never.
  if (here.stderr.split(LOCAL_NOTE).length > 2) problems.push('the local note is said more than once');
  if (there.stderr.includes(LOCAL_NOTE)) problems.push('the local note is said against the server');
  for (const stream of ['stdout', 'stderr'] as const) {
    const [local, remote] = [normalise(here[stream]), normalise(there[stream])];
    if (local !== remote)
      problems.push(`${stream} locally:\n${local}\n${stream} against the server:\n${remote}`);
  }
  return problems;
}

describe('every ledger command prints and exits the same against the server as locally', {
  concurrency: true,
}, () => {
  for (const format of ['text', 'json', 'markdown']) {
    test(`--format ${format}`, async (t) => {
      assertBuilt();
      const local = shop(t);
      const remote = shop(t);
      const server = await startServer(t, { cwd: remote.dir, args: ['--quiet'] });
      const tokens = new Map<Person, string>([['admin', server.adminToken]]);
      const runLocal = (as: Person, args: readonly string[], actor: string = as) =>
        runCli(['--format', format, ...args], {
          cwd: local.dir,
          env: { ...baseEnv(local.dir), STAGECRAFT_ACTOR: actor, STAGECRAFT_ROLE: ROLES[as] },
        });
      const runRemote = (as: Person, args: readonly string[]) =>
        runCli(['--format', format, ...args], {
          cwd: remote.dir,
          env: { ...baseEnv(remote.dir), STAGECRAFT_URL: server.url, STAGECRAFT_TOKEN: tokens.get(as) },
        });
      // The server made its first admin token as it started; the local ledger records the same, so that
      // both audit logs begin alike.
      const first = await runLocal(
        'admin',
        ['token', 'create', '--name', 'admin', '--role', 'admin'],
        'stagecraft serve --init-admin',
      );
      assert.equal(first.code, 0, first.stderr);

      const differences: string[] = [];
      for (const [index, step] of ledgerScenario().entries()) {
        assert.ok(tokens.has(step.as), `step ${index + 1}: no token for ${step.as} yet`);
        for (const [file, text] of Object.entries(step.files ?? {}))
          for (const dir of [local.dir, remote.dir]) writeFileSync(join(dir, file), text);
        const here = await runLocal(step.as, step.args);
        const there = await runRemote(step.as, step.args);
        // The tokens the scenario makes are the ones its later steps present to the server.
        if (step.args[0] === 'token' && step.args[1] === 'create' && there.code === 0) {
          const made = there.stdout.match(TOKEN)?.[0];
          assert.ok(made, `token create printed no token:\n${there.stdout}`);
          tokens.set(step.args[step.args.indexOf('--name') + 1] as Person, made);
        }
        const problems = compare(step, here, there);
        if (problems.length)
          differences.push(
            `step ${index + 1} (${step.as}: stagecraft ${step.args.join(' ')}):\n${problems.join('\n')}`,
          );
      }
      assert.deepEqual(differences, []);
      // The deploy steps ran alike: the same kubectl commands, in the same order.
      const kubectl = (file: string) => readFileSync(file, 'utf8');
      assert.match(kubectl(local.log), /--namespace shop-dev set image deployment\/storefront/);
      assert.equal(kubectl(remote.log), kubectl(local.log));
    });
  }
});
