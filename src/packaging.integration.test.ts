/**
 * What the README promises about module systems and installs, checked on the packed packages: every entry of
 * @stagecraft/config from CommonJS (the root through its CommonJS build, the others through require() of an
 * ES module, Node ≥ 20.19 / 22.12), TypeScript's node16 and nodenext resolution, and a pre-commit hook that
 * works when stagecraft was installed outside the project (globally, or run through npx).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, REPO_ROOT, tempDir } from './test-support/cli.ts';
import { GOOD_GITIGNORE, generatedToken, git, gitOk, minimalPath, repository } from './test-support/git.ts';
import { claimedNodes } from './test-support/node-versions.ts';
import { NPM_QUIET, npm, packInto } from './test-support/npm.ts';

const SUBPATHS = ['errors', 'text', 'units', 'workspace', 'yaml', 'input', 'secret-references', 'engine'];

test('every entry of @stagecraft/config loads from CommonJS, and its types resolve under node16 and nodenext', async (t) => {
  assertBuilt();
  const nodes = claimedNodes();
  if (!nodes) {
    t.skip('the official Node binaries for the other claimed versions are fetched for Linux x64 only');
    return;
  }
  const tarball = packInto(tempDir(t), ['--workspace', '@stagecraft/config']);
  const app = tempDir(t, { 'package.json': '{ "name": "app", "private": true }\n' });
  npm(app, ['install', ...NPM_QUIET, tarball]);

  writeFileSync(
    join(app, 'all.cjs'),
    `const root = require('@stagecraft/config');
const entries = Object.fromEntries(${JSON.stringify(SUBPATHS)}.map((name) => [name, require('@stagecraft/config/' + name)]));
let thrown;
try { root.defineConfig({ port: root.field.port() }).load({ PORT: 'eighty' }, { environment: 'dev' }); } catch (error) { thrown = error; }
console.log(JSON.stringify({
  entries: Object.entries(entries).filter(([, module]) => Object.keys(module).length > 0).map(([name]) => name),
  // An error of the CommonJS build is recognised by the ES module entry's check.
  recognised: entries.errors.isStagecraftError(thrown),
}));
`,
  );
  for (const { major, path } of nodes) {
    const result = spawnSync(path, ['all.cjs'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] },
    });
    assert.equal(result.status, 0, `Node ${major}: ${result.stderr}`);
    assert.deepEqual(JSON.parse(result.stdout), { entries: SUBPATHS, recognised: true }, `Node ${major}`);
    assert.doesNotMatch(result.stderr, /ExperimentalWarning/, `Node ${major} warns`);
  }

  const uses = `import { defineConfig, field } from '@stagecraft/config';
import { isStagecraftError } from '@stagecraft/config/errors';
const port: number = defineConfig({ port: field.port().default(3000) }).load({}, { environment: 'dev' }).port;
const known: boolean = isStagecraftError(new Error('x'));
export { port, known };
`;
  writeFileSync(join(app, 'esm.mts'), uses);
  writeFileSync(join(app, 'cjs.cts'), uses);
  writeFileSync(
    join(app, 'root-only.cts'),
    uses.replace(
      /^import \{ isStagecraftError \}.*\n/m,
      'const isStagecraftError = (e: unknown) => e instanceof Error;\n',
    ),
  );
  const tsc = (module: string, files: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        '--module',
        module,
        '--moduleResolution',
        module,
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(REPO_ROOT, 'node_modules/@types'),
        ...files,
      ],
      { cwd: app, encoding: 'utf8' },
    );
  const nodenext = tsc('nodenext', ['esm.mts', 'cjs.cts']);
  assert.equal(nodenext.status, 0, `nodenext: ${nodenext.stdout}`);
  const node16 = tsc('node16', ['esm.mts', 'root-only.cts']);
  assert.equal(node16.status, 0, `node16: ${node16.stdout}`);
  // The limit the README states: under node16, TypeScript does not let CommonJS require an ES module entry.
  const node16Subpath = tsc('node16', ['cjs.cts']);
  assert.match(node16Subpath.stdout, /cjs\.cts\(2,\d+\): error TS1479/);
});

test('hooks install from a copy outside the project writes a hook that runs it; lint there asks for typescript', async (t) => {
  assertBuilt();
  const packs = tempDir(t);
  const tarballs = [packInto(packs, ['--workspace', '@stagecraft/config']), packInto(packs, [])];
  // Like `npm install --global` or npx's cache: a prefix of its own, not the project's node_modules. Without
  // peer dependencies (as --legacy-peer-deps and strict installers leave them out): no typescript.
  const prefix = tempDir(t);
  npm(prefix, ['install', ...NPM_QUIET, '--legacy-peer-deps', '--prefix', prefix, ...tarballs]);
  const installed = join(prefix, 'node_modules/.bin/stagecraft');

  const dir = repository(t, { '.gitignore': GOOD_GITIGNORE, 'README.md': '# app\n' });
  const install = spawnSync(installed, ['hooks', 'install'], { cwd: dir, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);

  // typescript is a peer, which only lint needs: without it lint says what to install.
  const lint = spawnSync(installed, ['lint'], { cwd: dir, encoding: 'utf8' });
  assert.equal(lint.status, 1, lint.stdout + lint.stderr);
  assert.match(lint.stderr, /\[LINT_NEEDS_TYPESCRIPT\] stagecraft lint parses code with TypeScript's parser/);
  assert.match(lint.stderr, /hint: install it beside stagecraft: npm install --save-dev typescript/);

  // git runs the hook with a PATH that has no stagecraft, and the project has none in node_modules.
  const env = { PATH: minimalPath() };
  writeFileSync(join(dir, 'notes.txt'), 'clean\n');
  gitOk(dir, ['add', 'notes.txt']);
  const clean = git(dir, ['commit', '-m', 'clean'], env);
  assert.equal(clean.code, 0, clean.output);
  assert.match(clean.output, /✓ no secrets found/);

  writeFileSync(join(dir, 'deploy.env.txt'), `GITHUB_TOKEN=${generatedToken()}\n`);
  gitOk(dir, ['add', 'deploy.env.txt']);
  const refused = git(dir, ['commit', '-m', 'leak'], env);
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /github-pat/);
  assert.match(
    refused.output,
    /stagecraft pre-commit hook: .*node_modules\/stagecraft\/dist\/cli\/main\.js hooks run pre-commit exited 2/,
  );
  assert.equal(gitOk(dir, ['rev-list', '--count', 'HEAD']).trim(), '2', 'the leak was not committed');
});
