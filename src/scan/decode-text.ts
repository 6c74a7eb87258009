/**
 * A file's bytes to the text a scan reads. A byte-order mark decides first: UTF-16 text is full of NUL bytes
 * and would otherwise pass for binary, so a PowerShell script or a .reg export saved as "Unicode" by Windows
 * tools would never be scanned. Without one, a NUL byte in the first 8 KiB means binary, as git decides;
 * anything else is read as UTF-8 (invalid sequences become U+FFFD, which leaves every ASCII secret intact).
 */
import { isAscii } from 'node:buffer';

export type DecodedText =
  | { text: string; encoding: TextEncoding }
  | { skip: 'binary' }
  | { skip: 'undecodable'; encoding: string };

export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE';

const UTF16 = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

export function decodeText(bytes: Uint8Array): DecodedText {
  const [b0, b1, b2, b3] = bytes;
  // UTF-32's marks begin like UTF-16's (FF FE), so they are told apart first. UTF-32 text is rare enough
  // that it is reported as not scanned rather than decoded.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
    return { skip: 'undecodable', encoding: 'UTF-32LE' };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
    return { skip: 'undecodable', encoding: 'UTF-32BE' };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { text: utf8(bytes.subarray(3)), encoding: 'UTF-8' };
  if (b0 === 0xff && b1 === 0xfe) return utf16(bytes.subarray(2), 'UTF-16LE');
  if (b0 === 0xfe && b1 === 0xff) return utf16(bytes.subarray(2), 'UTF-16BE');
  if (isBinary(bytes)) return { skip: 'binary' };
  return { text: utf8(bytes), encoding: 'UTF-8' };
}

/** Binary by git's own test: a NUL byte in the first 8 KiB. */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

function utf8(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Most source is pure ASCII: checking that (SIMD-fast) and copying bytes beats UTF-8 decoding by far,
  // and gives the same string.
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}

/**
 * Strict: an odd byte count or an unpaired surrogate makes the file undecodable rather than scanned with
 * replacement characters, since such a file is more likely binary that happens to start with FF FE.
 */
function utf16(bytes: Uint8Array, encoding: 'UTF-16LE' | 'UTF-16BE'): DecodedText {
  if (bytes.length % 2 !== 0) return { skip: 'undecodable', encoding };
  // Big-endian is swapped to little-endian here: Node's own big-endian decoder needs full ICU.
  const little = encoding === 'UTF-16LE' ? bytes : Buffer.from(bytes).swap16();
  try {
    return { text: UTF16.decode(little), encoding };
  } catch {
    return { skip: 'undecodable', encoding };
  }
}
