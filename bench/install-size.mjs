/**
 * What installing each config library costs an app, measured in one run:
 *
 *   npm run build && node bench/install-size.mjs [--json]
 *
 * For @stagecraft/config and stagecraft (packed from this checkout) and for envalid, @t3-oss/env-core (with
 * zod, the schema library its users install beside it) and convict (from the registry, at the versions this
 * repository's lockfile pins), it reports:
 * - the package's own tarball and unpacked size (`npm pack --dry-run`);
 * - a fresh consumer's install: packages in node_modules, their total size on disk, native modules (`.node`
 *   files) and packages with install scripts. Install scripts run as they would for a user (better-sqlite3
 *   builds or fetches its native module).
 *
 * Sizes are bytes of file contents (what `du --apparent-size` counts), so they do not depend on the disk's
 * block size. Progress goes to stderr, the report to stdout.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './_table.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const json = process.argv.includes('--json');
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
const pinned = (name) => `${name}@${lock.packages[`node_modules/${name}`].version}`;

const work = mkdtempSync(join(tmpdir(), 'stagecraft-install-size-'));
const npm = (cwd, args) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

function packInfo(cwd, args) {
  const [info] = JSON.parse(npm(cwd, ['pack', '--dry-run', '--json', '--ignore-scripts', ...args]));
  return { tarball: info.size, unpacked: info.unpackedSize, files: info.entryCount };
}

function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path, entry);
  }
}

function consumerInstall(label, specs) {
  const app = join(work, label.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  process.stderr.write(`installing ${label} into an empty project…\n`);
  const started = process.hrtime.bigint();
  npm(app, ['install', '--prefer-offline', ...specs]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // One walk: file bytes, native modules, and each installed package's own package.json.
  let bytes = 0;
  let native = 0;
  const manifests = [];
  walk(join(app, 'node_modules'), (path, entry) => {
    if (!entry.isFile()) return;
    bytes += lstatSync(path).size;
    if (path.endsWith('.node')) native += 1;
    if (!path.endsWith('/package.json')) return;
    try {
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      if (manifest.name && path.endsWith(`node_modules/${manifest.name}/package.json`))
        manifests.push(manifest);
    } catch {}
  });
  const scripts = manifests.filter((m) =>
    ['preinstall', 'install', 'postinstall'].some((s) => m.scripts?.[s]),
  );
  return {
    packages: manifests.length,
    bytes,
    native,
    installScripts: scripts.map((m) => m.name),
    seconds,
  };
}

try {
  process.stderr.write('packing this checkout…\n');
  const tarball = (args) =>
    join(
      work,
      JSON.parse(npm(REPO, ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...args]))[0]
        .filename,
    );
  const configTarball = tarball(['--workspace', '@stagecraft/config']);
  const stagecraftTarball = tarball([]);

  const subjects = [
    {
      label: '@stagecraft/config',
      pack: () => packInfo(REPO, ['--workspace', '@stagecraft/config']),
      install: [configTarball],
    },
    { label: 'envalid', pack: () => packInfo(work, [pinned('envalid')]), install: [pinned('envalid')] },
    {
      label: '@t3-oss/env-core + zod',
      pack: () => packInfo(work, [pinned('@t3-oss/env-core')]),
      install: [pinned('@t3-oss/env-core'), pinned('zod')],
    },
    { label: 'convict', pack: () => packInfo(work, [pinned('convict')]), install: [pinned('convict')] },
    {
      label: 'stagecraft (CLI, ledger)',
      pack: () => packInfo(REPO, []),
      install: [configTarball, stagecraftTarball],
    },
  ];
  const results = subjects.map((subject) => ({
    label: subject.label,
    ...subject.pack(),
    ...consumerInstall(subject.label, subject.install),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const base = results[0].bytes;
    const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
    const mb = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : kb(n));
    console.log(
      formatTable(
        [
          'package',
          'tarball',
          'unpacked',
          'installed packages',
          'node_modules',
          'vs @stagecraft/config',
          'native',
          'install scripts',
        ],
        results.map((r) => [
          r.label,
          kb(r.tarball),
          kb(r.unpacked),
          String(r.packages),
          mb(r.bytes),
          `${(r.bytes / base).toFixed(2)}×`,
          String(r.native),
          r.installScripts.join(', ') || '-',
        ]),
        [false, true, true, true, true, true, true, false],
      ),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
