/**
 * Credentials in no vendor's format: passwords in database connection strings and in URLs, HTTP Basic and
 * Bearer `Authorization` values, and JWTs. Each is judged by its structure (a URL's userinfo, base64 that
 * decodes to `user:password`, a JWT whose parts decode to JSON) and never when the value is a placeholder.
 */
import { createHmac } from 'node:crypto';
import {
  DB_SCHEME,
  findConnectionPasswords,
  isBasicCredentials,
  isRealPassword,
  isSignedJwt,
  NOT_EXAMPLE_HOST,
  PASSWORD,
  USER,
} from './_credential-parse.ts';
import type { Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

// --------------------------------------------------------------------------------------------- samples

const DB_HOSTS = [
  'db.internal',
  'prod-db-1.corp.lan',
  '10.0.12.7',
  'cluster0.a1b2c.mongodb.net',
  'mq.service.consul',
];

/** A password as people choose them for services: random, sometimes with a percent-encoded symbol. */
function password(gen: Gen): string {
  return gen.next() < 0.3 ? `${gen.alnum(8)}%40${gen.alnum(6)}` : gen.alnum(gen.int(12, 24));
}

function connectionString(gen: Gen, secret: string): string {
  const user = `${gen.lower(5)}_${gen.pick(['app', 'svc', 'rw'])}`;
  const host = gen.pick(DB_HOSTS);
  switch (gen.int(0, 8)) {
    case 0:
      return `DATABASE_URL=postgres://${user}:${secret}@${host}:5432/${gen.lower(6)}?sslmode=require`;
    case 1:
      return `SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://${user}:${secret}@${host}/${gen.lower(6)}"`;
    case 2:
      return `MONGO_URI="mongodb+srv://${user}:${secret}@${host}/${gen.lower(6)}?retryWrites=true&w=majority"`;
    case 3:
      return `REDIS_URL=rediss://:${secret}@${host}:6380/0`;
    case 4:
      return `url: amqps://${user}:${secret}@${host}:5671/${gen.lower(4)}`;
    case 5:
      return `"Default": "Server=tcp:${host},1433;Initial Catalog=${gen.lower(6)};User ID=${user};Password=${secret};Encrypt=True;"`;
    case 6:
      return `spring.datasource.url=jdbc:mysql://${host}:3306/${gen.lower(6)}?user=${user}&password=${secret}&useSSL=true`;
    case 7:
      return `jdbc:sqlserver://${host}:1433;databaseName=${gen.lower(6)};user=${user};password=${secret};`;
    default:
      return `conninfo = "host=${host} port=5432 dbname=${gen.lower(6)} user=${user} password=${secret}"`;
  }
}

/** A JWT signed with HMAC over generated claims (RFC 7519 §3.1, RFC 7515 §3.1). */
function jwt(gen: Gen, options: { alg?: string; signatureBytes?: number } = {}): string {
  const alg = options.alg ?? gen.pick(['HS256', 'HS384', 'HS512']);
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = 1_700_000_000 + gen.int(0, 50_000_000);
  const header = encode({ alg, typ: 'JWT' });
  const payload = encode({
    sub: gen.uuid(),
    iss: `https://auth.${gen.lower(8)}.io`,
    iat: now,
    exp: now + 3600,
    scope: 'read write',
  });
  if (alg === 'none') return `${header}.${payload}.`;
  const hash = `sha${alg.slice(2)}`;
  const signature = createHmac(hash, gen.bytes(32)).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${signature.subarray(0, options.signatureBytes ?? signature.length).toString('base64url')}`;
}

// Pieces of jwt.io's example token (signed with `your-256-bit-secret`), kept apart so no scanner flags this file.
const JWT_IO_EXAMPLE = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');

export const credentialsRules: RuleSpec[] = [
  {
    id: 'database-connection-string',
    description: 'Password in a database or message-broker connection string',
    category: 'database',
    keywords: [
      'postgres',
      'mysql',
      'mariadb',
      'mongodb',
      'redis',
      'amqp',
      'mssql',
      'sqlserver',
      'jdbc:',
      'password=',
      'pwd=',
    ],
    detect: findConnectionPasswords,
    validate: isRealPassword,
    // MongoDB's manual uses this password in every example URI.
    documentedExamples: ['D1fficultP%40ssw0rd'],
    // Also: mongodb.com/docs/manual/reference/connection-string/, dev.mysql.com (connecting using URI-like
    // strings), rabbitmq.com/docs/uri-spec, iana.org/assignments/uri-schemes/prov/redis, and for SqlClient
    // learn.microsoft.com/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring.
    docs: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING',
    samples: {
      positive: (gen) => connectionString(gen, password(gen)),
      // A templated or placeholder password, no password, or the local `user:user` default.
      negative: (gen) => {
        const kind = gen.int(0, 3);
        if (kind === 0)
          return connectionString(gen, gen.pick(['${DB_PASSWORD}', 'password', 'xxx', '%24%7BDB_PASS%7D']));
        if (kind === 1)
          return `DATABASE_URL=postgres://${gen.lower(6)}@${gen.pick(DB_HOSTS)}:5432/${gen.lower(6)}`;
        if (kind === 2) return `REDIS_URL=redis://${gen.pick(DB_HOSTS)}:6379/0 # password: <password>`;
        const user = gen.pick(['postgres', 'guest', 'root']);
        return `url: ${gen.pick(['postgres', 'amqp', 'mysql'])}://${user}:${user}@localhost/${gen.lower(4)}`;
      },
    },
  },
  {
    id: 'basic-auth-url',
    description: 'Password in a URL (user:password@host)',
    category: 'auth',
    keywords: ['://'],
    // Database schemes are left to database-connection-string, so one password is one finding.
    // Anchored on the literal `://` (then the scheme is checked behind it): a leading scheme class would be
    // tried at every character of every line that holds a URL.
    pattern: new RegExp(
      String.raw`://(?<=(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,24}://)(?<!(?<![A-Za-z0-9+.-])${DB_SCHEME})(?<user>${USER}):(?!\k<user>@)(?<secret>${PASSWORD})@${NOT_EXAMPLE_HOST}(?=[a-z0-9\[])`,
      'i',
    ),
    validate: isRealPassword,
    docs: 'https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1',
    samples: {
      positive: (gen) => {
        const secret = password(gen);
        const user = gen.pick(['deploy', 'ci-bot', `${gen.lower(6)}`, 'x-access-token']);
        const host = gen.pick([
          'git.corp.lan',
          'github.com',
          'files.internal',
          'registry.npmjs.org',
          '192.168.4.20',
        ]);
        return gen.pick([
          `git clone https://${user}:${secret}@${host}/${gen.lower(6)}/${gen.lower(8)}.git`,
          `ARTIFACT_URL=ftp://${user}:${secret}@${host}/releases/`,
          `"repository": "git+https://${user}:${secret}@${host}/${gen.lower(6)}.git"`,
          `proxy = http://${user}:${secret}@${host}:3128`,
        ]);
      },
      // A user without a password, a port, a template, a placeholder password.
      negative: (gen) =>
        gen.pick([
          `git clone https://${gen.lower(6)}@github.com/${gen.lower(6)}/${gen.lower(6)}.git`,
          `api: https://${gen.lower(8)}.corp.lan:8443/v1/status`,
          `url = "https://${gen.lower(6)}:\${GIT_TOKEN}@git.corp.lan/repo.git"`,
          `see https://${gen.lower(6)}:<password>@www.example.com/docs`,
          `ssh://git@${gen.lower(6)}.corp.lan:2222/${gen.lower(6)}.git`,
        ]),
    },
  },
  {
    id: 'basic-auth-credentials',
    description: 'HTTP Basic credentials (base64 user:password)',
    category: 'auth',
    keywords: ['basic '],
    pattern: /(?<![A-Za-z0-9_-])basic\s{1,4}(?<secret>[A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/i,
    validate: isBasicCredentials,
    // RFC 7617 §2's example (Aladdin:open sesame) and RFC 6749 §2.3.1's client credentials.
    documentedExamples: ['QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'czZCaGRSa3F0MzpnWDFmQmF0M2JW'],
    docs: 'https://www.rfc-editor.org/rfc/rfc7617#section-2',
    samples: {
      positive: (gen) => {
        const pair = gen.next() < 0.2 ? `:${gen.alnum(52)}` : `${gen.lower(7)}:${password(gen)}`;
        const encoded = Buffer.from(pair).toString('base64');
        return gen.pick([
          `Authorization: Basic ${encoded}`,
          `curl -H "Authorization: Basic ${encoded}" https://api.corp.lan/v2/items`,
          `proxy_set_header Authorization "Basic ${encoded}";`,
        ]);
      },
      // Base64 that is not `user:password`, a documentation pair, a value built at run time.
      negative: (gen) =>
        gen.pick([
          `Authorization: Basic ${Buffer.from(gen.alnum(24)).toString('base64')}`,
          `Authorization: Basic ${Buffer.from('user:password').toString('base64')}`,
          'headers["Authorization"] = "Basic " + btoa(`${user}:${pass}`)',
          `WWW-Authenticate: Basic realm="${gen.lower(8)}", charset="UTF-8"`,
        ]),
    },
  },
  {
    id: 'authorization-bearer',
    description: 'Bearer token in an Authorization header',
    category: 'auth',
    keywords: ['bearer'],
    // RFC 6750 §2.1 b64token. JWTs are left to the jwt rule, which can check them.
    pattern:
      /(?<![A-Za-z0-9_-])bearer\s{1,4}(?!eyJ[A-Za-z0-9_-]{1,4096}\.e[wy])(?<secret>[A-Za-z0-9\-._~+/]{20,1024}={0,4})(?![A-Za-z0-9\-._~+/=])/i,
    minEntropy: 3,
    docs: 'https://www.rfc-editor.org/rfc/rfc6750#section-2.1',
    samples: {
      positive: (gen) => {
        const token = gen.pick([
          gen.base64url(43),
          gen.alnum(32),
          gen.hex(40),
          `${gen.alnum(24)}.${gen.alnum(16)}`,
        ]);
        return gen.pick([
          `curl -H "Authorization: Bearer ${token}" https://api.corp.lan/v1/me`,
          `Authorization: Bearer ${token}`,
          `headers: { Authorization: 'Bearer ${token}' },`,
          `requests.get(url, headers={"Authorization": "Bearer ${token}"})`,
        ]);
      },
      // Tokens added at run time, templates, placeholders, too short to be a credential.
      negative: (gen) =>
        gen.pick([
          'headers = {"Authorization": "Bearer " + token}',
          'curl -H "Authorization: Bearer ${API_TOKEN}" https://api.corp.lan',
          'Authorization: Bearer <access_token>',
          'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
          `Authorization: Bearer ${gen.alnum(12)}`,
        ]),
    },
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (signed)',
    category: 'auth',
    keywords: ['eyj'],
    // Header `{"…`, payload `{"…` or `{ …`, and a signature: unsigned (`alg: none`) tokens are not reported.
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,4096}\.e[wy][A-Za-z0-9_-]{4,16384}\.[A-Za-z0-9_-]{16,2048})(?![A-Za-z0-9_-])/,
    validate: isSignedJwt,
    documentedExamples: [JWT_IO_EXAMPLE],
    docs: 'https://www.rfc-editor.org/rfc/rfc7519#section-3',
    samples: {
      positive: (gen) => {
        const token = jwt(gen);
        return gen.pick([
          `Authorization: Bearer ${token}`,
          `SESSION_TOKEN=${token}`,
          `const token = "${token}";`,
          `{"id_token": "${token}"}`,
        ]);
      },
      // Unsigned, signature cut short, a header that is not JSON.
      negative: (gen) =>
        gen.pick([
          `token: ${jwt(gen, { alg: 'none' })}${gen.base64url(22)}`,
          `token: ${jwt(gen, { alg: 'HS256', signatureBytes: 20 })}`,
          `token: eyJ${gen.base64url(30)}.${jwt(gen).split('.').slice(1).join('.')}`,
        ]),
    },
  },
];
