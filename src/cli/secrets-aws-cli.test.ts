/**
 * `ref+awssecrets://` and `ref+awsssm://` through the built CLI, as users run it: the endpoint, region and
 * credentials come from the AWS SDK's own variables, pointed at a small AWS on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  type AwsTestServer,
  awsTestEnv,
  startAwsServer,
} from '../../packages/config/src/test-support/aws-server.ts';
import { EXAMPLE_SHOP, REPO_ROOT, spawnCli, tempDir } from '../test-support/cli.ts';

const secretValue = () => randomBytes(12).toString('base64url');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

let aws: AwsTestServer;
before(async () => {
  aws = await startAwsServer('us-east-2');
});
after(() => aws.close());

/** The SDK's variables for the test server; nothing from this machine's own AWS setup. */
function awsEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return awsTestEnv(aws, overrides);
}

/** The example shop whose production config reads its secrets from AWS. */
function shop(t: { after(fn: () => void): void }): string {
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules/@stagecraft'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/stagecraft'));
  symlinkSync(join(REPO_ROOT, 'packages/config'), join(dir, 'node_modules/@stagecraft/config'));
  writeFileSync(
    join(dir, 'config/production.yaml'),
    [
      'base_url: "https://api.example.com"',
      'db:',
      '  host: "${DB_HOST}"',
      '  password: "ref+awsssm://shop/production/db_password"',
      'api_key: "ref+awssecrets://shop/payments#/api_key"',
      'log_level: "WARNING"',
      '',
    ].join('\n'),
  );
  return dir;
}

test('secrets get reads a Secrets Manager key and an SSM parameter', async () => {
  const apiKey = secretValue();
  aws.putSecret('cli/payments', JSON.stringify({ api_key: apiKey }));
  aws.putParameter('/cli/db_password', 'ssm-value-1', 'SecureString');
  const secret = await spawnCli(['secrets', 'get', 'ref+awssecrets://cli/payments#/api_key'], {
    env: awsEnv(),
  });
  assert.equal(secret.code, 0, secret.stderr);
  assert.equal(sha(secret.stdout.trimEnd()), sha(apiKey));
  // One endpoint for every service, as the SDK reads AWS_ENDPOINT_URL.
  const parameter = await spawnCli(['secrets', 'get', 'ref+awsssm://cli/db_password'], {
    env: awsEnv({ AWS_ENDPOINT_URL: aws.url, AWS_ENDPOINT_URL_SSM: undefined }),
  });
  assert.equal(parameter.code, 0, parameter.stderr);
  assert.equal(parameter.stdout.trimEnd(), 'ssm-value-1');
});

test('secrets get: not found and forbidden exit 2, unreachable exits 1, each naming the AWS code', async () => {
  aws.putSecret('cli/locked', 'locked-value');
  aws.denied.add('cli/locked');
  const missing = await spawnCli(['secrets', 'get', 'ref+awssecrets://cli/none'], { env: awsEnv() });
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /SECRET_NOT_FOUND.*ref\+awssecrets:\/\/cli\/none: .*ResourceNotFoundException/,
  );
  const denied = await spawnCli(['secrets', 'get', 'ref+awssecrets://cli/locked'], { env: awsEnv() });
  assert.equal(denied.code, 2);
  assert.match(denied.stderr, /SECRET_FORBIDDEN.*AccessDeniedException/);
  assert.doesNotMatch(denied.stderr + denied.stdout, /locked-value/);
  const noRegion = await spawnCli(['secrets', 'get', 'ref+awssecrets://cli/none'], {
    env: awsEnv({ AWS_REGION: undefined }),
  });
  assert.equal(noRegion.code, 2);
  assert.match(noRegion.stderr, /SECRET_BACKEND_NOT_CONFIGURED.*no AWS region/);
  const closed = await closedPort();
  const unreachable = await spawnCli(['secrets', 'get', 'ref+awsssm://cli/db_password'], {
    env: awsEnv({ AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${closed}` }),
  });
  assert.equal(unreachable.code, 1, unreachable.stderr);
  assert.match(unreachable.stderr, /SECRET_UNAVAILABLE.*could not be reached: ECONNREFUSED/);
});

test('secrets check --env production and run, with the config reading AWS; the child sees the values', async (t) => {
  const dir = shop(t);
  const apiKey = secretValue();
  const dbPassword = secretValue();
  aws.putSecret('shop/payments', JSON.stringify({ api_key: apiKey }));
  aws.putParameter('/shop/production/db_password', dbPassword, 'SecureString');
  const env = awsEnv({ DB_HOST: 'db.internal', DB_NAME: 'shop', DB_PASSWORD: undefined, API_KEY: undefined });

  const check = await spawnCli(['secrets', 'check', '--env', 'production', '--format', 'json'], {
    cwd: dir,
    env,
  });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.doesNotMatch(check.stdout, new RegExp(`${apiKey}|${dbPassword}`));
  const report = JSON.parse(check.stdout) as { secrets: { problems?: unknown[] }[] };
  assert.ok(report.secrets.length >= 2 && report.secrets.every((s) => !s.problems?.length), check.stdout);

  // The child prints only whether each value arrived as expected, never the value.
  const want = { API_KEY: sha(apiKey), DB_PASSWORD: sha(dbPassword) };
  const script = `const want = JSON.parse(process.argv[1]);
const bad = Object.entries(want).filter(([k, h]) => require('crypto').createHash('sha256').update(process.env[k] ?? '').digest('hex') !== h);
console.log(bad.length ? 'mismatch: ' + bad.map(([k]) => k).join(',') : 'ok');`;
  const run = await spawnCli(
    ['run', '--env', 'production', '--', process.execPath, '-e', script, JSON.stringify(want)],
    { cwd: dir, env },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'ok\n');

  // A secret that went missing: check says so, and run never starts the command.
  aws.denied.add('shop/payments');
  const refused = await spawnCli(['secrets', 'check', '--env', 'production'], { cwd: dir, env });
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stdout + refused.stderr, /AccessDeniedException/);
  const notStarted = await spawnCli(
    ['run', '--env', 'production', '--', process.execPath, '-e', 'console.log(1)'],
    {
      cwd: dir,
      env,
    },
  );
  assert.notEqual(notStarted.code, 0);
  assert.equal(notStarted.stdout, '');
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
