/**
 * Private keys and key-like credentials: PEM private keys of every common encoding (also escaped inside
 * JSON and .env values), OpenSSH and PGP private keys, GCP service-account key files and signed JWTs. A kind
 * is `{ kind, count, items(rng, keys) → items }`; `keys` makes the key material (key-material.mjs).
 */
import { createHmac } from 'node:crypto';
import { blockItem, formItem, valueItem } from './doc.mjs';
import { FIRST_NAMES, SERVICES } from './vocab.mjs';

const KEY_NAMES = [
  ['private', 'key'],
  ['tls', 'key'],
  ['signing', 'key'],
  ['jwt', 'private', 'key'],
  ['ssl', 'key'],
];
/** Where a PEM key is planted: mostly key files, also block values in code and config. */
const KEY_SYNTAXES = 'pem pem pem yaml py js ts go java rb php toml hcl xml md'.split(' ');

function keyKind(kind, count, make, syntaxes = KEY_SYNTAXES) {
  return {
    kind,
    count,
    items: (rng, keys) => {
      const maker = make(keys);
      if (!maker) return [];
      return [blockItem({ kind, secret: true, words: rng.pick(KEY_NAMES), lines: maker(rng), syntaxes })];
    },
  };
}

export const KEY_KINDS = [
  {
    // https://cloud.google.com/iam/docs/keys-create-delete#creating (the JSON key file) and
    // https://google.aip.dev/auth/4112 (its fields). The whole file is one credential: one truth entry.
    kind: 'gcp-service-account',
    count: 5,
    items(rng, keys) {
      const project = `acme-${rng.pick(SERVICES)}-${rng.pick(['prod', 'staging'])}`;
      const account = `${rng.pick(SERVICES)}-${rng.pick(['ci', 'runner', 'exporter'])}`;
      const json = {
        type: 'service_account',
        project_id: project,
        private_key_id: rng.hex(40),
        private_key: `${keys.pkcs8Rsa().join('\n')}\n`,
        client_email: `${account}@${project}.iam.gserviceaccount.com`,
        client_id: rng.digits(21),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${account}%40${project}.iam.gserviceaccount.com`,
        universe_domain: 'googleapis.com',
      };
      const oneLine = JSON.stringify(json);
      const forms = { 'gcp-json': () => JSON.stringify(json, null, 2).split('\n') };
      if (rng.chance(0.3)) {
        delete forms['gcp-json'];
        forms.env = () => [`GOOGLE_APPLICATION_CREDENTIALS_JSON='${oneLine}'`];
        forms.yaml = (ctx) => [`${ctx.indent}google_credentials: '${oneLine}'`];
      }
      return [formItem({ kind: 'gcp-service-account', secret: true, value: json.private_key_id, forms })];
    },
  },
  // RFC 8017 appendix A.1.2 / RFC 7468 §2: "RSA PRIVATE KEY".
  keyKind('private-key-rsa', 8, (keys) => keys.rsaPkcs1),
  // RFC 5208 / RFC 7468 §10: "PRIVATE KEY".
  keyKind('private-key-pkcs8', 8, (keys) => keys.pkcs8),
  // RFC 5915 §3: "EC PRIVATE KEY".
  keyKind('private-key-ec', 6, (keys) => keys.ecSec1),
  // https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key
  keyKind('private-key-openssh', 5, (keys) => keys.openssh, ['ssh-key', 'ssh-key', 'yaml', 'hcl', 'md']),
  // RFC 4880 §6.2: "PGP PRIVATE KEY BLOCK".
  keyKind('private-key-pgp', 4, (keys) => keys.pgp, ['pgp-key', 'pgp-key', 'yaml', 'md']),
  // A PKCS#8 key as a JSON string or a quoted .env value, newlines escaped as \n.
  keyKind('private-key-escaped', 6, (keys) => keys.pkcs8Rsa, ['json', 'json', 'env']),
  {
    // RFC 7519 (JWT) and RFC 7515 §A.1 (HS256 signature): header.payload.signature, base64url.
    kind: 'jwt',
    count: 8,
    items(rng) {
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const iat = 1_700_000_000 + rng.int(60_000_000);
      const claims = {
        sub: rng.uuid(),
        name: rng.pick(FIRST_NAMES),
        role: rng.pick(['admin', 'service', 'user']),
        iat,
        exp: iat + 31_536_000,
      };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signature = createHmac('sha256', rng.bytes(32))
        .update(`${header}.${payload}`)
        .digest('base64url');
      const words = rng.pick([
        ['access', 'token'],
        ['auth', 'token'],
        ['api', 'jwt'],
        ['service', 'token'],
        ['session', 'token'],
      ]);
      return [valueItem({ kind: 'jwt', secret: true, words, value: `${header}.${payload}.${signature}` })];
    },
  },
];
