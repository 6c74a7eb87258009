/**
 * The fast lane for multi-document streams of plain data (rendered manifests, megabytes at a time): js-yaml's
 * event parser and constructor, about eight times as fast as yaml's parser, composer and toJS on the same
 * manifests, and lighter on memory (measured in bench/parity.mjs and bench/drift.mjs).
 *
 * It takes only what it reads exactly as the YAML layer (@stagecraft/config/yaml, the yaml package) would: no anchors or aliases (so nothing
 * can expand, and the alias limit has nothing to count), no tags, no directives, maps and lists nested at
 * most MAX_NESTING levels, keys written as yaml turns them into object keys. For anything else, and for any
 * error, it answers undefined and the caller reads the text with yaml, which applies every limit and words
 * every problem; a file therefore reads the same and fails the same whichever lane it takes, which
 * plain-yaml-stream.test.ts checks on a corpus of tricky YAML and on mutated manifests.
 */
import { createRequire } from 'node:module';
import { MAX_NESTING } from '@stagecraft/config/input';
import type { Event, MappingTagDefinition, Schema } from 'js-yaml';

type JsYaml = typeof import('js-yaml');

// Loaded on first use, as yaml is: only commands that read manifests pay for it.
let jsYamlModule: JsYaml | undefined;
let schema: Schema | undefined;

function jsYaml(): JsYaml {
  jsYamlModule ??= createRequire(import.meta.url)('js-yaml') as JsYaml;
  return jsYamlModule;
}

/**
 * The documents of `text` as plain values, or undefined when the text needs yaml's lane: it does not parse,
 * uses anchors, aliases, tags or directives, or holds one of the forms in NEEDS_YAML.
 */
export function readPlainYamlStream(text: string): unknown[] | undefined {
  if (NEEDS_YAML.test(text)) return undefined;
  const lib = jsYaml();
  let events: Event[];
  try {
    events = lib.parseEvents(text, { maxDepth: MAX_NESTING });
  } catch {
    return undefined;
  }
  if (!isPlain(events, lib.EVENT_ID)) return undefined;
  schema ??= plainSchema(lib);
  try {
    return lib.constructFromEvents(events, { source: text, schema, maxAliases: 0 });
  } catch {
    return undefined;
  }
}

/**
 * Text the two parsers read differently, found by comparing them on mutated manifests (plain-stream.test.ts).
 * Each only sends the file to yaml:
 * - a tab (yaml refuses some that js-yaml takes as indentation or trailing space);
 * - a carriage return that ends a line alone;
 * - a byte order mark (yaml drops one after the start too);
 * - an escape `\U` (js-yaml takes code points past Unicode's last);
 * - `...` (yaml counts an empty document before one at the start), or `---` after spaces (js-yaml ignores
 *   the spaces at the start of a stream);
 * - a line that starts with an explicit or empty key (`? a`, `: b`);
 * - a block scalar with an indentation indicator (`|2`), whose trailing blank lines the two read differently;
 * - merge keys `<<` (yaml names some merged keys differently).
 */
const NEEDS_YAML = /\t|\r(?!\n)|\ufeff|\\U|^ *\.\.\.|^ +---|^[ -]*[?:](?:[ \r]|$)|[|>][+-]?[1-9]|<</m;

function isPlain(events: Event[], ids: JsYaml['EVENT_ID']): boolean {
  for (const event of events) {
    switch (event.type) {
      case ids.DOCUMENT:
        if (event.directives.length > 0) return false;
        break;
      case ids.ALIAS:
        return false;
      case ids.POP:
        break;
      default:
        if (event.anchorStart !== -1 || event.tagStart !== -1) return false;
    }
  }
  return true;
}

/**
 * yaml's core schema, rebuilt for js-yaml: plain scalars resolved by yaml's own tests, in its order (see
 * yaml's schema/core), so that `1e999` is Infinity and `0b1` a string in either lane; maps built as yaml's
 * toJS builds them: a null key (`~:`) is the empty string, and keys equal once made strings (`1` and `"1"`)
 * are a duplicate-key error here, which leaves them to yaml. js-yaml's own map refuses collections as keys,
 * which sends them to yaml too.
 */
function plainSchema(lib: JsYaml): Schema {
  const { NOT_RESOLVED } = lib;
  const implicit = (name: string, firstChars: string[], resolve: (source: string) => unknown) =>
    lib.defineScalarTag(`tag:yaml.org,2002:${name}`, {
      implicit: true,
      implicitFirstChars: firstChars,
      resolve,
      identify: () => false,
    });
  const digits = [...'0123456789'];
  const nullTag = implicit('null', ['', '~', 'n', 'N'], (source) =>
    /^(?:~|[Nn]ull|NULL)?$/.test(source) ? null : NOT_RESOLVED,
  );
  const boolTag = implicit('bool', [...'tTfF'], (source) =>
    /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(source) ? source[0] === 't' || source[0] === 'T' : NOT_RESOLVED,
  );
  const intTag = implicit('int', ['-', '+', ...digits], (source) => {
    if (/^0o[0-7]+$/.test(source)) return Number.parseInt(source.slice(2), 8);
    if (/^[-+]?[0-9]+$/.test(source)) return Number.parseInt(source, 10);
    if (/^0x[0-9a-fA-F]+$/.test(source)) return Number.parseInt(source.slice(2), 16);
    return NOT_RESOLVED;
  });
  const floatTag = implicit('float', ['-', '+', '.', ...digits], (source) => {
    if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(source)) {
      if (source.slice(-3).toLowerCase() === 'nan') return Number.NaN;
      return source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (
      /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(source) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(source)
    )
      return Number.parseFloat(source);
    return NOT_RESOLVED;
  });

  const keyOf = (key: unknown): string => (key === null ? '' : String(key));
  const base: MappingTagDefinition<Record<string, unknown>, Record<string, unknown>> = lib.mapTag;
  const map = lib.defineMappingTag<Record<string, unknown>>(base.tagName, {
    create: () => ({}),
    identify: base.identify,
    represent: base.represent,
    addPair: (container, key, value) => {
      if (key !== null && typeof key === 'object') return 'a collection as a key';
      const name = keyOf(key);
      // As yaml does, and as JSON.parse does: `__proto__` is an own property, never the prototype.
      if (name === '__proto__')
        Object.defineProperty(container, name, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      else container[name] = value;
      return '';
    },
    has: (container, key) =>
      (key === null || typeof key !== 'object') && Object.hasOwn(container, keyOf(key)),
    keys: (container) => Object.keys(container),
    get: (container, key) => container[keyOf(key)],
  });
  return lib.FAILSAFE_SCHEMA.withTags(nullTag, boolTag, intTag, floatTag, map);
}
