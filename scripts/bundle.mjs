#!/usr/bin/env node
// Bundles, after tsc has built dist/, the two entry points whose start-up time users feel:
//
// - the config library (dist/config/index.js), which an app imports at every start-up: loading ~25 separate ES
//   modules costs about three times as long as loading one (measured in bench/config.mjs);
// - the CLI (dist/cli/main.js, with each command in its own chunk under dist/cli/chunks/, still loaded only
//   when that command runs), which a pre-commit hook starts on every commit (bench/scan.mjs --only precommit).
//
// The rest of dist/ stays tsc's output (the library's other entry points, and the scan worker). Copies of a
// module in two bundles recognise each other's loaders, fields, secrets and errors by Symbol.for brands, not
// by class identity.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

// One file, not split: an app whose TypeScript config is compiled to CommonJS (tsx, ts-node) requires it, and
// a split bundle's dynamically imported chunks would then load a second time as ES modules, with their own
// state. The secret backends, resolver and watcher stay lazily evaluated inside it.
await build({ ...common, entryPoints: ['src/config/index.ts'], outfile: 'dist/config/index.js' });
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
