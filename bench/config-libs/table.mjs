/**
 * The benchmark's one config, shared by every library: 60 variables of mixed types, the valid environment
 * that fills all of them, the invalid inputs every library must reject, and the small parsers peers use
 * for the types they have no built-in for.
 *
 * Each adapter (stagecraft.mjs, envalid.mjs, t3-env.mjs, convict.mjs) builds its own native spec from
 * VARIABLES, so all four validate the same variables, with the same defaults and bounds, and must produce
 * the same typed values (config.mjs checks this before timing anything).
 *
 * Values are harmless placeholders: host names under example.com, no passwords, keys or tokens.
 */

/** `dbPoolSize` → `DB_POOL_SIZE`: the same rule stagecraft uses for flat field names. */
function toEnvName(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * One variable. `raw` is the text in the valid environment, `value` what it must load to. `options` holds
 * bounds (`min`, `max`) or `choices`; `fallback` is the default, as text (`raw`, validated like input by
 * stagecraft) and as the typed value (peers whose defaults are typed values).
 */
function variable(key, type, raw, value, options = {}, fallback = undefined) {
  return Object.freeze({ key, env: toEnvName(key), type, raw, value, options, fallback });
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

export const VARIABLES = Object.freeze([
  // Strings (10)
  variable('serviceName', 'string', 'shop-api', 'shop-api'),
  variable('region', 'string', 'eu-west-1', 'eu-west-1'),
  variable('dbHost', 'string', 'db.internal.example.com', 'db.internal.example.com'),
  variable('dbName', 'string', 'shop', 'shop'),
  variable('dbUser', 'string', 'shop_app', 'shop_app', {}, { raw: 'shop', value: 'shop' }),
  variable('cacheHost', 'string', 'cache.internal.example.com', 'cache.internal.example.com'),
  variable('smtpHost', 'string', 'smtp.example.com', 'smtp.example.com'),
  variable('mailFrom', 'string', 'shop@example.com', 'shop@example.com'),
  variable('instanceId', 'string', 'i-0abc123', 'i-0abc123', {}, { raw: 'local', value: 'local' }),
  variable('cookieDomain', 'string', '.example.com', '.example.com'),
  // Integers (8)
  variable('workerCount', 'int', '4', 4, { min: 1, max: 64 }),
  variable('maxRetries', 'int', '5', 5, { min: 0 }),
  variable('dbPoolSize', 'int', '20', 20, { min: 1 }, { raw: '10', value: 10 }),
  variable('queueConcurrency', 'int', '8', 8),
  variable('pageSize', 'int', '50', 50, { min: 1, max: 500 }),
  variable('rateLimitPerMinute', 'int', '600', 600, {}, { raw: '300', value: 300 }),
  variable('uploadConcurrency', 'int', '3', 3),
  variable('shardCount', 'int', '16', 16),
  // Numbers (5)
  variable('sampleRate', 'number', '0.25', 0.25, { min: 0, max: 1 }),
  variable('cpuThreshold', 'number', '0.8', 0.8),
  variable('priceMultiplier', 'number', '1.15', 1.15, {}, { raw: '1', value: 1 }),
  variable('backoffFactor', 'number', '2.5', 2.5),
  variable('taxRate', 'number', '0.2', 0.2),
  // Booleans (8): only spellings every library accepts (envalid's bool() is case-sensitive)
  variable('featureSearch', 'bool', 'true', true),
  variable('featureCheckout', 'bool', 'false', false),
  variable('debugSql', 'bool', '0', false),
  variable('trustProxy', 'bool', '1', true),
  variable('enableMetrics', 'bool', 'yes', true, {}, { raw: 'true', value: true }),
  variable('enableTracing', 'bool', 'no', false),
  variable('compressResponses', 'bool', 'on', true),
  variable('maintenanceMode', 'bool', 'off', false, {}, { raw: 'false', value: false }),
  // Ports (5)
  variable('httpPort', 'port', '8080', 8080),
  variable('dbPort', 'port', '6432', 6432, {}, { raw: '5432', value: 5432 }),
  variable('cachePort', 'port', '6379', 6379),
  variable('metricsPort', 'port', '9100', 9100, {}, { raw: '9464', value: 9464 }),
  variable('smtpPort', 'port', '587', 587),
  // URLs (6)
  variable('baseUrl', 'url', 'https://shop.example.com', 'https://shop.example.com'),
  variable('apiUrl', 'url', 'https://api.example.com/v1', 'https://api.example.com/v1'),
  variable('authUrl', 'url', 'https://auth.example.com/realms/shop', 'https://auth.example.com/realms/shop'),
  variable(
    'cdnUrl',
    'url',
    'https://cdn.example.com/assets/',
    'https://cdn.example.com/assets/',
    {},
    { raw: 'https://cdn.example.com/', value: 'https://cdn.example.com/' },
  ),
  variable(
    'webhookUrl',
    'url',
    'http://hooks.internal.example.com:8081/events',
    'http://hooks.internal.example.com:8081/events',
  ),
  variable('statusPageUrl', 'url', 'https://status.example.com', 'https://status.example.com'),
  // Enums (5)
  variable('logLevel', 'enum', 'warn', 'warn', { choices: LOG_LEVELS }, { raw: 'info', value: 'info' }),
  variable('nodeRole', 'enum', 'api', 'api', { choices: ['api', 'worker', 'scheduler'] }),
  variable('currency', 'enum', 'EUR', 'EUR', { choices: ['EUR', 'USD', 'GBP'] }),
  variable('storageDriver', 'enum', 's3', 's3', { choices: ['local', 's3', 'gcs'] }),
  variable(
    'sessionStore',
    'enum',
    'redis',
    'redis',
    { choices: ['memory', 'redis', 'postgres'] },
    { raw: 'memory', value: 'memory' },
  ),
  // JSON (3)
  variable('featureFlagsJson', 'json', '{"newCheckout":true,"searchV2":false}', {
    newCheckout: true,
    searchV2: false,
  }),
  variable('retryPolicy', 'json', '{"attempts":3,"backoffMs":[100,200,400]}', {
    attempts: 3,
    backoffMs: [100, 200, 400],
  }),
  variable('corsOrigins', 'json', '["https://shop.example.com","https://admin.example.com"]', [
    'https://shop.example.com',
    'https://admin.example.com',
  ]),
  // Lists, comma-separated (4)
  variable('allowedHosts', 'list', 'shop.example.com,api.example.com', [
    'shop.example.com',
    'api.example.com',
  ]),
  variable('supportedLocales', 'list', 'en,de,fr,nl', ['en', 'de', 'fr', 'nl']),
  variable('kafkaBrokers', 'list', 'kafka-1:9092,kafka-2:9092,kafka-3:9092', [
    'kafka-1:9092',
    'kafka-2:9092',
    'kafka-3:9092',
  ]),
  variable(
    'trustedProxies',
    'list',
    '10.0.0.1,10.0.0.2',
    ['10.0.0.1', '10.0.0.2'],
    {},
    { raw: '', value: [] },
  ),
  // Durations in milliseconds (4)
  variable('httpTimeout', 'duration', '15s', 15_000, {}, { raw: '10s', value: 10_000 }),
  variable('cacheTtl', 'duration', '5m', 300_000),
  variable('sessionTtl', 'duration', '1h30m', 5_400_000),
  variable('shutdownGrace', 'duration', '250ms', 250),
  // Byte sizes (2)
  variable('maxUploadSize', 'bytes', '16MB', 16_000_000, {}, { raw: '8MB', value: 8_000_000 }),
  variable('maxBodySize', 'bytes', '512KiB', 524_288),
]);

/** Every variable set: the environment each library loads in the timed loops. Frozen so no library mutates it. */
export const VALID_ENV = Object.freeze(Object.fromEntries(VARIABLES.map((v) => [v.env, v.raw])));

/**
 * Inputs every library must reject. Each changes one required variable of the valid environment (`raw`), or
 * removes it (`raw: undefined`), so a rejection can be checked to name that variable.
 */
export const INVALID_CASES = Object.freeze([
  { label: 'port "99999"', key: 'httpPort', raw: '99999' },
  { label: 'bool "ture"', key: 'featureSearch', raw: 'ture' },
  { label: 'int "4.0"', key: 'workerCount', raw: '4.0' },
  { label: 'int "" (empty)', key: 'shardCount', raw: '' },
  { label: 'int 99 above max 64', key: 'workerCount', raw: '99' },
  { label: 'number "abc"', key: 'cpuThreshold', raw: 'abc' },
  { label: 'url "not a url"', key: 'baseUrl', raw: 'not a url' },
  { label: 'enum "verbose" not in set', key: 'nodeRole', raw: 'verbose' },
  { label: 'json "{bad json"', key: 'featureFlagsJson', raw: '{bad json' },
  { label: 'duration "5 minutes"', key: 'cacheTtl', raw: '5 minutes' },
  { label: 'bytes "12XB"', key: 'maxBodySize', raw: '12XB' },
  { label: 'missing required string', key: 'dbHost', raw: undefined },
  { label: 'missing required port', key: 'smtpPort', raw: undefined },
]);

export function variableOf(key) {
  const found = VARIABLES.find((v) => v.key === key);
  if (!found) throw new Error(`no variable ${key} in the benchmark table`);
  return found;
}

/** The valid environment with one case applied. */
export function envFor(invalidCase) {
  const env = { ...VALID_ENV };
  const { env: name } = variableOf(invalidCase.key);
  if (invalidCase.raw === undefined) delete env[name];
  else env[name] = invalidCase.raw;
  return Object.freeze(env);
}

/** Thrown by peer adapters' error hooks (envalid reporter, t3-env onValidationError): names what failed. */
export class Rejected extends Error {
  constructor(names, message) {
    super(message);
    this.name = 'Rejected';
    this.names = names;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsers for peers, for the types they lack (strict integers, lists, durations, byte sizes). Each returns
// `undefined` for invalid input; the adapter turns that into its library's own error. They are what an app
// author would reasonably write by hand: simpler than stagecraft's parsers (no ISO 8601 durations, no
// fractional units, no JSON-array lists, less precise messages), so they favour the peers on speed.

const INT = /^[+-]?[0-9]+$/;

/** A whole number in decimal digits ("4.0", "1e3" and "" refused), within optional bounds. */
export function parseStrictInt(text, { min, max } = {}) {
  if (typeof text !== 'string' || !INT.test(text.trim())) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return undefined;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) return undefined;
  return value;
}

/** Comma-separated, each item trimmed; "" is the empty list. */
export function splitList(text) {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
}

const DURATION = /^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const DURATION_UNITS = [86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds from whole-number parts, largest first: "90s", "5m", "1h30m", "250ms". */
export function parseSimpleDuration(text) {
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text.trim());
  if (match === null || match[0] === '') return undefined;
  let ms = 0;
  for (let i = 0; i < DURATION_UNITS.length; i++) {
    if (match[i + 1] !== undefined) ms += Number(match[i + 1]) * DURATION_UNITS[i];
  }
  return ms;
}

const SIZE = /^([0-9]+)\s*([a-z]*)$/i;
const SIZE_UNITS = new Map([
  ['', 1],
  ['b', 1],
  ['kb', 1e3],
  ['mb', 1e6],
  ['gb', 1e9],
  ['kib', 1024],
  ['mib', 1024 ** 2],
  ['gib', 1024 ** 3],
]);

/** Bytes from a whole number and an optional unit: "512", "8MB" (SI), "64KiB" (binary). */
export function parseSimpleBytes(text) {
  if (typeof text !== 'string') return undefined;
  const match = SIZE.exec(text.trim());
  const unit = match && SIZE_UNITS.get(match[2].toLowerCase());
  return unit === undefined || unit === null ? undefined : Number(match[1]) * unit;
}

/** JSON text, or `undefined` when it does not parse. */
export function parseJsonText(text) {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
