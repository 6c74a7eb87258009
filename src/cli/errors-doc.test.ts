/**
 * The code catalogs are the one source of codes: docs/errors.md is rendered from them and kept current, every
 * code is declared in a module's errors.ts, and no throw site, problem or check names a code by a string.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { DeclaredCode } from '@stagecraft/config/errors';
import { REPO_ROOT } from '../test-support/cli.ts';
import { catalogFiles, loadDeclaredCodes, renderErrorsDoc, sourceRoots } from './errors-doc.ts';
import { exitCodeFor } from './exit-codes.ts';

const SOURCES = sourceRoots(REPO_ROOT);
const codes: readonly DeclaredCode[] = await loadDeclaredCodes(SOURCES);
const CATALOGS = new Set(SOURCES.flatMap(catalogFiles).map((file) => relative(REPO_ROOT, file)));
const declared = new Map(codes.map((code) => [code.code, code]));

/** Every source file but tests, as [path relative to the repository, text]. */
function sources(dir?: string): [string, string][] {
  if (dir === undefined) return SOURCES.flatMap((root) => sources(root));
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
    return [[relative(REPO_ROOT, path), readFileSync(path, 'utf8')]];
  });
}

const CODE = '[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+';

test('docs/errors.md is rendered from the catalogs as they are', () => {
  const committed = readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
  assert.ok(
    committed === renderErrorsDoc(codes),
    'docs/errors.md differs from the code catalogs: run npm run docs:errors and commit the result',
  );
});

test('docs/errors.md has a row for every declared code, with its outcome and exit code', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
  assert.ok(codes.length > 100, `only ${codes.length} codes were found`);
  for (const { code, outcome } of codes) {
    assert.ok(
      doc.includes(`| \`${code}\` | ${outcome} | ${exitCodeFor(outcome)} |`),
      `${code} is not documented in docs/errors.md: run npm run docs:errors`,
    );
  }
});

test('codes are declared only in a module’s errors.ts, and every such file is found', () => {
  const catalogs = CATALOGS;
  for (const [file, text] of sources()) {
    if (file === 'packages/config/src/errors.ts') continue;
    const declares = /\bdefineErrors\(\s*['"]/.test(text);
    assert.equal(declares, catalogs.has(file), `${file} declares codes outside a catalog file, or is missed`);
  }
  assert.ok(catalogs.has('packages/config/src/workspace/errors.ts'));
});

test('no throw site, problem or check names a code by a string literal', () => {
  const prefixes = new Set(codes.map(({ code }) => code.split('_')[0]));
  const offences: string[] = [];
  const refusals: [string, string][] = [];
  for (const [file, text] of sources()) {
    if (CATALOGS.has(file)) continue;
    for (const match of text.matchAll(new RegExp(String.raw`new (\w+)\(\s*['"\`](${CODE})['"\`]`, 'g'))) {
      const [, type = '', code = ''] = match;
      offences.push(`${file}: new ${type}('${code}', …)`);
    }
    for (const match of text.matchAll(/new Refusal\(\s*\w+Codes\.(\w+)/g))
      refusals.push([file, match[1] ?? '']);
    for (const match of text.matchAll(new RegExp(String.raw`\bcode:\s*['"\`](${CODE})['"\`]`, 'g'))) {
      // The YAML parser's own codes (UNEXPECTED_TOKEN) are not ours.
      if (prefixes.has(match[1]?.split('_')[0])) offences.push(`${file}: code: '${match[1]}'`);
    }
    for (const match of text.matchAll(
      new RegExp(String.raw`\.code\s*[!=]==?\s*['"\`](${CODE})['"\`]`, 'g'),
    )) {
      // Node's own codes (ERR_MODULE_NOT_FOUND) are not ours either.
      if (prefixes.has(match[1]?.split('_')[0])) offences.push(`${file}: .code === '${match[1]}'`);
    }
    if (/\.code\.startsWith\(/.test(text)) offences.push(`${file}: guesses from a code's prefix`);
  }
  assert.deepEqual(offences, []);

  // A refusal exits as one: its code is declared `refused`.
  assert.ok(refusals.length > 20, `only ${refusals.length} refusals were found`);
  for (const [file, code] of refusals) {
    assert.equal(declared.get(code)?.outcome, 'refused', `${file}: ${code} is thrown as a refusal`);
  }
});

test('the CLI maps errors to exit codes by their outcome alone', () => {
  const cli = sources().filter(([file]) => file.startsWith('src/cli/'));
  for (const [file, text] of cli) {
    assert.doesNotMatch(text, /instanceof (Refusal|ConfigError|SecretError)\b/, file);
  }
  const program = cli.find(([file]) => file === 'src/cli/program.ts')?.[1] ?? '';
  assert.match(program, /return exitCodeFor\(error\.outcome\);/);
});
