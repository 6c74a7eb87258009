/**
 * A pod's view of the test Kubernetes API, as the kubelet gives it: the API server (HTTPS, with a CA made at
 * test time) holding `shop/shop-payments` with an `api-key`, and a service account folder (token and ca.crt)
 * allowed to get Secrets in `shop`; `env` is what a pod's process sees. Values are made now, never committed.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubernetesSecretsApi, startKubernetesSecretsApi } from './kubernetes-secrets-api.ts';
import { tempDir } from './temp-dir.ts';
import { makeTestPki } from './test-pki.ts';

export const POD_SERVICE_ACCOUNT = 'system:serviceaccount:shop:web';

export interface PodWithApi {
  api: KubernetesSecretsApi;
  apiKey: string;
  token: string;
  env: Record<string, string>;
}

export async function podWithKubernetesApi(t: Parameters<typeof tempDir>[0]): Promise<PodWithApi> {
  const certs = makeTestPki(tempDir(t));
  const api = await startKubernetesSecretsApi(t, {
    cert: certs.serverCert,
    key: certs.serverKey,
    ca: certs.ca,
  });
  const apiKey = randomBytes(12).toString('base64url');
  api.secrets.set('shop/shop-payments', { 'api-key': apiKey });
  const token = randomBytes(12).toString('base64url');
  api.tokens.set(token, POD_SERVICE_ACCOUNT);
  api.grants.set(POD_SERVICE_ACCOUNT, ['shop']);
  const account = tempDir(t, { token });
  writeFileSync(join(account, 'ca.crt'), certs.ca);
  return {
    api,
    apiKey,
    token,
    env: {
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(api.port),
      STAGECRAFT_K8S_SERVICEACCOUNT_DIR: account,
    },
  };
}
