/**
 * Parity at scale: two environments of N objects each (default 10,000: Deployments with sidecars, Services,
 * ConfigMaps, Secrets, HPAs), generated as rendered manifests in YAML, the second a resized copy of the first
 * with a few planted violations.
 *
 *   npm run build && node bench/parity.mjs [--objects 10000] [--runs 3]
 *
 * Measured: parsing both folders and the comparison itself, in this process (median of --runs, with the heap
 * used after each), and the whole `stagecraft parity A B` command as a child process (median of --runs of
 * wall time and peak RSS from /usr/bin/time when present). The comparison must stay under a second at 10,000
 * objects per side, and memory linear in the input: the run is repeated at half the size to show the ratio.
 * The YAML of both sides is also parsed by stagecraft's reader and, as peers in the same run, by yaml alone
 * and by js-yaml (see timeYamlPeers), with the ratios printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generateManifests as generate,
  median,
  parseSizeArgs,
  timeCommand,
  timeYamlPeers,
  yamlPeersTable,
} from './_manifests.mjs';
import { formatTable } from './_table.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { loadManifests } = await import(join(REPO, 'dist/kubernetes/manifests.js'));
const { compareEnvironments } = await import(join(REPO, 'dist/parity/compare.js'));
const { defaultPolicy } = await import(join(REPO, 'dist/parity/policy.js'));

async function measure(objects, runs, work) {
  const left = join(work, `${objects}`, 'staging');
  const right = join(work, `${objects}`, 'production');
  const bytes = generate(left, 'staging', objects, false) + generate(right, 'production', objects, true);
  const parse = [];
  const compare = [];
  const heap = [];
  let result;
  for (let run = 0; run < runs; run++) {
    globalThis.gc?.();
    let start = performance.now();
    const sides = [left, right].map((dir, index) => ({
      name: index ? 'production' : 'staging',
      manifests: loadManifests(dir),
      facts: undefined,
      terraform: undefined,
    }));
    parse.push(performance.now() - start);
    start = performance.now();
    result = compareEnvironments(sides[0], sides[1], defaultPolicy());
    compare.push(performance.now() - start);
    heap.push(process.memoryUsage().heapUsed);
  }
  const cli = join(REPO, 'dist/cli/main.js');
  const { commandS, rssMb } = timeCommand([cli, 'parity', left, right, '--format', 'json'], runs);
  return {
    objects: result.compared.objects,
    bytes,
    parseMs: median(parse),
    compareMs: median(compare),
    heapMb: median(heap) / 2 ** 20,
    commandS,
    rssMb,
    yaml: await timeYamlPeers(REPO, [left, right], runs),
    violations: result.violations.length,
    allowed: result.allowed.length,
  };
}

const options = parseSizeArgs(process.argv.slice(2), 'bench/parity.mjs');
const work = mkdtempSync(join(tmpdir(), 'stagecraft-parity-bench-'));
try {
  const rows = [];
  for (const n of [Math.ceil(options.objects / 2), options.objects])
    rows.push(await measure(n, options.runs, work));
  console.log(
    `parity benchmark: node ${process.version}, median of ${options.runs} run(s); objects per side, both sides generated\n`,
  );
  console.log(
    formatTable(
      [
        'objects/side',
        'YAML MB (both)',
        'parse ms',
        'compare ms',
        'heap MB',
        'whole command s',
        'peak RSS MB',
        'violations',
        'allowed',
      ],
      rows.map((r) => [
        String(r.objects),
        (r.bytes / 1e6).toFixed(1),
        r.parseMs.toFixed(0),
        r.compareMs.toFixed(0),
        r.heapMb.toFixed(0),
        r.commandS.toFixed(2),
        r.rssMb.toFixed(0),
        String(r.violations),
        String(r.allowed),
      ]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  console.log(
    `\nYAML of both sides, parsed by stagecraft and by its peers in this run:\n\n${yamlPeersTable(rows)}`,
  );
  const [half, full] = rows;
  console.log(
    `\nmemory growth from ${half.objects} to ${full.objects} objects: ${(full.rssMb / half.rssMb).toFixed(2)}× peak RSS for ${(full.bytes / half.bytes).toFixed(2)}× input`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
