/**
 * The example shop's history made through a running server's API, for the server's scale-out, crash and load
 * tests (and bench/server.mjs): an artifact registered, deployed to dev with its step reported succeeded, and
 * its commit's tests passed, so it may be promoted to staging. Staging has no deploy step in the shop, so a
 * promotion there stays pending until someone confirms it (`POST /v1/deployments/confirm`).
 */
import { randomBytes } from 'node:crypto';

/** One API call, as `RunningServer.call` makes it. */
export type ApiCall = (
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered.
) => Promise<{ status: number; body: any }>;

export interface ShopTokens {
  /** A developer's token: deploys to dev. */
  developer: string;
  /** CI's token: registers, reports tests, promotes to staging. */
  ci: string;
}

export interface ReadyArtifact {
  service: string;
  digest: string;
  commit: string;
  /** The dev deployment's id. */
  dev: number;
}

/** The shop's services, as examples/shop/stagecraft.yaml names them. */
export const SHOP_SERVICES: readonly string[] = ['storefront', 'catalog', 'orders'];

/** A call that must answer 200; anything else throws with the answer. */
export async function expectOk(
  call: ApiCall,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the API's answer, read by the caller.
): Promise<any> {
  const answer = await call(method, path, token, body);
  if (answer.status !== 200) {
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/**
 * A fresh artifact of `service`, registered by CI, deployed to dev by a developer (the step reported
 * succeeded, as the CLI does after running it) and its tests passed: the next promotion to staging is admitted.
 */
export async function readyForStaging(
  call: ApiCall,
  tokens: ShopTokens,
  service: string,
): Promise<ReadyArtifact> {
  const digest = `sha256:${randomBytes(32).toString('hex')}`;
  const commit = randomBytes(20).toString('hex');
  await expectOk(call, 'POST', '/v1/artifacts', tokens.ci, {
    service,
    image: `registry.example.com/shop/${service}@${digest}`,
    commit,
    author: 'alice <alice@example.com>',
  });
  const [dev] = await expectOk(call, 'POST', '/v1/deployments', tokens.developer, {
    environment: 'dev',
    kind: 'deploy',
    service,
    digest,
  });
  await expectOk(call, 'POST', `/v1/deployments/${dev.id}/finish`, tokens.developer, {
    status: 'succeeded',
    output: `deployment.apps/${service} image updated`,
  });
  await expectOk(call, 'POST', '/v1/gates/tests', tokens.ci, { kind: 'tests', commit, result: 'pass' });
  return { service, digest, commit, dev: dev.id };
}

/** `POST /v1/deployments`: promote `service` to staging. */
export function promoteToStaging(call: ApiCall, token: string, service: string): ReturnType<ApiCall> {
  return call('POST', '/v1/deployments', token, { environment: 'staging', kind: 'promote', service });
}

/** `POST /v1/deployments/confirm`: how the pending staging deployment of `service` ended. */
export function confirmStaging(
  call: ApiCall,
  token: string,
  service: string,
  status: 'succeeded' | 'failed',
): ReturnType<ApiCall> {
  return call('POST', '/v1/deployments/confirm', token, { service, environment: 'staging', status });
}
