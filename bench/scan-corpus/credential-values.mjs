/**
 * Credential values and the names they are assigned to, shared by the secret kinds and the negatives:
 * passwords people choose, machine-made secrets, and password-, key- and token-like variable names.
 */
import { BASE64URL } from './prng.mjs';
import { DB_USERS, FIRST_NAMES, SERVICES } from './vocab.mjs';

const WORDS = (
  'Summer Winter Spring Autumn Welcome Dragon Monkey Sunshine Football Shadow ' +
  'Coffee Tiger Purple Orange Falcon Rocket Harbor Maple Thunder Galaxy'
).split(' ');
const SYMBOLS = '!@#%&*?.-_+=';

/** Names as written in the corpus, `db_password` → `['db', 'password']`. */
function names(text) {
  return text.split(' ').map((name) => name.split('_'));
}

export const PASSWORD_NAMES = names(
  'password db_password database_password admin_password smtp_password redis_password mysql_root_password ' +
    'postgres_password keystore_password ldap_bind_password pass passwd pwd db_pass rabbitmq_password mail_password root_password',
);
export const SECRET_NAMES = names(
  'api_key apikey api_secret client_secret secret_key secret_key_base auth_token access_token webhook_secret ' +
    'signing_secret encryption_key session_secret jwt_secret app_secret private_token master_key token',
);

/** Every syntax with an assignment form: code, then configuration and docs. */
export const ASSIGN_SYNTAXES = [
  ...['py', 'js', 'ts', 'go', 'java', 'rb', 'php', 'sh'],
  ...['yaml', 'json', 'toml', 'hcl', 'env', 'ini', 'properties', 'xml'],
  ...['dockerfile', 'k8s', 'md', 'k8s-secret'],
];

/** A password a person would choose: `Summer2024!`, `Falcon#88`, `Adm1n!str4t0r`, `maple-rocket-harbor-7`. */
export function humanPassword(rng) {
  const word = rng.pick(WORDS);
  const symbol = rng.pick(SYMBOLS.split(''));
  return rng.pick([
    () => `${word}${rng.range(2015, 2026)}${symbol}`,
    () => `${word}${symbol}${rng.range(10, 999)}`,
    () => `${word.replace('a', '@').replace('o', '0').replace('e', '3')}${rng.range(1, 99)}${symbol}`,
    () => `${rng.pick(WORDS)}${word}${symbol}${rng.range(1, 99)}`,
    () => [word, rng.pick(WORDS), rng.pick(WORDS)].join('-').toLowerCase() + `-${rng.range(1, 9)}`,
    () => `${rng.pick(SERVICES).replace(/^./, (c) => c.toUpperCase())}${symbol}${rng.range(2019, 2026)}`,
  ])();
}

/** A machine-made secret: alphanumerics, base64, hex or with symbols. */
export function randomSecret(rng) {
  return rng.pick([
    () => rng.alnum(rng.range(16, 40)),
    () => rng.bytes(rng.pick([24, 32, 48])).toString('base64'),
    () => rng.hex(rng.pick([32, 48, 64])),
    () => rng.chars(`${BASE64URL}${SYMBOLS}`, rng.range(20, 32)),
  ])();
}

function _password(rng) {
  return rng.chance(0.6) ? humanPassword(rng) : randomSecret(rng).replaceAll('/', '_').replaceAll('+', '-');
}

/** A password of either sort, without the characters that would need escaping in a URI or shell. */
export function password(rng) {
  return rng.chance(0.6) ? humanPassword(rng) : randomSecret(rng).replaceAll('/', '_').replaceAll('+', '-');
}

export function user(rng) {
  return rng.pick([...DB_USERS, ...FIRST_NAMES]);
}
