/**
 * docs/commands/ is the command reference: rendered from the command tree, so it cannot go stale. A new
 * command, option or error code changes a page, and this fails until `npm run docs:commands` is run.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../test-support/cli.ts';
import {
  COMMANDS_DIR,
  codesByCatalog,
  implementationOf,
  reachableFiles,
  renderCommandPages,
  sourceAliases,
} from './commands-doc.ts';
import { commandPath, commandsOf, formatsOf } from './help.ts';
import { createProgram } from './program.ts';

const io = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  stdin: (async function* () {})(),
  env: {},
  cwd: REPO_ROOT,
};
const program = createProgram([], io);
const programFile = join(REPO_ROOT, 'src/cli/program.ts');
const pages = renderCommandPages(program, {
  repository: REPO_ROOT,
  programFile,
  catalogs: await codesByCatalog(REPO_ROOT),
});
const runnable = commandsOf(program).filter((command) => formatsOf(command) !== undefined);

test('every page in docs/commands is rendered from the command tree as it is, and none is left over', () => {
  const stale = 'run npm run docs:commands and commit the result';
  for (const page of pages) {
    const file = join(REPO_ROOT, page.file);
    assert.ok(existsSync(file), `${page.file} is missing: ${stale}`);
    assert.ok(
      readFileSync(file, 'utf8') === page.text,
      `${page.file} differs from the command definitions: ${stale}`,
    );
  }
  const expected = new Set(pages.map((page) => page.file));
  for (const name of readdirSync(join(REPO_ROOT, COMMANDS_DIR))) {
    assert.ok(
      expected.has(join(COMMANDS_DIR, name)),
      `${COMMANDS_DIR}/${name} is no command's page: ${stale}`,
    );
  }
});

test('each command that runs has a page, found from its definition, listing each of its options and its formats', () => {
  assert.equal(pages.length, runnable.length + 1, 'one page per command, and the index');
  const index = pages[0]?.text ?? '';
  for (const command of runnable) {
    const path = commandPath(command);
    const implementation = implementationOf(command, programFile);
    assert.ok(implementation && existsSync(implementation), `${path}: its module is found from its loader`);
    const page = pages.find((p) => p.text.startsWith(`# stagecraft ${path}\n`));
    assert.ok(page, `${path} has a page`);
    assert.ok(index.includes(`](${path.replace(/ /g, '-')}.md)`), `${path} is in the index`);
    for (const option of command.options) {
      if (!option.hidden) assert.ok(page.text.includes(`\`${option.flags}\``), `${path}: ${option.flags}`);
    }
    for (const format of formatsOf(command) ?? []) assert.ok(page.text.includes(`\`${format}\``));
    assert.match(page.text, /## Exit codes\n\n\| Code \| When \|/);
  }
});

test('a command lists the codes of the modules it reaches, and not those it never loads', () => {
  const page = (path: string) => pages.find((p) => p.text.startsWith(`# stagecraft ${path}\n`))?.text ?? '';
  assert.match(page('scan'), /`SCAN_BAD_OPTION` \| \[scan\]\(\.\.\/errors\.md#scan\) \| failed \| 1/);
  assert.match(page('scan'), /`GIT_FAILED`/);
  assert.match(page('scan'), /`CLI_/, 'the command line itself can fail any command');
  assert.doesNotMatch(page('scan'), /`LEDGER_/, 'the scanner never loads the ledger');
  assert.match(page('deploy'), /`LEDGER_/);
  assert.doesNotMatch(page('config check'), /`DRIFT_/);
  assert.match(page('drift'), /`DRIFT_NOTHING_CONFIGURED`/);
});

test('imports are followed through re-exports and dynamic imports, and type-only imports are not', () => {
  const aliases = sourceAliases(REPO_ROOT);
  const reached = reachableFiles(join(REPO_ROOT, 'src/cli/commands/deploy.ts'), aliases);
  assert.ok(reached.has(join(REPO_ROOT, 'packages/config/src/errors.ts')), 'through the package alias');
  const programOnly = reachableFiles(programFile, aliases, false);
  assert.ok(
    !programOnly.has(join(REPO_ROOT, 'src/cli/commands/deploy.ts')),
    'command modules load on demand',
  );
  // context.ts imports the ledger's Store as a type only: a type never throws.
  const context = reachableFiles(join(REPO_ROOT, 'src/cli/context.ts'), aliases);
  assert.ok(!context.has(join(REPO_ROOT, 'src/ledger/store.ts')));
});
