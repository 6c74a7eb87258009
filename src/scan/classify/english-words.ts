/**
 * Whether text reads as English words: a dictionary (see _english-words.ts for its source) loaded on first
 * use into one Set of about 19,000 entries, plus the vocabulary of configuration and code that a general
 * dictionary lacks (`auth`, `admin`, `config`).
 */
import { ENGLISH_WORDS } from './_english-words.ts';

/** Words of software that names and placeholder values are made of, beyond the dictionary. */
const SOFTWARE_WORDS =
  'api app apps auth oauth admin config conf env dev prod staging stage db sql app svc srv cli ssh ssl tls ' +
  'jwt http https url uri www web user username login logout signin signup passwd pwd pass password ' +
  'passphrase secret token tokens apikey key keys cred creds credential credentials session cookie csrf ' +
  'xsrf hmac sha md5 hash salt nonce otp totp mfa test tests testing mock mocked fake dummy foo bar baz qux ' +
  'quux demo example sample local localhost default defaults invalid valid expired revoked wrong bad good ' +
  'my your our their new old temp tmp dummy super top very not changeme letmein hunter qwerty abc xyz ' +
  'client server service backend frontend internal external private public access refresh bearer basic ' +
  'github gitlab google slack stripe aws azure gcp docker redis postgres mysql mongo mongodb kafka ' +
  'jenkins vault npm pypi node js ts go rust java python ruby php';

let dictionary: Set<string> | undefined;

function words(): Set<string> {
  if (dictionary === undefined) {
    dictionary = new Set(ENGLISH_WORDS.split(/\s+/).filter(Boolean));
    for (const word of SOFTWARE_WORDS.split(' ')) dictionary.add(word);
  }
  return dictionary;
}

/** A lowercase word, or an inflection of one (`tokens`, `signed`, `loading`, `quickly`). */
export function isEnglishWord(word: string): boolean {
  const lower = word.toLowerCase();
  if (lower.length < 2) return false;
  const set = words();
  if (set.has(lower)) return true;
  if (lower.length < 4) return false;
  const stems: string[] = [];
  if (lower.endsWith('ies')) stems.push(`${lower.slice(0, -3)}y`);
  if (lower.endsWith('es')) stems.push(lower.slice(0, -2));
  if (lower.endsWith('s')) stems.push(lower.slice(0, -1));
  if (lower.endsWith('ed')) stems.push(lower.slice(0, -2), lower.slice(0, -1));
  if (lower.endsWith('ing')) stems.push(lower.slice(0, -3), `${lower.slice(0, -3)}e`);
  if (lower.endsWith('ly')) stems.push(lower.slice(0, -2));
  return stems.some((stem) => set.has(stem));
}
