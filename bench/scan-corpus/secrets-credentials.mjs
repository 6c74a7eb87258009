/**
 * Credentials in context: connection strings, HTTP auth headers, passwords and secrets assigned in every
 * syntax, Kubernetes Secret data, Docker registry auth and passwords on command lines. A kind is
 * `{ kind, count, items(rng) → items }`.
 */
import {
  ASSIGN_SYNTAXES,
  humanPassword,
  PASSWORD_NAMES,
  password,
  randomSecret,
  SECRET_NAMES,
  user,
} from './credential-values.mjs';
import { formItem, valueItem } from './doc.mjs';
import { BASE64URL, LOWER } from './prng.mjs';
import { hostname, SERVICES } from './vocab.mjs';

/** The lines of an HTTP header in each syntax that sends one. */
function headerForms(value) {
  const header = `Authorization: ${value}`;
  const url = 'https://api.example.com/v1/orders';
  return {
    http: () => [header],
    sh: () => [`curl -fsS -H "${header}" ${url}`],
    md: () => [`curl -H '${header}' ${url}`],
    py: () => [`HEADERS = {"Authorization": "${value}", "Accept": "application/json"}`],
    js: () => [`const headers = { Authorization: '${value}', Accept: 'application/json' };`],
    ts: () => [`const headers: Record<string, string> = { Authorization: '${value}' };`],
    go: () => [`const authorization = "${value}"`],
    yaml: (ctx) => [`${ctx.indent}authorization: "${value}"`],
  };
}

/** A URI with credentials in its user-info part (RFC 3986 §3.2.1). */
function uriKind(kind, count, names, build) {
  return {
    kind,
    count,
    items: (rng) => [valueItem({ kind, secret: true, words: rng.pick(names), value: build(rng) })],
  };
}

export const CREDENTIAL_KINDS = [
  // https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS
  uriKind(
    'postgres-uri',
    6,
    [
      ['database', 'url'],
      ['db', 'url'],
      ['postgres', 'dsn'],
      ['sqlalchemy', 'database', 'uri'],
    ],
    (rng) =>
      `${rng.pick(['postgres', 'postgresql'])}://${user(rng)}:${password(rng).replaceAll(/[@#/?%:]/g, '')}@${hostname(rng)}:5432/${rng.pick(SERVICES)}${rng.pick(['', '?sslmode=require'])}`,
  ),
  // https://dev.mysql.com/doc/refman/8.4/en/connecting-using-uri-or-key-value-pairs.html
  uriKind(
    'mysql-uri',
    5,
    [
      ['database', 'url'],
      ['mysql', 'url'],
      ['db', 'dsn'],
    ],
    (rng) =>
      `mysql://${user(rng)}:${password(rng).replaceAll(/[@#/?%:]/g, '')}@${hostname(rng)}:3306/${rng.pick(SERVICES)}`,
  ),
  // https://www.mongodb.com/docs/manual/reference/connection-string/
  uriKind(
    'mongodb-uri',
    5,
    [
      ['mongodb', 'uri'],
      ['mongo', 'url'],
      ['database', 'url'],
    ],
    (rng) => {
      const credentials = `${user(rng)}:${password(rng).replaceAll(/[@#/?%:]/g, '')}`;
      return rng.chance(0.6)
        ? `mongodb+srv://${credentials}@cluster0.${rng.chars(LOWER, 5)}.mongodb.net/${rng.pick(SERVICES)}?retryWrites=true&w=majority`
        : `mongodb://${credentials}@mongo-0.internal:27017,mongo-1.internal:27017/${rng.pick(SERVICES)}?replicaSet=rs0`;
    },
  ),
  // https://www.iana.org/assignments/uri-schemes/prov/redis (redis://[[user]:password@]host[:port][/db])
  uriKind(
    'redis-uri',
    5,
    [
      ['redis', 'url'],
      ['cache', 'url'],
      ['broker', 'url'],
    ],
    (rng) =>
      rng.chance(0.5)
        ? `redis://:${randomSecret(rng).replaceAll(/[^A-Za-z0-9]/g, '')}@${hostname(rng)}:6379/0`
        : `rediss://default:${randomSecret(rng).replaceAll(/[^A-Za-z0-9]/g, '')}@${hostname(rng)}:6380`,
  ),
  // RFC 3986 §3.2.1 user-info in http(s) and amqp URLs (package registries, git remotes, brokers).
  uriKind(
    'basic-auth-url',
    6,
    [
      ['registry', 'url'],
      ['git', 'remote'],
      ['amqp', 'url'],
      ['artifact', 'repository'],
    ],
    (rng) => {
      const credentials = `${user(rng)}:${password(rng).replaceAll(/[@#/?%:]/g, '')}`;
      return rng.pick([
        () => `https://${credentials}@nexus.example.com/repository/npm-private/`,
        () => `https://${credentials}@git.example.com/acme/${rng.pick(SERVICES)}.git`,
        () => `amqp://${credentials}@rabbitmq.internal:5672/${rng.pick(SERVICES)}`,
      ])();
    },
  ),
  // RFC 3986 §2.1: reserved characters in a password are percent-encoded.
  uriKind(
    'uri-percent-encoded-password',
    5,
    [
      ['database', 'url'],
      ['db', 'url'],
      ['broker', 'url'],
    ],
    (rng) => {
      let secret = humanPassword(rng);
      if (!/[@#/?%:!*&+=]/.test(secret)) secret += '@';
      return `${rng.pick(['postgresql', 'mysql', 'amqp'])}://${user(rng)}:${encodeURIComponent(secret).replaceAll('!', '%21').replaceAll('*', '%2A')}@${hostname(rng)}/${rng.pick(SERVICES)}`;
    },
  ),
  {
    // RFC 7617: Authorization: Basic base64(user:password).
    kind: 'http-basic-auth-header',
    count: 6,
    items(rng) {
      const value = `Basic ${Buffer.from(`${user(rng)}:${password(rng)}`).toString('base64')}`;
      return [formItem({ kind: 'http-basic-auth-header', secret: true, value, forms: headerForms(value) })];
    },
  },
  {
    // RFC 6750 §2.1: Authorization: Bearer <opaque token>.
    kind: 'http-bearer-header',
    count: 6,
    items(rng) {
      const value = `Bearer ${rng.chars(BASE64URL, rng.range(32, 64))}`;
      return [formItem({ kind: 'http-bearer-header', secret: true, value, forms: headerForms(value) })];
    },
  },
  {
    // Passwords people choose, assigned to password-like names in every syntax.
    kind: 'generic-password',
    count: 40,
    items: (rng) => [
      valueItem({
        kind: 'generic-password',
        secret: true,
        words: rng.pick(PASSWORD_NAMES),
        value: humanPassword(rng),
        syntaxes: ASSIGN_SYNTAXES,
      }),
    ],
  },
  {
    // Machine-made secrets (random strings) assigned to secret-, key- and token-like names in every syntax.
    kind: 'generic-secret',
    count: 40,
    items: (rng) => [
      valueItem({
        kind: 'generic-secret',
        secret: true,
        words: rng.pick(SECRET_NAMES),
        value: randomSecret(rng),
        syntaxes: ASSIGN_SYNTAXES,
      }),
    ],
  },
  {
    // A literal used when a variable is unset: process.env.X || "…", os.getenv("X", "…"), ${X:-…} in shell,
    // Dockerfiles and compose files. It ships with the code and runs wherever the variable is forgotten.
    kind: 'env-fallback-literal',
    count: 12,
    items(rng) {
      const isPassword = rng.chance(0.5);
      const words = rng.pick(isPassword ? PASSWORD_NAMES : SECRET_NAMES);
      const value = isPassword
        ? humanPassword(rng)
        : randomSecret(rng).replaceAll('/', '_').replaceAll('+', '-');
      const upper = words.join('_').toUpperCase();
      const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
      const forms = {
        js: () => [`const ${camel} = process.env.${upper} || '${value}';`],
        ts: () => [`  ${camel}: process.env.${upper} ?? "${value}",`],
        py: () => [`${upper} = os.${rng.pick(['getenv', 'environ.get'])}("${upper}", "${value}")`],
        sh: () => [`export ${upper}="\${${upper}:-${value}}"`],
        dockerfile: () => [`ENV ${upper}=\${${upper}:-${value}}`],
        yaml: (ctx) => [`${ctx.indent}${upper}: \${${upper}:-${value}}`],
      };
      return [formItem({ kind: 'env-fallback-literal', secret: true, value, forms })];
    },
  },
  {
    // https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data (data: base64 values)
    kind: 'k8s-secret-data',
    count: 6,
    items(rng) {
      const words = rng.pick([['password'], ['db', 'password'], ['api', 'token'], ['client', 'secret']]);
      const plain = words.includes('password') ? password(rng) : randomSecret(rng);
      const item = valueItem({
        kind: 'k8s-secret-data',
        secret: true,
        words,
        value: Buffer.from(plain).toString('base64'),
        syntaxes: ['k8s-secret'],
      });
      return [{ ...item, encoded: true }];
    },
  },
  {
    // https://docs.docker.com/reference/cli/docker/login/#credential-stores ("auth": base64(user:password))
    kind: 'docker-config-auth',
    count: 5,
    items(rng) {
      const auth = Buffer.from(`${user(rng)}:${password(rng)}`).toString('base64');
      const registry = rng.pick([
        'https://index.docker.io/v1/',
        'registry.example.com',
        'ghcr.io',
        `${rng.digits(12)}.dkr.ecr.us-east-1.amazonaws.com`,
      ]);
      const forms = { 'docker-config': () => [`    "${registry}": {`, `      "auth": "${auth}"`, '    }'] };
      return [formItem({ kind: 'docker-config-auth', secret: true, value: auth, forms })];
    },
  },
  {
    // Passwords passed as command-line flags: mysql(1) -p, docker login -p, redis-cli -a, curl -u, …
    kind: 'cli-password-flag',
    count: 10,
    items(rng) {
      const pw = password(rng).replaceAll("'", '');
      const host = hostname(rng);
      const command = rng.pick([
        () => `mysql -h ${host} -u ${user(rng)} -p'${pw}' ${rng.pick(SERVICES)} < dump.sql`,
        () => `mysqldump --user=${user(rng)} --password='${pw}' ${rng.pick(SERVICES)} > backup.sql`,
        () => `docker login -u ${user(rng)} -p '${pw}' registry.example.com`,
        () => `redis-cli -h ${host} -a '${pw}' PING`,
        () => `curl -fsS -u ${user(rng)}:'${pw}' https://nexus.example.com/service/rest/v1/status`,
        () => `sshpass -p '${pw}' ssh deploy@${host} 'systemctl restart app'`,
        () => `mongosh "mongodb://${host}:27017" --username ${user(rng)} --password '${pw}'`,
        () => `./bin/server --db-password='${pw}' --port 8080`,
        () => `htpasswd -b -c .htpasswd ${user(rng)} '${pw}'`,
        () => `PGPASSWORD='${pw}' psql -h ${host} -U ${user(rng)} ${rng.pick(SERVICES)}`,
      ])();
      const forms = { sh: () => [command], md: () => [command], dockerfile: () => [`RUN ${command}`] };
      return [formItem({ kind: 'cli-password-flag', secret: true, value: pw, forms })];
    },
  },
];
