/**
 * Files with no planted secret: source code, configuration, docs, lockfiles, data and bundles, so the tree
 * looks like a repository and a scanner pays for reading it. Nothing here is labelled; a finding in these
 * files is a false positive on unlabelled text.
 */
import { createHash } from 'node:crypto';
import { Doc } from './doc.mjs';
import { capitalize, NOUNS, REGIONS, SERVICES, VERBS } from './vocab.mjs';

/** An ordinary file of one syntax: its layout, with `padding` chunks of filler and no items. */
export function plainFile(rng, syntax, padding) {
  const doc = new Doc(syntax, rng);
  doc.padding = padding;
  syntax.write(doc, []);
  return doc.text();
}

/** An npm lockfile (v3) with `count` packages and their SRI integrity hashes. */
export function lockfileText(rng, count) {
  const packages = { '': { name: rng.pick(SERVICES), version: '1.0.0' } };
  for (let i = 0; i < count; i++) {
    const name = `${rng.pick(NOUNS)}-${rng.pick(['utils', 'core', 'parser', 'client', 'plugin', 'types'])}${rng.int(50)}`;
    const version = `${rng.int(9)}.${rng.int(30)}.${rng.int(20)}`;
    packages[`node_modules/${name}`] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(rng.bytes(8)).digest('base64')}`,
      license: rng.pick(['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause']),
      ...(rng.chance(0.3) ? { dev: true } : {}),
    };
  }
  return `${JSON.stringify({ name: packages[''].name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

export function packageJson(rng) {
  const deps = {};
  for (let i = 0; i < rng.range(3, 12); i++)
    deps[`${rng.pick(NOUNS)}-${rng.pick(['utils', 'core', 'client'])}`] = `^${rng.int(9)}.${rng.int(30)}.0`;
  const pkg = {
    name: `@acme/${rng.pick(SERVICES)}`,
    version: `${rng.int(3)}.${rng.int(20)}.0`,
    type: 'module',
    scripts: { build: 'tsc', test: 'node --test' },
    dependencies: deps,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** One long line of minified JavaScript, as bundlers emit (about `kb` kilobytes). */
export function minifiedBundle(rng, kb) {
  const parts = [];
  let size = 0;
  while (size < kb * 1024) {
    const fn = `${rng.pick(VERBS)}${capitalize(rng.pick(NOUNS))}`;
    const part = rng.pick([
      () =>
        `function ${fn}(e,t){return e.${rng.pick(NOUNS)}Id===t?${rng.int(1000)}:e.map(function(n){return n*${rng.int(97)}})}`,
      () => `var ${fn.slice(0, 3)}${rng.int(99)}="${rng.pick(SERVICES)}/${rng.pick(NOUNS)}";`,
      () =>
        `e.exports={${rng.pick(NOUNS)}:"${rng.pick(REGIONS)}",id:${rng.int(100000)},hash:"${rng.hex(8)}"};`,
      () => `if(!t||typeof t!=="object")throw new TypeError("${fn} expects an object");`,
    ])();
    parts.push(part);
    size += part.length;
  }
  return `!function(){"use strict";${parts.join('')}}();\n`;
}

/** A CSV export: ids, names, amounts and dates. */
export function csvText(rng, rows) {
  const lines = ['id,customer,region,amount,currency,created_at'];
  for (let i = 0; i < rows; i++) {
    const date = `2024-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}`;
    lines.push(
      `${100000 + i},${rng.pick(NOUNS)}-${rng.int(9999)},${rng.pick(REGIONS)},${(rng.int(100000) / 100).toFixed(2)},${rng.pick(['USD', 'EUR', 'GBP'])},${date}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A small binary PNG (signature, IHDR, arbitrary bytes): scanners should skip or survive it. */
export function pngBytes(rng) {
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    rng.bytes(rng.range(200, 2000)),
  ]);
}
