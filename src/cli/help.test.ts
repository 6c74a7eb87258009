import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { runCli } from '../test-support/cli.ts';
import { COMMAND_HELP, commandPath, commandsOf, formatsOf } from './help.ts';
import { createProgram } from './program.ts';

const io = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  stdin: (async function* () {})(),
  env: {},
  cwd: process.cwd(),
};
const program = createProgram([], io);
const runnable = commandsOf(program).filter((command) => formatsOf(command) !== undefined);

/** Splits a command line as a shell would for these simple examples: words, and "quoted words". */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

function findOption(command: Command, flag: string) {
  for (let current: Command | null = command; current; current = current.parent) {
    const option = current.options.find((o) => o.short === flag || o.long === flag);
    if (option) return option;
  }
  return undefined;
}

/** Checks an example against the tree: its commands, options and how many arguments it passes. */
function checkExample(example: string): Command {
  const [name, ...rest] = words(example);
  assert.equal(name, 'stagecraft', `${example}: starts with stagecraft`);
  let command: Command = program;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word === '>') break;
    if (word === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (word.startsWith('-')) {
      const [flag] = word.split('=');
      const option = findOption(command, flag as string);
      assert.ok(option, `${example}: ${commandPath(command) || 'stagecraft'} has no option ${flag}`);
      if (option.required && !word.includes('=')) i++;
      continue;
    }
    const sub = positional.length === 0 ? command.commands.find((c) => c.name() === word) : undefined;
    if (sub) command = sub;
    else positional.push(word);
  }
  const expected = command.registeredArguments;
  assert.ok(
    positional.length >= expected.filter((argument) => argument.required).length,
    `${example}: too few arguments for ${commandPath(command)}`,
  );
  if (!expected.some((argument) => argument.variadic)) {
    assert.ok(
      positional.length <= expected.length,
      `${example}: too many arguments (${positional.join(' ')})`,
    );
  }
  return command;
}

test('every command that runs something has help: formats, variables (or none) and an example', async () => {
  assert.ok(runnable.length > 40, `walked ${runnable.length} commands`);
  const missing = runnable.map(commandPath).filter((path) => COMMAND_HELP[path] === undefined);
  assert.deepEqual(missing, [], 'commands without an entry in help.ts');
  for (const command of runnable) {
    const path = commandPath(command);
    const result = await runCli([...path.split(' '), '--help']);
    assert.equal(result.code, 0, result.stderr);
    const formats = formatsOf(command) ?? [];
    assert.ok(formats.length > 0, path);
    assert.ok(result.stdout.includes(`Formats (--format): ${formats.join(', ')}\n`), `${path}: formats`);
    const environment = /\nEnvironment:\n((?: {2}.*\n)+)/.exec(result.stdout)?.[1] ?? '';
    assert.match(environment, /[A-Z_]{3,}|\(none of its own\)/, `${path}: variables`);
    assert.ok(result.stdout.includes(`Example:\n  $ ${COMMAND_HELP[path]?.example}\n`), `${path}: example`);
    for (const line of result.stdout.split('\n')) {
      assert.ok(line.length <= 100, `${path}: help line over 100 columns: ${line}`);
    }
  }
});

test('every example names a command that exists, with its options and arguments', () => {
  for (const [path, help] of Object.entries(COMMAND_HELP)) {
    const command = checkExample(help.example);
    assert.equal(commandPath(command), path, `${help.example} is the example of ${path}`);
  }
});

test('the example checker catches examples that could not run', () => {
  assert.throws(() => checkExample('stagecraft config chek'), /too many arguments/);
  assert.throws(() => checkExample('stagecraft config chek --env dev'), /config has no option --env/);
  assert.throws(
    () => checkExample('stagecraft deploy storefront --environment dev'),
    /no option --environment/,
  );
  assert.throws(() => checkExample('stagecraft parity staging'), /too few arguments/);
  assert.throws(() => checkExample('stagecraft status everything'), /too many arguments/);
});

test('every help entry belongs to a command of the tree', () => {
  const paths = new Set(runnable.map(commandPath));
  assert.deepEqual(
    Object.keys(COMMAND_HELP).filter((path) => !paths.has(path)),
    [],
  );
});

test('variables the help names are the ones the code reads', () => {
  const named = new Set(
    Object.values(COMMAND_HELP).flatMap((help) =>
      help.variables.flatMap(([names]) => names.match(/\b[A-Z][A-Z0-9_]{2,}\b/g) ?? []),
    ),
  );
  for (const variable of [
    'STAGECRAFT_URL',
    'STAGECRAFT_TOKEN',
    'STAGECRAFT_ROLE',
    'STAGECRAFT_ACTOR',
    'STAGECRAFT_DATABASE_URL',
    'STAGECRAFT_REHEARSAL',
    'STAGECRAFT_NOW',
    'ENVIRONMENT',
  ]) {
    assert.ok(named.has(variable), variable);
  }
});
