/**
 * Tests the package as users install it: the export map resolves to built files, every entry imports, and
 * the library entries pull in nothing heavy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { REPO_ROOT } from './test-support/cli.ts';

type Target =
  | string
  | { types: string; default: string }
  | Record<'import' | 'require', { types: string; default: string }>;

interface Manifest {
  name: string;
  engines: { node: string };
  exports: Record<string, Target>;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

const PACKAGES = ['.', 'packages/config'].map((dir) => {
  const root = join(REPO_ROOT, dir);
  return { root, manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest };
});
const [stagecraft, config] = PACKAGES as [(typeof PACKAGES)[0], (typeof PACKAGES)[0]];

/** An export's ES module and, where it has one, its CommonJS build. */
function entries(target: Target): { format: 'import' | 'require'; types: string; default: string }[] {
  if (typeof target === 'string') return [];
  if ('import' in target)
    return (['import', 'require'] as const).map((format) => ({ format, ...target[format] }));
  return [{ format: 'import', ...(target as { types: string; default: string }) }];
}

test('every export map entry of both packages resolves to a built module with types, from ESM and CommonJS', async () => {
  for (const { root, manifest } of PACKAGES) {
    const require = createRequire(join(root, 'package.json'));
    for (const [entry, target] of Object.entries(manifest.exports)) {
      const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
      for (const built of entries(target)) {
        const module = (built.format === 'import' ? await import(specifier) : require(specifier)) as Record<
          string,
          unknown
        >;
        assert.ok(Object.keys(module).length > 0, `${specifier} (${built.format}) exports something`);
        assert.ok(readFileSync(join(root, built.types), 'utf8').length > 0, `${built.types} exists`);
      }
    }
  }
});

test('the config package loads nothing but its YAML parser and Node built-ins', () => {
  assert.deepEqual(Object.keys(config.manifest.dependencies ?? {}), ['yaml']);
  for (const [entry, target] of Object.entries(config.manifest.exports)) {
    for (const built of entries(target)) {
      const loaded = staticImports(join(config.root, built.default));
      const foreign = [...loaded].filter(
        (specifier) => specifier !== 'yaml' && !specifier.startsWith('node:'),
      );
      assert.deepEqual(foreign, [], `${entry} (${built.format}) loads ${foreign.join(', ')}`);
    }
  }
});

test("stagecraft's library entries import no CLI parser, database driver, HTTP server or cloud SDK", () => {
  const forbidden =
    /^(commander|citty|better-sqlite3|pg|hono|@hono\/|@aws-sdk\/|@kubernetes\/|node:http|node:https|node:sqlite)/;
  for (const [entry, target] of Object.entries(stagecraft.manifest.exports)) {
    for (const built of entries(target)) {
      const loaded = staticImports(join(stagecraft.root, built.default));
      const heavy = [...loaded].filter((specifier) => forbidden.test(specifier));
      assert.deepEqual(heavy, [], `${entry} (${built.format}) statically loads ${heavy.join(', ')}`);
    }
  }
});

test('the bin is an executable ES module with a node shebang', () => {
  const bin = readFileSync(join(REPO_ROOT, stagecraft.manifest.bin?.['stagecraft'] as string), 'utf8');
  assert.match(bin, /^#!\/usr\/bin\/env node\n/);
});

/**
 * Bare specifiers reachable through static imports and requires from a built file (dynamic imports load
 * lazily). The config package is followed into, as the installed stagecraft would load it.
 */
function staticImports(file: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(file)) return bare;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\brequire\(['"]([^'"]+)['"]\)/gm,
  )) {
    const specifier = (match[1] ?? match[2] ?? match[3]) as string;
    if (specifier.startsWith('.')) staticImports(resolve(dirname(file), specifier), seen, bare);
    else if (specifier.startsWith('@stagecraft/config')) {
      const format = /\brequire\(/.test(match[0]) ? 'require' : 'import';
      const target = config.manifest.exports[`.${specifier.slice('@stagecraft/config'.length)}`] as Target;
      const built = entries(target).find((candidate) => candidate.format === format) ?? entries(target)[0];
      staticImports(join(config.root, built?.default as string), seen, bare);
    } else bare.add(specifier);
  }
  return bare;
}

test('every dependency installed with the package supports each Node.js major we claim', () => {
  // Users run Node 20, 22 and 24: a runtime dependency whose engines exclude one of them breaks an install
  // there (kysely 0.29 required Node 22 while we claimed 20).
  const claimed = stagecraft.manifest.engines.node;
  assert.equal(config.manifest.engines.node, claimed, 'both packages claim the same Node versions');
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

test('each package ships the license its manifest names', () => {
  for (const { root } of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string };
    assert.equal(manifest.license, 'MIT');
    // npm packs a LICENSE file from the package's own folder, whatever "files" says.
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\n/);
  }
});
