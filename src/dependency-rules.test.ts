/**
 * The dependency rule that `npm test` checks (.dependency-cruiser.cjs) catches what it exists for: the real
 * configuration, run by the real dependency-cruiser over a small tree laid out like this repository, in which
 * each forbidden import is planted once beside imports that are allowed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../packages/config/src/test-support/temp-dir.ts';
import { REPO_ROOT } from './test-support/cli.ts';

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    allowImportingTsExtensions: true,
    noEmit: true,
    paths: {
      '@stagecraft/config/errors': ['./packages/config/src/errors.ts'],
      '@stagecraft/config/yaml': ['./packages/config/src/yaml/index.ts'],
    },
  },
});

/** Imports the rule allows: each must cause no violation. */
const ALLOWED: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'stagecraft', type: 'module', dependencies: {} }),
  'packages/config/package.json': JSON.stringify({ name: '@stagecraft/config', type: 'module' }),
  'tsconfig.json': TSCONFIG,
  // A package installed in the repository that the config package does not declare.
  'node_modules/kysely/package.json': JSON.stringify({ name: 'kysely', main: 'index.js' }),
  'node_modules/kysely/index.js': 'export class Kysely {}\n',
  'packages/config/src/errors.ts': 'export class StagecraftError extends Error {}\n',
  'packages/config/src/yaml/index.ts':
    "import { StagecraftError } from '../errors.ts';\nexport const parse = (): StagecraftError => new StagecraftError();\n",
  'packages/config/src/test-support/temp-dir.ts':
    "import { tmpdir } from 'node:os';\nexport const dir = tmpdir();\n",
  'src/test-support/repository.ts':
    "import { mkdtempSync } from 'node:fs';\nexport const make = mkdtempSync;\n",
  'src/ledger/policy.ts': 'export type Policy = { gates: string[] };\n',
  'src/terminal/style.ts': 'export interface Style { bold(text: string): string }\n',
  'src/cli/output.ts': "import type { Style } from '../terminal/style.ts';\nexport type Shown = Style;\n",
  'src/cli/main.ts':
    "import type { Shown } from './output.ts';\nimport '../ledger/ledger.ts';\nexport type Main = Shown;\n",
  'src/ledger/ledger.ts':
    "import { StagecraftError } from '@stagecraft/config/errors';\nexport const refuse = (): StagecraftError => new StagecraftError();\n",
  'src/ledger/ledger.test.ts':
    "import { dir } from '../../packages/config/src/test-support/temp-dir.ts';\nimport { refuse } from './ledger.ts';\nexport const used = [dir, refuse];\n",
};

/** One forbidden import per rule: the file, what it imports, and the rule that must name it. */
const FORBIDDEN: { file: string; source: string; rule: string; to: string }[] = [
  {
    rule: 'nothing-imports-the-cli',
    file: 'src/ledger/report.ts',
    source: "import type { Shown } from '../cli/output.ts';\nexport type Report = Shown;\n",
    to: 'src/cli/output.ts',
  },
  {
    rule: 'no-cycles',
    file: 'src/ledger/gates.ts',
    // Type-only both ways (policy.ts is rewritten below to import gates.ts): a cycle through types counts.
    source: "import type { Policy } from './policy.ts';\nexport type Gate = { policy: Policy };\n",
    to: 'src/ledger/policy.ts',
  },
  {
    rule: 'config-package-stands-alone',
    file: 'packages/config/src/uses-ledger.ts',
    source: "import { refuse } from '../../../src/ledger/ledger.ts';\nexport const again = refuse;\n",
    to: 'src/ledger/ledger.ts',
  },
  {
    rule: 'config-package-through-its-exports',
    file: 'src/scan/finding.ts',
    source:
      "import { StagecraftError } from '../../packages/config/src/errors.ts';\nexport const fail = (): StagecraftError => new StagecraftError();\n",
    to: 'packages/config/src/errors.ts',
  },
  {
    rule: 'tests-reach-only-test-support-by-path',
    file: 'src/scan/finding.test.ts',
    source: "import { parse } from '../../packages/config/src/yaml/index.ts';\nexport const used = parse;\n",
    to: 'packages/config/src/yaml/index.ts',
  },
  {
    rule: 'test-support-only-in-tests',
    file: 'src/scan/walk.ts',
    source: "import { make } from '../test-support/repository.ts';\nexport const root = make;\n",
    to: 'src/test-support/repository.ts',
  },
  {
    rule: 'no-unresolvable',
    file: 'src/scan/rules.ts',
    source: "import { gone } from './moved-away.ts';\nexport const rules = gone;\n",
    to: './moved-away.ts',
  },
  {
    rule: 'declared-dependencies-only',
    file: 'packages/config/src/uses-root-dependency.ts',
    source: "import { Kysely } from 'kysely';\nexport const db = Kysely;\n",
    to: 'node_modules/kysely/index.js',
  },
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(root: string): { violations: Violation[]; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'src',
      'packages/config/src',
      '--config',
      join(REPO_ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  assert.ok(result.stdout, `dependency-cruiser printed nothing: ${result.stderr}`);
  const output = JSON.parse(result.stdout) as { summary: { violations: Violation[] } };
  return { violations: output.summary.violations, stderr: result.stderr };
}

test('the dependency rule passes a tree whose imports all point the allowed way', (t) => {
  const { violations } = cruise(tempDir(t, ALLOWED));
  assert.deepEqual(violations, []);
});

test('the dependency rule reports each forbidden import, by rule, file and target', (t) => {
  const files = { ...ALLOWED };
  for (const { file, source } of FORBIDDEN) files[file] = source;
  files['src/ledger/policy.ts'] =
    "import type { Gate } from './gates.ts';\nexport type Policy = { gates: Gate[] };\n";
  const { violations } = cruise(tempDir(t, files));
  const found = violations.map((v) => [v.rule.name, v.from, v.to].join(' ')).sort();
  const expected = FORBIDDEN.map(({ rule, file, to }) => [rule, file, to].join(' ')).sort();
  assert.deepEqual(found, expected);
});
