/**
 * The secret-scanning corpus: a repository-like tree with planted secrets of many kinds, as many hard
 * negatives, and ordinary files around them, plus the ground truth of where each secret is.
 *
 *   const truth = await generateCorpus(dir, { seed: 7, scale: 1 });
 *
 * Secrets are made from their vendors' published formats (vendor-*.mjs, secrets-*.mjs) and
 * placed by syntax renderers (syntax-*.mjs) that record each planted line range as they write it, so the
 * truth is exact by construction. The generator knows nothing of any scanner's rules: it was written
 * before any scanner ran on it, and its kinds and counts are not adjusted to results.
 *
 * `truth.json` is written next to `dir` (outside the scanned tree): `{ seed, scale, secrets: [{ kind, file,
 * line, endLine, value }], negatives: [{ kind, file, line, endLine }], files, bytes, notes }`. Lines are
 * 1-based; `endLine` is the last line of a multi-line secret (a PEM block, a service-account file, a key id
 * and its secret). `value` is for debugging the generator; never print it in a report.
 *
 * `fillerMb` adds unlabelled ordinary files until the tree holds that many megabytes (the speed corpus).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ASSIGN_SYNTAXES } from './credential-values.mjs';
import { Doc, valueItem } from './doc.mjs';
import { csvText, lockfileText, minifiedBundle, packageJson, plainFile, pngBytes } from './filler-files.mjs';
import { createKeyMaterial } from './key-material.mjs';
import { INDIRECT_KINDS } from './negatives-indirect.mjs';
import { LOOKALIKE_KINDS } from './negatives-lookalike.mjs';
import { createRng } from './prng.mjs';
import { CREDENTIAL_KINDS } from './secrets-credentials.mjs';
import { KEY_KINDS } from './secrets-keys.mjs';
import { CODE_SYNTAXES } from './syntax-code.mjs';
import { CONFIG_SYNTAXES } from './syntax-config.mjs';
import { SPECIAL_SYNTAXES } from './syntax-special.mjs';
import { API_KINDS } from './vendor-apis.mjs';
import { COMMERCE_MESSAGING_KINDS } from './vendor-commerce-messaging.mjs';
import { PLATFORM_KINDS } from './vendor-platforms.mjs';
import { SERVICES } from './vocab.mjs';

const SYNTAXES = new Map([...CODE_SYNTAXES, ...CONFIG_SYNTAXES, ...SPECIAL_SYNTAXES].map((s) => [s.name, s]));
/** Syntaxes of the ordinary files around the planted ones. */
const PLAIN_SYNTAXES = [...CODE_SYNTAXES, ...CODE_SYNTAXES, ...CONFIG_SYNTAXES, SYNTAXES.get('md')];
/** How many items go in one file of a syntax: [min, max]. */
const FILE_SIZES = {
  'gcp-json': [1, 1],
  'ssh-key': [1, 1],
  'pgp-key': [1, 1],
  pem: [1, 2],
  'docker-config': [1, 2],
  'aws-ini': [1, 2],
  'k8s-secret': [1, 4],
  http: [1, 3],
  lockfile: [3, 8],
};

/** Secret kinds, then negative kinds. Their order fixes which random numbers each kind draws. */
const KINDS = [
  ...PLATFORM_KINDS,
  ...COMMERCE_MESSAGING_KINDS,
  ...API_KINDS,
  ...KEY_KINDS,
  ...CREDENTIAL_KINDS,
  ...LOOKALIKE_KINDS,
  ...INDIRECT_KINDS,
];

/** Every item of every kind, `count × scale` instances each (at least 2). */
function makeItems(rng, keys, scale) {
  const items = [];
  for (const spec of KINDS) {
    const kindRng = rng.fork(spec.kind);
    const count = Math.max(2, Math.round(spec.count * scale));
    for (let i = 0; i < count; i++) {
      if (spec.items) items.push(...spec.items(kindRng, keys));
      else {
        const words = kindRng.pick(spec.names);
        items.push(valueItem({ kind: spec.kind, secret: true, words, value: spec.make(kindRng) }));
      }
    }
  }
  return items;
}

function fits(item, syntax) {
  if (!syntax) return false;
  if (item.encoded) return syntax.name === 'k8s-secret';
  if (item.needsBlock && typeof syntax.block !== 'function') return false;
  return !item.needsAssign || typeof syntax.assign === 'function';
}

/** Each item's syntax: round-robin over its kind's allowed syntaxes (shuffled), so every one is used. */
function assignSyntaxes(rng, items) {
  const cursors = new Map();
  const bySyntax = new Map();
  for (const item of items) {
    const allowed = (item.syntaxes ?? ASSIGN_SYNTAXES).filter((name) => fits(item, SYNTAXES.get(name)));
    if (allowed.length === 0) throw new Error(`no syntax can hold an item of kind ${item.kind}`);
    const key = `${item.kind}:${allowed.join(',')}`;
    if (!cursors.has(key)) cursors.set(key, { order: rng.shuffle(allowed), next: 0 });
    const cursor = cursors.get(key);
    const name = cursor.order[cursor.next++ % cursor.order.length];
    if (!bySyntax.has(name)) bySyntax.set(name, []);
    bySyntax.get(name).push(item);
  }
  return bySyntax;
}

/** Splits a syntax's items into files; PEM files start with one holding two private keys. */
function chunk(rng, name, items) {
  const [min, max] = FILE_SIZES[name] ?? [2, 6];
  let rest = rng.shuffle(items);
  const files = [];
  if (name === 'pem') {
    const keys = rest.filter((i) => i.secret).slice(0, 2);
    if (keys.length === 2) {
      files.push(keys);
      rest = rest.filter((i) => !keys.includes(i));
    }
  }
  while (rest.length > 0) {
    const size = rng.range(min, max);
    files.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return files;
}

function uniquePath(path, used) {
  let candidate = path;
  for (let n = 2; used.has(candidate); n++) candidate = `apps/app-${n}/${path}`;
  used.add(candidate);
  return candidate;
}

function writeTree(dir, files) {
  let bytes = 0;
  for (const [path, content] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    bytes += Buffer.byteLength(content);
  }
  return bytes;
}

/** The ordinary files of a repository: code, config and docs of every syntax, lockfiles, a README. */
function plainFiles(rng, count, used) {
  const files = new Map();
  files.set(uniquePath('README.md', used), plainFile(rng, SYNTAXES.get('md'), 40));
  files.set(uniquePath('package.json', used), packageJson(rng));
  for (let i = 0; i < count; i++) {
    const syntax = rng.pick(PLAIN_SYNTAXES);
    files.set(uniquePath(syntax.path(rng), used), plainFile(rng, syntax, rng.range(15, 80)));
  }
  for (let i = 0; i < Math.max(1, Math.round(count / 25)); i++) {
    files.set(
      uniquePath(`packages/${rng.pick(SERVICES)}/package-lock.json`, used),
      lockfileText(rng, rng.range(20, 120)),
    );
  }
  for (let i = 0; i < 3; i++)
    files.set(uniquePath(`web/public/img/${rng.pick(SERVICES)}.png`, used), pngBytes(rng));
  return files;
}

/** Bulk for the speed corpus: a pool of ordinary files, copied into package folders until `mb` is reached. */
function bulkFiles(rng, mb, startBytes, used) {
  const pool = [];
  let poolBytes = 0;
  const poolTarget = Math.min(mb, 24) * 1024 * 1024;
  while (poolBytes < poolTarget) {
    const roll = rng.next();
    let entry;
    if (roll < 0.05) entry = ['data/export.csv', csvText(rng, rng.range(500, 5000))];
    else if (roll < 0.08) entry = ['lib/bundle.min.js', minifiedBundle(rng, rng.range(50, 400))];
    else if (roll < 0.12) entry = ['package-lock.json', lockfileText(rng, rng.range(100, 600))];
    else {
      const syntax = rng.pick(PLAIN_SYNTAXES);
      entry = [syntax.path(rng), plainFile(rng, syntax, rng.range(40, 300))];
    }
    pool.push(entry);
    poolBytes += entry[1].length;
  }
  const files = new Map();
  let bytes = startBytes;
  for (let copy = 1; bytes < mb * 1024 * 1024; copy++) {
    for (const [path, content] of pool) {
      if (bytes >= mb * 1024 * 1024) break;
      if (rng.chance(0.5)) continue;
      files.set(uniquePath(`modules/mod-${String(copy).padStart(3, '0')}/${path}`, used), content);
      bytes += content.length;
    }
  }
  return files;
}

export async function generateCorpus(dir, { seed, scale = 1, fillerMb = 0 } = {}) {
  const rng = createRng(seed);
  const notes = [];
  const keys = createKeyMaterial(notes);
  const secrets = [];
  const negatives = [];
  const used = new Set();
  const files = new Map();
  try {
    const bySyntax = assignSyntaxes(rng, makeItems(rng, keys, scale));
    for (const [name, items] of [...bySyntax].sort(([a], [b]) => a.localeCompare(b))) {
      const syntax = SYNTAXES.get(name);
      for (const fileItems of chunk(rng, name, items)) {
        const path = uniquePath(syntax.path(rng), used);
        const doc = new Doc(syntax, rng);
        doc.padding = rng.range(2, 15);
        syntax.write(doc, fileItems);
        files.set(path, doc.text());
        for (const mark of doc.marks) {
          const entry = { kind: mark.kind, file: path, line: mark.from + 1, endLine: mark.to + 1 };
          if (mark.secret) secrets.push({ ...entry, value: mark.value });
          else negatives.push(entry);
        }
      }
    }
  } finally {
    keys.dispose();
  }
  for (const [path, content] of plainFiles(rng, Math.round(files.size * 0.8), used)) files.set(path, content);
  let bytes = writeTree(dir, files);
  let fileCount = files.size;
  if (fillerMb > 0) {
    const bulk = bulkFiles(rng, fillerMb, bytes, used);
    bytes += writeTree(dir, bulk);
    fileCount += bulk.size;
  }
  const truth = { seed, scale, secrets, negatives, files: fileCount, bytes, notes };
  writeFileSync(join(dir, '..', 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}
