/**
 * Words and ordinary (non-secret) settings that make corpus files look like a repository's: service names,
 * hosts, the normal keys a config file holds around its credentials.
 */

export const SERVICES = [
  'billing',
  'checkout',
  'catalog',
  'inventory',
  'notifier',
  'gateway',
  'search',
  'auth',
  'reporting',
  'shipping',
  'payments',
  'accounts',
  'ledger',
  'media',
  'scheduler',
  'webhooks',
];
export const NOUNS = [
  'order',
  'invoice',
  'customer',
  'product',
  'cart',
  'session',
  'report',
  'shipment',
  'payment',
  'account',
  'event',
  'message',
  'user',
  'tenant',
  'upload',
  'price',
  'refund',
  'coupon',
];
export const VERBS = [
  'load',
  'fetch',
  'build',
  'parse',
  'send',
  'sync',
  'render',
  'update',
  'create',
  'list',
];
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
export const FIRST_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
];
export const DB_USERS = ['app', 'admin', 'postgres', 'root', 'svc_billing', 'reporting', 'web', 'deploy'];

/** A hostname of a kind a config points at; never a real service. */
export function hostname(rng) {
  return rng.pick([
    () => `${rng.pick(SERVICES)}-db.internal`,
    () => `${rng.pick(SERVICES)}.${rng.pick(['prod', 'staging', 'dev'])}.corp.example.com`,
    () => `db-${rng.int(9) + 1}.${rng.pick(REGIONS)}.rds.example.net`,
    () => `${rng.pick(SERVICES)}-cache.svc.cluster.local`,
    () => `10.${rng.int(255)}.${rng.int(255)}.${rng.int(254) + 1}`,
  ])();
}

/**
 * An ordinary setting around credentials: `[words, value]` with a low-entropy value. With `used` (the names
 * a file already has), a name not in it when one can be found, so a config file has no duplicate keys.
 */
export function setting(rng, used) {
  for (let attempt = 0; ; attempt++) {
    const [base, value] = anySetting(rng);
    // Once the common names are taken, qualify one with a noun: `order_timeout_ms`. Bug fix (found when the
    // speed corpus hung): very long files used up every noun-qualified name too and looped forever, so past
    // 40 tries a number joins the noun (`order_7_timeout_ms`), which always ends.
    const qualifier = attempt < 40 ? [rng.pick(NOUNS)] : [rng.pick(NOUNS), String(attempt)];
    const words = attempt < 12 ? base : [...qualifier, ...base];
    const key = words.join('_');
    if (!used?.has(key)) {
      used?.add(key);
      return [words, value];
    }
  }
}

function anySetting(rng) {
  return rng.pick([
    () => [['log', 'level'], rng.pick(['info', 'debug', 'warn', 'error'])],
    () => [['port'], 1024 + rng.int(60000)],
    () => [['host'], hostname(rng)],
    () => [['timeout', 'ms'], rng.pick([500, 1000, 2500, 5000, 30000])],
    () => [['enable', rng.pick(['cache', 'metrics', 'tracing', 'retries', 'compression'])], rng.chance(0.5)],
    () => [['region'], rng.pick(REGIONS)],
    () => [['bucket', 'name'], `${rng.pick(SERVICES)}-${rng.pick(['assets', 'exports', 'backups', 'logs'])}`],
    () => [['max', 'connections'], rng.pick([10, 20, 50, 100, 200])],
    () => [['service', 'name'], rng.pick(SERVICES)],
    () => [['base', 'url'], `https://${rng.pick(SERVICES)}.example.com/api/v${rng.int(3) + 1}`],
    () => [['retry', 'count'], rng.int(6)],
    () => [['environment'], rng.pick(['production', 'staging', 'development'])],
    () => [['database', 'name'], `${rng.pick(SERVICES)}_${rng.pick(['prod', 'db', 'main'])}`],
    () => [['username'], rng.pick(DB_USERS)],
    () => [['from', 'address'], `noreply@${rng.pick(SERVICES)}.example.com`],
    () => [['pool', 'size'], rng.pick([5, 10, 25])],
    () => [['cache', 'ttl', 'seconds'], rng.pick([60, 300, 3600, 86400])],
    () => [['queue', 'name'], `${rng.pick(NOUNS)}-${rng.pick(['events', 'jobs', 'dlq'])}`],
    () => [['page', 'size'], rng.pick([20, 50, 100])],
    () => [['locale'], rng.pick(['en-US', 'de-DE', 'fr-FR', 'ja-JP'])],
    () => [['image', 'tag'], `${rng.int(4)}.${rng.int(20)}.${rng.int(10)}`],
    () => [['sentry', 'environment'], rng.pick(['production', 'staging'])],
    () => [['smtp', 'host'], `smtp.${rng.pick(['mailgun.org', 'sendgrid.net', 'example.com'])}`],
    () => [['ssl', 'mode'], rng.pick(['require', 'verify-full', 'disable'])],
  ])();
}

export function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A name in the style a syntax uses, from its words. */
export function nameIn(style, words) {
  switch (style) {
    case 'snake':
      return words.join('_');
    case 'upper':
      return words.join('_').toUpperCase();
    case 'camel':
      return words[0] + words.slice(1).map(capitalize).join('');
    case 'pascal':
      return words.map(capitalize).join('');
    case 'kebab':
      return words.join('-');
    case 'dotted':
      return words.join('.');
    default:
      throw new Error(`unknown name style ${style}`);
  }
}

/** An identifier for filler code: `loadOrder`, `sync_invoice`, … */
export function identifier(rng, style = 'camel') {
  return nameIn(style, [rng.pick(VERBS), rng.pick(NOUNS)]);
}
