/**
 * The ways a secret value commonly appears in output besides verbatim, so masking catches a program that
 * prints it URL-encoded (a connection string, a query), base64-encoded (a Basic auth header, a Kubernetes
 * Secret manifest) or inside a JSON string (a logged request body).
 *
 * Covered: `encodeURIComponent`; form encoding (`+` for a space, both as `encodeURIComponent` and as
 * `URLSearchParams` write it); JSON string escaping, as `JSON.stringify` writes it and with every non-ASCII
 * character as `\uXXXX` (as Python's `json.dumps` does by default); base64, standard and URL-safe, with and
 * without padding, of the value on its own; and base64 of the value inside a longer encoded text, at each of
 * the three byte alignments it can have there (`user:password` in a Basic header puts the password at any of
 * them), as the characters that depend on the value alone.
 *
 * Not covered: lowercase percent-escapes (`%2f`), escaping only some characters (`encodeURI`, a `%20`-only
 * encoder), JSON's optional `\/`, base64 broken into lines (MIME, PEM), hex, and anything encoded twice,
 * compressed or encrypted. Output cut mid-value can of course show a part of any form.
 */

/**
 * An aligned piece of base64 shorter than this is not masked: it carries only a few bytes of the value and
 * could match unrelated base64 by chance.
 */
const MIN_ALIGNED_BASE64_LENGTH = 8;

/** The value and each distinct encoded form of it; never an empty string. */
export function encodedForms(value: string): string[] {
  if (value === '') return [];
  const forms = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(new URLSearchParams([['', value]]).toString().slice(1));
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(
    json.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  for (const form of [base64, base64.replace(/=+$/, '')]) {
    forms.add(form);
    forms.add(urlSafe(form));
  }
  for (const aligned of alignedBase64(bytes)) {
    if (aligned.length < MIN_ALIGNED_BASE64_LENGTH) continue;
    forms.add(aligned);
    forms.add(urlSafe(aligned));
  }
  return [...forms];
}

/**
 * Base64 groups three bytes into four characters, so inside a longer encoded text the value starts 0, 1 or 2
 * bytes into a group. For each, the characters that depend on the value's bits only: those mixed with the
 * bytes before it (the first 0, 2 or 3 characters) or after it (the end of the last group) are left out.
 */
function alignedBase64(bytes: Buffer): string[] {
  const pieces: string[] = [];
  for (const [offset, skip] of [
    [0, 0],
    [1, 2],
    [2, 3],
  ] as const) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const determined = Math.floor((padded.length * 8) / 6);
    pieces.push(padded.toString('base64').slice(skip, determined));
  }
  return pieces;
}

function urlSafe(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}
