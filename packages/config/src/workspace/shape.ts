/**
 * A small declarative shape for YAML documents: it validates (collecting every issue with its path) and
 * renders itself as JSON Schema for editors. Hand-written rather than zod because the config library reads
 * stagecraft.yaml at application start-up, where importing zod would double a cold start.
 */

export type Path = (string | number)[];

export type ShapeIssue = (
  | { kind: 'type'; path: Path; expected: string }
  | { kind: 'missing'; path: Path; expected: string }
  | { kind: 'unknown-key'; path: Path; key: string; known: string[] }
  | { kind: 'one-of'; path: Path; values: readonly unknown[] }
  | { kind: 'too-small'; path: Path; minimum: number; what: 'items' | 'characters' | 'value' }
  | { kind: 'pattern'; path: Path; pattern: RegExp; rule: string }
  /** A value a pattern cannot judge (a duration's parts, a time zone) that a function refused. */
  | { kind: 'invalid'; path: Path; rule: string }
) & {
  /** What to do about it, when the shape knows better than the generic wording. */
  hint?: string;
};

export interface Shape {
  /** Type name as people read it: "a string", "a list". */
  readonly expected: string;
  readonly description?: string | undefined;
  check(value: unknown, path: Path, issues: ShapeIssue[]): void;
  jsonSchema(): Record<string, unknown>;
}

interface Described {
  description?: string;
}

/** A hint for any issue of the value: fixed, or worked out from the value (a "did you mean"). */
type Hint = string | ((value: unknown) => string | undefined);

const hinted = (issue: ShapeIssue, hint: Hint | undefined, value: unknown): ShapeIssue => {
  const text = typeof hint === 'function' ? hint(value) : hint;
  return text === undefined ? issue : { ...issue, hint: text };
};

const withDescription = (schema: Record<string, unknown>, description: string | undefined) =>
  description === undefined ? schema : { description, ...schema };

/** JSON Schema patterns carry no flags: a case-insensitive one spells each letter both ways. */
const jsonPattern = (pattern: RegExp): string =>
  pattern.flags.includes('i')
    ? pattern.source.replace(/\\.|\[[^\]]*\]|[a-zA-Z]/g, (part) =>
        part.length === 1 ? `[${part.toLowerCase()}${part.toUpperCase()}]` : part,
      )
    : pattern.source;

export const isPlainMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function string(
  options: Described & {
    min?: number;
    pattern?: RegExp;
    rule?: string;
    hint?: Hint;
    /** What a pattern cannot say: returns why the value is refused (the issue's hint), or undefined. */
    validate?: (value: string) => string | undefined;
  } = {},
): Shape {
  return {
    expected: 'a string',
    description: options.description,
    check(value, path, issues) {
      const report = (issue: ShapeIssue) => void issues.push(hinted(issue, options.hint, value));
      if (typeof value !== 'string') return report({ kind: 'type', path, expected: this.expected });
      const rule = options.rule ?? String(options.pattern);
      if (options.min !== undefined && value.length < options.min) {
        report({ kind: 'too-small', path, minimum: options.min, what: 'characters' });
      } else if (options.pattern && !options.pattern.test(value)) {
        report({ kind: 'pattern', path, pattern: options.pattern, rule });
      } else {
        const why = options.validate?.(value);
        if (why !== undefined) issues.push({ kind: 'invalid', path, rule, hint: why });
      }
    },
    jsonSchema: () =>
      withDescription(
        {
          type: 'string',
          ...(options.min !== undefined ? { minLength: options.min } : {}),
          ...(options.pattern ? { pattern: jsonPattern(options.pattern) } : {}),
        },
        options.description,
      ),
  };
}

/** A whole number, at least `min` when given. */
export function integer(options: Described & { min?: number; hint?: Hint } = {}): Shape {
  return {
    expected: 'a whole number',
    description: options.description,
    check(value, path, issues) {
      const report = (issue: ShapeIssue) => void issues.push(hinted(issue, options.hint, value));
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        report({ kind: 'type', path, expected: this.expected });
      } else if (options.min !== undefined && value < options.min) {
        report({ kind: 'too-small', path, minimum: options.min, what: 'value' });
      }
    },
    jsonSchema: () =>
      withDescription(
        { type: 'integer', ...(options.min !== undefined ? { minimum: options.min } : {}) },
        options.description,
      ),
  };
}

export function boolean(options: Described = {}): Shape {
  return {
    expected: 'true or false',
    description: options.description,
    check(value, path, issues) {
      if (typeof value !== 'boolean') issues.push({ kind: 'type', path, expected: this.expected });
    },
    jsonSchema: () => withDescription({ type: 'boolean' }, options.description),
  };
}

/** One of a fixed set of values (strings or numbers). */
export function oneOf(values: readonly (string | number)[], options: Described = {}): Shape {
  return {
    expected: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    description: options.description,
    check(value, path, issues) {
      if (!values.includes(value as string | number)) issues.push({ kind: 'one-of', path, values });
    },
    jsonSchema: () => withDescription({ enum: [...values] }, options.description),
  };
}

export function list(item: Shape, options: Described & { min?: number; hint?: Hint } = {}): Shape {
  return {
    expected: 'a list',
    description: options.description,
    check(value, path, issues) {
      const report = (issue: ShapeIssue) => void issues.push(hinted(issue, options.hint, value));
      if (!Array.isArray(value)) return report({ kind: 'type', path, expected: this.expected });
      if (options.min !== undefined && value.length < options.min) {
        report({ kind: 'too-small', path, minimum: options.min, what: 'items' });
      }
      value.forEach((element, index) => {
        item.check(element, [...path, index], issues);
      });
    },
    jsonSchema: () =>
      withDescription(
        {
          type: 'array',
          items: item.jsonSchema(),
          ...(options.min !== undefined ? { minItems: options.min } : {}),
        },
        options.description,
      ),
  };
}

export interface Property {
  shape: Shape;
  required?: boolean;
}

export interface MapShape extends Shape {
  readonly properties: Readonly<Record<string, Property>>;
  readonly open: boolean;
}

/**
 * A map with known keys. `open` maps accept other keys too (sections later features own); closed maps
 * report unknown keys so typos never pass silently.
 */
export function map(
  properties: Record<string, Property | Shape>,
  options: Described & { open?: boolean; hint?: string } = {},
): MapShape {
  const props: Record<string, Property> = {};
  for (const [key, value] of Object.entries(properties))
    props[key] = 'shape' in value ? value : { shape: value };
  const known = Object.keys(props);
  return {
    expected: 'a map of keys to values',
    description: options.description,
    properties: props,
    open: options.open === true,
    check(value, path, issues) {
      if (!isPlainMap(value)) return void issues.push({ kind: 'type', path, expected: this.expected });
      for (const [key, property] of Object.entries(props)) {
        if (value[key] === undefined) {
          if (property.required)
            issues.push({ kind: 'missing', path: [...path, key], expected: property.shape.expected });
        } else {
          property.shape.check(value[key], [...path, key], issues);
        }
      }
      if (this.open) return;
      for (const key of Object.keys(value)) {
        if (!(key in props))
          issues.push(hinted({ kind: 'unknown-key', path, key, known }, options.hint, value));
      }
    },
    jsonSchema: () =>
      withDescription(
        {
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(props).map(([key, p]) => [key, p.shape.jsonSchema()]),
          ),
          ...(known.some((key) => props[key]?.required)
            ? { required: known.filter((key) => props[key]?.required) }
            : {}),
          additionalProperties: options.open === true,
        },
        options.description,
      ),
  };
}

/** A map from names the user chooses to values of one shape, in document order; at least `min` of them. */
export function record(value: Shape, options: Described & { min?: number; hint?: Hint } = {}): Shape {
  return {
    expected: 'a map of names to values',
    description: options.description,
    check(input, path, issues) {
      const report = (issue: ShapeIssue) => void issues.push(hinted(issue, options.hint, input));
      if (!isPlainMap(input)) return report({ kind: 'type', path, expected: this.expected });
      if (options.min !== undefined && Object.keys(input).length < options.min) {
        report({ kind: 'too-small', path, minimum: options.min, what: 'items' });
      }
      for (const [key, element] of Object.entries(input)) value.check(element, [...path, key], issues);
    },
    jsonSchema: () =>
      withDescription(
        {
          type: 'object',
          additionalProperties: value.jsonSchema(),
          ...(options.min !== undefined ? { minProperties: options.min } : {}),
        },
        options.description,
      ),
  };
}

/**
 * Either a word or a map, told apart by the value's type, so the issue reported is the one for the form the
 * author evidently chose.
 */
export function wordOrMap(word: Shape, mapShape: Shape, options: Described = {}): Shape {
  return {
    expected: `${word.expected}, or a map`,
    description: options.description,
    check(value, path, issues) {
      if (isPlainMap(value)) mapShape.check(value, path, issues);
      else if (typeof value === 'string') word.check(value, path, issues);
      else issues.push({ kind: 'type', path, expected: this.expected });
    },
    jsonSchema: () =>
      withDescription({ anyOf: [word.jsonSchema(), mapShape.jsonSchema()] }, options.description),
  };
}

/**
 * A map whose `key` says which variant it is (a gate's `kind`), checked as that variant: each variant is a
 * map of its own keys, `key` among them, so options of another kind are reported as unknown.
 */
export function tagged(
  key: string,
  variants: Readonly<Record<string, MapShape>>,
  options: Described = {},
): Shape {
  const names = Object.keys(variants);
  return {
    expected: 'a map of keys to values',
    description: options.description,
    check(value, path, issues) {
      if (!isPlainMap(value)) return void issues.push({ kind: 'type', path, expected: this.expected });
      const tag = value[key];
      if (tag === undefined) {
        return void issues.push({
          kind: 'missing',
          path: [...path, key],
          expected: `one of ${names.map((name) => JSON.stringify(name)).join(', ')}`,
        });
      }
      const variant = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
      if (variant === undefined)
        return void issues.push({ kind: 'one-of', path: [...path, key], values: names });
      variant.check(value, path, issues);
    },
    jsonSchema: () =>
      withDescription(
        { oneOf: names.map((name) => (variants[name] as MapShape).jsonSchema()) },
        options.description,
      ),
  };
}

export function union(shapes: readonly Shape[], options: Described & { hint?: Hint } = {}): Shape {
  return {
    expected: shapes.map((shape) => shape.expected).join(' or '),
    description: options.description,
    check(value, path, issues) {
      const attempts = shapes.map((shape) => {
        const found: ShapeIssue[] = [];
        shape.check(value, path, found);
        return found;
      });
      if (attempts.some((found) => found.length === 0)) return;
      // Prefer the alternative that accepted the value's type and failed deeper inside it.
      const meant = attempts.find((found) =>
        found.every((issue) => issue.kind !== 'type' || issue.path.length > path.length),
      );
      if (meant) issues.push(...meant);
      else issues.push(hinted({ kind: 'type', path, expected: this.expected }, options.hint, value));
    },
    jsonSchema: () =>
      withDescription({ anyOf: shapes.map((shape) => shape.jsonSchema()) }, options.description),
  };
}

export function literal(value: number, options: Described = {}): Shape {
  return oneOf([value], options);
}
