import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import { isStagecraftError } from '../errors.ts';
import { mountKubernetesSecret } from '../test-support/kubernetes-mount.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import type { BackendContext } from './backend.ts';
import { SecretResolver } from './resolver.ts';

/** A value made now, so no credential-like literal is committed. */
const secret = (): string => randomBytes(12).toString('base64url');

function resolver(overrides: Partial<BackendContext> = {}): SecretResolver {
  return new SecretResolver({
    root: '/nonexistent',
    environment: 'dev',
    dotenvAllowed: true,
    env: {},
    ...overrides,
  });
}

/** Compares without ever printing either value. */
function assertSecret(actual: unknown, expected: string): void {
  assert.ok(
    actual === expected,
    `resolved value differs from the expected one (lengths ${String(actual).length} and ${expected.length})`,
  );
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; hint: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStagecraftError(error), String(error));
    return { code: error.code, message: error.message, hint: error.hint };
  }
  assert.fail('expected the resolution to fail');
}

test('env: CI/CD variables, one read per variable however many references use it', async () => {
  const value = secret();
  let reads = 0;
  const env = new Proxy({ DB_PASSWORD: value } as Record<string, string | undefined>, {
    get(target, name: string) {
      if (name === 'DB_PASSWORD') reads++;
      return target[name];
    },
  });
  const r = resolver({ env });
  const resolved = await r.resolveDeep({ a: 'ref+env://DB_PASSWORD', b: ['x:ref+env://DB_PASSWORD+:y'] });
  assertSecret((resolved as { a: string }).a, value);
  assertSecret((resolved as { b: string[] }).b[0], `x:${value}:y`);
  assert.equal(reads, 1);
  const missing = await failure(r.resolveString('ref+env://API_KEY'));
  assert.equal(missing.code, 'SECRET_NOT_FOUND');
  assert.match(missing.message, /^ref\+env:\/\/API_KEY: API_KEY is not set$/);
  assert.equal((await failure(r.resolveString('ref+env://not-a-name'))).code, 'SECRET_REFERENCE_INVALID');
  assert.match((await failure(r.resolveString('ref+env://A?x=1'))).message, /takes no parameter "x"/);
});

test('dotenv: read where the environment allows .env, refused with the reason elsewhere', async (t) => {
  const value = secret();
  const root = tempDir(t, { '.env': `API_KEY=${value}\nOTHER=1\n`, '.env.local': 'OTHER=2\n' });
  assertSecret(await resolver({ root }).resolveString('ref+dotenv://API_KEY'), value);
  assert.equal(await resolver({ root }).resolveString('ref+dotenv://OTHER'), '2', '.env.local wins');
  const refused = await failure(
    resolver({ root, environment: 'production', dotenvAllowed: false }).resolveString('ref+dotenv://API_KEY'),
  );
  assert.equal(refused.code, 'SECRET_DOTENV_REFUSED');
  assert.match(refused.message, /\.env files are not read in the production environment/);
  assert.match(refused.hint ?? '', /environments\.production\.dotenv is false/);
  const missing = await failure(resolver({ root }).resolveString('ref+dotenv://NOPE'));
  assert.match(missing.message, /NOPE is not in \.env\.local or \.env/);
});

test('file: a file, a JSON document with a pointer, a YAML file, and every way it can fail', async (t) => {
  const password = secret();
  const root = tempDir(t, {
    'plain.txt': `${password}\n`,
    'creds.json': JSON.stringify({ db: { user: 'shop', password }, list: ['a', 'b'] }),
    'creds.yaml': `db:\n  password: "${password}"\n`,
  });
  const r = resolver({ root });
  assertSecret(await r.resolveString('ref+file://plain.txt'), password);
  assertSecret(await r.resolveString('ref+file://creds.json#/db/password'), password);
  assertSecret(await r.resolveString(`ref+file://${join(root, 'creds.yaml')}#/db/password`), password);
  assert.equal(await r.resolveString('ref+file://creds.json#/list/1'), 'b');
  assert.deepEqual(await r.resolveString('ref+file://creds.json#/list'), ['a', 'b']);

  const notJson = await failure(r.resolveString('ref+file://plain.txt#/password'));
  assert.equal(notJson.code, 'SECRET_NOT_JSON');
  assert.ok(!notJson.message.includes(password) && !(notJson.hint ?? '').includes(password));
  const missingKey = await failure(r.resolveString('ref+file://creds.json#/db/pasword'));
  assert.equal(missingKey.code, 'SECRET_KEY_NOT_FOUND');
  assert.match(missingKey.hint ?? '', /its keys are user, password/);
  const missingFile = await failure(r.resolveString('ref+file://nope.json'));
  assert.equal(missingFile.code, 'SECRET_NOT_FOUND');
  assert.match(missingFile.message, /nope\.json does not exist/);
  const inString = await failure(r.resolveString('x-ref+file://creds.json#/db+'));
  assert.equal(inString.code, 'SECRET_NOT_A_VALUE');
});

test('file: only under the workspace and secrets.file.roots, judged after links are followed', async (t) => {
  const root = tempDir(t, { 'inside.txt': 'inside' });
  const outside = tempDir(t);
  const hidden = secret();
  writeFileSync(join(outside, 'hidden.txt'), hidden);
  mkdirSync(join(root, 'mounted'));
  symlinkSync(outside, join(root, 'mounted', 'escape'));
  symlinkSync(join(outside, 'hidden.txt'), join(root, 'shortcut.txt'));
  const refused = async (reference: string) => {
    const problem = await failure(resolver({ root }).resolveString(reference));
    assert.equal(problem.code, 'SECRET_FILE_OUTSIDE_ROOTS', reference);
    assert.ok(problem.message.startsWith(`${reference}: `), 'the message names the reference');
    assert.match(problem.hint ?? '', /secrets\.file\.roots/);
    assert.ok(!`${problem.message} ${problem.hint}`.includes(hidden), 'never the value');
    return problem;
  };
  assert.equal(await resolver({ root }).resolveString('ref+file://inside.txt'), 'inside');
  await refused(`ref+file://${join(outside, 'hidden.txt')}`);
  await refused(`ref+file://../${basename(outside)}/hidden.txt`);
  await refused(`ref+file://${relative(root, '/etc/hostname')}`);
  const throughLink = await refused('ref+file://mounted/escape/hidden.txt');
  assert.ok((throughLink.hint ?? '').includes(realpathSync(outside)), 'the hint names the folder to add');
  await refused('ref+file://shortcut.txt');
  await refused('ref+file://mounted/escape');
  // Outside and missing: refused as outside, so nothing is learnt about what exists there.
  await refused(`ref+file://${join(outside, 'missing.txt')}`);

  // A folder listed in the roots may be read, through links too.
  const allowed = resolver({ root, fileRoots: [root, outside] });
  assertSecret(await allowed.resolveString('ref+file://shortcut.txt'), hidden);
  assertSecret(await allowed.resolveString('ref+file://mounted/escape/hidden.txt'), hidden);
});

test('k8s: a mounted Secret through its ..data link, updated by an atomic swap; links out are refused', async (t) => {
  const root = tempDir(t);
  const first = secret();
  const second = secret();
  mountKubernetesSecret(root, 'shop-db', { password: first, username: 'shop' }, 1);
  const env = { STAGECRAFT_K8S_SECRETS_ROOT: root };
  assertSecret(await resolver({ env }).resolveString('ref+k8s://shop-db/password'), first);
  assert.deepEqual(Object.keys((await resolver({ env }).resolveString('ref+k8s://shop-db')) as object), [
    'password',
    'username',
  ]);
  assertSecret(await resolver({ env }).resolveString('ref+k8s://shop-db#/password'), first);
  mountKubernetesSecret(root, 'shop-db', { password: second, username: 'shop' }, 2);
  assertSecret(await resolver({ env }).resolveString('ref+k8s://shop-db/password'), second);
  assertSecret(await resolver().resolveString(`ref+k8s://shop-db/password?root=${root}`), second);

  const unmounted = await failure(resolver({ env }).resolveString('ref+k8s://payments/api-key'));
  assert.match(unmounted.hint ?? '', /mount the Kubernetes Secret payments as a volume at .*payments/);
  const noKey = await failure(resolver({ env }).resolveString('ref+k8s://shop-db/token'));
  assert.match(noKey.hint ?? '', /has no such key/);
  symlinkSync('/etc/hostname', join(root, 'shop-db', 'escape'));
  const outside = await failure(resolver({ env }).resolveString('ref+k8s://shop-db/escape'));
  assert.equal(outside.code, 'SECRET_FILE_REFUSED');
  assert.match(outside.message, /link leading out of/);
  assert.equal(
    (await failure(resolver({ env }).resolveString('ref+k8s://a/b/c'))).code,
    'SECRET_REFERENCE_INVALID',
  );
});

test('a failed read shared by two references is reported under each one’s own text', async (t) => {
  const root = tempDir(t, {});
  const shared = resolver({ root, fileRoots: [root] });
  const [user, password] = await Promise.all([
    failure(shared.resolveString('ref+file://missing.json#/username')),
    failure(shared.resolveString('ref+file://missing.json#/password')),
  ]);
  assert.equal(user.code, password.code);
  assert.match(user.message, /^ref\+file:\/\/missing\.json#\/username: /);
  assert.match(password.message, /^ref\+file:\/\/missing\.json#\/password: /);
  assert.equal(user.message.replace('username', 'password'), password.message);
});
