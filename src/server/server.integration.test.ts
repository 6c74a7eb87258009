import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertBuilt, EXAMPLE_SHOP, tempDir } from '../test-support/cli.ts';
import { startServer } from '../test-support/server.ts';

test('stagecraft serve answers health, readiness and its OpenAPI document, and refuses the API without a token', async (t) => {
  assertBuilt();
  const dir = tempDir(t);
  cpSync(EXAMPLE_SHOP, join(dir, 'shop'), { recursive: true });
  const server = await startServer(t, { cwd: join(dir, 'shop') });
  assert.equal((await server.call('GET', '/healthz', undefined)).status, 200);
  const ready = await server.call('GET', '/readyz', undefined);
  assert.equal(ready.status, 200);
  assert.equal(ready.body.ok, true);
  const doc = await server.call('GET', '/openapi.json', undefined);
  assert.equal(doc.body.openapi, '3.1.0');
  assert.ok(doc.body.paths['/v1/deployments'].post.requestBody);
  assert.ok(doc.body.components.schemas.StartDeployment);
  const anonymous = await server.call('GET', '/v1/status', undefined);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 'SERVER_UNAUTHENTICATED');
  const me = await server.call('GET', '/v1/whoami', server.adminToken);
  assert.deepEqual(me.body, { name: 'admin', role: 'admin', environments: null, via: 'token' });
  assert.doesNotMatch(server.log(), new RegExp(server.adminToken));
});
