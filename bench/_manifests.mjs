/**
 * Generated rendered manifests for the parity and drift benchmarks: per service a Deployment (with a sidecar),
 * a Service, a ConfigMap, a Secret and an HPA, 200 services per file. `big` resizes (production); `plant`
 * adds a few violations at fixed intervals. Also the two benchmarks' shared argument parsing, median, timing
 * of the whole command, and the YAML parsers measured side by side.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { formatTable } from './_table.mjs';

const hex = (n, seed) => {
  let out = '';
  let x = seed * 2654435761;
  while (out.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, n);
};

/** One service's objects (5 per service) for an environment; `big` resizes, `plant` adds violations. */
export function service(i, env, big, plant) {
  const ns = `shop-${env}`;
  const image = `registry.example.com/shop/svc-${i}@sha256:${plant && i % 997 === 0 ? hex(64, i + 7) : hex(64, i)}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: svc-${i}, namespace: ${ns}, labels: {app: svc-${i}, environment: ${env}}}
spec:
  replicas: ${big ? 6 : 2}
  selector: {matchLabels: {app: svc-${i}}}
  template:
    metadata: {labels: {app: svc-${i}}}
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: svc-${i}-config}}]
          env:
            - {name: PORT, value: "8080"}
            - {name: SERVICE, value: svc-${i}}${plant && i % 1009 === 0 ? '\n            - {name: DEBUG, value: "true"}' : ''}
          readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 10}
          resources: {requests: {cpu: ${big ? '1' : '250m'}, memory: ${big ? '1Gi' : '256Mi'}}, limits: {cpu: ${big ? '"2"' : '"1"'}, memory: ${big ? '2Gi' : '512Mi'}}}
        - name: proxy
          image: envoyproxy/envoy@sha256:${hex(64, 1)}
          ports: [{name: admin, containerPort: 9901}]
---
apiVersion: v1
kind: Service
metadata: {name: svc-${i}, namespace: ${ns}}
spec: {selector: {app: svc-${i}}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: svc-${i}-config, namespace: ${ns}}
data: {LOG_FORMAT: json, UPSTREAM: "http://svc-${(i + 1) % 1000}.${ns}.svc.cluster.local", FLAGS: "${plant && i % 1013 === 0 ? 'a,b' : 'a'}"}
---
apiVersion: v1
kind: Secret
metadata: {name: svc-${i}-credentials, namespace: ${ns}}
type: Opaque
data: {token: ${Buffer.from(hex(24, i + (big ? 1 : 2))).toString('base64')}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: svc-${i}, namespace: ${ns}}
spec: {minReplicas: ${big ? 6 : 2}, maxReplicas: ${big ? 30 : 6}, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: svc-${i}}}
`;
}

export function generateManifests(dir, env, objects, big) {
  mkdirSync(dir, { recursive: true });
  const services = Math.ceil(objects / 5);
  const perFile = 200;
  let bytes = 0;
  for (let file = 0; file * perFile < services; file++) {
    const docs = [];
    for (let i = file * perFile; i < Math.min(services, (file + 1) * perFile); i++)
      docs.push(service(i, env, big, big));
    const text = docs.join('---\n');
    bytes += text.length;
    writeFileSync(join(dir, `part-${String(file).padStart(3, '0')}.yaml`), text);
  }
  return bytes;
}

/** `--objects N --runs N` (whole numbers ≥ 1), with defaults; anything else prints usage and exits 1. */
export function parseSizeArgs(argv, script) {
  const options = { objects: 10_000, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    const value = Number(argv[++i]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) {
      console.error(`usage: node ${script} [--objects N] [--runs N] (got ${argv[i - 1]} ${argv[i]})`);
      process.exit(1);
    }
    options[key] = value;
  }
  return options;
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The command run `runs` times as a child process: median wall time (s) and peak RSS (MB) from /usr/bin/time. */
export function timeCommand(args, runs) {
  const wall = [];
  const rss = [];
  for (let run = 0; run < runs; run++) {
    const timed = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (timed.status === null || timed.error) return { commandS: Number.NaN, rssMb: Number.NaN };
    const [seconds, kb] = (timed.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    wall.push(seconds);
    rss.push(kb / 1024);
  }
  return { commandS: median(wall), rssMb: median(rss) };
}

/**
 * Every YAML file in `dirs` parsed, in this run and on the same files, by stagecraft's reader and by its two
 * peers: yaml alone (stagecraft's lane for what is not plain data, and its only parser before the fast lane)
 * and js-yaml's loadAll as stagecraft called it before yaml replaced it. Median ms of `runs`, interleaved.
 */
export async function timeYamlPeers(repo, dirs, runs) {
  const { readManifestStream } = await import(join(repo, 'dist/kubernetes/manifests.js'));
  const { parseYamlDocuments } = await import(join(repo, 'packages/config/dist/yaml/index.js'));
  const { loadAll } = createRequire(join(repo, 'package.json'))('js-yaml');
  const texts = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => readFileSync(join(dir, file), 'utf8')),
  );
  const readers = {
    stagecraft: (text) => readManifestStream(text, 'bench.yaml', 'MANIFEST_INVALID'),
    yaml: (text) => parseYamlDocuments(text, 'bench.yaml', 'MANIFEST_INVALID'),
    jsYaml: (text) => loadAll(text),
  };
  const times = { stagecraft: [], yaml: [], jsYaml: [] };
  for (let run = 0; run < runs; run++) {
    for (const [name, read] of Object.entries(readers)) {
      globalThis.gc?.();
      const start = performance.now();
      for (const text of texts) read(text);
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

/** The peers' table: one row per size, the ratios being stagecraft's time over each peer's. */
export function yamlPeersTable(rows) {
  return formatTable(
    ['objects', 'stagecraft ms', 'yaml alone ms', 'js-yaml loadAll ms', '× yaml alone', '× js-yaml'],
    rows.map((r) => [
      String(r.objects),
      r.yaml.stagecraft.toFixed(0),
      r.yaml.yaml.toFixed(0),
      r.yaml.jsYaml.toFixed(0),
      (r.yaml.stagecraft / r.yaml.yaml).toFixed(2),
      (r.yaml.stagecraft / r.yaml.jsYaml).toFixed(2),
    ]),
    [false, true, true, true, true, true],
  );
}
