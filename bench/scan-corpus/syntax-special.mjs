/**
 * Files with a shape of their own: Markdown docs with shell snippets, REST-client `.http` files, PEM key
 * files, a GCP service-account key file, a Docker `config.json`, `~/.aws/credentials`, a Kubernetes Secret
 * and an npm lockfile. Most items for these are `formItem`s that know the file's shape.
 */
import { CODE_SYNTAXES } from './syntax-code.mjs';
import { capitalize, NOUNS, nameIn, SERVICES } from './vocab.mjs';

const sh = CODE_SYNTAXES.find((s) => s.name === 'sh');

const markdown = {
  name: 'md',
  path: (rng) =>
    rng.pick([
      () =>
        `docs/${rng.pick(['setup', 'deploy', 'runbook', 'onboarding', 'troubleshooting'])}-${rng.pick(SERVICES)}.md`,
      () => `services/${rng.pick(SERVICES)}/README.md`,
      () => `docs/adr/00${rng.range(10, 99)}-${rng.pick(NOUNS)}-storage.md`,
    ])(),
  assign: (words, v, ctx) => sh.assign(words, v, ctx),
  block: (_words, lines) => lines,
  filler(rng) {
    return rng.pick([
      () => [
        '',
        `The ${rng.pick(SERVICES)} service reads its settings at start-up; restart it after a change.`,
        '',
      ],
      () => [
        '',
        `## ${capitalize(rng.pick(NOUNS))} ${rng.pick(['flow', 'storage', 'limits', 'alerts'])}`,
        '',
      ],
      () => [`- Run \`make ${rng.pick(['dev', 'test', 'migrate'])}\` before opening a pull request.`],
      () => [`See [the ${rng.pick(NOUNS)} guide](./${rng.pick(NOUNS)}.md) for details.`],
    ])();
  },
  write(doc, items) {
    doc.push(`# ${capitalize(doc.rng.pick(SERVICES))} ${doc.rng.pick(['setup', 'runbook', 'notes'])}`, '');
    for (const item of items) {
      doc.fill(doc.rng.range(1, 3));
      doc.push(
        doc.rng.pick(['Locally:', 'For the staging cluster:', 'Example:', 'Then run:']),
        '',
        '```bash',
      );
      doc.place(item);
      doc.push('```');
    }
    doc.fill(1);
  },
};

const http = {
  name: 'http',
  path: (rng) => `${rng.pick(['api', 'tools/requests', 'docs/http'])}/${rng.pick(NOUNS)}s.http`,
  filler(rng) {
    const noun = rng.pick(NOUNS);
    return ['', `### ${capitalize(noun)} list`, `GET https://${rng.pick(SERVICES)}.example.com/v1/${noun}s`];
  },
  write(doc, items) {
    for (const item of items) {
      doc.fill(1);
      doc.push(
        '',
        `### ${capitalize(doc.rng.pick(NOUNS))}`,
        `GET https://api.example.com/v1/${doc.rng.pick(NOUNS)}s`,
      );
      doc.place(item);
      doc.push('Accept: application/json');
    }
  },
};

/** Key files hold only their keys (one or two), with a comment or a blank line between. */
const pem = {
  name: 'pem',
  path: (rng) =>
    rng.pick([
      () => `deploy/certs/${rng.pick(SERVICES)}${rng.pick(['.key', '-key.pem', '.pem'])}`,
      () => `secrets/${rng.pick(['tls', 'signing', 'jwt'])}/${rng.pick(['private', 'server', 'bundle'])}.pem`,
      () => `ops/keys/${rng.pick(['id_rsa', 'deploy_key', 'backup.key'])}`,
    ])(),
  block: (_words, lines) => lines,
  filler: () => [''],
  write(doc, items) {
    items.forEach((item, i) => {
      if (i > 0) doc.push('');
      doc.place(item);
    });
  },
};

/** A file that is one item and nothing else (a service-account key, an SSH key, a PGP key export). */
const whole = (name, path) => ({
  name,
  path,
  block: (_words, lines) => lines,
  filler: () => [],
  write(doc, items) {
    for (const item of items) doc.place(item);
  },
});

const gcpJson = whole('gcp-json', (rng) =>
  rng.pick([
    () => `deploy/gcp/${rng.pick(SERVICES)}-sa.json`,
    () => `credentials/${rng.pick(['gcp', 'bigquery', 'firebase'])}-${rng.pick(['prod', 'ci'])}.json`,
  ])(),
);
const sshKey = whole('ssh-key', (rng) =>
  rng.pick([() => `ops/ssh/${rng.pick(['id_ed25519', 'deploy_ed25519'])}`, () => `.ssh/id_ed25519`])(),
);
const pgpKey = whole(
  'pgp-key',
  (rng) => `ops/release/${rng.pick(['signing', 'packages', 'backup'])}-key.asc`,
);

const dockerConfig = {
  name: 'docker-config',
  path: (rng) => rng.pick(['.docker/config.json', `ci/${rng.pick(SERVICES)}/docker-config.json`]),
  filler: () => [],
  write(doc, items) {
    doc.push('{', '  "auths": {');
    items.forEach((item, i) => {
      doc.place(item);
      if (i < items.length - 1) doc.lines[doc.lines.length - 1] += ',';
    });
    doc.push('  },', `  "currentContext": "default"`, '}');
  },
};

const awsCredentials = {
  name: 'aws-ini',
  path: (rng) =>
    rng.pick(['.aws/credentials', `ops/${rng.pick(SERVICES)}/aws-credentials`, 'ci/aws/credentials']),
  assign: (words, v) => [`${nameIn('snake', words)} = ${v}`],
  filler: (rng) =>
    rng.chance(0.5) ? [`region = ${rng.pick(['us-east-1', 'eu-west-1'])}`] : ['output = json'],
  write(doc, items) {
    items.forEach((item, i) => {
      doc.push(`[${i === 0 ? 'default' : doc.rng.pick(['prod', 'staging', 'ci', 'backup'])}]`);
      doc.place(item);
      doc.fill(1);
      doc.push('');
    });
  },
};

const k8sSecret = {
  name: 'k8s-secret',
  path: (rng) => `deploy/k8s/${rng.pick(SERVICES)}/${rng.pick(['secret', 'secrets', 'db-secret'])}.yaml`,
  assign: (words, v) => [`  ${nameIn('kebab', words)}: ${JSON.stringify(v)}`],
  filler: () => [],
  write(doc, items) {
    const name = `${doc.rng.pick(SERVICES)}-${doc.rng.pick(['db', 'api', 'credentials'])}`;
    doc.push('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, 'type: Opaque');
    const encoded = items.filter((i) => i.encoded);
    const plain = items.filter((i) => !i.encoded);
    if (encoded.length > 0) {
      doc.push('data:');
      for (const item of encoded) doc.place(item);
    }
    if (plain.length > 0) {
      doc.push('stringData:');
      for (const item of plain) doc.place(item);
    }
  },
};

/** npm lockfile packages: each item is one package's `"integrity"` or `"resolved"` line. */
const lockfile = {
  name: 'lockfile',
  path: (rng) => `${rng.pick(['packages', 'services'])}/${rng.pick(SERVICES)}/package-lock.json`,
  filler: () => [],
  write(doc, items) {
    const { rng } = doc;
    doc.push('{', `  "name": "${rng.pick(SERVICES)}",`, '  "lockfileVersion": 3,', '  "packages": {');
    items.forEach((item, i) => {
      const pkg = `${rng.pick(NOUNS)}-${rng.pick(['utils', 'core', 'parser', 'client'])}`;
      const version = `${rng.int(9)}.${rng.int(30)}.${rng.int(20)}`;
      doc.push(`    "node_modules/${pkg}": {`, `      "version": "${version}",`);
      doc.place(item);
      doc.push(`      "license": "MIT"`, `    }${i < items.length - 1 ? ',' : ''}`);
    });
    doc.push('  }', '}');
  },
};

export const SPECIAL_SYNTAXES = [
  markdown,
  http,
  pem,
  gcpJson,
  sshKey,
  pgpKey,
  dockerConfig,
  awsCredentials,
  k8sSecret,
  lockfile,
];
