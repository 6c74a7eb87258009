/**
 * SSH private key files: OpenSSH's own format (PROTOCOL.key) and PuTTY's PPK. Both are built from SSH wire
 * strings (RFC 4251 §5), so a fake body fails as soon as a length points past the data.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64, readArmor, SshReader } from './_key-parse.ts';

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/**
 * `-----BEGIN OPENSSH PRIVATE KEY-----`: the header (cipher, KDF and its options, key count, public keys)
 * must parse; an unencrypted key must also have matching check integers and key types in its private list,
 * and an Ed25519 key's private half must end with its public half.
 * https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key
 */
export function isOpensshPrivateKey(block: string): boolean {
  const armor = readArmor(block);
  if (armor?.label !== 'OPENSSH PRIVATE KEY' || armor.headers.size > 0 || armor.checksum !== undefined)
    return false;
  const bytes = decodeBase64(armor.body);
  if (!bytes || Buffer.from(bytes.subarray(0, OPENSSH_MAGIC.length)).toString('latin1') !== OPENSSH_MAGIC) {
    return false;
  }
  const reader = new SshReader(bytes);
  reader.offset = OPENSSH_MAGIC.length;
  const cipher = reader.name();
  const kdf = reader.name();
  const kdfOptions = reader.string();
  const count = reader.uint32();
  if (!cipher || kdfOptions === undefined || count === undefined || count < 1 || count > 16) return false;
  if (kdf === 'none') {
    if (cipher !== 'none' || kdfOptions.length > 0) return false;
  } else if (kdf === 'bcrypt') {
    const options = new SshReader(kdfOptions);
    const salt = options.string();
    const rounds = options.uint32();
    if (cipher === 'none' || !salt || salt.length < 8 || !rounds || options.remaining > 0) return false;
  } else {
    return false;
  }
  const publicKeys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const blob = reader.string();
    if (!blob || (new SshReader(blob).name()?.length ?? 0) < 3) return false;
    publicKeys.push(blob);
  }
  const privateList = reader.string();
  if (!privateList || privateList.length < 8 || privateList.length % 8 !== 0) return false;
  // AEAD ciphers (aes256-gcm@openssh.com, chacha20-poly1305@openssh.com) append a 16-byte tag.
  if (cipher !== 'none') return reader.remaining === 0 || reader.remaining === 16;
  return reader.remaining === 0 && isPrivateList(privateList, publicKeys);
}

function isPrivateList(list: Uint8Array, publicKeys: readonly Uint8Array[]): boolean {
  const reader = new SshReader(list);
  const check = reader.uint32();
  if (check === undefined || check !== reader.uint32()) return false;
  for (const blob of publicKeys) {
    const publicReader = new SshReader(blob);
    const type = publicReader.name();
    if (reader.name() !== type) return false;
    // Other key types have their own field lists; matching check integers and types already rule out noise.
    if (type !== 'ssh-ed25519') return true;
    const publicKey = publicReader.string();
    const ownPublic = reader.string();
    const secret = reader.string();
    if (!publicKey || !ownPublic || !secret || secret.length !== 64 || reader.string() === undefined)
      return false;
    if (!Buffer.from(ownPublic).equals(publicKey) || !Buffer.from(secret.subarray(32)).equals(publicKey)) {
      return false;
    }
  }
  // Padding to the cipher block size: 1, 2, 3, …
  for (let pad = 1; reader.remaining > 0; pad++) {
    if (list[reader.offset++] !== pad) return false;
  }
  return true;
}

// --------------------------------------------------------------------------------------------- PuTTY

interface PuttyFile {
  version: number;
  algorithm: string;
  encryption: string;
  comment: string;
  publicBlob: string;
  privateBlob: string;
  mac: string;
  /** Offset just after the `Private-MAC` value. */
  end: number;
}

const MAX_LINE = 4096;
// The first line and how it ends: a newline, or a `\n` escape when the file sits in a JSON or .env string.
const PUTTY_HEADER = /^PuTTY-User-Key-File-[23]: [\x21-\x7e]{1,64}(\r?\n|\\r\\n|\\n)/;

const UNESCAPE: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", '/': '/', t: '\t' };

/**
 * Next line from `at`. A PPK pasted into a JSON or .env string has `\n` escapes instead of newlines (and
 * `\\` for a backslash in its comment); which kind the file uses is decided once, from its first line.
 */
function readLine(text: string, at: number, escaped: boolean): { line: string; next: number } | undefined {
  const window = text.slice(at, at + MAX_LINE + 1);
  if (!escaped) {
    const newline = window.indexOf('\n');
    if (newline === -1)
      return window.length <= MAX_LINE ? { line: window, next: at + window.length } : undefined;
    return { line: window.slice(0, newline).replace(/\r$/, ''), next: at + newline + 1 };
  }
  let line = '';
  for (let i = 0; i < window.length; i++) {
    const char = window[i] as string;
    if (char !== '\\') {
      line += char;
      continue;
    }
    const after = window[i + 1] ?? '';
    if (after === 'n') return { line, next: at + i + 2 };
    if (after === 'r' && window.startsWith('\\n', i + 2)) return { line, next: at + i + 4 };
    line += UNESCAPE[after] ?? `\\${after}`;
    i++;
  }
  return window.length <= MAX_LINE ? { line, next: at + window.length } : undefined;
}

/**
 * Walks a PPK file from its first line to its `Private-MAC` line (PuTTY manual appendix C); undefined when
 * a line is missing or malformed. Line counts drive the walk, so the block's end is known without a marker.
 */
export function readPutty(text: string, start: number): PuttyFile | undefined {
  const header = PUTTY_HEADER.exec(text.slice(start, start + 128));
  if (!header) return undefined;
  const escaped = header[1] !== '\n' && header[1] !== '\r\n';
  let at = start;
  const next = (pattern: RegExp): RegExpExecArray | undefined => {
    const read = readLine(text, at, escaped);
    const found = read ? pattern.exec(read.line) : null;
    if (!read || !found) return undefined;
    at = read.next;
    return found;
  };
  const lines = (count: number): string | undefined => {
    let joined = '';
    for (let i = 0; i < count; i++) {
      const line = next(/^[A-Za-z0-9+/=]{1,128}$/);
      if (!line) return undefined;
      joined += line[0];
    }
    return joined;
  };
  const head = next(/^PuTTY-User-Key-File-([23]): ([\x21-\x7e]{1,64})$/);
  const encryption = next(/^Encryption: (none|aes256-cbc)$/)?.[1];
  const comment = next(/^Comment: (.{0,1024})$/)?.[1];
  const publicLines = Number(next(/^Public-Lines: (\d{1,3})$/)?.[1] ?? 0);
  const publicBlob =
    head && encryption && comment !== undefined && publicLines > 0 ? lines(publicLines) : undefined;
  if (!head || !encryption || publicBlob === undefined) return undefined;
  const version = Number(head[1]);
  if (version === 3 && encryption !== 'none') {
    const kdf = [
      /^Key-Derivation: Argon2(?:id|i|d)$/,
      /^Argon2-Memory: \d{1,10}$/,
      /^Argon2-Passes: \d{1,10}$/,
      /^Argon2-Parallelism: \d{1,4}$/,
      /^Argon2-Salt: [0-9a-f]{2,128}$/,
    ];
    if (kdf.some((pattern) => !next(pattern))) return undefined;
  }
  const privateLines = Number(next(/^Private-Lines: (\d{1,3})$/)?.[1] ?? 0);
  const privateBlob = privateLines > 0 ? lines(privateLines) : undefined;
  const read = privateBlob === undefined ? undefined : readLine(text, at, escaped);
  // The MAC line may run on into the text around the file (a closing quote when the file sits in a string).
  const mac = read && /^Private-MAC: ([0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])/.exec(read.line);
  if (privateBlob === undefined || !read || !mac) return undefined;
  return {
    version,
    algorithm: head[2] as string,
    encryption,
    comment: comment as string,
    publicBlob,
    privateBlob,
    mac: mac[1] as string,
    end: at + mac[0].length,
  };
}

/**
 * A PPK whose blobs decode, whose public blob names the header's algorithm and whose MAC has the size its
 * version uses. Unencrypted files are MAC'd with a key known to all (an empty passphrase), so that MAC is
 * verified: a hand-edited or made-up file fails.
 */
export function isPuttyPrivateKey(block: string): boolean {
  const file = readPutty(block, 0);
  if (!file || file.end !== block.length) return false;
  const publicBlob = decodeBase64(file.publicBlob);
  const privateBlob = decodeBase64(file.privateBlob);
  if (!publicBlob || !privateBlob || new SshReader(publicBlob).name() !== file.algorithm) return false;
  if (file.mac.length !== (file.version === 2 ? 40 : 64)) return false;
  if (file.encryption !== 'none') return privateBlob.length % 16 === 0;
  const data = Buffer.concat(
    [file.algorithm, file.encryption, file.comment, publicBlob, privateBlob].map((field) => sshString(field)),
  );
  const expected =
    file.version === 2
      ? createHmac('sha1', createHash('sha1').update('putty-private-key-file-mac-key').digest()).update(data)
      : createHmac('sha256', Buffer.alloc(0)).update(data);
  return timingSafeEqual(expected.digest(), Buffer.from(file.mac, 'hex'));
}

/** An SSH wire `string`: a uint32 length, then the bytes. */
export function sshString(value: string | Uint8Array): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
