/**
 * Each lockfile reader on lockfiles written as its package manager writes them, and on broken and hostile
 * ones: an error names the line where the parser gives one, and no input costs unbounded time or memory.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStagecraftError } from '@stagecraft/config/errors';
import { readBunLockfile } from './bun.ts';
import {
  BEFORE,
  bunLockfile,
  npmLockfile,
  packageJson,
  pnpmLockfile,
  terraformLockfile,
  yarnBerryLockfile,
  yarnV1Lockfile,
} from './fixtures/lockfiles.ts';
import type { LockGraph } from './lock-graph.ts';
import { readNpmLockfile } from './npm.ts';
import { packageKey, readPnpmLockfile } from './pnpm.ts';
import { readTerraformLockfile } from './terraform-lock.ts';
import { isBerryLockfile, readYarnBerryLockfile, readYarnV1Lockfile } from './yarn.ts';

const manifest = JSON.parse(packageJson(BEFORE)) as Record<string, unknown>;

/** The graph as plain data: versions, direct names and edges, sorted. */
function plain(graph: LockGraph) {
  return {
    versions: Object.fromEntries([...graph.versions].map(([name, v]) => [name, [...v].sort()]).sort()),
    direct: [...graph.direct].sort(),
    edges: Object.fromEntries([...graph.edges].map(([name, e]) => [name, [...e].sort()]).sort()),
  };
}

const EXPECTED = {
  versions: {
    'body-parser': ['1.20.1'],
    debug: ['2.6.9'],
    express: ['4.18.2'],
    lodash: ['4.17.21'],
    ms: ['2.0.0'],
    qs: ['6.11.0'],
  },
  direct: ['debug', 'express', 'lodash'],
  edges: { 'body-parser': ['qs'], debug: ['ms'], express: ['body-parser', 'qs'] },
};

const readers: [string, () => LockGraph][] = [
  [
    'package-lock.json v1 with its package.json',
    () => readNpmLockfile(npmLockfile(BEFORE, 1), 'f', manifest),
  ],
  ['package-lock.json v2', () => readNpmLockfile(npmLockfile(BEFORE, 2), 'f')],
  ['package-lock.json v3', () => readNpmLockfile(npmLockfile(BEFORE, 3), 'f')],
  ['pnpm-lock.yaml 5.4', () => readPnpmLockfile(pnpmLockfile(BEFORE, '5.4'), 'f')],
  ['pnpm-lock.yaml 6.0', () => readPnpmLockfile(pnpmLockfile(BEFORE, '6.0'), 'f')],
  ['pnpm-lock.yaml 9.0', () => readPnpmLockfile(pnpmLockfile(BEFORE, '9.0'), 'f')],
  ['yarn.lock v1 with its package.json', () => readYarnV1Lockfile(yarnV1Lockfile(BEFORE), 'f', manifest)],
  ['yarn.lock berry', () => readYarnBerryLockfile(yarnBerryLockfile(BEFORE), 'f')],
  ['bun.lock', () => readBunLockfile(bunLockfile(BEFORE), 'f')],
];

for (const [name, read] of readers) {
  test(`${name}: resolved versions, direct dependencies and what pulls in what`, () => {
    assert.deepEqual(plain(read()), EXPECTED);
  });
}

test('yarn.lock is told apart by its __metadata section', () => {
  assert.equal(isBerryLockfile(yarnBerryLockfile(BEFORE)), true);
  assert.equal(isBerryLockfile(yarnV1Lockfile(BEFORE)), false);
});

test('pnpm package keys of each lockfile version, peer suffixes dropped', () => {
  assert.deepEqual(packageKey('/@babel/core/7.23.0_supports-color@5.5.0', 5.4), {
    name: '@babel/core',
    version: '7.23.0',
  });
  assert.deepEqual(packageKey('/react-dom@18.2.0(react@18.2.0)', 6), {
    name: 'react-dom',
    version: '18.2.0',
  });
  assert.deepEqual(packageKey('@types/node@20.11.5', 9), { name: '@types/node', version: '20.11.5' });
});

test('package-lock.json workspaces: their dependencies are direct, their links are not packages', () => {
  const lock = {
    name: 'mono',
    lockfileVersion: 3,
    packages: {
      '': { name: 'mono', workspaces: ['packages/*'], devDependencies: { typescript: '^5.3.0' } },
      'packages/web': { name: '@mono/web', version: '1.0.0', dependencies: { react: '^18.2.0' } },
      'node_modules/@mono/web': { resolved: 'packages/web', link: true },
      'node_modules/react': { version: '18.2.0', dependencies: { 'loose-envify': '^1.1.0' } },
      'node_modules/loose-envify': { version: '1.4.0' },
      'node_modules/typescript': { version: '5.3.3' },
      'packages/web/node_modules/react': { version: '18.3.1' },
    },
  };
  const graph = plain(readNpmLockfile(JSON.stringify(lock), 'f'));
  assert.deepEqual(graph.direct, ['react', 'typescript']);
  assert.deepEqual(graph.versions.react, ['18.2.0', '18.3.1']);
  assert.equal(graph.versions['@mono/web'], undefined);
});

test('.terraform.lock.hcl: each provider is direct, with its version', () => {
  const text = terraformLockfile({
    'registry.example.com/hashicorp/aws': { version: '5.31.0', constraints: '~> 5.0' },
    'registry.example.com/hashicorp/random': { version: '3.6.0', constraints: '>= 3.0.0' },
  });
  assert.deepEqual(plain(readTerraformLockfile(text, 'f')), {
    versions: {
      'registry.example.com/hashicorp/aws': ['5.31.0'],
      'registry.example.com/hashicorp/random': ['3.6.0'],
    },
    direct: ['registry.example.com/hashicorp/aws', 'registry.example.com/hashicorp/random'],
    edges: {},
  });
});

/** The error a read throws: its code and where. */
function failure(read: () => unknown): { code: string; line: number | undefined; message: string } {
  try {
    read();
  } catch (error) {
    assert.ok(isStagecraftError(error), `not a StagecraftError: ${error}`);
    return { code: error.code, line: error.location?.line, message: error.message };
  }
  assert.fail('the read did not fail');
}

test('a lockfile that cannot be parsed is an error at its line, for every format', () => {
  const broken = npmLockfile(BEFORE, 3).replace('"version": "4.18.2",', '"version": "4.18.2"');
  assert.deepEqual(
    [failure(() => readNpmLockfile(broken, 'f'))].map((f) => [f.code, f.line]),
    [['DEPS_LOCKFILE_INVALID', 18]],
  );
  const pnpm = pnpmLockfile(BEFORE, '9.0').replace('  express@4.18.2:\n', '  express@4.18.2:\n   bad: [\n');
  assert.equal(failure(() => readPnpmLockfile(pnpm, 'f')).code, 'DEPS_LOCKFILE_INVALID');
  assert.ok(failure(() => readPnpmLockfile(pnpm, 'f')).line !== undefined);
  const yarn = yarnV1Lockfile(BEFORE).replace('  version "4.18.2"', '  version {4.18.2}');
  assert.deepEqual(
    [failure(() => readYarnV1Lockfile(yarn, 'f'))].map((f) => [f.code, f.line]),
    [['DEPS_LOCKFILE_INVALID', 20]],
  );
  const berry = yarnBerryLockfile(BEFORE).replace('  version: 4.18.2', '  version: [4.18.2');
  assert.equal(failure(() => readYarnBerryLockfile(berry, 'f')).code, 'DEPS_LOCKFILE_INVALID');
  assert.ok(failure(() => readYarnBerryLockfile(berry, 'f')).line !== undefined);
  const bun = bunLockfile(BEFORE).replace('"express@4.18.2", ""', '"express@4.18.2" ""');
  assert.deepEqual(
    [failure(() => readBunLockfile(bun, 'f'))].map((f) => [f.code, f.line]),
    [['DEPS_LOCKFILE_INVALID', 14]],
  );
  const hcl =
    'provider "registry.example.com/hashicorp/aws" {\n  version = "5.31.0"\n  hashes = [\n    h1,\n  ]\n}\n';
  assert.deepEqual(
    [failure(() => readTerraformLockfile(hcl, 'f'))].map((f) => [f.code, f.line]),
    [['DEPS_LOCKFILE_INVALID', 4]],
  );
});

test('files that are not lockfiles of their kind are refused, not read as empty', () => {
  assert.equal(failure(() => readNpmLockfile('{"name": "x"}', 'f')).code, 'DEPS_LOCKFILE_INVALID');
  assert.equal(failure(() => readPnpmLockfile('name: x\n', 'f')).code, 'DEPS_LOCKFILE_INVALID');
  assert.equal(
    failure(() => readYarnBerryLockfile('"a@npm:1":\n  version: 1\n', 'f')).code,
    'DEPS_LOCKFILE_INVALID',
  );
  assert.equal(failure(() => readBunLockfile('{"packages": {}}', 'f')).code, 'DEPS_LOCKFILE_INVALID');
  const provider = 'provider "registry.example.com/hashicorp/aws" {\n  constraints = "~> 5.0"\n}\n';
  assert.match(failure(() => readTerraformLockfile(provider, 'f')).message, /has no version/);
});

/** Runs `read`, which must fail with `code`, within `ms`. */
function failsQuickly(read: () => unknown, code: string, ms: number): void {
  const started = performance.now();
  assert.equal(failure(read).code, code);
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${Math.round(took)} ms`);
}

test('hostile lockfiles fail quickly: alias bombs, deep nesting, unclosed strings', () => {
  const bomb = ["lockfileVersion: '9.0'", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) {
    const [name, previous] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  failsQuickly(() => readPnpmLockfile(`${bomb.join('\n')}\n`, 'f'), 'YAML_ALIAS_LIMIT', 2000);
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  failsQuickly(() => readPnpmLockfile(`lockfileVersion: '9.0'\nx: ${deep}\n`, 'f'), 'INPUT_TOO_DEEP', 2000);
  failsQuickly(() => readNpmLockfile(deep, 'f'), 'INPUT_TOO_DEEP', 2000);
  failsQuickly(() => readBunLockfile(deep, 'f'), 'DEPS_LOCKFILE_INVALID', 2000);
  failsQuickly(
    () => readYarnBerryLockfile(`__metadata:\n  version: 8\nx: ${deep}\n`, 'f'),
    'DEPS_LOCKFILE_INVALID',
    2000,
  );
  failsQuickly(
    () => readTerraformLockfile(`provider "a" ${'{'.repeat(100_000)}`, 'f'),
    'DEPS_LOCKFILE_INVALID',
    2000,
  );
  // yarn's v1 parser reads an unclosed string to the end and beyond, until memory runs out.
  failsQuickly(
    () => readYarnV1Lockfile('# yarn lockfile v1\n\nfoo@^1.0.0:\n  version "1.0.0\n', 'f'),
    'DEPS_LOCKFILE_INVALID',
    100,
  );
});
