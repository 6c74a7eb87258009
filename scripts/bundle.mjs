#!/usr/bin/env node
// Bundles the app-facing config library into one file after tsc has built dist/. An app imports it at every
// start-up, and loading ~25 separate ES modules costs about three times as long as loading one (measured in
// bench/config.mjs). The CLI keeps using the unbundled modules; the two recognise each other's loaders,
// fields, secrets and errors by Symbol.for brands, not by class identity.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/config/index.ts'],
  outfile: 'dist/config/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
