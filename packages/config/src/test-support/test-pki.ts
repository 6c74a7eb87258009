/**
 * A certificate authority, a server certificate for 127.0.0.1 and a client certificate, made with the openssl
 * binary at test time (nothing credential-shaped is committed). Undefined when openssl is not installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENSSL_MISSING: string | false =
  spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'the openssl binary is not installed, so no test certificates can be made';

export interface TestPki {
  caFile: string;
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** Writes the files into `dir`; the client certificate's common name is `clientName`. */
export function makeTestPki(dir: string, clientName = 'ops'): TestPki {
  const days = ['-days', '1'];
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    ...days,
    '-subj',
    '/CN=test-ca',
  ]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  // A key and a certificate signed by the CA, as NAME.key and NAME.crt.
  const issue = (name: string, subject: string, extensions: string[] = []) => {
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      ...days,
      ...extensions,
    ]);
  };
  issue('server', '/CN=127.0.0.1', ['-extfile', 'server.ext']);
  issue('client', `/CN=${clientName}`);
  return {
    caFile: join(dir, 'ca.crt'),
    ca: readFileSync(join(dir, 'ca.crt')),
    serverCert: readFileSync(join(dir, 'server.crt')),
    serverKey: readFileSync(join(dir, 'server.key')),
    clientCert: readFileSync(join(dir, 'client.crt')),
    clientKey: readFileSync(join(dir, 'client.key')),
  };
}
