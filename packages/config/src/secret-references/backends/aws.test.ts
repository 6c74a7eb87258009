/**
 * `ref+awssecrets://` and `ref+awsssm://` against a small AWS on 127.0.0.1 (test-support/aws-server.ts): the
 * real SDK clients, signing with credentials made for this run, with endpoints from the SDK's own variables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AwsTestServer, awsTestEnv, startAwsServer } from '../../test-support/aws-server.ts';
import { SecretError } from '../backend.ts';
import { parseValue, type SecretReference } from '../reference.ts';
import { SecretResolver } from '../resolver.ts';
import { importClient } from './aws-client.ts';

let aws: AwsTestServer;

before(async () => {
  aws = await startAwsServer();
  // The SDK reads these itself; the backends never do.
  for (const [name, value] of Object.entries(awsTestEnv(aws))) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
after(() => aws.close());

const resolver = () =>
  new SecretResolver({ root: '/', environment: 'test', dotenvAllowed: false, env: process.env });

async function rejects(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<SecretError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SecretError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('the test server keeps to the protocol', () => {
  test('the official SDK clients read from it, signing with the generated credentials', async () => {
    aws.putSecret('direct/check', 'direct-value');
    aws.putParameter('/direct/a', 'A');
    aws.putParameter('/direct/b', 'B', 'SecureString');
    const sm = new SecretsManagerClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: aws.credentials,
    });
    const out = await sm.send(new GetSecretValueCommand({ SecretId: 'direct/check' }));
    assert.equal(out.SecretString, 'direct-value');
    assert.deepEqual(out.VersionStages, ['AWSCURRENT']);
    const ssm = new SSMClient({ endpoint: aws.url, region: aws.region, credentials: aws.credentials });
    const page = await ssm.send(new GetParametersByPathCommand({ Path: '/direct', WithDecryption: true }));
    assert.deepEqual(
      page.Parameters?.map((p) => [p.Name, p.Value]),
      [
        ['/direct/a', 'A'],
        ['/direct/b', 'B'],
      ],
    );
    // A wrong secret key signs differently: the server checks the signature itself, not only its shape.
    const forged = new SecretsManagerClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: { accessKeyId: aws.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) },
      maxAttempts: 1,
    });
    await assert.rejects(forged.send(new GetSecretValueCommand({ SecretId: 'direct/check' })), {
      name: 'InvalidSignatureException',
    });
  });
});

describe('ref+awssecrets', () => {
  test('SecretString, JSON keys through the pointer, one read for both', async () => {
    aws.putSecret('shop/db', JSON.stringify({ username: 'shop', password: 'pw-1' }));
    const r = resolver();
    const before = aws.requests.length;
    const config = await r.resolveDeep({
      user: 'ref+awssecrets://shop/db#/username',
      login: 'ref+awssecrets://shop/db#/username+/ref+awssecrets://shop/db#/password+',
    });
    assert.deepEqual(config, { user: 'shop', login: 'shop/pw-1' });
    assert.equal(aws.requests.length - before, 1);
  });

  test('version stages and version ids', async () => {
    const first = aws.putSecret('shop/api', 'old-key');
    aws.putSecret('shop/api', 'new-key');
    const r = resolver();
    assert.equal(await r.resolveString('ref+awssecrets://shop/api'), 'new-key');
    assert.equal(await r.resolveString('ref+awssecrets://shop/api?version_stage=AWSPREVIOUS'), 'old-key');
    assert.equal(await r.resolveString(`ref+awssecrets://shop/api?version_id=${first}`), 'old-key');
    await rejects(
      r.resolveString('ref+awssecrets://shop/api?version_stage=NOPE'),
      'SECRET_NOT_FOUND',
      /ref\+awssecrets:\/\/shop\/api\?version_stage=NOPE: AWS Secrets Manager answered ResourceNotFoundException/,
    );
  });

  test('SecretBinary is read as UTF-8 text', async () => {
    aws.putSecret('shop/binary', Buffer.from('{"token":"bin-1"}'));
    aws.putSecret('shop/not-text', Buffer.from([0xff, 0xfe, 0x00]));
    const r = resolver();
    assert.equal(await r.resolveString('ref+awssecrets://shop/binary#/token'), 'bin-1');
    await rejects(r.resolveString('ref+awssecrets://shop/not-text'), 'SECRET_READ_FAILED', /not UTF-8/);
  });

  test('references resolved together are read with BatchGetSecretValue, 20 a call, errors per reference', async () => {
    for (let i = 0; i < 23; i++) aws.putSecret(`batch/s${i}`, `v${i}`);
    aws.denied.add('batch/s5');
    const before = aws.requests.length;
    const raw: Record<string, string> = { missing: 'ref+awssecrets://batch/none' };
    for (let i = 0; i < 23; i++) raw[`s${i}`] = `ref+awssecrets://batch/s${i}`;
    const settled = await Promise.allSettled(
      Object.values(raw).map((text) => resolver().resolveString(text)),
    );
    const calls = aws.requests.slice(before);
    assert.deepEqual(
      calls.map((c) => [c.target, (c.body['SecretIdList'] as unknown[] | undefined)?.length]),
      [
        ['secretsmanager.BatchGetSecretValue', 20],
        ['secretsmanager.BatchGetSecretValue', 4],
      ],
    );
    const [missing, ...values] = settled;
    assert.equal(missing?.status, 'rejected');
    assert.match(
      String((missing as PromiseRejectedResult).reason.message),
      /batch\/none: .*ResourceNotFoundException/,
    );
    values.forEach((result, i) => {
      if (i === 5) {
        assert.equal(result.status, 'rejected');
        const error = (result as PromiseRejectedResult).reason as SecretError;
        assert.equal(error.code, 'SECRET_FORBIDDEN');
        assert.match(error.message, /ref\+awssecrets:\/\/batch\/s5: .*AccessDeniedException/);
      } else assert.deepEqual(result, { status: 'fulfilled', value: `v${i}` });
    });
  });

  test('an identity that may not call BatchGetSecretValue reads each secret on its own', async () => {
    aws.putSecret('nobatch/a', 'A');
    aws.putSecret('nobatch/b', 'B');
    aws.fail('secretsmanager.BatchGetSecretValue', 1, { status: 400, type: 'AccessDeniedException' });
    const r = resolver();
    assert.deepEqual(await r.resolveDeep(['ref+awssecrets://nobatch/a', 'ref+awssecrets://nobatch/b']), [
      'A',
      'B',
    ]);
  });

  test('throttling then success is retried by the SDK', async () => {
    aws.putSecret('retry/ok', 'fine');
    aws.fail('secretsmanager.GetSecretValue', 1, { status: 400, type: 'ThrottlingException' });
    assert.equal(await resolver().resolveString('ref+awssecrets://retry/ok'), 'fine');
  });

  test('errors: not found, access denied, credentials, server errors; never a value', async () => {
    aws.putSecret('err/denied', 'do-not-print-me');
    aws.denied.add('err/denied');
    const r = resolver();
    await rejects(
      r.resolveString('ref+awssecrets://err/none'),
      'SECRET_NOT_FOUND',
      /ResourceNotFoundException/,
    );
    const denied = await rejects(
      r.resolveString('ref+awssecrets://err/denied'),
      'SECRET_FORBIDDEN',
      /ref\+awssecrets:\/\/err\/denied: AWS Secrets Manager refused the read: AccessDeniedException/,
    );
    assert.doesNotMatch(`${denied.message} ${denied.hint}`, /do-not-print-me/);
    aws.fail('secretsmanager.GetSecretValue', 1, { status: 403, type: 'ExpiredTokenException' });
    await rejects(
      resolver().resolveString('ref+awssecrets://err/denied'),
      'SECRET_UNAUTHENTICATED',
      /ExpiredTokenException/,
    );
    aws.fail('secretsmanager.GetSecretValue', 1, { status: 400, type: 'UnrecognizedClientException' });
    await rejects(
      resolver().resolveString('ref+awssecrets://err/x1'),
      'SECRET_UNAUTHENTICATED',
      /UnrecognizedClient/,
    );
    const before = aws.requests.length;
    aws.fail('secretsmanager.GetSecretValue', 5, { status: 500, type: 'InternalServiceError' });
    await rejects(
      resolver().resolveString('ref+awssecrets://err/x2'),
      'SECRET_UNAVAILABLE',
      /did not answer: InternalServiceError/,
    );
    assert.equal(aws.requests.length - before, 3, 'three attempts in all: the retries are bounded');
  });

  test('unknown parameters are refused', async () => {
    await rejects(
      resolver().resolveString('ref+awssecrets://shop/db?role_arn=arn:aws:iam::1:role/x'),
      'SECRET_REFERENCE_INVALID',
      /takes no parameter "role_arn"/,
    );
  });
});

describe('ref+awsssm', () => {
  test('a parameter; a SecureString decrypted; a version', async () => {
    aws.putParameter('/shop/prod/db_password', 'ssm-pw', 'SecureString');
    aws.putParameter('/shop/prod/plain', 'one');
    aws.putParameter('/shop/prod/plain', 'two');
    const r = resolver();
    assert.equal(await r.resolveString('ref+awsssm://shop/prod/db_password'), 'ssm-pw');
    assert.equal(await r.resolveString('ref+awsssm:///shop/prod/plain'), 'two');
    assert.equal(await r.resolveString('ref+awsssm://shop/prod/plain?version=1'), 'one');
    const call = aws.requests.findLast((c) => c.target === 'AmazonSSM.GetParameter');
    assert.deepEqual(call?.body, { Name: '/shop/prod/plain:1', WithDecryption: true });
    await rejects(
      r.resolveString('ref+awsssm://shop/prod/plain?version=9'),
      'SECRET_NOT_FOUND',
      /ParameterVersionNotFound/,
    );
    await rejects(
      r.resolveString('ref+awsssm://shop/none'),
      'SECRET_NOT_FOUND',
      /answered ParameterNotFound/,
    );
  });

  test('a path with a pointer: GetParametersByPath, paged, keyed by the rest of the name', async () => {
    for (let i = 0; i < 12; i++) aws.putParameter(`/paged/p${String(i).padStart(2, '0')}`, `v${i}`);
    aws.putParameter('/paged/deeper/x', 'X', 'SecureString');
    const r = resolver();
    assert.equal(await r.resolveString('ref+awsssm://paged#/p11'), 'v11');
    // The same path without a pointer is one parameter, read separately.
    await rejects(r.resolveString('ref+awsssm://paged'), 'SECRET_NOT_FOUND', /ParameterNotFound/);
    await rejects(
      r.resolveString('ref+awsssm://paged#/deeper'),
      'SECRET_KEY_NOT_FOUND',
      /has no key "deeper"/,
    );
    assert.equal(await r.resolveString('ref+awsssm://paged?recursive=true#/deeper/x'), 'X');
    const pages = aws.requests.filter(
      (c) => c.target === 'AmazonSSM.GetParametersByPath' && c.body['Path'] === '/paged',
    );
    assert.ok(pages.length >= 3, 'two pages, then the recursive read');
    assert.ok(pages.every((c) => c.body['WithDecryption'] === true));
    await rejects(
      r.resolveString('ref+awsssm://empty/path#/x'),
      'SECRET_NOT_FOUND',
      /no parameters under \/empty\/path/,
    );
  });

  test('mode=singleparam selects inside one parameter', async () => {
    aws.putParameter('/json/doc', '{"BAR":"VALUE"}');
    assert.equal(await resolver().resolveString('ref+awsssm://json/doc?mode=singleparam#/BAR'), 'VALUE');
  });

  test('parameters vals does not take, or that contradict each other, are refused', async () => {
    const r = resolver();
    await rejects(
      r.resolveString('ref+awsssm://a?recursive=yes#/b'),
      'SECRET_REFERENCE_INVALID',
      /recursive/,
    );
    await rejects(
      r.resolveString('ref+awsssm://a?version=2#/b'),
      'SECRET_REFERENCE_INVALID',
      /a version selects one/,
    );
    await rejects(r.resolveString('ref+awsssm://a?recursive=true'), 'SECRET_REFERENCE_INVALID', /pointer/);
    await rejects(r.resolveString('ref+awsssm://a?mode=multi'), 'SECRET_REFERENCE_INVALID', /unknown mode/);
    await rejects(r.resolveString('ref+awsssm://a?regoin=x'), 'SECRET_REFERENCE_INVALID', /"regoin"/);
  });

  test('access denied and throttling', async () => {
    aws.putParameter('/locked/p', 'nope');
    aws.denied.add('/locked/p');
    await rejects(
      resolver().resolveString('ref+awsssm://locked/p'),
      'SECRET_FORBIDDEN',
      /AccessDeniedException/,
    );
    aws.putParameter('/busy/p', 'eventually');
    aws.fail('AmazonSSM.GetParameter', 1, { status: 400, type: 'ThrottlingException' });
    assert.equal(await resolver().resolveString('ref+awsssm://busy/p'), 'eventually');
  });
});

test('a client package that is not installed is named, with the command that installs it', async () => {
  const parsed = parseValue('ref+awssecrets://shop/db');
  const reference = (parsed as { reference: SecretReference }).reference;
  const name = '@aws-sdk/client-not-installed-here';
  const error = await rejects(
    importClient(name, () => import(name), reference),
    'SECRET_CLIENT_NOT_INSTALLED',
    /ref\+awssecrets:\/\/shop\/db: the awssecrets backend needs @aws-sdk\/client-not-installed-here/,
  );
  assert.equal(error.hint, `npm install ${name}`);
});
