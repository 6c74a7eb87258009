/**
 * Keeps the stand-in API server honest: the real kubectl, an independent client, reads a Secret from it over
 * TLS with a bearer token and a client certificate, and decodes its Status objects as the API's own.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKubernetesSecretsApi } from './kubernetes-secrets-api.ts';
import { tempDir } from './temp-dir.ts';
import { makeTestPki, OPENSSL_MISSING } from './test-pki.ts';

const KUBECTL_MISSING: string | false =
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0
    ? false
    : 'kubectl is not installed';

test('kubectl reads a Secret from the stand-in API and reports its Forbidden, NotFound and Unauthorized', {
  skip: OPENSSL_MISSING || KUBECTL_MISSING,
}, async (t) => {
  const dir = tempDir(t);
  const certs = makeTestPki(dir);
  const api = await startKubernetesSecretsApi(t, {
    cert: certs.serverCert,
    key: certs.serverKey,
    ca: certs.ca,
  });
  const value = randomBytes(12).toString('base64url');
  api.secrets.set('shop/shop-db', { password: value });
  const token = randomBytes(16).toString('hex');
  api.tokens.set(token, 'alice');
  api.grants.set('alice', ['shop']);
  api.grants.set('ops', ['shop']);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: test
    cluster: { server: "${api.url}", certificate-authority-data: ${certs.ca.toString('base64')} }
users:
  - name: alice
    user: { token: ${token} }
  - name: ops
    user:
      client-certificate-data: ${certs.clientCert.toString('base64')}
      client-key-data: ${certs.clientKey.toString('base64')}
  - name: stranger
    user: { token: not-a-known-token }
contexts:
  - { name: alice, context: { cluster: test, user: alice } }
  - { name: ops, context: { cluster: test, user: ops } }
  - { name: stranger, context: { cluster: test, user: stranger } }
current-context: alice
`,
  );
  const kubectl = (context: string, path: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // Asynchronously: the server runs in this process and must answer while kubectl waits.
      execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--context', context, 'get', '--raw', path],
        { encoding: 'utf8' },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  for (const context of ['alice', 'ops']) {
    const read = await kubectl(context, '/api/v1/namespaces/shop/secrets/shop-db');
    assert.equal(read.status, 0, read.stderr);
    const secret = JSON.parse(read.stdout) as { kind: string; data: Record<string, string> };
    assert.equal(secret.kind, 'Secret');
    assert.ok(Buffer.from(secret.data['password'] ?? '', 'base64').toString() === value);
  }
  // kubectl may ask for /version first; the reads themselves carry the token, then the certificate.
  assert.deepEqual(
    api.requests.filter((request) => request.path.includes('/secrets/')).map((request) => request.auth),
    ['token', 'certificate'],
  );
  const forbidden = await kubectl('alice', '/api/v1/namespaces/payments/secrets/stripe');
  assert.match(
    forbidden.stderr,
    /Error from server \(Forbidden\): secrets "stripe" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "payments"/,
  );
  const missing = await kubectl('alice', '/api/v1/namespaces/shop/secrets/nothing');
  assert.match(missing.stderr, /Error from server \(NotFound\): secrets "nothing" not found/);
  const stranger = await kubectl('stranger', '/api/v1/namespaces/shop/secrets/shop-db');
  assert.match(stranger.stderr, /Unauthorized/);
});
