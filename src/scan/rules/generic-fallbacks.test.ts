/**
 * Literals that stand in for an unset variable (`process.env.X || "…"`, `os.getenv("X", "…")`, `${X:-…}`)
 * and Java .properties values are generic findings when the variable's name says password or secret and the
 * literal passes the same value checks as any assignment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanEngine } from '../engine.ts';
import { revealSecret } from '../finding.ts';
import { Gen } from './gen.ts';
import { genericRules } from './generic.ts';

const engine = new ScanEngine(genericRules);
const gen = new Gen(20);
const password = `${gen.pick(['Harbor', 'Falcon'])}${gen.int(1990, 2030)}!${gen.alnum(4)}`;
const token = gen.alnum(32);

function scan(text: string, path: string): { rule: string; secret: string | undefined }[] {
  return engine.scan(text, path).map((finding) => ({ rule: finding.rule, secret: revealSecret(finding) }));
}

test('a fallback literal in JavaScript is reported under its variable name', () => {
  assert.deepEqual(scan(`const dbPassword = process.env.DB_PASSWORD || "${password}";`, 'src/db.js'), [
    { rule: 'generic-password', secret: password },
  ]);
  assert.deepEqual(scan(`  apiKey: process.env['API_KEY'] ?? '${token}',`, 'src/config.ts'), [
    { rule: 'generic-secret', secret: token },
  ]);
  assert.deepEqual(scan(`db.connect(process.env.DB_PASS || \`${password}\`)`, 'src/db.mjs'), [
    { rule: 'generic-password', secret: password },
  ]);
});

test('a default in os.getenv, os.environ.get and ENV.fetch is reported', () => {
  assert.deepEqual(scan(`connect(password=os.getenv("DB_PASSWORD", "${password}"))`, 'app/db.py'), [
    { rule: 'generic-password', secret: password },
  ]);
  assert.deepEqual(scan(`key = os.environ.get('API_KEY', default='${token}')`, 'app/settings.py'), [
    { rule: 'generic-secret', secret: token },
  ]);
  assert.deepEqual(scan(`secret = ENV.fetch("APP_SECRET", "${token}")`, 'config/app.rb'), [
    { rule: 'generic-secret', secret: token },
  ]);
});

test('a ${X:-default} in shell scripts, Dockerfiles and compose files is reported', () => {
  assert.deepEqual(scan(`PGPASSWORD="\${PGPASSWORD:-${password}}" psql -h db`, 'scripts/restore.sh'), [
    { rule: 'generic-password', secret: password },
  ]);
  assert.deepEqual(scan(`ENV API_TOKEN=\${API_TOKEN:-${token}}`, 'Dockerfile'), [
    { rule: 'generic-secret', secret: token },
  ]);
  const compose = `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-${password}}\n`;
  assert.deepEqual(scan(compose, 'docker-compose.yml'), [{ rule: 'generic-password', secret: password }]);
});

test('fallbacks that are empty, local, numeric, placeholders or references are not findings', () => {
  const quiet = [
    ["const password = process.env.DB_PASSWORD || '';", 'src/db.js'],
    ["const host = process.env.DB_HOST || 'localhost';", 'src/db.js'],
    ["const password = process.env.DB_PASSWORD || 'changeme';", 'src/db.js'],
    ['PASSWORD = os.getenv("PASSWORD", "localhost")', 'app/report.py'],
    ['export ADMIN_PASSWORD="${ADMIN_PASSWORD:-127.0.0.1:5432}"', 'run.sh'],
    ["const token = process.env.API_TOKEN ?? 'development-token';", 'src/api.ts'],
    [`const id = process.env.CLIENT_ID || '${token}';`, 'src/auth.ts'],
    ['PORT=${PORT:-8080}', 'run.sh'],
    ['DB_PASSWORD=${DB_PASSWORD:-${DEFAULT_DB_PASSWORD}}', 'run.sh'],
    ['      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-<password>}', 'compose.yaml'],
    ['      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}', 'compose.yaml'],
    ['db_password: "${DB_PASSWORD:-fallback}"', 'config/base.yaml'],
    ['password = os.getenv("DB_PASSWORD", "<your-password>")', 'app/db.py'],
    ['secret = os.getenv("APP_SECRET", None)', 'app/settings.py'],
  ];
  for (const [text, path] of quiet) assert.deepEqual(scan(text as string, path as string), [], text);
});

test(".properties values are read in each of the format's three separators", () => {
  const file = [
    '# database',
    `spring.datasource.password=${password}`,
    `mail.smtp.password = ${password}x`,
    `api.secret:${token}`,
    `app.token ${token}Z`,
    'spring.datasource.username=app',
    'server.ssl.key-store-password=${KEYSTORE_PASSWORD}',
  ].join('\n');
  assert.deepEqual(
    scan(file, 'src/main/resources/application.properties').map((finding) => finding.secret),
    [password, `${password}x`, token, `${token}Z`],
  );
  // Outside a .properties file a bare `key value` line is prose, not an assignment.
  assert.deepEqual(scan(`app.token ${token}Z`, 'notes.txt'), []);
});
