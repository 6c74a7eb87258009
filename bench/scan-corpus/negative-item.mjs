/**
 * Hard negatives: strings a scanner may take for secrets but that are not, planted in the same kinds of
 * files as the secrets, mostly under secret-like names. A finding on one of these lines is a false positive;
 * the kind tells which trap it was. Shared helper of negatives-lookalike.mjs and negatives-indirect.mjs.
 */
import { ASSIGN_SYNTAXES } from './credential-values.mjs';
import { valueItem } from './doc.mjs';

/** A negative assigned to a name, in any syntax with an assignment form unless told otherwise. */
export function negative(kind, words, value, syntaxes = ASSIGN_SYNTAXES) {
  return valueItem({ kind, secret: false, words, value, syntaxes });
}
