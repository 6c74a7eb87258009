/**
 * A value that must not leak: toString, JSON, template strings and util.inspect all show `[redacted]`.
 * The value is read with `reveal()`, so every place a secret is used is explicit and greppable.
 */
const REDACTED = '[redacted]';
// Symbol.for, so no node:util import is needed and the library stays usable in any runtime.
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret value. Call it where the value is used, never to log it. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

// util.inspect (console.log, REPL, test diffs) looks this method up; defined outside the class body because
// computed method names cannot be declared with isolatedDeclarations.
Object.defineProperty(Secret.prototype, inspectSymbol, { value: () => `Secret(${REDACTED})` });

// A brand rather than instanceof: the CLI and an app's config module may load separate copies of this class.
const SECRET_BRAND = Symbol.for('stagecraft.secret');
Object.defineProperty(Secret.prototype, SECRET_BRAND, { value: true });

export function isSecret(value: unknown): value is Secret<unknown> {
  return (
    value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[SECRET_BRAND] === true
  );
}
