/**
 * `${VAR}` references inside YAML string values, with the shell/compose forms people already know:
 * `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?message}`,
 * `${VAR?message}`, and `$$` for a literal dollar. Defaults may themselves hold references. Nothing is ever
 * executed: this is text substitution on already-parsed YAML scalars.
 */

export type Lookup = (name: string) => string | undefined;

export type ExpansionError =
  | { kind: 'unset'; variable: string }
  | { kind: 'required'; variable: string; message: string }
  | { kind: 'syntax'; message: string };

export type Expansion =
  | { ok: true; value: string; references: string[]; literalDefault: boolean }
  | { ok: false; error: ExpansionError; references: string[] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

interface State {
  text: string;
  pos: number;
  lookup: Lookup;
  references: string[];
  literalDefault: boolean;
}

class ExpansionFailure extends Error {
  constructor(readonly detail: ExpansionError) {
    super(detail.kind);
  }
}

export function expand(text: string, lookup: Lookup): Expansion {
  if (!text.includes('$')) return { ok: true, value: text, references: [], literalDefault: false };
  const state: State = { text, pos: 0, lookup, references: [], literalDefault: false };
  try {
    const value = readUntil(state, undefined);
    return { ok: true, value, references: state.references, literalDefault: state.literalDefault };
  } catch (error) {
    if (error instanceof ExpansionFailure)
      return { ok: false, error: error.detail, references: state.references };
    throw error;
  }
}

/** Whether the text is exactly one reference and nothing else, e.g. `${DB_PASSWORD}`. */
export function isSingleReference(text: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(text.trim());
}

/** Reads text until `stop` (a closing brace of an enclosing default) or the end. */
function readUntil(state: State, stop: '}' | undefined): string {
  let out = '';
  const { text } = state;
  while (state.pos < text.length) {
    const char = text[state.pos] as string;
    if (stop && char === stop) return out;
    if (char !== '$') {
      out += char;
      state.pos++;
      continue;
    }
    const next = text[state.pos + 1];
    if (next === '$') {
      out += '$';
      state.pos += 2;
    } else if (next === '{') {
      state.pos += 2;
      out += readReference(state);
    } else {
      // A lone `$` (a price, a regex anchor) stays as written rather than guessing at `$VAR`.
      out += '$';
      state.pos++;
    }
  }
  if (stop) throw new ExpansionFailure({ kind: 'syntax', message: 'a "${" is never closed with "}"' });
  return out;
}

function readReference(state: State): string {
  const rest = state.text.slice(state.pos);
  const name = NAME.exec(rest)?.[0];
  if (!name) {
    throw new ExpansionFailure({
      kind: 'syntax',
      message: `"\${" must be followed by a variable name (letters, digits, _), found "${rest.slice(0, 12)}"`,
    });
  }
  state.pos += name.length;
  state.references.push(name);
  const value = state.lookup(name);
  const text = state.text;
  if (text[state.pos] === '}') {
    state.pos++;
    if (value === undefined) throw new ExpansionFailure({ kind: 'unset', variable: name });
    return value;
  }
  const colon = text[state.pos] === ':';
  const operator = text[state.pos + (colon ? 1 : 0)];
  if (operator !== '-' && operator !== '?') {
    throw new ExpansionFailure({
      kind: 'syntax',
      message: `unsupported form after \${${name}: write \${${name}}, \${${name}:-default}, \${${name}-default} or \${${name}:?message}`,
    });
  }
  state.pos += colon ? 2 : 1;
  const missing = value === undefined || (colon && value === '');
  if (operator === '-') {
    // Read (and so validate) the default even when it is not used: a broken default is broken everywhere.
    const lookup = state.lookup;
    if (!missing) state.lookup = () => '';
    const fallback = readUntil(state, '}');
    state.lookup = lookup;
    state.pos++;
    if (!missing) return value as string;
    state.literalDefault ||= fallback !== '';
    return fallback;
  }
  const message = readUntil(state, '}');
  state.pos++;
  if (missing) {
    throw new ExpansionFailure({
      kind: 'required',
      variable: name,
      message: message || `${name} must be set`,
    });
  }
  return value as string;
}
