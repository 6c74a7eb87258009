/**
 * A hint is advice a user follows to the letter. These tests do that: take every value a hint suggests for a
 * missing or refused secret, write it where the hint says, and run every check that could refuse it — the
 * config checks, the secret scanner and `secrets check` — which must then all pass.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountKubernetesSecret } from '../../packages/config/src/test-support/kubernetes-mount.ts';
import { builtConfigLibrary, runCli, tempDir } from '../test-support/cli.ts';

const secretValue = () => `sv-${randomBytes(12).toString('hex')}`;

function workspace(t: { after(fn: () => void): void }, production: string): string {
  return tempDir(t, {
    'stagecraft.yaml':
      'environments:\n  dev: { dotenv: true }\n  staging: { from: dev }\n  production: { from: staging }\nconfig:\n  module: src/config.ts\n',
    'src/config.ts': `import { defineConfig, field } from '${builtConfigLibrary()}';
export default defineConfig({ dbHost: field.string(), apiKey: field.secret() });
`,
    'config/dev.yaml': 'db_host: localhost\napi_key: "${API_KEY}"\n',
    'config/staging.yaml': 'db_host: "${DB_HOST}"\napi_key: "ref+env://STAGING_API_KEY"\n',
    'config/production.yaml': `db_host: "\${DB_HOST}"\n${production}`,
  });
}

/** The values a hint offers for a config file: `${VAR}`s and references, placeholders as written. */
function suggestedValues(hint: string): string[] {
  return [...hint.matchAll(/\$\{[A-Z_]+\}|ref\+[a-z0-9]+:\/\/[A-Za-z0-9_/.-]+/g)].map((m) => m[0]);
}

/** Writes each suggestion into production's file (filling its placeholders) and runs every check on it. */
async function followEach(t: { after(fn: () => void): void }, hint: string): Promise<void> {
  const suggestions = suggestedValues(hint);
  assert.ok(suggestions.length >= 2, `the hint offers ways to provide the secret: ${hint}`);
  for (const suggestion of suggestions) {
    const value = suggestion.replace('SECRET/KEY', 'payments/api-key').replace('PATH', 'mounted/api-key');
    const dir = workspace(t, `api_key: "${value}"\n`);
    const mounts = join(dir, 'mounted');
    mkdirSync(mounts);
    writeFileSync(join(mounts, 'api-key'), secretValue());
    mountKubernetesSecret(join(dir, 'k8s'), 'payments', { 'api-key': secretValue() }, 1);
    const env = {
      DB_HOST: 'db.production',
      API_KEY: secretValue(),
      STAGECRAFT_K8S_SECRETS_ROOT: join(dir, 'k8s'),
    };
    const all = await runCli(['config', 'check', '--all'], { cwd: dir });
    assert.equal(all.code, 0, `${suggestion}: config check --all\n${all.stdout}`);
    const check = await runCli(['config', 'check', '--env', 'production'], { cwd: dir, env });
    assert.equal(check.code, 0, `${suggestion}: config check\n${check.stdout}`);
    const secrets = await runCli(['secrets', 'check', '--env', 'production'], { cwd: dir, env });
    assert.equal(secrets.code, 0, `${suggestion}: secrets check\n${secrets.stdout}${secrets.stderr}`);
    const scan = await runCli(['scan', 'config'], { cwd: dir });
    assert.equal(scan.code, 0, `${suggestion}: scan\n${scan.stdout}`);
  }
}

test('config check --all: the hint for a secret nothing provides leads to a config every check accepts', async (t) => {
  const dir = workspace(t, '');
  const result = await runCli(['config', 'check', '--all', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 2, result.stdout);
  const [problem] = JSON.parse(result.stdout).problems as { field: string; hint: string }[];
  assert.equal(problem?.field, 'apiKey');
  await followEach(t, problem?.hint ?? '');
});

test('config check: the hint for a missing secret never offers a literal in the file, and can be followed', async (t) => {
  const dir = workspace(t, '');
  const result = await runCli(['config', 'check', '--env', 'production', '--format', 'json'], {
    cwd: dir,
    env: { DB_HOST: 'db' },
  });
  assert.equal(result.code, 2, result.stdout);
  const [problem] = JSON.parse(result.stdout).problems as { code: string; hint: string }[];
  assert.equal(problem?.code, 'CONFIG_MISSING_VAR');
  assert.doesNotMatch(problem?.hint ?? '', /api_key in config/);
  await followEach(t, problem?.hint ?? '');
});

test('a literal secret in a config file: the hint offers only values every check accepts', async (t) => {
  const dir = workspace(t, `api_key: "${secretValue()}"\n`);
  const result = await runCli(['config', 'check', '--env', 'production', '--format', 'json'], {
    cwd: dir,
    env: { DB_HOST: 'db' },
  });
  assert.equal(result.code, 2, result.stdout);
  const [problem] = JSON.parse(result.stdout).problems as { code: string; hint: string }[];
  assert.equal(problem?.code, 'CONFIG_SECRET_LITERAL');
  await followEach(t, problem?.hint ?? '');
});

// The probes below run the AWS backends in this process: the SDK reads its settings from process.env. No
// instance metadata lookups, and no notice about Node versions (tests fail on unexpected output).
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

test('a misspelt backend: every backend a hint offers is one that works', async (t) => {
  const hints: string[] = [];
  for (const reference of ['ref+valt://shop/db', 'ref+awssm://shop', 'ref+k8z://a/b']) {
    const dir = workspace(t, `api_key: "${reference}"\n`);
    const result = await runCli(['secrets', 'check', '--env', 'production', '--format', 'json'], {
      cwd: dir,
      env: { DB_HOST: 'db' },
    });
    assert.equal(result.code, 2, `${reference}: ${result.stdout}${result.stderr}`);
    const data = JSON.parse(result.stdout) as { secrets: { problems?: { hint?: string }[] }[] };
    const hint = data.secrets
      .flatMap((secret) => secret.problems ?? [])
      .map((problem) => problem.hint ?? '')
      .join('\n');
    hints.push(`${reference}: ${hint}`);
  }
  const offered = new Set(
    hints.flatMap((hint) =>
      [...hint.matchAll(/\bref\+([a-z0-9]+):\/\/|did you mean ([a-z0-9]+)\?/g)].map((m) => m[1] ?? m[2]),
    ),
  );
  offered.delete('valt');
  offered.delete('awssm');
  offered.delete('k8z');
  assert.ok(offered.size > 0, hints.join('\n'));
  for (const backend of offered) {
    const probe = await runCli(['secrets', 'get', `ref+${backend}://probe/key`]);
    assert.doesNotMatch(probe.stderr, /not available/, `${backend}, offered by:\n${hints.join('\n')}`);
  }
});
