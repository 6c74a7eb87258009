/**
 * Building one corpus file: a `Doc` collects lines and remembers which line ranges hold a planted item
 * (a secret, or a hard negative), so the ground truth is a by-product of writing the file, never a guess.
 *
 * An item is `{ kind, secret, syntaxes, render(syntax, ctx) → { lines, marks } }`; `marks` are
 * `{ from, to, kind, secret, value }` with indices into the item's own lines.
 */

export class Doc {
  constructor(syntax, rng) {
    this.syntax = syntax;
    this.rng = rng;
    this.lines = [];
    this.marks = [];
    /** Extra filler chunks after the last item, so files have the bulk of real ones. */
    this.padding = 0;
    /** Names of the settings written so far, so filler does not repeat a key. */
    this.used = new Set();
  }

  push(...lines) {
    this.lines.push(...lines);
  }

  place(item, ctx = {}) {
    const { lines, marks } = item.render(this.syntax, { rng: this.rng, indent: '', used: this.used, ...ctx });
    const base = this.lines.length;
    for (const mark of marks) this.marks.push({ ...mark, from: base + mark.from, to: base + mark.to });
    this.lines.push(...lines);
  }

  /** `count` chunks of the syntax's filler (ordinary settings or code). */
  fill(count, ctx = {}) {
    for (let i = 0; i < count; i++)
      this.push(...this.syntax.filler(this.rng, { indent: '', used: this.used, ...ctx }));
  }

  /** Items with a few filler chunks before each, and after the last. */
  weave(items, ctx = {}, spread = [0, 3]) {
    for (const item of items) {
      this.fill(this.rng.range(spread[0], spread[1]), ctx);
      this.place(item, ctx);
    }
    this.fill(this.rng.range(spread[0], spread[1]) + this.padding, ctx);
  }

  text() {
    return `${this.lines.join('\n')}\n`;
  }
}

/** One mark covering all of an item's lines. */
function whole(lines, item, value) {
  return { lines, marks: [{ from: 0, to: lines.length - 1, kind: item.kind, secret: item.secret, value }] };
}

/** The item's name, qualified (`legacy_db_password`) when the file already has that name. */
function freshWords(words, ctx) {
  let out = words;
  for (const qualifier of ['primary', 'secondary', 'legacy', 'backup', 'new', 'old', 'next', 'fallback']) {
    if (!ctx.used?.has(out.join('_'))) break;
    out = [qualifier, ...words];
  }
  ctx.used?.add(out.join('_'));
  return out;
}

/**
 * A value assigned to a name, rendered in each syntax's own assignment form (`NAME=v`, `name: v`,
 * `"name": "v"`, `- name: NAME` / `value: v`, …). `shown` is the text written when it differs from the
 * value recorded in the truth (an escaped form, say).
 */
export function valueItem({ kind, secret, words, value, shown = value, syntaxes = null }) {
  const item = {
    kind,
    secret,
    syntaxes,
    simple: true,
    needsAssign: true,
    render: (syntax, ctx) => whole(syntax.assign(freshWords(words, ctx), shown, ctx), item, value),
  };
  return item;
}

/** A multi-line value (a PEM block, say): a block scalar, heredoc, text block or escaped string. */
export function blockItem({ kind, secret, words, lines, syntaxes = null }) {
  const item = {
    kind,
    secret,
    syntaxes,
    needsBlock: true,
    render: (syntax, ctx) => whole(syntax.block(freshWords(words, ctx), lines, ctx), item, lines.join('\n')),
  };
  return item;
}

/** Free-form lines per syntax: `forms[syntaxName](ctx)` → lines; the whole of them is the mark. */
export function formItem({ kind, secret, value, forms }) {
  const item = {
    kind,
    secret,
    syntaxes: Object.keys(forms),
    render: (syntax, ctx) => whole(forms[syntax.name](ctx), item, value),
  };
  return item;
}

/** Several items that sit on consecutive lines (an AWS key id and its secret), each with its own mark. */
export function groupItem(parts, syntaxes = null) {
  return {
    kind: parts[0].kind,
    secret: parts.some((p) => p.secret),
    syntaxes: syntaxes ?? intersect(parts.map((p) => p.syntaxes)),
    needsBlock: parts.some((p) => p.needsBlock),
    needsAssign: parts.some((p) => p.needsAssign),
    render: (syntax, ctx) => {
      const lines = [];
      const marks = [];
      for (const part of parts) {
        const out = part.render(syntax, ctx);
        for (const mark of out.marks)
          marks.push({ ...mark, from: mark.from + lines.length, to: mark.to + lines.length });
        lines.push(...out.lines);
      }
      return { lines, marks };
    },
  };
}

/** Several lines that together are one credential (an API key id and its secret): one mark over all. */
export function spanItem(kind, parts) {
  const group = groupItem(parts);
  return {
    ...group,
    kind,
    secret: true,
    render: (syntax, ctx) => {
      const { lines, marks } = group.render(syntax, ctx);
      const value = marks.map((m) => m.value).join(' ');
      return { lines, marks: [{ from: 0, to: lines.length - 1, kind, secret: true, value }] };
    },
  };
}

function intersect(lists) {
  const defined = lists.filter(Boolean);
  if (defined.length === 0) return null;
  return defined.reduce((acc, list) => acc.filter((s) => list.includes(s)));
}

/** Characters that make a YAML or .env value need quotes. */
export function needsQuotes(value) {
  return !/^[A-Za-z0-9._/+=-]+$/.test(value) || /^(true|false|yes|no|null|on|off|[0-9.]+)$/i.test(value);
}

export function xmlEscape(value) {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
