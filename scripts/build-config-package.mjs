#!/usr/bin/env node
// Builds packages/config: tsc's declarations and modules for every entry point, then the app-facing entry as
// one bundled file for ES modules and one for CommonJS.
//
// Loading ~25 separate ES modules costs about three times as long as loading one (bench/config.mjs), and an app
// imports its config at every start-up, so `.` is bundled. It stays one file, not split: a split bundle's
// dynamically imported chunks would load a second time as ES modules when an app requires the CommonJS build.
// The CommonJS build sits in dist/cjs/ beside a package.json saying so, with a copy of the declarations, so
// TypeScript reads them as CommonJS for `require` (Node 20 cannot require an ES module). Copies of a module in
// two bundles recognise each other's loaders, fields, secrets and errors by Symbol.for brands.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('../packages/config/', import.meta.url).pathname;
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

const common = {
  entryPoints: [join(root, 'src/index.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};
await build({ ...common, format: 'esm', outfile: join(dist, 'index.js') });

const cjs = join(dist, 'cjs');
mkdirSync(cjs, { recursive: true });
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file.startsWith('cjs')) continue;
  mkdirSync(dirname(join(cjs, file)), { recursive: true });
  copyFileSync(join(dist, file), join(cjs, file));
}
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
await build({
  ...common,
  format: 'cjs',
  outfile: join(cjs, 'index.js'),
  // The YAML layer finds its parser with createRequire(import.meta.url), which CommonJS spells differently.
  define: { 'import.meta.url': '__stagecraftModuleUrl' },
  banner: { js: "const __stagecraftModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
