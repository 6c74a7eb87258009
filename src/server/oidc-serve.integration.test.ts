/**
 * CI without a stored secret, end to end: a real `stagecraft serve` trusting an OIDC issuer on 127.0.0.1 (keys
 * generated at test time), and the CLI presenting the job's token as STAGECRAFT_TOKEN. The claims decide the
 * role and the environments; every refusal is audited.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, EXAMPLE_SHOP, spawnCli, tempDir } from '../test-support/cli.ts';
import { commit, digest } from '../test-support/ledger.ts';
import { startOidcIssuer } from '../test-support/oidc-issuer.ts';
import { startServer } from '../test-support/server.ts';

test('a GitHub Actions OIDC token is CI for staging on main and for production from the protected environment, and nothing else', async (t) => {
  assertBuilt();
  const issuer = await startOidcIssuer(t);
  const dir = join(tempDir(t), 'shop');
  cpSync(EXAMPLE_SHOP, dir, { recursive: true });
  // The shop's own server section trusts GitHub: this one trusts the issuer on 127.0.0.1 instead.
  const file = join(dir, 'stagecraft.yaml');
  const shop = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    `${shop.slice(0, shop.indexOf('\nserver:'))}
server:
  oidc:
    - issuer: ${issuer.url}
      audience: stagecraft
      rules:
        - claims: { repository: acme/shop, ref: refs/heads/main }
          role: ci
          environments: [staging]
        - claims: { repository: acme/shop, environment: production }
          role: ci
          environments: [production]
`,
  );
  const server = await startServer(t, { cwd: dir });
  const onMain = await issuer.sign();
  const me = await server.call('GET', '/v1/whoami', onMain);
  assert.deepEqual(me.body, {
    name: 'repo:acme/shop:ref:refs/heads/main',
    role: 'ci',
    environments: ['staging'],
    via: 'oidc',
  });

  // The CLI with the job's token: it may report tests (ci) but not promote to production.
  const sha = commit();
  const cli = (token: string, ...args: string[]) =>
    spawnCli(['-C', dir, ...args], { env: { STAGECRAFT_URL: server.url, STAGECRAFT_TOKEN: token } });
  const developer = await server.token('dana', 'developer');
  const image = `registry.example.com/shop/catalog@${digest()}`;
  assert.equal((await cli(onMain, 'artifact', 'register', 'catalog', image, '--commit', sha)).code, 0);
  assert.equal((await cli(developer, 'deploy', 'catalog', '--env', 'dev')).code !== 0, true); // kubectl is not here
  const gate = await cli(onMain, 'gate', 'report', 'tests', 'pass', '--commit', sha);
  assert.equal(gate.code, 0, gate.stderr);
  const toProduction = await cli(onMain, 'promote', 'catalog', '--to', 'production');
  assert.equal(toProduction.code, 2, toProduction.stderr);
  assert.match(toProduction.stderr, /LEDGER_ENVIRONMENT_REFUSED/);

  // The protected environment's token is CI for production only.
  const production = await issuer.sign({
    sub: 'repo:acme/shop:environment:production',
    environment: 'production',
    ref: undefined,
  });
  assert.deepEqual((await server.call('GET', '/v1/whoami', production)).body.environments, ['production']);

  // Refused, each with its reason, none of them believed.
  const refusals: [string, string, string][] = [
    ['another branch', await issuer.sign({ ref: 'refs/heads/feature' }), 'SERVER_OIDC_NO_MATCHING_RULE'],
    ['another repository', await issuer.sign({ repository: 'evil/shop' }), 'SERVER_OIDC_NO_MATCHING_RULE'],
    ['expired', await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 120 }), 'SERVER_OIDC_EXPIRED'],
    ['another audience', await issuer.sign({ aud: 'someone-else' }), 'SERVER_OIDC_WRONG_AUDIENCE'],
  ];
  const forger = await import('../test-support/oidc-issuer.ts').then((m) => m.newSigningKey());
  refusals.push([
    'forged',
    await issuer.sign({}, { key: forger, kid: issuer.key.kid }),
    'SERVER_OIDC_BAD_SIGNATURE',
  ]);
  for (const [what, token, code] of refusals) {
    const answer = await server.call('POST', '/v1/gates/tests', token, {
      kind: 'tests',
      commit: sha,
      result: 'pass',
    });
    assert.equal(answer.status, 401, what);
    assert.equal(answer.body.error.code, code, what);
    assert.ok(!JSON.stringify(answer.body).includes(token), `${what}: the token is not echoed`);
  }
  const audit = await server.call('GET', '/v1/audit?limit=100', server.adminToken);
  const failures = audit.body.audit.filter((row: { action: string }) =>
    row.action.startsWith('authenticate'),
  );
  assert.equal(failures.length, refusals.length, JSON.stringify(audit.body).slice(0, 3000));
  const log = `${JSON.stringify(audit.body)}${server.log()}`;
  for (const [, token] of refusals) assert.ok(!log.includes(token.split('.')[2] ?? token));
  assert.ok(!log.includes(onMain.split('.')[2] ?? onMain));
});
