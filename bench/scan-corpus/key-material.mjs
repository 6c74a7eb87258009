/**
 * Real key material: private keys, public keys and certificates made by node:crypto, ssh-keygen, gpg and
 * openssl. These come from the system's random source, not the seed (none of those tools takes one), so a
 * key's bytes differ between runs while its place, kind and (for a given key type) line count stay the same.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function pemLines(pem) {
  return pem.trim().split('\n');
}

function sshString(buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(buffer.length);
  return Buffer.concat([length, buffer]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the top bit is set. */
function sshMpint(base64url) {
  let bytes = Buffer.from(base64url, 'base64url');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Key makers. `notes` receives one line per kind that cannot be made here (no ssh-keygen, gpg or openssl),
 * and that kind's maker is then `null`.
 */
export function createKeyMaterial(notes) {
  const scratch = mkdtempSync(join(tmpdir(), 'scan-corpus-keys-'));
  let sshCount = 0;
  let gpgHome = null;

  const material = {
    /** RFC 8017 RSAPrivateKey, PEM "RSA PRIVATE KEY" (PKCS#1). */
    rsaPkcs1: () =>
      pemLines(
        generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        }).privateKey,
      ),
    /** RFC 5208 PrivateKeyInfo, PEM "PRIVATE KEY" (PKCS#8), of an RSA, P-256 or Ed25519 key. */
    pkcs8: (rng) => {
      const type = rng.pick(['rsa', 'rsa', 'ec', 'ed25519']);
      const options =
        type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: 'prime256v1' } : {};
      return pemLines(
        generateKeyPairSync(type, { ...options, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
          .privateKey,
      );
    },
    /** An RSA key as PKCS#8, the form GCP and Firebase key files carry. */
    pkcs8Rsa: () =>
      pemLines(
        generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        }).privateKey,
      ),
    /** RFC 5915 ECPrivateKey, PEM "EC PRIVATE KEY" (SEC1). */
    ecSec1: (rng) =>
      pemLines(
        generateKeyPairSync('ec', {
          namedCurve: rng.pick(['prime256v1', 'secp384r1']),
          privateKeyEncoding: { type: 'sec1', format: 'pem' },
        }).privateKey,
      ),
    /** PEM "PUBLIC KEY" (SPKI): not a secret. */
    publicPem: (rng) => {
      const type = rng.pick(['rsa', 'ec']);
      const options = type === 'rsa' ? { modulusLength: 2048 } : { namedCurve: 'prime256v1' };
      return pemLines(
        generateKeyPairSync(type, { ...options, publicKeyEncoding: { type: 'spki', format: 'pem' } })
          .publicKey,
      );
    },
    /** An OpenSSH public key line (RFC 4253 §6.6 wire format): not a secret. */
    sshPublic: (rng) => {
      const comment = `${rng.pick(['deploy', 'ci', 'alice', 'bob', 'backup'])}@${rng.pick(['laptop', 'bastion', 'runner-3'])}`;
      if (rng.chance(0.5)) {
        const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
        const blob = Buffer.concat([
          sshString(Buffer.from('ssh-ed25519')),
          sshString(Buffer.from(x, 'base64url')),
        ]);
        return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
      }
      const { n, e } = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
        format: 'jwk',
      });
      const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(e), sshMpint(n)]);
      return `ssh-rsa ${blob.toString('base64')} ${comment}`;
    },
    /** OpenSSH's own private key format (openssh-portable PROTOCOL.key), made by ssh-keygen. */
    openssh: hasCommand('ssh-keygen')
      ? () => {
          const file = join(scratch, `id_${sshCount++}`);
          execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deploy@ci', '-f', file]);
          return pemLines(readFileSync(file, 'utf8'));
        }
      : null,
    /** An RFC 4880 armored secret key block, made by gpg in a throw-away home. */
    pgp: hasCommand('gpg')
      ? (rng) => {
          gpgHome ??= mkdtempSync(join(scratch, 'gnupg-'));
          const uid = `${rng.pick(['Release', 'Backup', 'Packages'])} Signing <release-${rng.hex(6)}@example.invalid>`;
          const gpg = ['--homedir', gpgHome, '--batch', '--pinentry-mode', 'loopback', '--passphrase', ''];
          execFileSync('gpg', [...gpg, '--quick-gen-key', uid, 'ed25519', 'default', 'never'], {
            stdio: 'ignore',
          });
          const armored = execFileSync('gpg', [...gpg, '--armor', '--export-secret-keys', uid], {
            encoding: 'utf8',
          });
          return pemLines(armored);
        }
      : null,
    /** A self-signed X.509 certificate from openssl: not a secret. */
    certificate: hasCommand('openssl')
      ? (rng) => {
          const subject = `/CN=${rng.pick(['api', 'billing', 'internal'])}.example.com`;
          const days = String(rng.range(30, 825));
          const pem = execFileSync(
            'openssl',
            [
              'req',
              '-x509',
              '-newkey',
              'ec',
              '-pkeyopt',
              'ec_paramgen_curve:P-256',
              '-nodes',
              '-keyout',
              '/dev/null',
              '-subj',
              subject,
              '-days',
              days,
            ],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
          );
          return pemLines(pem);
        }
      : null,
    dispose() {
      if (gpgHome) spawnSync('gpgconf', ['--homedir', gpgHome, '--kill', 'gpg-agent'], { stdio: 'ignore' });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  if (!material.openssh) notes.push('ssh-keygen is not installed: no OpenSSH private keys in the corpus');
  if (!material.pgp) notes.push('gpg is not installed: no PGP private key blocks in the corpus');
  if (!material.certificate) notes.push('openssl is not installed: no certificates among the negatives');
  return material;
}
