/**
 * The packages as users get them: packed with npm, installed into an empty project from the tarballs, and
 * imported from ES modules and CommonJS on every Node version we claim. A fresh app that installs only the
 * config package must get no native module, no install script and no compiler.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lastInFirstOut } from './test-support/cleanup.ts';
import { assertBuilt, REPO_ROOT, tempDir } from './test-support/cli.ts';
import { claimedNodes } from './test-support/node-versions.ts';
import { NPM_QUIET, npm, packBoth } from './test-support/npm.ts';
import { startPostgres } from './test-support/postgres.ts';
import { startServer } from './test-support/server.ts';

/** Every installed package's folder, scoped ones included. */
function installed(project: string): string[] {
  const modules = join(project, 'node_modules');
  return readdirSync(modules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name],
    );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

const CONSUMER = `
  const { defineConfig, field } = LIB;
  const loader = defineConfig({ port: field.port().default(3000), name: field.string() });
  const config = loader.load({ NAME: 'shop' }, { environment: 'dev' });
  let refused = '';
  try { loader.load({ NAME: 'shop', PORT: 'eighty' }, { environment: 'dev' }); } catch (error) { refused = error.code; }
  console.log(JSON.stringify({ port: config.port, name: config.name, refused }));
`;
const EXPECTED = { port: 3000, name: 'shop', refused: 'CONFIG_INVALID' };

function writeConsumers(project: string, specifier: string): void {
  writeFileSync(
    join(project, 'esm.mjs'),
    `import * as LIB from '${specifier}';\n${CONSUMER.replace('LIB', 'LIB')}`,
  );
  writeFileSync(join(project, 'cjs.cjs'), `const LIB = require('${specifier}');\n${CONSUMER}`);
}

function runWith(node: string, project: string, file: string): unknown {
  const result = spawnSync(node, [file], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] },
  });
  assert.equal(result.status, 0, `${file} under ${node}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

test('packed packages install into an empty project and load from ESM and CommonJS on Node 20, 22 and 24', async (t) => {
  const nodes = claimedNodes();
  if (!nodes) {
    t.skip('the official Node binaries for the other claimed versions are fetched for Linux x64 only');
    return;
  }
  const work = tempDir(t);
  const tarballs = packBoth(work);

  await t.test('the config package alone: no native module, no install script, no compiler', () => {
    const app = tempDir(t, { 'package.json': '{ "name": "app", "private": true }\n' });
    npm(app, ['install', ...NPM_QUIET, tarballs.config]);
    const packages = installed(app).sort();
    assert.deepEqual(packages, ['@stagecraft/config', 'yaml']);
    for (const name of packages) {
      const dir = join(app, 'node_modules', name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
        gypfile?: boolean;
      };
      for (const hook of ['preinstall', 'install', 'postinstall']) {
        assert.equal(manifest.scripts?.[hook], undefined, `${name} runs an ${hook} script`);
      }
      assert.ok(!existsSync(join(dir, 'binding.gyp')) && !manifest.gypfile, `${name} builds native code`);
      assert.deepEqual(
        filesUnder(dir).filter((file) => file.endsWith('.node')),
        [],
        `${name} ships a native module`,
      );
    }
    writeConsumers(app, '@stagecraft/config');
    for (const { major, path } of nodes) {
      assert.deepEqual(runWith(path, app, 'esm.mjs'), EXPECTED, `ESM on Node ${major}`);
      assert.deepEqual(runWith(path, app, 'cjs.cjs'), EXPECTED, `CommonJS on Node ${major}`);
    }
  });

  await t.test(
    'stagecraft still exports stagecraft/config, and asks for tsx only where Node cannot strip types',
    () => {
      const app = tempDir(t, {
        'package.json': '{ "name": "app", "private": true, "type": "module" }\n',
        'stagecraft.yaml':
          'version: 1\nname: app\nenvironments:\n  dev: {}\nconfig:\n  module: src/config.ts\n',
        'config/base.yaml': 'name: shop\n',
        'src/enum-config.ts':
          "import { defineConfig } from 'stagecraft/config';\nenum Size { S }\nexport default defineConfig({});\n",
        'src/throwing-config.ts':
          "const reason: string = 'the database is down';\nthrow new Error(reason);\n",
        'src/config.ts': [
          "import { defineConfig, field } from 'stagecraft/config';",
          'const port: number = 3000;',
          'export default defineConfig({ port: field.port().default(port), name: field.string() });',
          '',
        ].join('\n'),
      });
      // Scripts stay off: this test needs no SQLite, and a fresh install must not build native code to run it.
      npm(app, ['install', ...NPM_QUIET, '--ignore-scripts', tarballs.config, tarballs.stagecraft]);
      assert.ok(
        !existsSync(join(app, 'node_modules/tsx')),
        'tsx is an optional peer, not installed by default',
      );
      writeConsumers(app, 'stagecraft/config');
      const cli = join(app, 'node_modules/stagecraft/dist/cli/main.js');
      for (const { major, path } of nodes) {
        assert.deepEqual(runWith(path, app, 'esm.mjs'), EXPECTED, `ESM on Node ${major}`);
        assert.deepEqual(runWith(path, app, 'cjs.cjs'), EXPECTED, `CommonJS on Node ${major}`);
        const check = spawnSync(path, [cli, 'config', 'check', '--env', 'dev'], {
          cwd: app,
          encoding: 'utf8',
          env: { PATH: process.env['PATH'] },
        });
        const strips = spawnSync(path, ['-p', 'Boolean(process.features.typescript)'], { encoding: 'utf8' });
        if (strips.stdout.trim() === 'true') {
          assert.equal(check.status, 0, `Node ${major} strips the types itself: ${check.stderr}`);
          const module = (file: string) =>
            spawnSync(path, [cli, 'config', 'check', '--env', 'dev', '--module', file], {
              cwd: app,
              encoding: 'utf8',
              env: { PATH: process.env['PATH'] },
            });
          // An enum is more than annotations: only then is tsx asked for.
          const enums = module('src/enum-config.ts');
          assert.equal(enums.status, 1, enums.stderr);
          assert.match(enums.stderr, /\[CONFIG_MODULE_NEEDS_TSX\][\s\S]*npm install --save-dev tsx/);
          // A module that throws as it runs is its own failure, run once, not a reason to ask for tsx.
          const throws = module('src/throwing-config.ts');
          assert.equal(throws.status, 1, throws.stderr);
          assert.match(throws.stderr, /\[CONFIG_MODULE_FAILED\][^\n]*the database is down/);
        } else {
          assert.equal(check.status, 1, `Node ${major}: ${check.stdout}${check.stderr}`);
          assert.match(
            check.stderr,
            /src\/config\.ts is TypeScript, and Node v\d+\.\d+\.\d+ cannot load TypeScript/,
          );
          assert.match(check.stderr, /npm install --save-dev tsx/);
          assert.doesNotMatch(check.stderr, /^\s+at /m, 'no stack trace');
        }
      }
    },
  );
});

test('the packed stagecraft holds the dashboard’s files, and its installed server serves them', async (t) => {
  assertBuilt();
  // What npm would pack, without packing: every file of the dashboard's folder but its tests and types.
  const listed = (
    JSON.parse(npm(REPO_ROOT, ['pack', '--dry-run', '--json', '--ignore-scripts'])) as {
      files: { path: string }[];
    }[]
  )[0]?.files.map((file) => file.path);
  const source = readdirSync(join(REPO_ROOT, 'src/server/dashboard'));
  const assets = source.filter((name) => /\.(?:html|css|js)$/.test(name));
  assert.ok(assets.includes('index.html') && assets.includes('main.js'));
  assert.deepEqual(
    listed?.filter((path) => path.startsWith('dist/server/dashboard/')).sort(),
    assets.map((name) => `dist/server/dashboard/${name}`).sort(),
  );

  // Installed from the tarballs (without install scripts, so without SQLite's native module: the ledger is
  // on PostgreSQL), the CLI's bundled server finds the files in its own package.
  // The server stops before PostgreSQL, and both before the project's folder goes.
  const cleanup = lastInFirstOut(t);
  const postgres = await startPostgres(cleanup);
  if (typeof postgres === 'string') {
    t.skip(`${postgres}: the installed server is not started`);
    return;
  }
  const tarballs = packBoth(tempDir(cleanup));
  const app = tempDir(cleanup, {
    'package.json': '{ "name": "app", "private": true, "type": "module" }\n',
    'stagecraft.yaml':
      'version: 1\nname: app\nenvironments:\n  dev: {}\nservices:\n  web:\n    image: registry.example.com/web\n',
  });
  npm(app, ['install', ...NPM_QUIET, '--ignore-scripts', tarballs.config, tarballs.stagecraft]);
  const server = await startServer(cleanup, {
    cwd: app,
    cli: join(app, 'node_modules/stagecraft/dist/cli/main.js'),
    env: { STAGECRAFT_DATABASE_URL: postgres.url },
  });
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>stagecraft<\/title>/);
  assert.equal((await fetch(`${server.url}/assets/main.js`)).status, 200);
  const overview = await server.call('GET', '/v1/overview', server.adminToken);
  assert.equal(overview.body.name, 'app');
});
