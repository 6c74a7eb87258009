/**
 * Tests the package as users install it: the export map resolves to built files, every entry imports, and
 * the library entries pull in nothing heavy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { REPO_ROOT } from './test-support/cli.ts';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
};

test('every export map entry resolves to a built module with types', async () => {
  for (const [entry, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue;
    const specifier = entry === '.' ? 'stagecraft' : `stagecraft/${entry.slice(2)}`;
    const module = (await import(specifier)) as Record<string, unknown>;
    assert.ok(Object.keys(module).length > 0, `${specifier} exports something`);
    assert.ok(readFileSync(join(REPO_ROOT, target.types), 'utf8').length > 0, `${target.types} exists`);
  }
});

test('the library entries import no CLI parser, database driver, HTTP server or cloud SDK', () => {
  const forbidden =
    /^(commander|citty|better-sqlite3|pg|hono|@hono\/|@aws-sdk\/|@kubernetes\/|node:http|node:https|node:sqlite)/;
  for (const [entry, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue;
    const loaded = staticImports(join(REPO_ROOT, target.default));
    const heavy = [...loaded].filter((specifier) => forbidden.test(specifier));
    assert.deepEqual(heavy, [], `${entry} statically loads ${heavy.join(', ')}`);
  }
});

test('the bin is an executable ES module with a node shebang', () => {
  const bin = readFileSync(join(REPO_ROOT, manifest.bin['stagecraft'] as string), 'utf8');
  assert.match(bin, /^#!\/usr\/bin\/env node\n/);
});

/** Bare specifiers reachable through static imports from a built file (dynamic imports load lazily). */
function staticImports(file: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(file)) return bare;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm,
  )) {
    const specifier = (match[1] ?? match[2]) as string;
    if (specifier.startsWith('.')) staticImports(resolve(dirname(file), specifier), seen, bare);
    else bare.add(specifier);
  }
  return bare;
}

test('every dependency installed with the package supports each Node.js major we claim', () => {
  // Users run Node 20, 22 and 24: a runtime dependency whose engines exclude one of them breaks an install
  // there (kysely 0.29 required Node 22 while we claimed 20).
  const claimed = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  ).engines.node;
  const minimum = semver.minVersion(claimed)?.version as string;
  const versions = [minimum, '22.12.0', '24.0.0'];
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
  };
  const excluded: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = entry.engines?.node;
    if (!path || entry.dev || range === undefined) continue;
    for (const version of versions)
      if (!semver.satisfies(version, range))
        excluded.push(`${path} (engines ${range}) excludes Node ${version}`);
  }
  assert.deepEqual(excluded, []);
});
