import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StagecraftError } from '../errors.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { onlyProblem, problemsOf, WORKSPACE_FILE } from '../test-support/workspace-problems.ts';
import { findWorkspaceFile, loadWorkspace, parseWorkspace } from './load.ts';

const EXAMPLE_SHOP = fileURLToPath(new URL('../../../../examples/shop', import.meta.url));

const FILE = WORKSPACE_FILE;

test('loads the example shop workspace with its chain, gates and services', () => {
  const workspace = loadWorkspace({ cwd: EXAMPLE_SHOP });
  assert.equal(workspace.name, 'shop');
  assert.deepEqual(
    workspace.environments.map((env) => [env.name, env.from, env.deployers.join(','), env.dotenv]),
    [
      ['dev', undefined, 'developer,ci', true],
      ['staging', 'dev', 'ci', false],
      ['production', 'staging', 'ci', false],
    ],
  );
  const production = workspace.environments[2];
  assert.deepEqual(
    production?.gates.map((gate) => gate.kind),
    ['tests', 'soak', 'approvals', 'window'],
  );
  assert.deepEqual(production?.gates[2]?.options, { count: 1 });
  assert.equal(production?.manifests, join(EXAMPLE_SHOP, 'deploy/production'));
  assert.deepEqual(
    workspace.services.map((service) => service.name),
    ['storefront', 'catalog', 'orders'],
  );
  assert.equal(workspace.config.files, join(EXAMPLE_SHOP, 'config/{env}.yaml'));
});

test('finds stagecraft.yaml from a nested folder', () => {
  assert.equal(
    findWorkspaceFile({ cwd: join(EXAMPLE_SHOP, 'deploy/staging') }),
    join(EXAMPLE_SHOP, 'stagecraft.yaml'),
  );
});

test('defaults to dev → staging → production when no environments are declared', () => {
  const workspace = parseWorkspace('name: app\n', FILE);
  assert.deepEqual(
    workspace.environments.map(
      (env) => `${env.from ?? '-'}>${env.name}:${env.deployers.join()}:${env.dotenv}`,
    ),
    ['->dev:developer:true', 'dev>staging:ci:false', 'staging>production:ci:false'],
  );
  assert.equal(workspace.config.module, '/repo/src/config.ts');
});

test('dotenv and deployer defaults follow the chain position, never the environment name', () => {
  const workspace = parseWorkspace(
    'environments:\n  local: {}\n  production: { from: local }\n  dev: { from: production }\n',
    FILE,
  );
  assert.deepEqual(
    workspace.environments.map((env) => [env.name, env.dotenv, env.deployers.join()]),
    [
      ['local', true, 'developer'],
      ['production', false, 'ci'],
      ['dev', false, 'ci'],
    ],
  );
});

test('an empty file is a valid workspace with every default', () => {
  assert.equal(parseWorkspace('', FILE).environments.length, 3);
});

test('reports a YAML syntax error with its position', () => {
  const problem = onlyProblem('environments:\n  dev: [\n');
  assert.equal(problem.code, 'WORKSPACE_YAML_SYNTAX');
  assert.match(problem.message, /^YAML syntax error: /);
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 1 });
});

test('reports a duplicate key where the repeat is', () => {
  const problem = onlyProblem('name: a\nenvironments: {}\nname: b\n');
  assert.equal(problem.message, 'YAML syntax error: Map keys must be unique');
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 1 });
  assert.equal(problem.hint, 'a key may appear once in a map: remove or merge the repeated one');
});

test('refuses a file that is not a map', () => {
  const problem = onlyProblem('- dev\n- staging\n');
  assert.equal(problem.code, 'WORKSPACE_INVALID_TYPE');
  assert.equal(
    problem.message,
    'stagecraft.yaml must be a map of sections (environments, services, config, ...)',
  );
});

test('reports an unknown key with what was meant and where', () => {
  const problem = onlyProblem('environments:\n  dev: {}\n  staging:\n    form: dev\n');
  assert.equal(problem.code, 'WORKSPACE_UNKNOWN_KEY');
  assert.equal(problem.message, 'unknown key "form" in environments.staging');
  assert.equal(problem.hint, 'did you mean "from"?');
  assert.equal(
    problem.expected,
    'one of from, deployers, gates, dotenv, manifests, facts, terraform, deploy',
  );
  assert.deepEqual(problem.location, { file: FILE, line: 4, column: 5 });
});

test('reports an unknown top-level section', () => {
  const problem = onlyProblem('name: a\nenviroments: {}\n');
  assert.equal(problem.message, 'unknown key "enviroments"');
  assert.equal(problem.hint, 'did you mean "environments"?');
});

test('accepts any keys inside sections later features own', () => {
  const workspace = parseWorkspace(
    'secrets: { backends: { vault: { address: x } } }\nscan: { a: 1 }\nparity: {}\ndrift: {}\n',
    FILE,
  );
  assert.deepEqual(workspace.secrets, { backends: { vault: { address: 'x' } } });
});

test('reports a wrong type with expected and found', () => {
  const problem = onlyProblem('environments:\n  dev:\n    deployers: developer\n');
  assert.equal(problem.code, 'WORKSPACE_INVALID_TYPE');
  assert.equal(problem.message, 'environments.dev.deployers must be a list');
  assert.equal(problem.found, '"developer"');
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 16 });
});

test('reports a non-boolean dotenv', () => {
  const problem = onlyProblem('environments:\n  dev:\n    dotenv: "yes"\n');
  assert.equal(problem.message, 'environments.dev.dotenv must be true or false');
});

test('reports a missing required key at its parent', () => {
  const problem = onlyProblem('services:\n  web:\n    manifests: deploy/web\n');
  assert.equal(problem.code, 'WORKSPACE_MISSING_KEY');
  assert.equal(problem.message, 'services.web.image is required');
  assert.equal(problem.hint, 'add "image" to services.web');
  assert.deepEqual(problem.location, { file: FILE, line: 3, column: 5 });
});

test('reports an empty deployer list', () => {
  const problem = onlyProblem('environments:\n  dev:\n    deployers: []\n');
  assert.equal(problem.message, 'environments.dev.deployers needs at least 1 item');
});

test('reports an unknown gate kind with the known ones', () => {
  const problem = onlyProblem('environments:\n  dev:\n    gates: [tests, aprovals]\n');
  assert.equal(problem.path, 'environments.dev.gates[1]');
  assert.equal(problem.expected, 'one of "tests", "soak", "approvals", "window"');
  assert.equal(problem.found, '"aprovals"');
});

test('reports an unknown gate kind written as a map at its kind', () => {
  const problem = onlyProblem('environments:\n  dev:\n    gates:\n      - kind: sok\n        duration: 1h\n');
  assert.equal(problem.path, 'environments.dev.gates[0].kind');
  assert.deepEqual(problem.location, { file: FILE, line: 4, column: 15 });
});

test('reports a gate that is neither a kind nor a map', () => {
  const problem = onlyProblem('environments:\n  dev:\n    gates: [3]\n');
  assert.equal(
    problem.message,
    'environments.dev.gates[0] must be one of "tests", "soak", "approvals", "window", or a map',
  );
});

test('refuses a workspace version it does not read', () => {
  const problem = onlyProblem('version: 2\n');
  assert.equal(problem.hint, 'this stagecraft reads version 1; upgrade stagecraft or write version: 1');
});

test('reports promotion from an undeclared environment with a suggestion', () => {
  const problem = onlyProblem('environments:\n  dev: {}\n  staging:\n    from: deev\n');
  assert.equal(problem.code, 'WORKSPACE_UNKNOWN_ENVIRONMENT');
  assert.equal(problem.message, 'environment "staging" is promoted from "deev", which is not declared');
  assert.equal(problem.hint, 'did you mean "dev"?');
  assert.deepEqual(problem.location, { file: FILE, line: 4, column: 11 });
});

test('reports an environment promoted from itself', () => {
  const problem = onlyProblem('environments:\n  dev: { from: dev }\n');
  assert.equal(problem.code, 'WORKSPACE_CHAIN_CYCLE');
});

test('requires environments in promotion order, which rules out cycles', () => {
  const problems = problemsOf(
    'environments:\n  dev: {}\n  staging: { from: production }\n  production: { from: staging }\n',
  );
  assert.deepEqual(
    problems.map((problem) => problem.message),
    ['environment "staging" is promoted from "production", which is declared after it'],
  );
});

test('refuses an empty environments map', () => {
  assert.equal(onlyProblem('environments: {}\n').code, 'WORKSPACE_NO_ENVIRONMENTS');
});

test('refuses environment and service names that cannot be used in paths and labels', () => {
  const problems = problemsOf('environments:\n  Dev_1: {}\nservices:\n  My App: { image: acme/app }\n');
  assert.deepEqual(
    problems.map((problem) => [problem.code, problem.message]),
    [
      ['WORKSPACE_INVALID_NAME', 'environment name "Dev_1" is not allowed'],
      ['WORKSPACE_INVALID_NAME', 'service name "My App" is not allowed'],
    ],
  );
});

test('refuses an image repository pinned to a tag or digest, naming the repository to write', () => {
  const tagged = onlyProblem('services:\n  web: { image: "registry.example.com:5000/acme/web:1.2" }\n');
  assert.equal(tagged.code, 'WORKSPACE_INVALID_IMAGE');
  assert.equal(tagged.message, 'service "web" pins a tag or digest in its image repository');
  assert.equal(
    tagged.hint,
    'write "registry.example.com:5000/acme/web"; the digest is recorded per deployment',
  );
  const digest = onlyProblem(`services:\n  web: { image: "acme/web@sha256:${'a'.repeat(64)}" }\n`);
  assert.equal(digest.hint, 'write "acme/web"; the digest is recorded per deployment');
  const invalid = onlyProblem('services:\n  web: { image: "Acme/Web" }\n');
  assert.equal(invalid.message, 'service "web" has an image repository that is not a valid reference');
});

test('accepts a repository with a registry port', () => {
  assert.equal(
    parseWorkspace('services:\n  web: { image: "localhost:5000/web" }\n', FILE).services[0]?.image,
    'localhost:5000/web',
  );
});

test('requires {env} in the config file pattern', () => {
  assert.equal(
    onlyProblem('config:\n  files: config/env.yaml\n').message,
    'config.files must contain {env}, the place of the environment name',
  );
});

test('reports every problem at once, in file order', () => {
  const problems = problemsOf('extra: 1\nenvironments:\n  dev: { from: nowhere }\nservices:\n  web: {}\n');
  assert.deepEqual(
    problems.map((problem) => problem.location?.line),
    [1, 3, 5],
  );
  assert.match(
    problemsError('extra: 1\n').message,
    /^\/repo\/stagecraft\.yaml has 1 problem:\n\/repo\/stagecraft\.yaml:1:1: unknown key "extra"/,
  );
});

function problemsError(text: string): StagecraftError {
  try {
    parseWorkspace(text, FILE);
  } catch (error) {
    return error as StagecraftError;
  }
  assert.fail('expected an error');
}

test('says how to create a workspace when none is found', (t) => {
  const dir = tempDir(t);
  assert.throws(
    () => loadWorkspace({ cwd: dir }),
    (error: StagecraftError) => {
      assert.equal(error.code, 'WORKSPACE_NOT_FOUND');
      assert.equal(error.message, `no stagecraft.yaml found in ${dir} or any folder above it`);
      assert.equal(error.hint, 'run `stagecraft init` to create one, or pass --workspace FILE');
      return true;
    },
  );
});

test('refuses two workspace files side by side', (t) => {
  const dir = tempDir(t, { 'stagecraft.yaml': '', 'stagecraft.yml': '' });
  assert.throws(() => loadWorkspace({ cwd: dir }), { code: 'WORKSPACE_AMBIGUOUS' });
});

test('reports an explicit workspace path that does not exist', (t) => {
  const dir = tempDir(t);
  assert.throws(() => loadWorkspace({ cwd: dir, file: 'nope.yaml' }), {
    code: 'WORKSPACE_NOT_FOUND',
    message: `workspace file ${join(dir, 'nope.yaml')} does not exist`,
  });
});

test('accepts a folder as the explicit workspace path', (t) => {
  const dir = tempDir(t, { 'sub/stagecraft.yaml': 'name: sub\n' });
  assert.equal(loadWorkspace({ cwd: dir, file: 'sub' }).name, 'sub');
});

test('reports a workspace file that is not a regular file', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'stagecraft.yaml'));
  assert.throws(
    () => loadWorkspace({ cwd: dir }),
    (error: StagecraftError) => {
      assert.equal(error.code, 'INPUT_NOT_A_FILE');
      assert.match(error.message, /^workspace file .*stagecraft\.yaml is a directory, not a file$/);
      assert.equal(error.hint, 'give the path of a file inside it');
      return true;
    },
  );
});
