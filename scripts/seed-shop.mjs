// The example shop's history, written through a running `stagecraft serve` as the people and CI who would
// write it — every rule enforced as for a team — for `npm start`'s dashboard: services promoted through the
// chain, one promotion waiting for an approval, one rejected artifact, one deployment still pending.
//
// Time is the database's, and no seed can wait out production's 1h soak or its Monday–Thursday window: the
// one artifact in production got there by an admin's break-glass (the timeline shows it as such); every other
// production promotion waits, which is the point of a gate.
import { createHash } from 'node:crypto';

const REGISTRY = 'registry.example.com/shop';

/** A build's digest and commit, the same on every run so the page looks the same. */
function build(service, version) {
  const hash = (text) => createHash('sha256').update(text).digest('hex');
  return {
    service,
    digest: `sha256:${hash(`${service}@${version}`)}`,
    commit: hash(`commit ${service} ${version}`).slice(0, 40),
  };
}

async function call(url, token, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = answer?.error;
    throw new Error(`seeding: ${method} ${path} answered ${response.status}: ${error?.message ?? 'no body'}`);
  }
  return answer;
}

/** Seeds the shop through the server at `url`, with its admin token; returns what it did, and as whom. */
export async function seedShop(url, adminToken) {
  const tokens = { admin: adminToken };
  for (const [name, role] of [
    ['alice', 'developer'],
    ['bob', 'approver'],
    ['ci-bot', 'ci'],
  ]) {
    tokens[name] = (await call(url, adminToken, 'POST', '/v1/tokens', { name, role })).token;
  }
  const as = (who) => (method, path, body) => call(url, tokens[who], method, path, body);
  const [alice, bob, ci, admin] = [as('alice'), as('bob'), as('ci-bot'), as('admin')];

  const register = (artifact, author) =>
    ci('POST', '/v1/artifacts', {
      service: artifact.service,
      image: `${REGISTRY}/${artifact.service}@${artifact.digest}`,
      commit: artifact.commit,
      author,
    });
  // The shop's dev deploy step runs kubectl; here no cluster is at hand, so the deployment is confirmed the
  // way `stagecraft deployed --confirm` does for a step that ran elsewhere.
  const toDev = async (artifact) => {
    await alice('POST', '/v1/deployments', {
      environment: 'dev',
      kind: 'deploy',
      service: artifact.service,
      digest: artifact.digest,
    });
    await alice('POST', '/v1/deployments/confirm', {
      service: artifact.service,
      environment: 'dev',
      status: 'succeeded',
    });
  };
  const tested = (artifact, result = 'pass') =>
    ci('POST', '/v1/gates/tests', { kind: 'tests', commit: artifact.commit, result });
  const toStaging = async (artifact, { confirm = true } = {}) => {
    await ci('POST', '/v1/deployments', {
      environment: 'staging',
      kind: 'promote',
      service: artifact.service,
    });
    if (confirm) {
      await ci('POST', '/v1/deployments/confirm', {
        service: artifact.service,
        environment: 'staging',
        status: 'succeeded',
      });
    }
  };

  const storefront1 = build('storefront', '1.0.0');
  const storefront2 = build('storefront', '1.1.0');
  const catalog1 = build('catalog', '3.2.0');
  const catalog2 = build('catalog', '3.3.0');
  const orders1 = build('orders', '0.9.0');
  const orders2 = build('orders', '0.10.0');

  // storefront 1.0.0 goes all the way: production by break-glass, the only way past a 1h soak right now.
  await register(storefront1, 'Alice <alice@shop.example>');
  await toDev(storefront1);
  await tested(storefront1);
  await toStaging(storefront1);
  await admin('POST', '/v1/deployments', {
    environment: 'production',
    kind: 'promote',
    service: 'storefront',
    breakGlass: 'launch: production had no storefront yet; the team signed it off in person',
  });
  await ci('POST', '/v1/deployments/confirm', {
    service: 'storefront',
    environment: 'production',
    status: 'succeeded',
  });

  // catalog and orders reach staging; bob approves them for production, where they wait for the soak.
  await register(catalog1, 'Carol <carol@shop.example>');
  await toDev(catalog1);
  await tested(catalog1);
  await toStaging(catalog1);
  await bob('POST', '/v1/approvals', { service: 'catalog', environment: 'production' });
  await register(orders1, 'Dave <dave@shop.example>');
  await toDev(orders1);
  await tested(orders1);
  await toStaging(orders1);
  await bob('POST', '/v1/approvals', { service: 'orders', environment: 'production' });

  // storefront 1.1.0 in staging: production runs 1.0.0, and the promotion waits for an approval.
  await register(storefront2, 'Alice <alice@shop.example>');
  await toDev(storefront2);
  await tested(storefront2);
  await toStaging(storefront2);

  // orders 0.10.0 failed its tests in dev and was rejected: no environment may take it.
  await register(orders2, 'Dave <dave@shop.example>');
  await toDev(orders2);
  await tested(orders2, 'fail');
  await admin('POST', '/v1/rejections', {
    digest: orders2.digest,
    reason: 'checkout smoke test fails: orders are charged twice',
  });

  // catalog 3.3.0 is on its way to staging: recorded, waiting for the GitOps sync to be confirmed.
  await register(catalog2, 'Carol <carol@shop.example>');
  await toDev(catalog2);
  await tested(catalog2);
  await toStaging(catalog2, { confirm: false });

  return {
    /** The seeded identities' tokens, for a caller that acts as them next (tests); never printed. */
    tokens,
    identities: ['alice (developer)', 'bob (approver)', 'ci-bot (ci)', 'admin'],
    pendingApproval: 'storefront → production',
    rejected: `orders ${orders2.digest.slice(0, 19)}…`,
  };
}
