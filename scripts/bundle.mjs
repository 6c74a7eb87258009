#!/usr/bin/env node
// Bundles, after tsc has built dist/, the entry point whose start-up time users feel: the CLI
// (dist/cli/main.js, with each command in its own chunk under dist/cli/chunks/, still loaded only when that
// command runs), which a pre-commit hook starts on every commit (bench/scan.mjs --only precommit). The config
// library is bundled by its own package's build; the CLI imports it as a dependency.
//
// The rest of dist/ stays tsc's output (the library's entry points, and the scan worker). Copies of a module in
// two bundles recognise each other's loaders, fields, secrets and errors by Symbol.for brands, not by class
// identity.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  // Not tsconfig.json: its paths map @stagecraft/config to the sources, and esbuild would inline a second copy
  // of the config package into the CLI instead of importing the installed one (measured: the same start-up).
  tsconfig: 'tsconfig.build.json',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

// Chunks are named by content hash: without this, every build would leave the previous build's chunks behind.
rmSync('dist/cli/chunks', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// `require('stagecraft')` and `require('stagecraft/config')` hand over the config package's CommonJS build: Node
// 20 cannot require an ES module. The declarations sit beside a package.json saying CommonJS, so TypeScript
// resolves their re-export with the `require` condition too.
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
writeFileSync('dist/cjs/index.js', "'use strict';\nmodule.exports = require('@stagecraft/config');\n");
writeFileSync('dist/cjs/index.d.ts', "export * from '@stagecraft/config';\n");

// The dashboard's static files (HTML, CSS, browser modules; no build step of their own): tsc copies none of
// them, and the server reads them from dist/server/dashboard. Their tests and type declarations stay behind.
rmSync('dist/server/dashboard', { recursive: true, force: true });
cpSync('src/server/dashboard', 'dist/server/dashboard', {
  recursive: true,
  filter: (source) => !/\.(?:test\.ts|d\.ts)$/.test(source),
});
