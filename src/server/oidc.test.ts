import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { parseWorkspace } from '@stagecraft/config/workspace';
import { base64url, exportSPKI, importJWK, SignJWT } from 'jose';
import { tempDir } from '../../packages/config/src/test-support/temp-dir.ts';
import { type FakeIssuer, newSigningKey, startOidcIssuer } from '../test-support/oidc-issuer.ts';
import { ServerCodes } from './errors.ts';
import { createOidcVerifier, type OidcVerifier, type OidcVerifierOptions } from './oidc.ts';
import { OidcError } from './oidc-error.ts';

/** The rules of the seed: CI on merge to main deploys to staging, CI in GitHub's production environment to production. */
const RULES = `
      rules:
        - claims: { repository: acme/shop, ref: refs/heads/main }
          role: ci
          environments: [staging]
        - claims: { repository: [acme/shop, acme/shop-infra], environment: production }
          role: ci
          environments: [production]
`;

/** A verifier of `issuer`'s tokens, configured as stagecraft.yaml would configure it. */
function verifierFor(
  issuer: FakeIssuer,
  options: OidcVerifierOptions & { jwks?: string; dir?: string } = {},
): OidcVerifier {
  const jwks = options.jwks === undefined ? '' : `\n      jwks: ${options.jwks}`;
  const yaml = `server:\n  oidc:\n    - issuer: ${issuer.url}\n      audience: stagecraft${jwks}${RULES}`;
  const workspace = parseWorkspace(yaml, join(options.dir ?? '/repo', 'stagecraft.yaml'));
  return createOidcVerifier(workspace.server.oidc, options);
}

/** The OidcError a token is refused with, after checking it gives nothing of the token away. */
async function refusalOf(verifier: OidcVerifier, token: string): Promise<OidcError> {
  try {
    await verifier.verify(token);
  } catch (error) {
    assert.ok(error instanceof OidcError, String(error));
    assertNothingOfToken(error, token);
    return error;
  }
  assert.fail('expected the token to be refused');
}

/** Neither the token nor its signature appears in what a response body or a log line could show. */
function assertNothingOfToken(error: OidcError, token: string): void {
  const signature = token.split('.')[2] ?? '';
  const shown = JSON.stringify({
    message: error.message,
    hint: error.hint,
    reason: error.reason,
    claims: error.claims,
    stack: error.stack,
  });
  if (token.length >= 8) assert.ok(!shown.includes(token), 'the token appears in the error');
  if (signature.length >= 16) assert.ok(!shown.includes(signature.slice(0, 16)), 'the signature appears');
  if (error.outcome === 'refused') assert.equal(error.cause, undefined, 'a refusal keeps no cause');
}

test('a token of a workflow on main is the CI identity for staging', async (t) => {
  const issuer = await startOidcIssuer(t);
  const identity = await verifierFor(issuer).verify(await issuer.sign());
  assert.deepEqual(identity, {
    name: 'repo:acme/shop:ref:refs/heads/main',
    role: 'ci',
    environments: ['staging'],
    via: 'oidc',
  });
  assert.deepEqual(issuer.requests, { discovery: 1, jwks: 1 });
});

test('a token of GitHub’s production environment is the CI identity for production', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer);
  const sub = 'repo:acme/shop:environment:production';
  const token = await issuer.sign({ sub, environment: 'production', ref: 'refs/tags/v1.2.0' });
  assert.deepEqual(await verifier.verify(token), {
    name: sub,
    role: 'ci',
    environments: ['production'],
    via: 'oidc',
  });
  // Any value of a list matches.
  const infra = await issuer.sign({ repository: 'acme/shop-infra', environment: 'production' });
  assert.deepEqual((await verifier.verify(infra)).environments, ['production']);
});

test('a branch other than main matches no rule, and the refusal says which claims were seen', async (t) => {
  const issuer = await startOidcIssuer(t);
  const error = await refusalOf(verifierFor(issuer), await issuer.sign({ ref: 'refs/heads/feature' }));
  assert.equal(error.code, ServerCodes.SERVER_OIDC_NO_MATCHING_RULE);
  assert.equal(error.reason, 'no matching rule');
  assert.equal(error.outcome, 'refused');
  assert.equal(
    error.message,
    `no rule for ${issuer.url} matches the token of "repo:acme/shop:ref:refs/heads/main": repository "acme/shop", ref "refs/heads/feature", environment (none)`,
  );
  assert.deepEqual(error.claims, {
    repository: 'acme/shop',
    ref: 'refs/heads/feature',
    environment: null,
  });
});

test('another repository matches no rule, even on main', async (t) => {
  const issuer = await startOidcIssuer(t);
  const error = await refusalOf(verifierFor(issuer), await issuer.sign({ repository: 'mallory/shop' }));
  assert.equal(error.code, ServerCodes.SERVER_OIDC_NO_MATCHING_RULE);
  assert.equal(error.claims?.['repository'], 'mallory/shop');
  // A claim carried as a list is no text to compare: it matches nothing.
  const listed = await refusalOf(verifierFor(issuer), await issuer.sign({ repository: ['acme/shop'] }));
  assert.equal(listed.code, ServerCodes.SERVER_OIDC_NO_MATCHING_RULE);
  assert.equal(listed.claims?.['repository'], null);
});

test('refuses an expired token, tolerating half a minute of clock skew', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer);
  const now = Math.floor(Date.now() / 1000);
  const exp = now - 120;
  const error = await refusalOf(verifier, await issuer.sign({ iat: now - 600, nbf: now - 600, exp }));
  assert.equal(error.code, ServerCodes.SERVER_OIDC_EXPIRED);
  assert.equal(error.reason, 'expired');
  assert.equal(
    error.message,
    `the token expired at ${new Date(exp * 1000).toISOString().replace('.000Z', 'Z')}`,
  );
  assert.equal((await verifier.verify(await issuer.sign({ exp: now - 10 }))).role, 'ci');
});

test('refuses a token that is not valid yet', async (t) => {
  const issuer = await startOidcIssuer(t);
  const now = Math.floor(Date.now() / 1000);
  const error = await refusalOf(verifierFor(issuer), await issuer.sign({ nbf: now + 300, exp: now + 900 }));
  assert.equal(error.code, ServerCodes.SERVER_OIDC_NOT_YET_VALID);
  assert.equal(error.reason, 'not yet valid');
  assert.match(error.message, /^the token is not valid before \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('judges tokens at the time it is given', async (t) => {
  const issuer = await startOidcIssuer(t);
  const token = await issuer.sign();
  const later = verifierFor(issuer, { now: () => new Date(Date.now() + 3_600_000) });
  assert.equal((await refusalOf(later, token)).code, ServerCodes.SERVER_OIDC_EXPIRED);
});

test('refuses a token for another audience, naming the one accepted', async (t) => {
  const issuer = await startOidcIssuer(t);
  const error = await refusalOf(verifierFor(issuer), await issuer.sign({ aud: 'sigstore' }));
  assert.equal(error.code, ServerCodes.SERVER_OIDC_WRONG_AUDIENCE);
  assert.equal(error.reason, 'wrong audience');
  assert.equal(
    error.message,
    `the token is for the audience "sigstore"; tokens of ${issuer.url} are accepted for "stagecraft"`,
  );
  const none = await refusalOf(verifierFor(issuer), await issuer.sign({ aud: undefined }));
  assert.equal(none.code, ServerCodes.SERVER_OIDC_WRONG_AUDIENCE);
});

test('refuses a token of an issuer stagecraft.yaml does not list, without fetching anything', async (t) => {
  const issuer = await startOidcIssuer(t);
  const error = await refusalOf(
    verifierFor(issuer),
    await issuer.sign({ iss: 'https://token.actions.githubusercontent.com' }),
  );
  assert.equal(error.code, ServerCodes.SERVER_OIDC_UNKNOWN_ISSUER);
  assert.equal(error.reason, 'unknown issuer');
  assert.equal(
    error.message,
    'the token\'s issuer "https://token.actions.githubusercontent.com" is not one this server accepts',
  );
  assert.deepEqual(issuer.requests, { discovery: 0, jwks: 0 });
  const nobody = createOidcVerifier([]);
  assert.match((await refusalOf(nobody, await issuer.sign())).hint ?? '', /accepts no OIDC tokens/);
});

test('refuses a token signed by another key under the issuer’s key id', async (t) => {
  const issuer = await startOidcIssuer(t);
  const forger = await newSigningKey();
  const error = await refusalOf(
    verifierFor(issuer),
    await issuer.sign({}, { key: forger, kid: issuer.key.kid }),
  );
  assert.equal(error.code, ServerCodes.SERVER_OIDC_BAD_SIGNATURE);
  assert.equal(error.reason, 'bad signature');
  assert.equal(
    error.message,
    `the token's signature does not verify with the key of ${issuer.url} it names (kid "${issuer.key.kid}")`,
  );
});

test('refuses an unsigned token and one signed with the issuer’s public key as an HMAC secret', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer);
  const valid = await issuer.sign();
  const [, claims] = valid.split('.');
  const header = (fields: object) => base64url.encode(JSON.stringify(fields));
  const unsigned = `${header({ alg: 'none', typ: 'JWT', kid: issuer.key.kid })}.${claims}.`;
  const none = await refusalOf(verifier, unsigned);
  assert.equal(none.code, ServerCodes.SERVER_OIDC_ALGORITHM_REFUSED);
  assert.equal(none.reason, 'algorithm not allowed');
  assert.match(
    none.message,
    /^the token is signed with "none"; tokens of .* are accepted signed with RS256, /,
  );

  // The classic confusion: the public key, which anyone can fetch, used as the secret of HS256.
  const publicPem = await exportSPKI(
    (await importJWK(issuer.key.publicJwk, 'RS256', { extractable: true })) as never,
  );
  const hmac = await new SignJWT({ ...JSON.parse(Buffer.from(claims ?? '', 'base64url').toString()) })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid })
    .sign(new TextEncoder().encode(publicPem));
  const hs256 = await refusalOf(verifier, hmac);
  assert.equal(hs256.code, ServerCodes.SERVER_OIDC_ALGORITHM_REFUSED);
  assert.match(hs256.message, /^the token is signed with "HS256"/);
});

test('refuses what is not a JWT at all', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer);
  for (const token of ['not-a-jwt', 'a.b.c', '', 'x'.repeat(20_000)]) {
    const error = await refusalOf(verifier, token);
    assert.equal(error.code, ServerCodes.SERVER_OIDC_MALFORMED, token.slice(0, 20));
    assert.equal(error.reason, 'malformed token');
  }
  const noSub = await refusalOf(verifier, await issuer.sign({ sub: undefined }));
  assert.equal(noSub.message, 'the token has no "sub" claim');
  const noExp = await refusalOf(verifier, await issuer.sign({ exp: undefined }));
  assert.equal(noExp.message, 'the token has no "exp" claim');
});

test('a key id it lacks makes it fetch the JWKS once more, at most once per cooldown', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer, { cooldownMs: 200 });
  await verifier.verify(await issuer.sign());
  assert.deepEqual(issuer.requests, { discovery: 1, jwks: 1 });
  await setTimeout(250);

  // The issuer rotates its key: the first token signed with the new one makes the server fetch the keys again.
  await issuer.rotate();
  assert.equal((await verifier.verify(await issuer.sign())).role, 'ci');
  assert.deepEqual(issuer.requests, { discovery: 1, jwks: 2 });
  await verifier.verify(await issuer.sign());
  assert.equal(issuer.requests.jwks, 2);

  // A key id nobody has, just after: refused without asking the issuer again.
  const unknown = await issuer.sign({}, { kid: 'no-such-key' });
  const error = await refusalOf(verifier, unknown);
  assert.equal(error.code, ServerCodes.SERVER_OIDC_BAD_SIGNATURE);
  assert.match(error.message, /^no key of .* verifies the token \(kid "no-such-key", alg "RS256"\)$/);
  assert.equal(issuer.requests.jwks, 2);
  // Once the cooldown has passed, it asks once more, and still refuses.
  await setTimeout(250);
  assert.equal((await refusalOf(verifier, unknown)).code, ServerCodes.SERVER_OIDC_BAD_SIGNATURE);
  assert.equal(issuer.requests.jwks, 3);
});

test('keys that cannot be fetched make the token unjudgeable, not refused, and are tried again', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer);
  const token = await issuer.sign();
  issuer.mode = 'fail';
  const failed = await refusalOf(verifier, token);
  assert.equal(failed.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.equal(failed.reason, 'jwks unavailable');
  assert.equal(failed.outcome, 'unavailable');
  assert.equal(
    failed.message,
    `the signing keys of ${issuer.url} could not be read from ${issuer.url}/.well-known/openid-configuration: the answer was HTTP 503 Service Unavailable`,
  );
  issuer.mode = 'serve';
  assert.equal((await verifier.verify(token)).role, 'ci');
});

test('an issuer that is down is reported with the cause', async (t) => {
  const issuer = await startOidcIssuer(t);
  const token = await issuer.sign();
  await issuer.close();
  const error = await refusalOf(verifierFor(issuer), token);
  assert.equal(error.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.match(
    error.message,
    /openid-configuration: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
  );
});

test('an issuer that does not answer in time is reported as such', async (t) => {
  const issuer = await startOidcIssuer(t);
  const token = await issuer.sign();
  const direct = verifierFor(issuer, { jwks: issuer.jwksUrl, timeoutMs: 200 });
  issuer.mode = 'hang';
  const error = await refusalOf(direct, token);
  assert.equal(error.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.equal(
    error.message,
    `the signing keys of ${issuer.url} could not be read from ${issuer.jwksUrl}: no answer within 200 ms`,
  );
});

test('a JWKS URL in stagecraft.yaml is used without discovery', async (t) => {
  const issuer = await startOidcIssuer(t);
  const verifier = verifierFor(issuer, { jwks: issuer.jwksUrl });
  assert.equal((await verifier.verify(await issuer.sign())).role, 'ci');
  assert.deepEqual(issuer.requests, { discovery: 0, jwks: 1 });
});

test('refuses a discovery document that names another issuer, or keys over plain http', async (t) => {
  const issuer = await startOidcIssuer(t);
  const token = await issuer.sign();
  const served = issuer.discovery();
  issuer.discovery = () => ({ ...served, issuer: 'https://token.actions.githubusercontent.com' });
  const error = await refusalOf(verifierFor(issuer), token);
  assert.equal(error.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.match(
    error.message,
    /openid-configuration: the discovery document names the issuer "https:\/\/token\.actions\.githubusercontent\.com"$/,
  );
  issuer.discovery = () => ({ ...served, jwks_uri: 'http://keys.example/jwks' });
  assert.match(
    (await refusalOf(verifierFor(issuer), token)).message,
    /: its jwks_uri "http:\/\/keys\.example\/jwks" is refused: use https: /,
  );
  assert.equal(issuer.requests.jwks, 0);
});

test('reads keys from a JWKS file, and again when the file changes', async (t) => {
  const issuer = await startOidcIssuer(t);
  const dir = tempDir(t, { 'keys/jwks.json': JSON.stringify(issuer.jwks()) });
  const verifier = verifierFor(issuer, { jwks: 'keys/jwks.json', dir });
  assert.equal((await verifier.verify(await issuer.sign())).role, 'ci');

  await issuer.rotate();
  const rotated = await issuer.sign();
  assert.equal((await refusalOf(verifier, rotated)).code, ServerCodes.SERVER_OIDC_BAD_SIGNATURE);
  const file = join(dir, 'keys/jwks.json');
  writeFileSync(file, JSON.stringify(issuer.jwks()));
  utimesSync(file, new Date(), new Date(Date.now() + 2000));
  assert.equal((await verifier.verify(rotated)).role, 'ci');
  assert.deepEqual(issuer.requests, { discovery: 0, jwks: 0 });

  writeFileSync(file, '{"keys": "none"}');
  const invalid = await refusalOf(verifier, rotated);
  assert.equal(invalid.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.match(invalid.message, /could not be read from .*jwks\.json: it is not a JSON Web Key Set/);
});

test('a JWKS file that is missing makes tokens unjudgeable', async (t) => {
  const issuer = await startOidcIssuer(t);
  const dir = tempDir(t);
  const error = await refusalOf(verifierFor(issuer, { jwks: 'jwks.json', dir }), await issuer.sign());
  assert.equal(error.code, ServerCodes.SERVER_OIDC_JWKS_UNAVAILABLE);
  assert.equal(error.hint, 'check that the JWKS file exists, is readable and holds {"keys": [...]}');
});
