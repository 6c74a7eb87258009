/**
 * Configuration syntaxes: YAML, JSON, TOML, Terraform HCL, .env, INI, Java properties, XML, Dockerfile and
 * a Kubernetes Deployment's container env.
 */
import { needsQuotes, xmlEscape } from './doc.mjs';
import { NOUNS, nameIn, SERVICES, setting } from './vocab.mjs';

const SECTIONS = [
  'database',
  'cache',
  'mail',
  'storage',
  'auth',
  'integrations',
  'queue',
  'monitoring',
  'payments',
];

function yamlScalar(value) {
  if (typeof value !== 'string') return String(value);
  return needsQuotes(value) ? `"${value}"` : value;
}

function quoted(value) {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Spreads items over `count` sections, each written by `section(name, items)`. */
function inSections(doc, items, section, maxSections = 3) {
  const names = doc.rng.shuffle(SECTIONS).slice(0, doc.rng.range(1, maxSections));
  const buckets = names.map(() => []);
  for (const item of items) buckets[doc.rng.int(names.length)].push(item);
  names.forEach((name, i) => {
    section(name, buckets[i]);
  });
}

const yaml = {
  name: 'yaml',
  path: (rng) =>
    rng.pick([
      () => `config/${rng.pick(['production', 'staging', 'default', 'local'])}.yaml`,
      () => `services/${rng.pick(SERVICES)}/config.yml`,
      () => `deploy/helm/${rng.pick(SERVICES)}/values${rng.pick(['', '-prod', '-staging'])}.yaml`,
      () => `deploy/compose/docker-compose.${rng.pick(SERVICES)}.yml`,
    ])(),
  assign: (words, v, ctx) => [`${ctx.indent}${nameIn('snake', words)}: ${yamlScalar(v)}`],
  block: (words, lines, ctx) => [
    `${ctx.indent}${nameIn('snake', words)}: |`,
    ...lines.map((l) => `${ctx.indent}  ${l}`),
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${ctx.indent}${nameIn('snake', words)}: ${yamlScalar(value)}`];
  },
  write(doc, items) {
    doc.push(`# ${doc.rng.pick(SERVICES)} configuration`, `name: ${doc.rng.pick(SERVICES)}`);
    doc.fill(doc.rng.range(1, 4));
    inSections(doc, items, (name, bucket) => {
      doc.push(`${name}:`);
      doc.weave(bucket, { indent: '  ' }, [1, 3]);
    });
  },
};

/** JSON: entries are written without commas, which are added once an object's entries are known. */
const json = {
  name: 'json',
  path: (rng) =>
    rng.pick([
      () => `config/${rng.pick(['production', 'staging', 'default'])}.json`,
      () => `services/${rng.pick(SERVICES)}/appsettings${rng.pick(['', '.Production'])}.json`,
      () => `packages/${rng.pick(SERVICES)}/${rng.pick(['settings', 'config', 'secrets'])}.json`,
    ])(),
  assign: (words, v, ctx) => [`${ctx.indent}"${nameIn('camel', words)}": ${JSON.stringify(v)}`],
  block: (words, lines, ctx) => [
    `${ctx.indent}"${nameIn('camel', words)}": ${JSON.stringify(lines.join('\n'))}`,
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${ctx.indent}"${nameIn('camel', words)}": ${JSON.stringify(value)}`];
  },
  write(doc, items) {
    const ends = [];
    const entry = (write) => {
      write();
      ends.push(doc.lines.length - 1);
    };
    const entries = (list, indent) => {
      const start = ends.length;
      entry(() => doc.fill(1, { indent }));
      for (const item of list) {
        if (doc.rng.chance(0.5)) entry(() => doc.fill(1, { indent }));
        entry(() => doc.place(item, { indent }));
      }
      for (let i = 0; i < doc.padding / 2; i++) entry(() => doc.fill(1, { indent }));
      // Commas after every entry of this object but its last.
      for (const end of ends.slice(start, -1)) doc.lines[end] += ',';
    };
    doc.push('{');
    const top = [];
    inSections(doc, items, (name, bucket) => top.push([name, bucket]));
    top.forEach(([name, bucket], i) => {
      doc.push(`  "${name}": {`);
      const before = ends.length;
      entries(bucket, '    ');
      ends.length = before;
      doc.push(`  }${i < top.length - 1 ? ',' : ''}`);
    });
    doc.push('}');
  },
};

const toml = {
  name: 'toml',
  path: (rng) =>
    rng.pick([
      () => `services/${rng.pick(SERVICES)}/config.toml`,
      () => `config/${rng.pick(['production', 'default'])}.toml`,
      () => `.cargo/${rng.pick(['credentials', 'config'])}.toml`,
    ])(),
  assign: (words, v) => [`${nameIn('snake', words)} = ${quoted(v)}`],
  block: (words, lines) => [`${nameIn('snake', words)} = """`, ...lines, '"""'],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${nameIn('snake', words)} = ${quoted(value)}`];
  },
  write(doc, items) {
    doc.push(`title = "${doc.rng.pick(SERVICES)}"`);
    inSections(doc, items, (name, bucket) => {
      doc.push('', `[${name}]`);
      doc.weave(bucket, {}, [1, 3]);
    });
  },
};

const hcl = {
  name: 'hcl',
  path: (rng) =>
    rng.pick([
      () =>
        `infra/terraform/${rng.pick(['prod', 'staging'])}/${rng.pick(['main', 'database', 'providers'])}.tf`,
      () => `infra/terraform/${rng.pick(['prod', 'staging'])}/terraform.tfvars`,
      () => `infra/modules/${rng.pick(SERVICES)}/main.tf`,
    ])(),
  assign: (words, v, ctx) => [`${ctx.indent}${nameIn('snake', words)} = ${quoted(v)}`],
  block: (words, lines, ctx) => [
    `${ctx.indent}${nameIn('snake', words)} = <<-EOT`,
    ...lines.map((l) => `${ctx.indent}  ${l}`),
    `${ctx.indent}EOT`,
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${ctx.indent}${nameIn('snake', words)} = ${quoted(value)}`];
  },
  write(doc, items) {
    const { rng } = doc;
    inSections(doc, items, (name, bucket) => {
      const type = rng.pick([
        'aws_db_instance',
        'aws_elasticache_cluster',
        'helm_release',
        'kubernetes_secret',
      ]);
      doc.push(`resource "${type}" "${name}" {`);
      doc.weave(bucket, { indent: '  ' }, [1, 3]);
      doc.push('}', '');
    });
  },
};

const env = {
  name: 'env',
  path: (rng) =>
    rng.pick([
      () => `.env${rng.pick(['', '.production', '.staging', '.local'])}`,
      () => `services/${rng.pick(SERVICES)}/.env`,
      () => `deploy/${rng.pick(['prod', 'staging'])}.env`,
    ])(),
  assign: (words, v, ctx) => {
    const name = nameIn('upper', words);
    if (needsQuotes(v)) return [`${name}="${v}"`];
    return ctx.rng.chance(0.2) ? [`${name}="${v}"`] : [`${name}=${v}`];
  },
  block: (words, lines) => [`${nameIn('upper', words)}="${lines.join('\\n')}"`],
  filler(rng, ctx) {
    if (rng.chance(0.15)) return ['', `# ${rng.pick(SECTIONS)}`];
    const [words, value] = setting(rng, ctx.used);
    return [`${nameIn('upper', words)}=${value}`];
  },
  write(doc, items) {
    doc.weave(items, {}, [1, 3]);
  },
};

const ini = {
  name: 'ini',
  path: (rng) =>
    rng.pick([
      () => `config/${rng.pick(SERVICES)}.ini`,
      () => `deploy/${rng.pick(['pgbouncer', 'odbc', 'app', 'supervisord'])}.ini`,
      () => `services/${rng.pick(SERVICES)}/setup.cfg`,
    ])(),
  assign: (words, v) => [`${nameIn('snake', words)} = ${v}`],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${nameIn('snake', words)} = ${value}`];
  },
  write(doc, items) {
    inSections(doc, items, (name, bucket) => {
      doc.push(`[${name}]`);
      doc.weave(bucket, {}, [1, 3]);
      doc.push('');
    });
  },
};

const properties = {
  name: 'properties',
  path: (rng) =>
    `services/${rng.pick(SERVICES)}/src/main/resources/application${rng.pick(['', '-prod', '-staging'])}.properties`,
  assign: (words, v, ctx) => [`${ctx.prefix ?? 'app'}.${nameIn('kebab', words)}=${v}`],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [`${ctx.prefix ?? 'app'}.${nameIn('kebab', words)}=${value}`];
  },
  write(doc, items) {
    inSections(doc, items, (name, bucket) => {
      doc.push(`# ${name}`);
      doc.weave(bucket, { prefix: doc.rng.pick([`spring.${name}`, `app.${name}`, name]) }, [1, 3]);
    });
  },
};

const xml = {
  name: 'xml',
  path: (rng) =>
    rng.pick([
      () =>
        `services/${rng.pick(SERVICES)}/src/main/resources/${rng.pick(['settings', 'context', 'app-config'])}.xml`,
      () => `.m2/settings.xml`,
      () => `services/${rng.pick(SERVICES)}/Web.config`,
    ])(),
  assign: (words, v, ctx) => [
    `${ctx.indent}<${nameIn('camel', words)}>${xmlEscape(v)}</${nameIn('camel', words)}>`,
  ],
  block: (words, lines, ctx) => [
    `${ctx.indent}<${nameIn('camel', words)}>${lines[0]}`,
    ...lines.slice(1, -1),
    `${lines.at(-1)}</${nameIn('camel', words)}>`,
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    return [
      `${ctx.indent}<${nameIn('camel', words)}>${xmlEscape(String(value))}</${nameIn('camel', words)}>`,
    ];
  },
  write(doc, items) {
    doc.push('<?xml version="1.0" encoding="UTF-8"?>', '<settings>');
    inSections(doc, items, (name, bucket) => {
      doc.push(`  <${name}>`);
      doc.weave(bucket, { indent: '    ' }, [1, 3]);
      doc.push(`  </${name}>`);
    });
    doc.push('</settings>');
  },
};

const dockerfile = {
  name: 'dockerfile',
  path: (rng) =>
    rng.pick([
      () => `services/${rng.pick(SERVICES)}/Dockerfile`,
      () => `docker/${rng.pick(SERVICES)}.Dockerfile`,
      () => `Dockerfile${rng.pick(['', '.prod', '.ci'])}`,
    ])(),
  assign(words, v, ctx) {
    const name = nameIn('upper', words);
    const shown = needsQuotes(v) ? `"${v}"` : v;
    return [ctx.rng.pick([`ENV ${name}=${shown}`, `ARG ${name}=${shown}`, `ENV ${name} ${shown}`])];
  },
  filler(rng, ctx) {
    return rng.pick([
      () => ['COPY package*.json ./', 'RUN npm ci --omit=dev'],
      () => [`ENV ${nameIn('upper', setting(rng, ctx.used)[0])}=${rng.int(1000)}`],
      () => ['COPY . .'],
      () => [`EXPOSE ${rng.pick([3000, 8080, 8000])}`],
      () => [
        `RUN apt-get update && apt-get install -y --no-install-recommends ${rng.pick(['curl', 'libpq5', 'tini'])}`,
      ],
    ])();
  },
  write(doc, items) {
    doc.push(
      `FROM ${doc.rng.pick(['node:20-slim', 'python:3.12-slim', 'eclipse-temurin:21-jre'])}`,
      'WORKDIR /app',
    );
    doc.weave(items, {}, [1, 2]);
    doc.push('USER 10001', `CMD ["node", "dist/server.js"]`);
  },
};

const k8s = {
  name: 'k8s',
  path: (rng) =>
    `deploy/k8s/${rng.pick(SERVICES)}/${rng.pick(['deployment', 'cronjob', 'statefulset'])}.yaml`,
  assign: (words, v) => [`        - name: ${nameIn('upper', words)}`, `          value: ${yamlScalar(v)}`],
  filler(rng, ctx) {
    if (rng.chance(0.3)) {
      const noun = rng.pick(NOUNS);
      return [
        `        - name: ${noun.toUpperCase()}_${rng.pick(['HOST', 'URL', 'QUEUE'])}`,
        '          valueFrom:',
        '            configMapKeyRef:',
        `              name: ${noun}-config`,
        `              key: ${rng.pick(['host', 'url', 'queue'])}`,
      ];
    }
    const [words, value] = setting(rng, ctx.used);
    return [`        - name: ${nameIn('upper', words)}`, `          value: ${JSON.stringify(String(value))}`];
  },
  write(doc, items) {
    const service = doc.rng.pick(SERVICES);
    doc.push('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${service}`, 'spec:');
    doc.push('  template:', '    spec:', '      containers:', `      - name: ${service}`);
    doc.push(`        image: registry.example.com/${service}:1.${doc.rng.int(40)}.0`, '        env:');
    doc.weave(items, {}, [1, 3]);
  },
};

export const CONFIG_SYNTAXES = [yaml, json, toml, hcl, env, ini, properties, xml, dockerfile, k8s];
