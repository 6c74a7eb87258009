#!/usr/bin/env node
// Runs every *.test.ts under src/ and packages/*/src/ with node:test through tsx (Node 20 cannot load TypeScript
// itself); tsx reads tsconfig.json, whose paths make @stagecraft/config resolve to its sources, not a build.
// With --integration, runs the *.integration.test.ts files instead (PostgreSQL, processes racing, packed packages);
// with --all, both in one pool, so neither waits for the other's slowest file (what `npm test` runs).
// With --live, only the *.live.test.ts files: a real Vault, AWS account or cluster, each part skipped unless its
// STAGECRAFT_LIVE_* variables are set (`npm run test:live`); no other mode runs them.
// Extra arguments are passed to node --test, e.g. `npm run test:unit -- --test-name-pattern=init`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const integration = process.argv.includes('--integration');
const all = process.argv.includes('--all');
const live = process.argv.includes('--live');
const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'src'));
const files = [join(root, 'src'), ...packages]
  .flatMap(findTests)
  .filter((file) =>
    file.endsWith('.live.test.ts')
      ? live
      : !live && (all || file.endsWith('.integration.test.ts') === integration),
  )
  .sort();
const passed = process.argv.slice(2).filter((arg) => !['--integration', '--all', '--live'].includes(arg));
// A test file per core: node's default (one fewer) leaves one of two cores idle while the runner waits.
const concurrency = passed.some((arg) => arg.startsWith('--test-concurrency'))
  ? []
  : [`--test-concurrency=${availableParallelism()}`];
// A readable summary, each failure repeated at the end, wherever the output goes (node picks TAP for a pipe).
const reporter = passed.some((arg) => arg.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
// A file that never finishes (a child that hangs, or a module load that deadlocks under heavy load) is cancelled
// and reported after 15 minutes, far beyond the slowest file, instead of holding the whole run forever.
const timeout = passed.some((arg) => arg.startsWith('--test-timeout')) ? [] : ['--test-timeout=900000'];
const args = [
  '--import',
  'tsx',
  '--import',
  './scripts/fail-on-console.mjs',
  '--test',
  ...reporter,
  ...concurrency,
  ...timeout,
  ...passed,
  ...files,
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
