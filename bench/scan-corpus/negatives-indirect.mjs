/**
 * Negatives where a secret-like name holds no secret: placeholders and templates, environment lookups,
 * function calls, empty values, test-fixture words, references to a secret stored elsewhere, and settings
 * that only mention a secret in their name.
 */
import { formItem } from './doc.mjs';
import { negative } from './negative-item.mjs';
import { nameIn, SERVICES } from './vocab.mjs';

const SECRET_NAMES = [
  ['password'],
  ['db', 'password'],
  ['admin', 'password'],
  ['smtp', 'password'],
  ['pass'],
  ['api', 'key'],
  ['secret', 'key'],
  ['client', 'secret'],
  ['auth', 'token'],
  ['access', 'token'],
  ['token'],
];

/** Forms for code that reads a value from somewhere else; `expr(name)` is the right-hand side per syntax. */
function readForms(words, exprs) {
  const upper = nameIn('upper', words);
  const forms = {
    py: () => [`${upper} = ${exprs.py}`],
    js: () => [`const ${nameIn('camel', words)} = ${exprs.js};`],
    ts: () => [`const ${nameIn('camel', words)}: string | undefined = ${exprs.js};`],
    go: () => [`var ${nameIn('pascal', words)} = ${exprs.go}`],
    java: () => [`    private static final String ${upper} = ${exprs.java};`],
    rb: () => [`  ${upper} = ${exprs.rb}`],
    php: () => [`    '${nameIn('snake', words)}' => ${exprs.php},`],
    sh: () => [`export ${upper}="${exprs.sh}"`],
  };
  return forms;
}

export const INDIRECT_KINDS = [
  {
    kind: 'placeholder',
    count: 40,
    items(rng) {
      const words = rng.pick(SECRET_NAMES);
      const upper = nameIn('upper', words);
      const value = rng.pick([
        `\${${upper}}`,
        `{{ .Values.${nameIn('camel', words)} }}`,
        '<your-token>',
        'changeme',
        'xxxxxxxx',
        '********',
        'your_api_key_here',
        'REPLACE_ME',
        '<password>',
        `%${upper}%`,
        `\${{ secrets.${upper} }}`,
        'TODO',
        'insert-password-here',
        'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
        'ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
        'AKIAXXXXXXXXXXXXXXXX',
        `{{ vault "secret/data/${rng.pick(SERVICES)}" "${nameIn('snake', words)}" }}`,
      ]);
      return [negative('placeholder', words, value)];
    },
  },
  {
    kind: 'env-reference',
    count: 30,
    items(rng) {
      const words = rng.pick(SECRET_NAMES);
      const upper = nameIn('upper', words);
      const forms = readForms(words, {
        py: rng.pick([`os.environ["${upper}"]`, `os.getenv("${upper}")`, `os.environ.get("${upper}", "")`]),
        js: `process.env.${upper}`,
        go: `os.Getenv("${upper}")`,
        java: `System.getenv("${upper}")`,
        rb: `ENV.fetch('${upper}')`,
        php: `env('${upper}')`,
        sh: `\${${upper}:?${upper} must be set}`,
      });
      return [formItem({ kind: 'env-reference', secret: false, value: upper, forms })];
    },
  },
  {
    // Fallbacks that are no secret: empty, a local host, a port, a placeholder.
    kind: 'env-fallback-default',
    count: 20,
    items(rng) {
      const words = rng.pick(SECRET_NAMES);
      const upper = nameIn('upper', words);
      const fallback = rng.pick(['', 'localhost', '8080', 'changeme', `<${nameIn('kebab', words)}>`]);
      const forms = readForms(words, {
        py: `os.getenv("${upper}", "${fallback}")`,
        js: `process.env.${upper} || '${fallback}'`,
        sh: `\${${upper}:-${fallback}}`,
      });
      return [formItem({ kind: 'env-fallback-default', secret: false, value: upper, forms })];
    },
  },
  {
    kind: 'function-call',
    count: 25,
    items(rng) {
      const words = rng.pick(SECRET_NAMES);
      const key = `${rng.pick(SERVICES)}/${nameIn('kebab', words)}`;
      const forms = readForms(words, {
        py: rng.pick([
          'get_password()',
          `get_secret("${key}")`,
          `keyring.get_password("${rng.pick(SERVICES)}", "app")`,
        ]),
        js: rng.pick([`await secrets.get('${key}')`, 'getPassword()', `loadSecret('${key}')`]),
        go: `mustSecret("${key}")`,
        java: `SecretStore.get("${key}")`,
        rb: `Rails.application.credentials.dig(:${rng.pick(SERVICES)}, :${nameIn('snake', words)})`,
        php: `decrypt(config('${nameIn('snake', words)}_encrypted'))`,
        sh: `$(vault kv get -field=${nameIn('snake', words)} secret/${key})`,
      });
      return [formItem({ kind: 'function-call', secret: false, value: key, forms })];
    },
  },
  {
    kind: 'empty-value',
    count: 25,
    items: (rng) => [negative('empty-value', rng.pick(SECRET_NAMES), '')],
  },
  {
    kind: 'test-fixture-word',
    count: 25,
    items: (rng) => [
      negative(
        'test-fixture-word',
        rng.pick(SECRET_NAMES),
        rng.pick([
          'password',
          'test',
          'secret',
          'dummy',
          'fake',
          'example',
          'testpass',
          'not-a-real-secret',
          'foobar',
          'test-token',
        ]),
      ),
    ],
  },
  {
    kind: 'secret-reference',
    count: 20,
    items(rng) {
      const service = rng.pick(SERVICES);
      const forms = {
        k8s: () => [
          '        - name: DB_PASSWORD',
          '          valueFrom:',
          '            secretKeyRef:',
          `              name: ${service}-db`,
          '              key: password',
        ],
        hcl: (ctx) => [
          `${ctx.indent}password = data.aws_secretsmanager_secret_version.${service}.secret_string`,
        ],
        yaml: (ctx) => [
          `${ctx.indent}password_secret_arn: arn:aws:secretsmanager:us-east-1:${rng.digits(12)}:secret:prod/${service}-${rng.alnum(6)}`,
        ],
        env: () => ['DB_PASSWORD_FILE=/run/secrets/db_password'],
        json: (ctx) => [`${ctx.indent}"passwordSecretName": "${service}-db-password"`],
        sh: () => [`DB_PASSWORD="$(cat /run/secrets/db_password)"`],
        dockerfile: () => [
          'RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci',
        ],
      };
      return [formItem({ kind: 'secret-reference', secret: false, value: service, forms })];
    },
  },
  {
    kind: 'secret-word-in-key',
    count: 25,
    items(rng) {
      const [words, value] = rng.pick([
        [['password', 'min', 'length'], '12'],
        [['token', 'ttl', 'seconds'], '3600'],
        [['secret', 'rotation', 'days'], '90'],
        [['api', 'key', 'header'], 'X-Api-Key'],
        [['password', 'reset', 'url'], `https://${rng.pick(SERVICES)}.example.com/account/reset`],
        [['auth', 'token', 'expiry'], '15m'],
        [['password', 'hash', 'algorithm'], 'argon2id'],
        [['jwt', 'issuer'], 'https://auth.example.com/'],
        [['secret', 'name'], `${rng.pick(SERVICES)}-prod-credentials`],
        [['token', 'endpoint'], 'https://auth.example.com/oauth/token'],
      ]);
      return [negative('secret-word-in-key', words, value)];
    },
  },
];
