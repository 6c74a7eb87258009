/**
 * One scripted day of the shop's ledger, for running against a local ledger and against `stagecraft serve`
 * alike: every ledger command of the CLI, done and refused, each step with who runs it and the exit code it
 * must end with. People act through their names and roles: locally STAGECRAFT_ACTOR and STAGECRAFT_ROLE, on
 * the server tokens of the same names and roles, made by the scenario's own `token create` steps.
 */
import { commit, digest, liveDeployment } from './ledger.ts';

export type Person = 'admin' | 'ci-bot' | 'alice' | 'bob' | 'carol';

export const ROLES: Readonly<Record<Person, string>> = {
  admin: 'admin',
  'ci-bot': 'ci',
  alice: 'developer',
  bob: 'developer',
  carol: 'approver',
};

export interface Step {
  as: Person;
  args: string[];
  /** The exit code the step ends with on either ledger. */
  code: 0 | 1 | 2;
  /** Files the step reads, written into the workspace first. */
  files?: Record<string, string>;
}

/** The steps, with fresh digests and commits. */
export function ledgerScenario(): Step[] {
  const repository = 'registry.example.com/shop';
  const storefront = { digest: digest(), commit: commit() };
  const storefront2 = { digest: digest(), commit: commit() };
  const catalog = { digest: digest(), commit: commit() };
  const orders = { digest: digest(), commit: commit() };
  const step = (as: Person, code: Step['code'], ...args: string[]): Step => ({ as, args, code });
  const register = (service: string, artifact: { digest: string; commit: string }, author: string) =>
    step(
      'ci-bot',
      0,
      'artifact',
      'register',
      service,
      `${repository}/${service}@${artifact.digest}`,
      '--commit',
      artifact.commit,
      '--author',
      author,
    );
  const live = (running: string) =>
    liveDeployment(`${repository}/orders@${running}`, { name: 'orders', namespace: 'shop-staging' });
  const views = (as: Person) => [
    step(as, 0, 'status'),
    step(as, 0, 'history'),
    step(as, 0, 'history', '--env', 'dev', '--service', 'storefront'),
    step(as, 0, 'audit'),
    step(as, 0, 'audit', '--limit', '3'),
    step(as, 0, 'history', '--limit', '2'),
    step(as, 1, 'history', '--limit', 'none'),
    step(as, 1, 'history', '--env', 'moon'),
    step(as, 0, 'deployment', 'show', '1'),
    step(as, 1, 'deployment', 'show', '999'),
    step(as, 0, 'artifact', 'list'),
    step(as, 0, 'artifact', 'list', '--service', 'storefront'),
    step(as, 1, 'artifact', 'list', '--service', 'nowhere'),
  ];
  return [
    // Tokens: who may act, made by the admin (on the server they are what the later steps present).
    step('admin', 0, 'token', 'create', '--name', 'ci-bot', '--role', 'ci'),
    step('admin', 0, 'token', 'create', '--name', 'alice', '--role', 'developer'),
    step('admin', 0, 'token', 'create', '--name', 'bob', '--role', 'developer', '--env', 'dev', 'production'),
    step('admin', 0, 'token', 'create', '--name', 'carol', '--role', 'approver', '--expires', '30d'),
    step('admin', 2, 'token', 'create', '--name', 'alice', '--role', 'developer'),
    step('admin', 2, 'token', 'create', '--name', 'mallory', '--role', 'wizard'),
    step('admin', 1, 'token', 'create', '--name', 'mallory', '--role', 'ci', '--expires', 'soon'),
    step('alice', 2, 'token', 'create', '--name', 'mallory', '--role', 'admin'),
    step('admin', 0, 'token', 'list'),
    step('alice', 2, 'token', 'list'),

    // dev: a developer deploys what CI registered; the stand-in kubectl runs the shop's deploy step.
    register('storefront', storefront, 'alice'),
    step(
      'ci-bot',
      2,
      'artifact',
      'register',
      'storefront',
      `${repository}/storefront:latest`,
      '--commit',
      storefront.commit,
    ),
    step(
      'ci-bot',
      2,
      'artifact',
      'register',
      'storefront',
      `${repository}/catalog@${storefront2.digest}`,
      '--commit',
      storefront2.commit,
    ),
    step(
      'ci-bot',
      2,
      'artifact',
      'register',
      'storefront',
      `${repository}/storefront@${storefront.digest}`,
      '--commit',
      commit(),
    ),
    step('alice', 2, 'deploy', 'storefront', '--env', 'staging'),
    step('alice', 1, 'deploy', 'nowhere', '--env', 'dev'),
    step('alice', 1, 'deploy', 'storefront', '--env', 'moon'),
    step('alice', 1, 'deploy', '--env', 'dev'),
    step('alice', 0, 'deploy', 'storefront', '--env', 'dev'),
    step('alice', 2, 'deploy', 'storefront', '--env', 'dev'),

    // staging: CI, once the tests gate is met; no deploy step there, so confirmed by `deployed`.
    step('ci-bot', 2, 'promote', 'storefront', '--to', 'staging'),
    step('alice', 2, 'gate', 'report', 'tests', 'pass', '--commit', storefront.commit),
    step('ci-bot', 0, 'gate', 'report', 'tests', 'pass', '--commit', storefront.commit),
    step('ci-bot', 0, 'promote', 'storefront', '--to', 'staging'),
    step('ci-bot', 2, 'promote', 'storefront', '--to', 'staging'),
    step('ci-bot', 0, 'deployed', 'storefront', '--env', 'staging', '--confirm'),
    step('ci-bot', 2, 'deployed', 'storefront', '--env', 'staging', '--confirm'),
    step('ci-bot', 0, 'verify', 'pass', '--env', 'staging'),
    step('alice', 2, 'verify', 'pass', '--env', 'staging', '--service', 'storefront'),
    ...views('ci-bot'),

    // production: soak, approvals and the deploy window stand in the way; an admin breaks the glass.
    step('ci-bot', 2, 'promote', 'storefront', '--to', 'production'),
    step('alice', 2, 'approve', 'storefront', '--env', 'production'),
    step('bob', 0, 'approve', 'storefront', '--env', 'production'),
    step('carol', 0, 'approve', 'storefront', '--env', 'production'),
    step('bob', 2, 'promote', 'storefront', '--to', 'production'),
    step('bob', 1, 'promote', 'storefront', '--to', 'production', '--break-glass'),
    step('bob', 2, 'promote', 'storefront', '--to', 'production', '--break-glass', '--reason', 'outage'),
    step('admin', 0, 'promote', 'storefront', '--to', 'production', '--break-glass', '--reason', 'outage'),
    step('bob', 2, 'deployed', 'storefront', '--env', 'production', '--confirm'),
    step('ci-bot', 0, 'deployed', 'storefront', '--env', 'production', '--confirm'),

    // A release of two services to staging, as one unit.
    register('catalog', catalog, 'bob'),
    register('orders', orders, 'bob'),
    step(
      'ci-bot',
      1,
      'release',
      'create',
      '2026.11',
      `catalog=${catalog.digest}`,
      `orders=${orders.digest}`,
      'payments=sha256:0',
    ),
    step('ci-bot', 0, 'release', 'create', '2026.11', `catalog=${catalog.digest}`, `orders=${orders.digest}`),
    step('ci-bot', 2, 'release', 'create', '2026.11', `catalog=${catalog.digest}`),
    step('ci-bot', 0, 'gate', 'report', 'tests', 'pass', '--commit', catalog.commit),
    step('ci-bot', 0, 'gate', 'report', 'tests', 'pass', '--commit', orders.commit),
    step('ci-bot', 2, 'promote', '--release', '2026.11', '--to', 'staging'),
    step('alice', 0, 'deploy', '--release', '2026.11', '--env', 'dev'),
    step('ci-bot', 0, 'promote', '--release', '2026.11', '--to', 'staging'),
    step('ci-bot', 0, 'deployed', 'catalog', '--env', 'staging', '--failed'),
    // orders is confirmed only once the cluster is seen running it.
    {
      ...step('ci-bot', 2, 'deployed', 'orders', '--env', 'staging', '--confirm', '--live', 'live.json'),
      files: { 'live.json': live(storefront.digest) },
    },
    {
      ...step('ci-bot', 0, 'deployed', 'orders', '--env', 'staging', '--confirm', '--live', 'live.json'),
      files: { 'live.json': live(orders.digest) },
    },
    // Approving a release is all or none: catalog failed in staging, so neither is approved for production.
    step('carol', 2, 'approve', '--release', '2026.11', '--env', 'production'),
    step('carol', 2, 'approve', '--release', 'nothing', '--env', 'staging'),
    step('carol', 0, 'approve', '--release', '2026.11', '--env', 'staging'),
    step('carol', 1, 'approve', 'catalog', '--release', '2026.11', '--env', 'staging'),

    // A bad build: deployed, rolled back, rejected everywhere.
    register('storefront', storefront2, 'alice'),
    step('alice', 0, 'deploy', 'storefront', '--env', 'dev'),
    step('alice', 0, 'rollback', 'storefront', '--env', 'dev'),
    step('alice', 2, 'rollback', 'orders', '--env', 'dev'),
    step('alice', 2, 'reject', storefront2.digest, '--reason', 'leaks memory'),
    step('admin', 1, 'reject', storefront2.digest),
    step('admin', 0, 'reject', storefront2.digest, '--reason', 'leaks memory'),
    step('alice', 2, 'deploy', 'storefront', '--env', 'dev', '--digest', storefront2.digest),
    step('ci-bot', 0, 'gate', 'report', 'tests', 'fail', '--commit', storefront2.commit),

    // Revoked: the token list shows it.
    step('admin', 0, 'token', 'revoke', 'carol'),
    step('admin', 1, 'token', 'revoke', 'carol'),
    step('admin', 0, 'token', 'list'),
    ...views('alice'),
  ];
}
