/**
 * Keeps the test Vault honest: node-vault, an independent client from npm written against the real API,
 * drives it — writes, reads, logins, unwrapping and error shapes — and what it writes our backend reads back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import NodeVault from 'node-vault';
import { SecretResolver } from '../secret-references/resolver.ts';
import { tempDir } from './temp-dir.ts';
import { startFakeVault } from './vault-server.ts';

const secret = (): string => randomBytes(12).toString('base64url');

async function rejection(promise: Promise<unknown>): Promise<{ message: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { statusCode: number } }).response;
    return { message: (error as Error).message, status: response?.statusCode ?? 0 };
  }
  assert.fail('expected node-vault to reject');
}

test('node-vault reads and writes KV v1 and v2, logs in, unwraps and sees Vault-shaped errors', async (t) => {
  const vault = await startFakeVault(t);
  const root = vault.issueToken();
  const client = NodeVault({ endpoint: vault.url, token: root });
  const [password, apiKey] = [secret(), secret()];

  const written = await client.write('secret/data/shop/db', { data: { username: 'shop', password } });
  assert.equal(written.data.version, 1);
  const read = await client.read('secret/data/shop/db');
  assert.ok(read.data.data.password === password, 'KV v2 read returns data.data');
  assert.equal(read.data.metadata.version, 1);
  await client.write('kv/shop/api', { key: apiKey });
  assert.ok((await client.read('kv/shop/api')).data.key === apiKey, 'KV v1 read returns data');

  // What node-vault wrote, our backend reads back.
  const ours = new SecretResolver({
    root: '/nonexistent',
    environment: 'production',
    dotenvAllowed: false,
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: root, HOME: tempDir(t) },
  });
  assert.ok((await ours.resolveString('ref+vault://secret/shop/db#/password')) === password);
  assert.ok((await ours.resolveString('ref+vault://kv/shop/api#/key')) === apiKey);

  const missing = await rejection(client.read('secret/data/shop/nope'));
  assert.deepEqual(missing, { message: 'Status 404', status: 404 });
  const forbidden = await rejection(
    NodeVault({ endpoint: vault.url, token: 'x' }).read('secret/data/shop/db'),
  );
  assert.deepEqual(forbidden, { message: 'permission denied', status: 403 });

  const anonymous = NodeVault({ endpoint: vault.url });
  const approle = await anonymous.approleLogin({
    mount_point: 'approle',
    role_id: vault.approle.roleId,
    secret_id: vault.approle.secretId,
  });
  assert.equal(typeof approle.auth.client_token, 'string');
  assert.equal(
    anonymous.token,
    approle.auth.client_token,
    'node-vault takes the token from auth.client_token',
  );
  const k8s = await NodeVault({ endpoint: vault.url }).kubernetesLogin({
    // node-vault 0.12 renders its kubernetesPath default as an empty segment (auth//login): name the mount.
    mount_point: 'kubernetes',
    role: vault.kubernetes.role,
    jwt: vault.kubernetes.jwt,
  });
  assert.equal(typeof k8s.auth.client_token, 'string');
  const jwt = await NodeVault({ endpoint: vault.url }).jwtLogin({
    mount_point: 'jwt',
    role: vault.jwt.role,
    jwt: vault.jwt.jwt,
  });
  assert.equal(typeof jwt.auth.client_token, 'string');
  const refused = await rejection(
    NodeVault({ endpoint: vault.url }).approleLogin({
      mount_point: 'approle',
      role_id: vault.approle.roleId,
      secret_id: secret(),
    }),
  );
  assert.deepEqual(refused, { message: 'invalid role or secret ID', status: 400 });

  const wrapping = vault.wrapSecretId();
  const unwrapped = await NodeVault({ endpoint: vault.url, token: root }).unwrap({ token: wrapping });
  assert.equal(typeof unwrapped.data.secret_id, 'string');
  const twice = await rejection(NodeVault({ endpoint: vault.url, token: root }).unwrap({ token: wrapping }));
  assert.deepEqual(twice, { message: 'wrapping token is not valid or does not exist', status: 400 });

  vault.sealed = true;
  const sealed = await rejection(client.read('secret/data/shop/db'));
  assert.deepEqual(sealed, { message: 'Vault is sealed', status: 503 });
});
