/**
 * Parity on manifests shaped like `kustomize build` output of real staging and production overlays: one
 * namespace per environment, env vars and ConfigMaps with per-environment values, Services, Ingress and HPA.
 * Each rule has a test that states it and a negative: a real difference is still reported.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../test-support/cli.ts';

interface Violation {
  type: string;
  resource?: { apiVersion: string; kind: string; namespace: string; name: string };
  path: string;
  left: unknown;
  right: unknown;
  message: string;
  redacted?: boolean;
  places?: { resource?: { kind: string; namespace: string; name: string }; path: string }[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random letters and digits, so no value a test plants is ever written in its source. */
function random(length: number, alphabet = ALNUM): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
const digest = () => `sha256:${randomBytes(32).toString('hex')}`;
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const slackWebhook = () =>
  `https://hooks.slack.com/services/T${random(10, UPPER)}/B${random(10, UPPER)}/${random(24)}`;

interface Overlay {
  namespace: string;
  /** app.kubernetes.io/instance, which kustomize's commonLabels put on labels, selectors and templates. */
  instance: string;
  host: string;
  replicas: number;
  image: string;
  env: Record<string, string>;
  config: Record<string, string>;
  /** More documents, as written. */
  extra?: string;
}

const quote = (value: string) => JSON.stringify(value);

/** What `kustomize build overlays/ENV` prints for a small API: labels repeated in selectors and templates. */
function render(o: Overlay): string {
  const labels = `app.kubernetes.io/name: api\n    app.kubernetes.io/instance: ${o.instance}\n    app.kubernetes.io/part-of: shop`;
  const indent = (text: string, spaces: number) => text.replaceAll('\n    ', `\n${' '.repeat(spaces)}`);
  const env = Object.entries(o.env)
    .map(([name, value]) => `        - name: ${name}\n          value: ${quote(value)}`)
    .join('\n');
  const config = Object.entries(o.config)
    .map(([key, value]) =>
      value.includes('\n')
        ? `  ${key}: |\n${value
            .trimEnd()
            .split('\n')
            .map((line) => `    ${line}`)
            .join('\n')}`
        : `  ${key}: ${quote(value)}`,
    )
    .join('\n');
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${o.namespace}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
  namespace: ${o.namespace}
  labels:
    ${labels}
data:
${config}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: ${o.namespace}
  labels:
    ${labels}
spec:
  selector:
    ${indent(labels, 4)}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${o.namespace}
  labels:
    ${labels}
spec:
  replicas: ${o.replicas}
  selector:
    matchLabels:
      ${indent(labels, 6)}
  template:
    metadata:
      labels:
        ${indent(labels, 8)}
    spec:
      containers:
      - name: api
        image: ${o.image}
        envFrom:
        - configMapRef:
            name: api-config
        env:
${env}
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: ${o.namespace}
  labels:
    ${labels}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: ${o.replicas}
  maxReplicas: ${o.replicas * 3}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: ${o.namespace}
  labels:
    ${labels}
spec:
  ingressClassName: nginx
  rules:
  - host: ${o.host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: { service: { name: api, port: { name: http } } }
${o.extra ? `---\n${o.extra}` : ''}`;
}

const IMAGE = `registry.example.com/shop/api@${digest()}`;

function overlay(env: 'staging' | 'production', changes: Partial<Overlay> = {}): Overlay {
  const namespace = changes.namespace ?? `shop-${env}`;
  return {
    namespace,
    instance: `shop-${env}`,
    host: env === 'staging' ? 'api.staging.example.com' : 'api.example.com',
    replicas: env === 'staging' ? 1 : 3,
    image: IMAGE,
    ...changes,
    env: {
      NODE_ENV: 'production',
      APP_ENV: env,
      LOG_FORMAT: 'json',
      DB_HOST: `postgres.${namespace}.svc.cluster.local`,
      ...changes.env,
    },
    config: { FEATURE_FLAGS: 'search', CACHE_TTL: '300', ...changes.config },
  };
}

const POLICY = 'equivalents:\n  - { staging: api.staging.example.com, production: api.example.com }\n';

/** Renders both overlays into staging/ and production/ and runs parity on them in each format. */
async function parity(
  t: { after(fn: () => void): void },
  staging: Overlay,
  production: Overlay,
  policy = POLICY,
) {
  const dir = tempDir(t, {
    'staging/all.yaml': render(staging),
    'production/all.yaml': render(production),
  });
  writeFileSync(join(dir, 'policy.yaml'), policy);
  const run = (format: string) =>
    runCli(['parity', 'staging', 'production', '--policy', 'policy.yaml', '--format', format], {
      cwd: dir,
    });
  const [json, text, markdown] = await Promise.all([run('json'), run('text'), run('markdown')]);
  assert.equal(json.stderr, '', json.stderr);
  const data = JSON.parse(json.stdout) as { verdict: string; violations: Violation[] };
  return { code: json.code, data, all: json.stdout + text.stdout + markdown.stdout, text, markdown };
}

const summary = (violations: Violation[]) =>
  violations.map((v) => `${v.type} ${v.resource?.kind ?? '-'} ${v.path}`).sort();

test('a value identical on both sides is never a violation, whichever environment it names', async (t) => {
  // NODE_ENV=production is what both tiers run; an object named after one environment exists in both.
  const same = {
    env: { NODE_ENV: 'production', SENTRY_ENVIRONMENT: 'production' },
    config: { production_pool_size: '10' },
    extra:
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: production-reports, namespace: reports }\ndata: { SCHEDULE: "0 3 * * *" }\n',
  };
  const staging = overlay('staging', same);
  const production = overlay('production', same);
  const { code, data } = await parity(t, staging, production);
  assert.equal(code, 0, JSON.stringify(data.violations, null, 2));
  assert.deepEqual(data.violations, []);

  // A staging value that names staging still matches production's naming production, both ways round.
  const { code: named } = await parity(
    t,
    overlay('staging', { config: { REPORTS_BUCKET: 'shop-staging-reports', REGION: 'production-eu' } }),
    overlay('production', {
      config: { REPORTS_BUCKET: 'shop-production-reports', REGION: 'production-eu' },
    }),
  );
  assert.equal(named, 0);
});

test('real differences are still reported beside identical values: a plain env var, an image', async (t) => {
  const { code, data, all } = await parity(
    t,
    overlay('staging', { env: { NODE_ENV: 'production', LOG_FORMAT: 'json' } }),
    overlay('production', {
      env: { NODE_ENV: 'production', LOG_FORMAT: 'logfmt' },
      image: `registry.example.com/shop/api@${digest()}`,
    }),
  );
  assert.equal(code, 2);
  assert.deepEqual(summary(data.violations), [
    'config-value-mismatch Deployment spec.template.spec.containers[api].env[LOG_FORMAT].value',
    'image-mismatch Deployment spec.template.spec.containers[api].image',
  ]);
  const logFormat = data.violations.find((v) => v.type === 'config-value-mismatch');
  assert.deepEqual([logFormat?.left, logFormat?.right], ['json', 'logfmt'], 'a plain value is shown');
  assert.ok(all.includes('logfmt'));
});

test('values that name or look like secrets are reported as differing, never printed, in every format', async (t) => {
  const planted = {
    password: [random(16), random(16)],
    token: [random(32), random(32)],
    url: [`postgres://shop:${random(14)}@db:5432/shop`, `postgres://shop:${random(14)}@db:5432/shop`],
    hook: [slackWebhook(), slackWebhook()],
    properties: [random(14), random(14)],
    oneSide: random(18),
  };
  const side = (env: 'staging' | 'production', i: 0 | 1) =>
    overlay(env, {
      env: {
        DB_PASSWORD: planted.password[i] as string,
        DATABASE_URL: planted.url[i] as string,
        NOTIFY: planted.hook[i] as string, // an innocent name; the scanner knows the value
      },
      config: {
        API_TOKEN: planted.token[i] as string,
        'application.properties': `server.port=8080\nspring.datasource.password=${planted.properties[i]}\n`,
        ...(i === 1 ? { SMTP_PASSWORD: planted.oneSide } : {}),
      },
    });
  const { code, data, all } = await parity(t, side('staging', 0), side('production', 1));
  assert.equal(code, 2);
  for (const value of Object.values(planted).flat()) {
    assert.ok(!all.includes(value), `${value.slice(0, 4)}… must not be printed`);
    assert.ok(!all.includes(Buffer.from(value).toString('base64')), 'nor its base64');
  }
  assert.deepEqual(summary(data.violations), [
    'config-value-mismatch ConfigMap data.API_TOKEN',
    'config-value-mismatch ConfigMap data.SMTP_PASSWORD',
    'config-value-mismatch ConfigMap data.application.properties',
    'config-value-mismatch Deployment spec.template.spec.containers[api].env[DATABASE_URL].value',
    'config-value-mismatch Deployment spec.template.spec.containers[api].env[DB_PASSWORD].value',
    'config-value-mismatch Deployment spec.template.spec.containers[api].env[NOTIFY].value',
  ]);
  for (const violation of data.violations) {
    assert.equal(violation.redacted, true, violation.path);
    assert.match(violation.message, /differ/);
  }
  const oneSide = data.violations.find((v) => v.path === 'data.SMTP_PASSWORD');
  assert.equal(oneSide?.left, null, 'absent stays absent');
  assert.notEqual(oneSide?.right, null);
});

test('names that only mention a secret, and plain values, are shown as they are', async (t) => {
  const side = (env: 'staging' | 'production') =>
    overlay(env, {
      env: {
        KEYCLOAK_URL: `https://sso.example.com/realms/${env === 'staging' ? 'test' : 'live'}`,
        PUBLIC_KEY_ID: env === 'staging' ? 'key-2024-01' : 'key-2024-07',
        TOKEN_TTL: env === 'staging' ? '3600' : '900',
        DB_PASSWORD_FILE: `/var/run/secrets/${env === 'staging' ? 'a' : 'b'}/password`,
      },
    });
  const { code, data } = await parity(t, side('staging'), side('production'));
  assert.equal(code, 2);
  const shown = Object.fromEntries(data.violations.map((v) => [v.path.split('env[')[1], [v.left, v.right]]));
  assert.deepEqual(shown, {
    'KEYCLOAK_URL].value': ['https://sso.example.com/realms/test', 'https://sso.example.com/realms/live'],
    'PUBLIC_KEY_ID].value': ['key-2024-01', 'key-2024-07'],
    'TOKEN_TTL].value': ['3600', '900'],
    'DB_PASSWORD_FILE].value': ['/var/run/secrets/a/password', '/var/run/secrets/b/password'],
  });
  assert.ok(data.violations.every((v) => v.redacted === undefined));
});

test('namespaces that differ per environment are one finding that names the equivalents entry', async (t) => {
  const staging = overlay('staging', { namespace: 'staging', instance: 'shop' });
  const production = overlay('production', { namespace: 'prod', instance: 'shop' });
  const { code, data, text } = await parity(t, staging, production);
  assert.equal(code, 2);
  assert.deepEqual(
    data.violations.map((v) => [v.type, v.left, v.right]),
    [['name-mismatch', 'staging', 'prod']],
    JSON.stringify(data.violations, null, 2),
  );
  const [finding] = data.violations as [Violation];
  assert.match(finding.message, /namespace/);
  assert.match(finding.message, /equivalents/);
  const places = (finding.places ?? []).map((p) => `${p.resource?.kind ?? '-'} ${p.path}`);
  // Every object, and the env var naming the namespace inside a host name.
  for (const kind of [
    'ConfigMap',
    'Service',
    'Deployment',
    'HorizontalPodAutoscaler',
    'Ingress',
    'Namespace',
  ])
    assert.ok(
      places.some((p) => p.startsWith(`${kind} `)),
      `${kind} in ${places.join(', ')}`,
    );
  assert.ok(places.includes('Deployment spec.template.spec.containers[api].env[DB_HOST].value'));
  assert.match(text.stdout, /{ ?staging: staging, production: prod ?}/);

  // Declaring the entry it names settles it.
  const settled = await parity(
    t,
    staging,
    production,
    `${POLICY}  - { staging: staging, production: prod }\n`,
  );
  assert.equal(settled.code, 0, JSON.stringify(settled.data.violations, null, 2));
});

test('objects paired across namespaces are still compared: an image difference is reported', async (t) => {
  const { code, data } = await parity(
    t,
    overlay('staging', { namespace: 'staging', instance: 'shop' }),
    overlay('production', {
      namespace: 'prod',
      instance: 'shop',
      image: `registry.example.com/shop/api@${digest()}`,
    }),
  );
  assert.equal(code, 2);
  assert.deepEqual(summary(data.violations), [
    'image-mismatch Deployment spec.template.spec.containers[api].image',
    'name-mismatch - ',
  ]);
});

test('one label value differing across labels, selectors and templates is reported once with its places', async (t) => {
  const { code, data } = await parity(
    t,
    overlay('staging', { instance: 'shop-stg' }),
    overlay('production', { instance: 'shop-prd' }),
  );
  assert.equal(code, 2);
  assert.equal(data.violations.length, 1, JSON.stringify(data.violations, null, 2));
  const [finding] = data.violations as [Violation];
  assert.deepEqual([finding.type, finding.left, finding.right], ['name-mismatch', 'stg', 'prd']);
  const places = (finding.places ?? []).map((p) => `${p.resource?.kind} ${p.path}`);
  for (const place of [
    'Deployment metadata.labels.app.kubernetes.io/instance',
    'Deployment spec.selector.matchLabels.app.kubernetes.io/instance',
    'Deployment spec.template.metadata.labels.app.kubernetes.io/instance',
    'Service spec.selector.app.kubernetes.io/instance',
    'Ingress metadata.labels.app.kubernetes.io/instance',
  ])
    assert.ok(places.includes(place), `${place} in ${places.join(', ')}`);
  assert.match(finding.message, /{ ?staging: stg, production: prd ?}/);
});

test('a difference at one place stays an ordinary violation, with both values', async (t) => {
  const { code, data } = await parity(
    t,
    overlay('staging', { config: { FEATURE_FLAGS: 'search' } }),
    overlay('production', { config: { FEATURE_FLAGS: 'search,checkout-v2' } }),
  );
  assert.equal(code, 2);
  assert.deepEqual(
    data.violations.map((v) => [v.type, v.path, v.left, v.right, v.places]),
    [['config-value-mismatch', 'data.FEATURE_FLAGS', 'search', 'search,checkout-v2', undefined]],
  );
});
