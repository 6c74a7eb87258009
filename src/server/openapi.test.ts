/**
 * /openapi.json against the app itself: every /v1 route the app answers is documented, with its path and
 * query parameters and its request body's schema, and the schema documented is the one enforced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadWorkspace } from '@stagecraft/config/workspace';
import { Ledger } from '../ledger/ledger.ts';
import { openStore } from '../ledger/store.ts';
import { EXAMPLE_SHOP } from '../test-support/cli.ts';
import { createApp } from './app.ts';

/** Writes that take no body, and why: the path names all they act on. */
const BODILESS = new Set([
  'post /v1/deployments/{id}/heartbeat', // a beat: the deployment's id is all there is to say
  'delete /v1/tokens/{which}', // the token, by name or #id
]);

interface Operation {
  parameters?: { name: string; in: string; schema?: unknown }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
  security?: unknown[];
  responses: Record<string, unknown>;
}

interface Schema {
  required?: string[];
  properties?: Record<string, unknown>;
}

async function shopApp(t: { after(fn: () => Promise<void>): void }) {
  const store = await openStore({ file: ':memory:' });
  t.after(() => store.close());
  const ledger = new Ledger(store, loadWorkspace({ cwd: EXAMPLE_SHOP }));
  const { token } = await ledger.createToken(
    { name: 'admin', role: 'admin' },
    { name: 'setup', role: 'admin' },
  );
  const app = createApp({ ledger });
  const doc = (await (await app.request('/openapi.json')).json()) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  return { app, doc, token };
}

test('/openapi.json documents every /v1 route the app answers, and nothing it does not', async (t) => {
  const { app, doc } = await shopApp(t);
  assert.equal(doc.openapi, '3.1.0');
  const routes = new Set(
    app.routes
      .filter((route) => route.path.startsWith('/v1/') && route.method !== 'ALL')
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  );
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    ),
  );
  assert.ok(routes.size >= 17, [...routes].join('\n'));
  assert.deepEqual([...routes].sort(), [...documented].filter((op) => op.includes(' /v1/')).sort());
});

test('each /v1 operation documents its parameters, its body’s schema, its bearer token and its errors', async (t) => {
  const { doc } = await shopApp(t);
  const bodiless: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const op = `${method} ${path}`;
      assert.deepEqual(operation.security, [{ bearer: [] }], op);
      for (const status of ['400', '401', '403', '413', '415', '429'])
        assert.ok(operation.responses[status], `${op} ${status}`);
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
        assert.ok(parameter?.schema, `${op}: path parameter ${name}`);
      }
      if (method === 'get') continue;
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (!schema) {
        bodiless.push(op);
        continue;
      }
      assert.equal(operation.requestBody?.required, true, op);
      const name = schema.$ref?.replace('#/components/schemas/', '') ?? '';
      assert.ok(
        doc.components.schemas[name]?.properties,
        `${op}: its body's schema ${schema.$ref} is in components`,
      );
    }
  }
  assert.deepEqual(bodiless.sort(), [...BODILESS].sort());
  const query = (path: string) =>
    (doc.paths[path]?.['get']?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  assert.deepEqual(query('/v1/history').sort(), ['environment', 'limit', 'service']);
  assert.deepEqual(query('/v1/artifacts'), ['service']);
  // A deployment is one type: status, history, the audit log and `deployment show` all use it.
  const schemas = Object.keys(doc.components.schemas);
  assert.ok(schemas.includes('Deployment'));
  for (const old of ['StatusRow', 'HistoryRow', 'AuditRow']) assert.ok(!schemas.includes(old), old);
  const refs = (name: string) => JSON.stringify(doc.components.schemas[name]);
  for (const user of ['Status', 'History', 'AuditEntry'])
    assert.match(refs(user), /#\/components\/schemas\/Deployment"/);
  assert.deepEqual(query('/v1/audit'), ['limit']);
});

test('the body schema each write documents is the one it enforces: an empty body is refused, naming each required field', async (t) => {
  const { app, doc, token } = await shopApp(t);
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const ref = operation.requestBody?.content['application/json']?.schema.$ref;
      if (!ref) continue;
      const required = doc.components.schemas[ref.replace('#/components/schemas/', '')]?.required ?? [];
      assert.ok(required.length > 0, `${method} ${path}: ${ref} requires something`);
      const answer = await app.request(path.replace('{id}', '1'), {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await answer.json()) as { error: { code: string; message: string } };
      assert.equal(answer.status, 400, `${method} ${path}: ${body.error.message}`);
      assert.equal(body.error.code, 'SERVER_BAD_REQUEST');
      for (const field of required)
        assert.match(body.error.message, new RegExp(`\\b${field}: `), `${method} ${path}`);
    }
  }
});
